//! The verdict of a transaction (docs/protocols/iso8583-cup.md §8.1 decision rule, §8.2 state
//! machine) and the knowledge-base causes it names.
//!
//! The host leg decides when it was seen; a terminal-only transaction (a real terminal whose
//! host traffic posdiag cannot see) is judged from the terminal's result code, which may carry
//! the host's response code passed through (the driver says which, e.g. ZVT 0x01–0x63).

use super::outcome::Verdict;
use crate::catalogue::CauseId;
use crate::cause;
use crate::drivers::terminal::codes::{TerminalCode, TerminalResult};
use crate::i18n::Text;
use crate::proto::iso8583::codes::{is_success, lookup as iso39};
use crate::proto::iso8583::PosClass;

use super::model::Transaction;

/// A verdict with the data it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxnVerdict {
    Approved,
    /// `code` is field 39 (or a host code passed through by the terminal); `terminal` the
    /// terminal's result when the decline came from there.
    Declined {
        code: Option<String>,
        terminal: Option<TerminalResult>,
    },
    /// `confirmed` is false while the reversal's 0410 has not come back.
    ApprovedThenReversed {
        reason: String,
        confirmed: bool,
    },
    TimeoutReversalPending,
    /// Reversed without an approval (timeout reversal done), or voided afterwards.
    Reversed {
        reason: Option<String>,
    },
    Unknown,
}

impl TxnVerdict {
    /// The word of the docs/cli-contract.md.
    pub fn kind(&self) -> Verdict {
        match self {
            TxnVerdict::Approved => Verdict::Approved,
            TxnVerdict::Declined { .. } => Verdict::Declined,
            TxnVerdict::ApprovedThenReversed { .. } => Verdict::ApprovedThenReversed,
            TxnVerdict::TimeoutReversalPending => Verdict::TimeoutReversalPending,
            TxnVerdict::Reversed { .. } => Verdict::Reversed,
            TxnVerdict::Unknown => Verdict::Unknown,
        }
    }

    pub fn code(&self) -> &'static str {
        self.kind().code()
    }
}

/// The verdict so far; `None` while the transaction is still running.
pub fn judge(t: &Transaction) -> Option<TxnVerdict> {
    // Without a host line the terminal's own word that it authorised counts.
    let approved = t.response_code().map(is_success).or_else(|| {
        t.terminal
            .as_ref()
            .filter(|z| z.authorized && t.host.is_none())
            .map(|_| true)
    });
    let late = t.host.as_ref().is_some_and(|h| h.late);
    if let Some(rev) = &t.reversal {
        let reason = rev.reason.clone().unwrap_or_else(|| "06".to_owned());
        let after_approval = approved == Some(true) && !late && reason != "98";
        if rev.done() {
            return Some(if after_approval {
                TxnVerdict::ApprovedThenReversed {
                    reason,
                    confirmed: true,
                }
            } else {
                TxnVerdict::Reversed {
                    reason: Some(reason),
                }
            });
        }
        if rev.response_code.is_some() && t.closed_unresolved {
            // The host refused the reversal and nothing came after: 冲正失败, reconciliation.
            return Some(TxnVerdict::Unknown);
        }
        return Some(if after_approval {
            TxnVerdict::ApprovedThenReversed {
                reason,
                confirmed: false,
            }
        } else {
            TxnVerdict::TimeoutReversalPending
        });
    }
    if t.voided_by.is_some() && approved != Some(false) {
        return Some(TxnVerdict::Reversed { reason: None });
    }
    let terminal = t.terminal.as_ref();
    let terminal_gave_up = terminal.is_some_and(|z| z.ended && (z.aborted || z.refused));
    if let Some(host) = &t.host {
        return match host.response_code.as_deref() {
            Some(code) if is_success(code) => {
                if terminal_gave_up {
                    // Approved at the host, the terminal gave up, no reversal seen (yet).
                    t.closed_unresolved.then_some(TxnVerdict::Unknown)
                } else if terminal.is_some_and(|z| !z.ended) && !t.closed_unresolved {
                    None
                } else {
                    Some(TxnVerdict::Approved)
                }
            }
            Some(code) => Some(TxnVerdict::Declined {
                code: Some(code.to_owned()),
                terminal: terminal.and_then(|z| z.failure()).cloned(),
            }),
            None => {
                let reverses = t.kind.is_financial();
                if reverses && (t.timed_out || terminal_gave_up) {
                    Some(TxnVerdict::TimeoutReversalPending)
                } else if t.closed_unresolved || t.timed_out || terminal_gave_up {
                    Some(TxnVerdict::Unknown)
                } else {
                    None
                }
            }
        };
    }
    match terminal {
        Some(z) if z.ended => match z.result.as_ref() {
            Some(r) if !r.success => Some(TxnVerdict::Declined {
                code: r.host_code.clone(),
                terminal: Some(r.clone()),
            }),
            // Aborted or refused with a result that reads as success: still no payment.
            _ if z.aborted || z.refused => Some(TxnVerdict::Declined {
                code: None,
                terminal: z.result.clone(),
            }),
            _ => Some(TxnVerdict::Approved),
        },
        _ => t.closed_unresolved.then_some(TxnVerdict::Unknown),
    }
}

/// Knowledge-base causes whose `confirm` names field 39 `code` (e.g. 51 → card.insufficient_funds).
fn kb_causes_for_code(code: &str) -> Vec<CauseId> {
    crate::catalogue::causes::for_iso39(code)
}

/// Knowledge-base causes whose `confirm` names the terminal's result `result`.
fn kb_causes_for_terminal(result: &TerminalCode) -> Vec<CauseId> {
    result.confirmed_causes()
}

/// The cause a reversal reason points to.
fn reversal_cause(reason: &str) -> Option<CauseId> {
    match reason {
        "96" => Some(cause!("txn.receipt_print_fail")),
        "A0" => Some(cause!("host.mac_error")),
        "98" => Some(cause!("host.timeout")),
        _ => None,
    }
}

/// The cause ids a verdict names, most specific last (`host.decline` first for a decline).
pub fn causes(t: &Transaction, verdict: &TxnVerdict) -> Vec<String> {
    let mut out: Vec<CauseId> = Vec::new();
    match verdict {
        TxnVerdict::Approved | TxnVerdict::Unknown => {}
        TxnVerdict::Declined {
            code: Some(code), ..
        } if code == "94" => {
            out.push(cause!("host.duplicate"));
        }
        TxnVerdict::Declined {
            code: Some(code),
            terminal,
        } => {
            out.push(cause!("host.decline"));
            out.extend(kb_causes_for_code(code));
            if let Some(r) = terminal.as_ref().filter(|r| r.host_code.is_none()) {
                out.extend(kb_causes_for_terminal(&r.code));
            }
        }
        TxnVerdict::Declined {
            code: None,
            terminal: Some(r),
        } => out.extend(kb_causes_for_terminal(&r.code)),
        TxnVerdict::Declined { .. } => {}
        TxnVerdict::ApprovedThenReversed { reason, .. } => {
            out.extend(reversal_cause(reason));
        }
        TxnVerdict::TimeoutReversalPending => out.push(cause!("host.timeout")),
        TxnVerdict::Reversed { reason } => {
            out.extend(reason.as_deref().and_then(reversal_cause));
        }
    }
    // A repeat that may have moved money again (a declined repeat did not).
    let money_may_have_moved = matches!(
        verdict,
        TxnVerdict::Approved | TxnVerdict::TimeoutReversalPending | TxnVerdict::Unknown
    );
    if t.duplicate_of.is_some() && money_may_have_moved && !out.contains(&cause!("host.duplicate"))
    {
        out.push(cause!("host.duplicate"));
    }
    if t.host.as_ref().is_some_and(|h| h.wants_sign_on) {
        out.push(cause!("host.resign_on"));
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|c| seen.insert(*c));
    out.into_iter().map(String::from).collect()
}

/// Meaning of a response code as a terminal shows it (the POS table's text where it has one).
pub fn response_meaning(code: &str) -> Text {
    let r = iso39(code);
    r.pos_meaning.unwrap_or(r.meaning)
}

/// The operator class of a response code (A–E).
pub fn response_class(code: &str) -> Option<PosClass> {
    iso39(code).class
}

/// What a decline means for the next step, by class.
pub fn class_advice(code: &str) -> Text {
    if code == "94" {
        return Text::fixed(
            "第一笔可能已成功：先查询再决定是否重新收款",
            "the first payment may have succeeded: check before charging again",
        );
    }
    match response_class(code) {
        Some(PosClass::A) => Text::fixed("交易成功", "approved"),
        Some(PosClass::B) => Text::fixed(
            "可重试（常需先签到）",
            "may be retried, often after a sign-on",
        ),
        Some(PosClass::C) => Text::fixed("请勿用同一张卡重试", "do not retry with the same card"),
        Some(PosClass::D) => Text::fixed(
            "按操作员流程处理（没收卡、重新签到）",
            "operator action: follow the procedure (retain card, sign on)",
        ),
        Some(PosClass::E) => Text::fixed(
            "系统故障：重试前先确认交易结果",
            "system fault: find out the outcome before any retry",
        ),
        None => Text::fixed("按应答码处理", "act on the response code"),
    }
}

/// "98 no host answer" — why a reversal was sent.
pub fn reversal_reason_text(reason: &str) -> Text {
    match reason {
        "98" => Text::fixed("主机无应答", "no host answer in time"),
        "96" => Text::fixed("终端故障（打印机失败）", "terminal fault (printer failed)"),
        "A0" => Text::fixed("应答 MAC 校验失败", "the response's MAC did not verify"),
        "06" => Text::fixed(
            "批准后卡片拒绝或其他原因",
            "card declined after approval, or another fault",
        ),
        _ => Text::fixed("其他原因", "another reason"),
    }
}
