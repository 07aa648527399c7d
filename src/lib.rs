//! posdiag — field diagnostics for card-payment terminals.
//!
//! Layers, dependencies pointing down only (see docs/architecture.md):
//!
//! ```text
//! cli ─┬─ tui/        the only code that knows ratatui/crossterm
//!      ├─ report/     text / json / markdown renderings
//!      └─ session     opens the channels of a profile, runs checks, emits Events
//!           ├─ checks/   one module per area → CheckResult
//!           ├─ txn/      transaction model: frames → transactions, verdicts, causes
//!           ├─ capture/  JSONL event log with redaction
//!           └─ drivers/  zvt client and channel (printer and host come later)
//!                ├─ proto/  pure codecs: bytes ⇄ typed messages, never panic
//!                └─ link/   byte transports: serial, tcp, pty; port enumeration
//! sim/  simulated terminal built on proto/ + link/, never imports tui/
//! ```

pub mod capture;
pub mod checks;
pub mod cli;
pub mod drivers;
pub mod durations;
pub mod event;
pub mod guide;
pub mod i18n;
pub mod link;
pub mod localtime;
pub mod profile;
pub mod proto;
pub mod report;
pub mod session;
pub mod sim;
pub mod tui;
pub mod txn;
