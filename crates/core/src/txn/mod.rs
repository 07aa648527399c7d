//! The transaction model: what really happened to a payment.
//!
//! Pure (no I/O): [`TxnTracker`] folds redacted [`FrameRecord`](crate::frame::FrameRecord)s —
//! the same input live and in replay — into [`Transaction`]s: the terminal channel as the
//! observations its protocol's driver reports (`drivers::terminal::observe`; ZVT is the first),
//! ISO 8583 on the host channel (in the profile's dialect), linked where the terminal's trace
//! number is the host STAN. Each has a timeline of steps with the frames behind them, and a
//! verdict by the decision rule of docs/protocols/iso8583-cup.md §8 ([`judge`]): `APPROVED`,
//! `DECLINED`, `APPROVED_THEN_REVERSED`, `TIMEOUT_REVERSAL_PENDING`, `REVERSED` or `UNKNOWN`, with
//! the knowledge base's cause ids ([`causes`]) and a one-line [`banner`] in zh and en.
//!
//! - `model`: the transaction, its legs and steps
//! - `feed`: host frames back into ISO 8583 messages
//! - `tracker` (+ `tracker_terminal`, `tracker_report`, `tracker_host`): pairing, the reversal
//!   chain, duplicates, bounded memory; `link`: the one void linker of both sides
//! - `mismatch`: the terminal's answer against the request (currency, amount)
//! - `verdict`, `banner`: the answer; `record`: the same as data (captures, `posdiag txn`)

mod banner;
mod feed;
mod link;
mod mismatch;
mod model;
pub mod outcome;
mod record;
mod tracker;
mod tracker_host;
mod tracker_report;
mod tracker_terminal;
mod verdict;
#[cfg(test)]
mod zvt_mismatch_tests;
#[cfg(test)]
mod zvt_script;
#[cfg(test)]
mod zvt_tests;

pub use banner::{amount_string, amount_text, ask_acquirer, banner};
pub use feed::{read_iso, IsoSeen};
pub use model::{
    FrameRef, HostLeg, ReversalLeg, Step, StepKind, TerminalLeg, Transaction, TxnKind,
};
pub use outcome::{TransactionEvidence, Verdict};
pub use record::{FrameLine, TimelineEntry, TransactionRecord};
pub use tracker::{TrackerConfig, TxnTracker};
pub use tracker_host::awaiting_host;
pub use verdict::{
    causes, judge, response_class, response_meaning, reversal_reason_text, TxnVerdict,
};
