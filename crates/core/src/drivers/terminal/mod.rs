//! The protocol-neutral terminal layer: what checks, transactions and the guide need from a
//! payment terminal, as typed facts and observations a protocol driver produces.
//!
//! A driver ([`TerminalDriver`]) speaks one protocol (ZVT and nexo today, Concert next) and
//! turns what its terminal says into facts: the link answered or how it failed
//! ([`TerminalFailure`], [`LinkProgress`], [`SettingsScan`]), the terminal's status per area
//! ([`StatusFacts`], each area an [`AreaFact`] or `None` when the protocol cannot tell), a
//! card read and the terminal's own host diagnosis ([`Answered`]). The checks judge those
//! facts and never see a protocol type; adding a protocol means a codec, a driver and a
//! simulator. On the transaction side a driver turns the frames it recorded into
//! [`observe::TerminalEvent`]s ([`reader::TerminalReader`]), with result and status codes
//! tagged by protocol ([`codes::TerminalCode`]).
//!
//! A fact carries what the user sees (bilingual summary, evidence rows, cause ids from the
//! knowledge base) because only the protocol knows how its terminal said it (status byte,
//! lock bits, PrinterStatus …); the check adds the verdict's shape (status, id, area, frames).

pub mod amount;
pub mod codes;
mod driver;
mod error;
mod evidence;
mod facts;
mod link;
pub mod observe;
mod probe;
pub mod protocol;
pub mod reader;
#[cfg(any(test, feature = "test-support"))]
pub mod script;

pub use driver::{FrameSink, TerminalDriver, TerminalFuture};
pub use error::{TerminalError, TerminalFailure, WireSummary};
pub use evidence::Evidence;
pub use facts::TerminalStateFact;
pub use facts::{Answered, AreaFact, ClockFact, FactState, IdentityFact, StatusFacts};
pub use link::{scan_order, LinkProgress, ScanRow, SettingsScan, WrongAnswer, WrongAnswerKind};
pub use probe::{StatusOutcome, TerminalProbe};
pub use protocol::TerminalProtocol;
