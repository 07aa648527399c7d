//! Transaction observations: what a terminal protocol's driver reports as it reads the
//! terminal channel's frames — a transaction started, a step the terminal shows, what it
//! reported (amount, masked card, identifiers, result), the receipt it printed, and how the
//! command ended. The transaction tracker (`txn`) folds these into transactions; it never sees
//! a protocol's messages. Texts are bilingual and name the protocol's own message where that
//! helps a technician find it in the log ("(06 0F)").

use serde::{Deserialize, Serialize};

use super::codes::{TerminalCode, TerminalResult};
use crate::i18n::Text;

/// What a transaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TxnKind {
    /// A payment (ZVT `06 01`, ISO 8583 sale 0200 with 60.1 = 22).
    Payment,
    /// Cancels an earlier payment named by its receipt or trace number (ZVT Reversal `06 30`;
    /// a sale void, 0200 with 60.1 = 23, at the host).
    Void,
    /// Closes the day (ZVT End-of-Day `06 50`; settlement 0500 at the host).
    EndOfDay,
    /// Prints the last receipt again (ZVT Repeat Receipt `06 20`).
    RepeatReceipt,
    /// An abort sent while no payment ran (ZVT `06 B0`).
    Abort,
    /// Another host transaction (pre-authorisation, refund, balance inquiry…).
    Other,
}

impl TxnKind {
    pub fn label(self) -> Text {
        match self {
            TxnKind::Payment => Text::fixed("消费", "payment"),
            TxnKind::Void => Text::fixed("撤销", "void"),
            TxnKind::EndOfDay => Text::fixed("日结", "end-of-day"),
            TxnKind::RepeatReceipt => Text::fixed("重打小票", "repeat receipt"),
            TxnKind::Abort => Text::fixed("中止", "abort"),
            TxnKind::Other => Text::fixed("其他交易", "other"),
        }
    }

    /// Short form for narrow list columns.
    pub fn short(self) -> Text {
        match self {
            TxnKind::Payment => Text::fixed("消费", "pay"),
            TxnKind::Void => Text::fixed("撤销", "void"),
            TxnKind::EndOfDay => Text::fixed("日结", "eod"),
            TxnKind::RepeatReceipt => Text::fixed("重打", "repeat"),
            TxnKind::Abort => Text::fixed("中止", "abort"),
            TxnKind::Other => Text::fixed("其他", "other"),
        }
    }

    /// True for kinds that move money and can be reversed by the terminal.
    pub fn is_financial(self) -> bool {
        matches!(self, TxnKind::Payment | TxnKind::Void | TxnKind::Other)
    }
}

/// The cash register started a transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct TxnStart {
    pub kind: TxnKind,
    /// The amount known at the start (asked for, or named by a void).
    pub amount_minor: Option<u64>,
    pub currency: Option<u16>,
    /// What the cash register asked the terminal to charge: compared with what the terminal
    /// reports later (another currency or amount is a finding).
    pub asked_amount: Option<u64>,
    pub asked_currency: Option<u16>,
    /// Masked card given with the request (BIN and last four at most).
    pub card: Option<String>,
    /// A void: the receipt number of the payment it cancels ("0001").
    pub void_of_receipt: Option<String>,
    pub text: Text,
}

/// What a step the terminal shows means for the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The card was read and the cardholder is asked for the PIN (or to confirm).
    Pin,
    /// The terminal waits for its host.
    Online,
    /// The terminal sends a reversal to its host.
    Reversing,
    /// Something worth a line on the timeline (insert card, card error, …).
    Notice,
    /// Nothing the timeline shows.
    Quiet,
}

/// What the terminal reported about the transaction (ZVT Status-Information `04 0F`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TerminalReport {
    /// The result the terminal reported, if it did.
    pub result: Option<TerminalResult>,
    /// The result shown on the timeline: the reported one, else the protocol's success.
    pub shown: Option<TerminalResult>,
    pub amount_minor: Option<u64>,
    pub currency: Option<u16>,
    /// Masked: BIN and last four at most.
    pub card: Option<String>,
    pub card_name: Option<String>,
    /// The terminal's trace number, its receipt number, and the trace a void names.
    pub trace: Option<String>,
    pub receipt_no: Option<String>,
    pub original_trace: Option<String>,
    pub tid: Option<String>,
    /// End-of-day totals as the terminal sent them (hex).
    pub totals: Option<String>,
    /// The protocol's name of the message ("04 0F").
    pub wire: &'static str,
}

/// One observation of the terminal channel.
#[derive(Debug, Clone, PartialEq)]
pub enum TerminalEvent {
    /// The cash register started a transaction.
    Started(Box<TxnStart>),
    /// The cash register asked to abort: `note` on the running transaction, or a transaction
    /// of its own (`started`) when none runs.
    AbortAsked { note: Text, started: Text },
    /// The cash register refused what the terminal sent (a note on the running transaction).
    RegisterRefused { text: Text },
    /// A command that is no transaction: what follows is not the running transaction's.
    OtherCommand,
    /// The terminal acknowledged with `result` (its success); this ends an abort (`text`
    /// says so).
    Accepted { result: TerminalResult, text: Text },
    /// The terminal refused the command.
    Refused { result: TerminalResult, text: Text },
    /// A step the terminal shows.
    Progress { step: Progress, text: Text },
    /// What the terminal reported about the transaction.
    Report(Box<TerminalReport>),
    /// Receipt lines the terminal sent (as recorded: card numbers already masked); `last`
    /// when the receipt is complete.
    Printed { lines: Vec<String>, last: bool },
    /// The command ended; `wire` is the protocol's name of the message ("06 0F").
    Completed {
        result: Option<TerminalResult>,
        wire: &'static str,
    },
    /// The terminal aborted the command; `currency` is the terminal's own when it names one.
    Aborted {
        result: TerminalResult,
        currency: Option<u16>,
        text: Text,
    },
    /// The terminal reports that it reversed the payment itself at its host: after it was
    /// authorised (`authorized`: the slip could not be printed …) or after the host did not
    /// answer in time. `reason` is the ISO 8583 reversal reason the same case gives on the
    /// host line ("96", "98"), so the verdict reads alike whatever the protocol.
    TerminalReversed {
        reason: String,
        authorized: bool,
        text: Text,
    },
    /// The terminal's state (ZVT Status-Enquiry completion).
    State(TerminalCode),
    /// Something else of the running command's (kept with its frames).
    Other,
}
