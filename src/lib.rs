//! posdiag — field diagnostics for card-payment terminals.
//!
//! The binary crate: command line, terminal UI and reports, on top of a workspace whose
//! crates are the layers (see docs/architecture.md); dependencies point down only and the
//! compiler enforces it:
//!
//! ```text
//! posdiag        cli/, tui/ (the only code that knows ratatui/crossterm), report/
//!  ├─ posdiag-sim   simulated terminal, printer, acquirer, nexo terminal (tests and the CLI)
//!  └─ posdiag-core  event bus, profiles, drivers (+ terminal layer), checks, txn, guide,
//!      │            capture, session — never the simulator
//!      ├─ posdiag-link   byte transports: serial, TCP, TLS, pty; port enumeration
//!      └─ posdiag-proto  pure codecs, bilingual text, areas: no I/O, never panic
//! ```
//!
//! The layers' modules are re-exported here under their old names (`posdiag::proto`,
//! `posdiag::checks`, …) so tests and tools address one crate.

pub mod cli;
pub mod report;
pub mod tui;

pub use posdiag_core::{
    capture, catalogue, cause, checks, drivers, event, guide, identify, profile, txn,
};
pub use posdiag_link as link;
pub use posdiag_proto as proto;
pub use posdiag_proto::{durations, i18n, localtime, tr};
pub use posdiag_sim as sim;

/// The session of posdiag-core, and opening one from the command line's view (starting the
/// simulated devices for the demo).
pub mod session {
    pub use crate::cli::open_session::{open, OpenError, SessionConfig};
    pub use posdiag_core::session::*;
}
