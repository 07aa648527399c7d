//! One transaction as posdiag saw it: what kind, the amount and masked card, the terminal leg
//! (terminal ↔ cash register, in the terminal's protocol), the host leg (terminal ↔ acquirer, ISO 8583), the reversal,
//! and the timeline of steps with the frames behind each.

use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::drivers::terminal::codes::TerminalResult;
use crate::drivers::terminal::protocol::TerminalProtocol;
use crate::frame::{Channel, Direction, FrameRecord};
use crate::i18n::Text;

pub use crate::drivers::terminal::observe::TxnKind;

/// A step of the timeline (the states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Started,
    CardRead,
    Pin,
    SentToHost,
    HostAnswered,
    ReceiptPrinted,
    Completed,
    Declined,
    Aborted,
    TimedOut,
    ReversalSent,
    Reversed,
    /// Something worth seeing that is none of the above (late response, duplicate…).
    Note,
}

impl StepKind {
    pub fn label(self) -> Text {
        match self {
            StepKind::Started => Text::fixed("开始", "started"),
            StepKind::CardRead => Text::fixed("读卡", "card read"),
            StepKind::Pin => Text::fixed("输密码", "PIN"),
            StepKind::SentToHost => Text::fixed("已发主机", "sent to host"),
            StepKind::HostAnswered => Text::fixed("主机应答", "host answered"),
            StepKind::ReceiptPrinted => Text::fixed("已打小票", "receipt printed"),
            StepKind::Completed => Text::fixed("完成", "completed"),
            StepKind::Declined => Text::fixed("被拒", "declined"),
            StepKind::Aborted => Text::fixed("中止", "aborted"),
            StepKind::TimedOut => Text::fixed("超时", "timed out"),
            StepKind::ReversalSent => Text::fixed("已发冲正", "reversal sent"),
            StepKind::Reversed => Text::fixed("已冲正", "reversed"),
            StepKind::Note => Text::fixed("备注", "note"),
        }
    }
}

/// A frame behind a step, kept small: its summary, not its bytes (those are in the capture).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameRef {
    #[serde(with = "crate::proto::serde_fmt::time_ms")]
    pub time: SystemTime,
    pub channel: Channel,
    pub direction: Direction,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_zh: Option<String>,
    pub error: bool,
    /// The protocol's name on the terminal channel ("ZVT").
    #[serde(skip)]
    pub terminal: TerminalProtocol,
}

impl FrameRef {
    /// A frame of a channel whose terminal speaks `terminal`.
    pub fn of(frame: &FrameRecord, terminal: TerminalProtocol) -> Self {
        FrameRef {
            terminal,
            time: frame.time,
            channel: frame.channel,
            direction: frame.direction,
            summary: frame.summary.clone(),
            summary_zh: frame.summary_zh.clone(),
            error: frame.error,
        }
    }

    /// "→ 0200 sale …" as one line.
    pub fn line(&self) -> String {
        self.line_in(crate::i18n::Lang::En)
    }

    /// [`FrameRef::line`] with the summary in `lang` (Chinese where the decoder had one).
    pub fn line_in(&self, lang: crate::i18n::Lang) -> String {
        let side = match self.channel {
            Channel::Terminal => self.terminal.name(),
            Channel::Host => "8583",
            Channel::Printer => "POS",
        };
        let summary = match (lang, &self.summary_zh) {
            (crate::i18n::Lang::Zh, Some(zh)) => zh,
            _ => &self.summary,
        };
        format!("{side} {} {summary}", self.direction.arrow())
    }
}

/// One step: when, what, and which of the transaction's frames show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub kind: StepKind,
    pub time: SystemTime,
    pub text: Text,
    /// Indices into [`Transaction::frames`].
    pub frames: Vec<usize>,
}

/// The terminal side, as the cash register saw it, in the terminal's protocol.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TerminalLeg {
    pub protocol: TerminalProtocol,
    /// The terminal's trace number (ZVT BMP 0B).
    pub trace: Option<String>,
    /// The receipt number (ZVT BMP 87).
    pub receipt_no: Option<String>,
    /// The trace number a void names (ZVT BMP 37).
    pub original_trace: Option<String>,
    /// The receipt number a void asked for ("0001").
    pub void_of_receipt: Option<String>,
    pub tid: Option<String>,
    /// The result the terminal reported (status, completion, abort or refusal).
    pub result: Option<TerminalResult>,
    /// True once the terminal ended the command (completion or abort).
    pub ended: bool,
    /// True when the terminal aborted it.
    pub aborted: bool,
    /// True when the terminal refused the command.
    pub refused: bool,
    /// Receipt lines received.
    pub print_lines: usize,
    /// End-of-day totals as the terminal reported them (hex).
    pub totals: Option<String>,
    /// What the cash register asked for: the transaction's own amount and currency are what
    /// the terminal reported once it did.
    pub asked_amount: Option<u64>,
    pub asked_currency: Option<u16>,
    /// Where the terminal's answer contradicts the request (another currency, another
    /// amount): findings the user sees in the banner and the timeline.
    pub mismatches: Vec<Text>,
    /// The terminal itself reported the payment authorised before it reversed it (a protocol
    /// that says so in its answer, e.g. nexo's `AuthorizedAmount` on a failed payment).
    pub authorized: bool,
}

impl TerminalLeg {
    pub fn new(protocol: TerminalProtocol) -> Self {
        TerminalLeg {
            protocol,
            ..TerminalLeg::default()
        }
    }

    /// The result when it is no success (what a decline shows).
    pub fn failure(&self) -> Option<&TerminalResult> {
        self.result.as_ref().filter(|r| !r.success)
    }
}

/// The host side (ISO 8583): the request, its response.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostLeg {
    pub mti: String,
    pub tid: Option<String>,
    pub stan: Option<String>,
    pub batch: Option<String>,
    pub sent: Option<SystemTime>,
    pub response_code: Option<String>,
    pub answered: Option<SystemTime>,
    pub rrn: Option<String>,
    pub auth_code: Option<String>,
    /// Field 13, MMDD.
    pub date: Option<String>,
    /// Header 处理要求 = 3: the host wants a new sign-on.
    pub wants_sign_on: bool,
    /// A response that came after the terminal had given up (R5).
    pub late: bool,
    /// Settlement: 对账应答代码 of field 48 (1 balanced, 2 not balanced, 3 error).
    pub settlement_flag: Option<char>,
    /// A void's original STAN (61.2).
    pub original_stan: Option<String>,
}

/// The reversal (0400) of the transaction, with its reason (field 39 of the request).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReversalLeg {
    /// TID and STAN of the 0400 (the original's, by the pairing rule).
    pub tid: Option<String>,
    pub stan: Option<String>,
    pub reason: Option<String>,
    pub sent: Option<SystemTime>,
    /// How many 0400s were sent (terminals retry up to three times).
    pub attempts: u32,
    /// Field 39 of the 0410.
    pub response_code: Option<String>,
    pub answered: Option<SystemTime>,
}

impl ReversalLeg {
    /// 0410 with 00 — or 25 / 12, which most terminals take as "the original never posted".
    pub fn done(&self) -> bool {
        matches!(self.response_code.as_deref(), Some("00" | "25" | "12"))
    }
}

/// One transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    /// Sequence number within one tracker (1, 2, …).
    pub id: u64,
    pub kind: TxnKind,
    pub started: SystemTime,
    pub amount_minor: Option<u64>,
    pub currency: Option<u16>,
    /// Always masked: BIN and last four at most.
    pub card: Option<String>,
    pub card_name: Option<String>,
    /// The terminal side (absent when posdiag saw only the host).
    pub terminal: Option<TerminalLeg>,
    pub host: Option<HostLeg>,
    pub reversal: Option<ReversalLeg>,
    /// The earlier transaction this one looks like a repeat of (same card and amount).
    pub duplicate_of: Option<u64>,
    /// A later void that cancelled this payment.
    pub voided_by: Option<u64>,
    /// The host request went unanswered for longer than the timeout.
    pub timed_out: bool,
    /// Set when the source (capture, tap) ended with the transaction unresolved.
    pub closed_unresolved: bool,
    pub steps: Vec<Step>,
    pub frames: Vec<FrameRef>,
    /// Frames not kept because of the per-transaction limit.
    pub frames_dropped: usize,
    /// The outcome last reported (see `TxnTracker::newly_settled`), so writers report each
    /// change of outcome once.
    pub reported: Option<String>,
}

impl Transaction {
    pub fn new(id: u64, kind: TxnKind, started: SystemTime) -> Self {
        Transaction {
            id,
            kind,
            started,
            amount_minor: None,
            currency: None,
            card: None,
            card_name: None,
            terminal: None,
            host: None,
            reversal: None,
            duplicate_of: None,
            voided_by: None,
            timed_out: false,
            closed_unresolved: false,
            steps: Vec::new(),
            frames: Vec::new(),
            frames_dropped: 0,
            reported: None,
        }
    }

    /// How long after the start `time` was.
    pub fn elapsed(&self, time: SystemTime) -> Duration {
        time.duration_since(self.started).unwrap_or_default()
    }

    /// The time of the last step (the start when there is none).
    pub fn last_time(&self) -> SystemTime {
        self.steps.last().map_or(self.started, |s| s.time)
    }

    /// STAN at the host, else the terminal's trace number.
    pub fn trace(&self) -> Option<&str> {
        self.host
            .as_ref()
            .and_then(|h| h.stan.as_deref())
            .or_else(|| self.terminal.as_ref().and_then(|z| z.trace.as_deref()))
    }

    pub fn receipt_no(&self) -> Option<&str> {
        self.terminal.as_ref().and_then(|z| z.receipt_no.as_deref())
    }

    pub fn response_code(&self) -> Option<&str> {
        self.host.as_ref().and_then(|h| h.response_code.as_deref())
    }

    pub fn rrn(&self) -> Option<&str> {
        self.host.as_ref().and_then(|h| h.rrn.as_deref())
    }

    pub fn has_step(&self, kind: StepKind) -> bool {
        self.steps.iter().any(|s| s.kind == kind)
    }
}
