//! The one-line answer to "did the payment really succeed?", in both languages, and what to
//! ask the acquirer when posdiag cannot tell.

use crate::drivers::terminal::codes::TerminalResult;
use crate::i18n::Text;

use super::model::{StepKind, Transaction, TxnKind};
use super::verdict::{class_advice, response_meaning, reversal_reason_text, TxnVerdict};

/// "12.34 CNY", when the amount is known ("12.34" while the currency is not).
pub fn amount_text(t: &Transaction) -> Option<String> {
    t.amount_minor.map(|a| amount_string(a, t.currency))
}

pub use crate::drivers::terminal::amount::amount_string;

fn with_amount(t: &Transaction, zh: &str, en: &str) -> Text {
    match amount_text(t) {
        Some(a) => Text::new(format!("{zh} {a}"), format!("{en} {a}")),
        None => Text::new(zh.to_owned(), en.to_owned()),
    }
}

/// The identifiers an acquirer needs to look a transaction up (docs/protocols/iso8583-cup.md §8.1
/// step 6).
pub fn ask_acquirer(t: &Transaction) -> Vec<Text> {
    let host = t.host.as_ref();
    let value = |v: Option<&str>| v.map_or_else(|| "?".to_owned(), str::to_owned);
    let mut out = vec![
        Text::new(
            format!("参考号 (37) {}", value(host.and_then(|h| h.rrn.as_deref()))),
            format!("RRN (37) {}", value(host.and_then(|h| h.rrn.as_deref()))),
        ),
        Text::new(
            format!(
                "授权码 (38) {}",
                value(host.and_then(|h| h.auth_code.as_deref()))
            ),
            format!(
                "auth code (38) {}",
                value(host.and_then(|h| h.auth_code.as_deref()))
            ),
        ),
        Text::new(
            format!("日期 (13) {}", value(host.and_then(|h| h.date.as_deref()))),
            format!("date (13) {}", value(host.and_then(|h| h.date.as_deref()))),
        ),
    ];
    let tid = host
        .and_then(|h| h.tid.as_deref())
        .or_else(|| t.terminal.as_ref().and_then(|z| z.tid.as_deref()));
    out.push(Text::new(
        format!("终端号 (41) {}", value(tid)),
        format!("TID (41) {}", value(tid)),
    ));
    out.push(Text::new(
        format!("流水号 (11) {}", value(t.trace())),
        format!("STAN (11) {}", value(t.trace())),
    ));
    out
}

/// The banner while the transaction runs: its last step.
fn in_progress(t: &Transaction) -> Text {
    let step = t
        .steps
        .last()
        .map_or(StepKind::Started.label(), |s| s.kind.label());
    Text::new(
        format!("进行中：{}", step.zh),
        format!("in progress: {}", step.en),
    )
}

fn approved(t: &Transaction) -> Text {
    let base = match t.kind {
        TxnKind::Payment | TxnKind::Other => with_amount(t, "交易成功", "approved"),
        TxnKind::Void => with_amount(t, "撤销成功", "void done"),
        TxnKind::EndOfDay => {
            let unbalanced = t.host.as_ref().and_then(|h| h.settlement_flag) == Some('2');
            if unbalanced {
                Text::fixed(
                    "日结完成，但与主机对账不平",
                    "end-of-day done, but the totals differ from the host's",
                )
            } else {
                with_amount(t, "日结完成", "end-of-day done")
            }
        }
        TxnKind::RepeatReceipt => Text::fixed("已重打上一笔小票", "last receipt repeated"),
        TxnKind::Abort => Text::fixed("终端已接受中止", "the terminal accepted the abort"),
    };
    match t.duplicate_of {
        Some(first) => Text::new(
            format!("{}——可能与第 {first} 笔重复，请先核对再收款", base.zh),
            format!(
                "{} — possibly a duplicate of #{first}: check before charging again",
                base.en
            ),
        ),
        None => base,
    }
}

fn declined(code: Option<&str>, terminal: Option<&TerminalResult>) -> Text {
    match (code, terminal) {
        (Some(code), _) => {
            let m = response_meaning(code);
            let advice = class_advice(code);
            Text::new(
                format!("交易被拒 {code} {} — {}", m.zh, advice.zh),
                format!("declined {code} {} — {}", m.en, advice.en),
            )
        }
        (None, Some(r)) => {
            let m = r.code.result_meaning();
            let c = &r.code.code;
            Text::new(
                format!("终端拒绝：结果码 {c} {}", m.zh),
                format!("refused by the terminal: result {c} {}", m.en),
            )
        }
        (None, None) => Text::fixed("交易被拒", "declined"),
    }
}

/// The one-line verdict banner; "in progress" while `verdict` is `None`. A terminal that
/// answered with another currency or amount than was asked says so after the verdict.
pub fn banner(t: &Transaction, verdict: Option<&TxnVerdict>) -> Text {
    let Some(verdict) = verdict else {
        return in_progress(t);
    };
    let base = verdict_banner(t, verdict);
    match t.terminal.as_ref().and_then(|z| z.mismatches.first()) {
        Some(m) => Text::new(
            format!("{}——{}", base.zh, m.zh),
            format!("{} — {}", base.en, m.en),
        ),
        None => base,
    }
}

fn verdict_banner(t: &Transaction, verdict: &TxnVerdict) -> Text {
    match verdict {
        TxnVerdict::Approved => approved(t),
        TxnVerdict::Declined { code, terminal } => declined(code.as_deref(), terminal.as_ref()),
        TxnVerdict::ApprovedThenReversed { reason, confirmed } => {
            let why = short_reason(reason);
            if *confirmed {
                Text::new(
                    format!("先批准后冲正：{}——小票作废，不要交货", why.zh),
                    format!(
                        "approved, then reversed: {} — the slip is void, do not hand over goods",
                        why.en
                    ),
                )
            } else {
                Text::new(
                    format!("批准后已发冲正（{}），主机尚未确认——小票作废", why.zh),
                    format!(
                        "approved, then reversal sent ({}), not yet confirmed — the slip is void",
                        why.en
                    ),
                )
            }
        }
        TxnVerdict::TimeoutReversalPending => Text::fixed(
            "主机无应答——等待冲正，切勿重复收款",
            "no host answer — reversal pending, do NOT charge again",
        ),
        TxnVerdict::Reversed { reason: Some(r) } if r == "98" => Text::fixed(
            "主机无应答，已冲正（98）：未扣款，可重新收款",
            "no host answer, reversed (98): no money moved, charge again",
        ),
        TxnVerdict::Reversed { reason: Some(r) } => {
            let why = reversal_reason_text(r);
            Text::new(
                format!("已冲正（{r} {}）：交易已撤回", why.zh),
                format!("reversed ({r} {}): the payment was undone", why.en),
            )
        }
        TxnVerdict::Reversed { reason: None } => Text::fixed(
            "已撤销：这笔交易已被取消",
            "voided: this payment was cancelled",
        ),
        TxnVerdict::Unknown => {
            let ask = ask_acquirer(t);
            let zh: Vec<&str> = ask.iter().map(|a| a.zh.as_ref()).collect();
            let en: Vec<&str> = ask.iter().map(|a| a.en.as_ref()).collect();
            Text::new(
                format!("结果未知——请向收单机构查询：{}", zh.join("、")),
                format!("outcome unknown — ask the acquirer: {}", en.join(", ")),
            )
        }
    }
}

/// Why a reversal followed an approval, in a few words for the banner.
fn short_reason(reason: &str) -> Text {
    match reason {
        "96" => Text::fixed("打印机故障", "printer failed"),
        "A0" => Text::fixed("MAC 校验失败", "MAC check failed"),
        "06" => Text::fixed("卡片在批准后拒绝", "card declined after approval"),
        "98" => Text::fixed("主机超时", "host timed out"),
        other => Text::new(format!("原因 {other}"), format!("reason {other}")),
    }
}
