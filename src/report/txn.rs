//! The report of one `posdiag txn` command: the transaction with its verdict and timeline, as
//! text or as the JSON contract (`transaction` with `verdict`, `response_code`,
//! `reversal_reason`, `causes`, `timeline[]`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use crate::i18n::{Lang, Text};
use crate::txn::TransactionRecord;

/// What one `posdiag txn` run produced.
#[derive(Debug, Clone)]
pub struct TxnReport {
    /// The command, e.g. "Payment (06 01)".
    pub command: Text,
    pub profile: String,
    pub target: String,
    pub transaction: Option<TransactionRecord>,
    /// Why the terminal did not see the command through, if it did not.
    pub error: Option<Text>,
    pub duration: Duration,
    pub capture: Option<PathBuf>,
}

fn field(out: &mut String, label: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        let _ = write!(out, "  {label} {v}");
    }
}

impl TxnReport {
    pub fn to_json(&self, lang: Lang) -> String {
        let value = json!({
            "command": self.command,
            "profile": self.profile,
            "target": self.target,
            "lang": lang.code(),
            "transaction": self.transaction,
            "error": self.error,
            "duration_ms": self.duration.as_millis() as u64,
            "capture": self.capture.as_ref().map(|p| p.display().to_string()),
        });
        let mut s = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_owned());
        s.push('\n');
        s
    }

    pub fn to_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} · {} · {}",
            self.command.get(lang),
            self.profile,
            self.target
        );
        if let Some(e) = &self.error {
            let label = Text::fixed("错误", "error");
            let _ = writeln!(out, "{}: {}", label.get(lang), e.get(lang));
        }
        match &self.transaction {
            Some(t) => self.transaction_text(&mut out, t, lang),
            None => {
                let none = Text::fixed("没有看到交易。", "No transaction was seen.");
                let _ = writeln!(out, "{}", none.get(lang));
            }
        }
        let took = Text::fixed("用时", "took");
        let _ = writeln!(
            out,
            "{} {}",
            took.get(lang),
            crate::durations::show(self.duration)
        );
        if let Some(p) = &self.capture {
            let saved = Text::fixed("抓包", "capture");
            let _ = writeln!(out, "{} {}", saved.get(lang), p.display());
        }
        out
    }

    fn transaction_text(&self, out: &mut String, t: &TransactionRecord, lang: Lang) {
        // The verdict code is the English contract word (scripts read it); Chinese readers get
        // the verdict's own label instead.
        let verdict = match (lang, t.verdict.as_deref()) {
            (Lang::Zh, Some(code)) => crate::guide::Verdict::from_code(code)
                .map(|v| v.word().zh.into_owned())
                .unwrap_or_else(|| code.to_owned()),
            (Lang::Zh, None) => "进行中".to_owned(),
            (Lang::En, code) => code.unwrap_or("IN PROGRESS").to_owned(),
        };
        let _ = writeln!(out, "{verdict}  {}", t.banner.get(lang));
        let mut ids = String::new();
        let label = |zh: &'static str, en: &'static str| Text::fixed(zh, en).get(lang).to_owned();
        field(&mut ids, &label("卡号", "card"), t.card.as_deref());
        field(&mut ids, &label("金额", "amount"), t.amount.as_deref());
        field(&mut ids, &label("终端号", "TID"), t.tid.as_deref());
        field(&mut ids, &label("流水号", "STAN"), t.stan.as_deref());
        field(&mut ids, &label("凭证号", "trace"), t.trace.as_deref());
        field(
            &mut ids,
            &label("小票号", "receipt"),
            t.receipt_no.as_deref(),
        );
        field(&mut ids, &label("参考号", "RRN"), t.rrn.as_deref());
        field(&mut ids, &label("授权码", "auth"), t.auth_code.as_deref());
        if !ids.is_empty() {
            let _ = writeln!(out, "{ids}");
        }
        if let Some(code) = &t.response_code {
            let meaning = t
                .response_meaning
                .as_ref()
                .map(|m| m.get(lang).to_owned())
                .unwrap_or_default();
            let class = t.response_class.as_deref().unwrap_or("-");
            let label = Text::fixed("应答码", "response");
            let cls = Text::fixed("类别", "class");
            let _ = writeln!(
                out,
                "  {} {code} {meaning} ({} {class})",
                label.get(lang),
                cls.get(lang)
            );
        }
        if let Some(reason) = &t.reversal_reason {
            let label = Text::fixed("冲正", "reversal");
            let result = t.reversal_result.as_deref().unwrap_or("…");
            let _ = writeln!(out, "  {} {reason} → {result}", label.get(lang));
        }
        if !t.causes.is_empty() {
            let label = Text::fixed("原因", "causes");
            let _ = writeln!(out, "  {}: {}", label.get(lang), t.causes.join(", "));
        }
        for ask in &t.ask_acquirer {
            let _ = writeln!(out, "  ? {}", ask.get(lang));
        }
        let label = Text::fixed("时间线", "timeline");
        let _ = writeln!(out, "{}", label.get(lang));
        for e in &t.timeline {
            let after = crate::durations::after(Duration::from_millis(e.after_ms));
            let _ = writeln!(out, "  {after:<11} {}", e.text.get(lang));
            for f in &e.frames {
                let side = match f.channel {
                    crate::event::Channel::Terminal => "ZVT ",
                    crate::event::Channel::Host => "8583",
                    crate::event::Channel::Printer => "POS ",
                };
                let _ = writeln!(
                    out,
                    "             {side} {} {}",
                    f.direction.arrow(),
                    f.summary_in(lang)
                );
            }
        }
    }
}
