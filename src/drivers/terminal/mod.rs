//! The protocol-neutral terminal layer: what checks (and the transaction and guide layers)
//! need from a payment terminal, as typed facts a protocol driver produces.
//!
//! A driver ([`TerminalDriver`]) speaks one protocol (ZVT today, nexo and Concert next) and
//! turns what its terminal says into facts: the link answered or how it failed
//! ([`TerminalFailure`], [`LinkProgress`], [`SettingsScan`]), the terminal's status per area
//! ([`StatusFacts`], each area an [`AreaFact`] or `None` when the protocol cannot tell), a
//! card read and the terminal's own host diagnosis ([`Answered`]). The checks judge those
//! facts and never see a protocol type; adding a protocol means a codec, a driver and a
//! simulator.
//!
//! A fact carries what the user sees (bilingual summary, evidence rows, cause ids from the
//! knowledge base) because only the protocol knows how its terminal said it (status byte,
//! lock bits, PrinterStatus …); the check adds the verdict's shape (status, id, area, frames).

mod driver;
mod error;
mod evidence;
mod facts;
mod link;
mod probe;
mod protocol;

pub use driver::{TerminalDriver, TerminalFuture};
pub use error::{TerminalError, TerminalFailure, WireSummary};
pub use evidence::Evidence;
pub use facts::TerminalStateFact;
pub use facts::{Answered, AreaFact, ClockFact, FactState, IdentityFact, StatusFacts};
pub use link::{scan_order, LinkProgress, ScanRow, SettingsScan, WrongAnswer, WrongAnswerKind};
pub use probe::{StatusOutcome, TerminalProbe};
pub use protocol::TerminalProtocol;
