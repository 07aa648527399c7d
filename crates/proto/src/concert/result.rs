//! The one-character result of a Concert answer and what it means for the cash register and
//! for a technician (zh + en).

use serde::Serialize;

use crate::i18n::Text;
use crate::tr;

/// What a result means for the sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The payment went through: the sale is paid.
    Approved,
    /// The terminal or the bank refused it: not paid.
    Rejected,
    /// The terminal could not carry it out or verify it (no authorisation, card unreadable,
    /// function not possible): not paid, and the reason is on the terminal's screen/slip.
    NotVerified,
    /// A result this version of posdiag does not know: treat the sale as not paid and look
    /// at the terminal's journal.
    Unknown,
}

/// The result character of an answer (`0`, `7`, `9`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResultCode(pub u8);

impl ResultCode {
    pub const APPROVED: ResultCode = ResultCode(b'0');
    pub const REJECTED: ResultCode = ResultCode(b'7');
    pub const NOT_VERIFIED: ResultCode = ResultCode(b'9');

    pub fn as_char(self) -> char {
        char::from(self.0)
    }

    pub fn outcome(self) -> Outcome {
        match self.0 {
            b'0' => Outcome::Approved,
            b'7' => Outcome::Rejected,
            b'9' => Outcome::NotVerified,
            _ => Outcome::Unknown,
        }
    }

    /// The knowledge-base cause a result names by itself: `7` is the host's or terminal's
    /// refusal (`host.decline`); `9` and unknown results are `terminal.not_verified` (a
    /// catch-all: the fault behind it, e.g. `host.timeout`, ranks first when it is known).
    pub fn cause_id(self) -> Option<&'static str> {
        match self.outcome() {
            Outcome::Approved => None,
            Outcome::Rejected => Some("host.decline"),
            Outcome::NotVerified | Outcome::Unknown => Some("terminal.not_verified"),
        }
    }

    pub fn meaning(self) -> Text {
        match self.outcome() {
            Outcome::Approved => Text::fixed("交易成功（已付款）", "approved (paid)"),
            Outcome::Rejected => Text::fixed(
                "交易被拒绝（终端或银行拒绝，未付款）",
                "rejected by the terminal or the bank (not paid)",
            ),
            Outcome::NotVerified => Text::fixed(
                "交易未完成/未验证（未获授权、读卡失败或终端无法执行，未付款）",
                "not verified: the terminal could not carry it out (no authorisation, card not read, function not possible); not paid",
            ),
            Outcome::Unknown => {
                let c = self.as_char().escape_default().to_string();
                tr!(
                    "未知结果 '{c}'：按未付款处理，查看终端流水",
                    "unknown result '{c}': treat as not paid and check the terminal's journal"
                )
            }
        }
    }
}

impl Outcome {
    pub fn is_paid(self) -> bool {
        self == Outcome::Approved
    }
}
