//! For tests of views and sessions: the frames a terminal of a given protocol exchanges with
//! the cash register for the steps of a payment, built by that protocol's driver (real codecs,
//! real summaries). Views are tested with what a driver would record, without naming the
//! protocol's messages themselves.

use super::protocol::TerminalProtocol;
use crate::frame::{Channel, Direction};

/// What the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    InsertCard,
    Pin,
    Online,
    Reversing,
}

/// The result a scripted terminal reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptResult {
    Approved,
    /// The host declined with this response code (e.g. 51), passed through.
    HostDeclined(u8),
    /// The host did not answer.
    NoHostAnswer,
    /// The printer failed.
    PrinterFault,
}

/// One step of a scripted payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptStep {
    /// The cash register asks for a payment.
    Pay {
        amount_minor: u64,
    },
    /// The terminal accepts the command.
    Accepted,
    Shows(Shows),
    /// The terminal reports the transaction (amount 12.34 CNY, card 620000******0005).
    Report {
        result: ScriptResult,
        trace: String,
        receipt: Option<String>,
    },
    PrintLine {
        text: String,
        last: bool,
    },
    Completed,
    Aborted(ScriptResult),
}

/// A frame of a step, `after_ms` after the previous one (the first of a step: after the step's
/// own delay).
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptFrame {
    pub after_ms: u64,
    pub channel: Channel,
    pub direction: Direction,
    pub raw: Vec<u8>,
    pub summary: String,
}

/// The frames of `step` for a terminal speaking `protocol`.
pub fn frames(protocol: TerminalProtocol, step: &ScriptStep) -> Vec<ScriptFrame> {
    match protocol {
        TerminalProtocol::Zvt => crate::drivers::zvt::script_frames::frames(step),
        TerminalProtocol::Nexo => crate::drivers::nexo::script_frames::frames(step),
        TerminalProtocol::Concert => crate::drivers::concert::script_frames::frames(step),
    }
}
