//! A transaction's outcome as the rest of posdiag reads it: the verdict word of the contract
//! (docs/cli-contract.md, `txn` JSON) and the evidence a transaction gives the guide.

use serde::{Deserialize, Serialize};

use crate::drivers::terminal::codes::TerminalCode;
use crate::i18n::Text;

/// The verdict of a transaction (docs/cli-contract.md, `txn` JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    Approved,
    Declined,
    ApprovedThenReversed,
    TimeoutReversalPending,
    Reversed,
    Unknown,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::Approved,
        Verdict::Declined,
        Verdict::ApprovedThenReversed,
        Verdict::TimeoutReversalPending,
        Verdict::Reversed,
        Verdict::Unknown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Approved => "APPROVED",
            Verdict::Declined => "DECLINED",
            Verdict::ApprovedThenReversed => "APPROVED_THEN_REVERSED",
            Verdict::TimeoutReversalPending => "TIMEOUT_REVERSAL_PENDING",
            Verdict::Reversed => "REVERSED",
            Verdict::Unknown => "UNKNOWN",
        }
    }

    pub fn from_code(code: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.code() == code.trim())
    }

    /// The verdict as one word for the head of a line: the contract code in English
    /// (APPROVED), a Chinese word in Chinese (成功).
    pub fn word(self) -> Text {
        let zh = match self {
            Verdict::Approved => "成功",
            Verdict::Declined => "被拒",
            Verdict::ApprovedThenReversed => "批准后冲正",
            Verdict::TimeoutReversalPending => "待冲正",
            Verdict::Reversed => "已冲正",
            Verdict::Unknown => "未知",
        };
        Text::fixed(zh, self.code())
    }

    pub fn label(self) -> Text {
        match self {
            Verdict::Approved => Text::fixed("交易成功", "approved"),
            Verdict::Declined => Text::fixed("交易被拒", "declined"),
            Verdict::ApprovedThenReversed => Text::fixed(
                "先批准后冲正（小票作废）",
                "approved, then reversed (the slip is void)",
            ),
            Verdict::TimeoutReversalPending => Text::fixed(
                "主机无应答，等待冲正——切勿重复收款",
                "no host answer, reversal pending — do NOT charge again",
            ),
            Verdict::Reversed => Text::fixed("已冲正", "reversed"),
            Verdict::Unknown => Text::fixed("结果未知", "outcome unknown"),
        }
    }
}

/// What the guide needs to know about one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TransactionEvidence {
    /// The transaction's id within its source: a later state of the same transaction (approved,
    /// then reversed) replaces the earlier one.
    #[serde(default)]
    pub id: Option<u64>,
    pub verdict: Option<Verdict>,
    /// ISO 8583 field 39 of the host's response.
    #[serde(default)]
    pub response_code: Option<String>,
    /// Field 39 of the reversal, if one was sent.
    #[serde(default)]
    pub reversal_reason: Option<String>,
    /// The terminal's result code (in its protocol), when the payment went through a terminal.
    #[serde(default)]
    pub terminal_result: Option<TerminalCode>,
    /// Cause ids the transaction analysis named.
    #[serde(default)]
    pub causes: Vec<String>,
}
