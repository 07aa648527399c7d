//! What the terminal reported about a transaction (ZVT Status-Information `04 0F`): the
//! result, trace and receipt numbers, and the amount and currency the terminal reports
//! (which stand over the request).

use std::time::SystemTime;

use crate::drivers::terminal::observe::TerminalReport;
use crate::i18n::Text;

use super::model::{StepKind, TxnKind};
use super::tracker::TxnTracker;

impl TxnTracker {
    pub(super) fn terminal_report(
        &mut self,
        id: u64,
        report: &TerminalReport,
        time: SystemTime,
        at: Option<usize>,
    ) {
        self.compare_with_request(id, report.currency, report.amount_minor, time, at);
        let Some(t) = self.get_mut(id) else { return };
        // What the terminal reports is what it charged: it wins over the request.
        let reports_money = matches!(t.kind, TxnKind::Payment | TxnKind::Void | TxnKind::EndOfDay);
        if report.amount_minor.is_some() && (reports_money || t.amount_minor.is_none()) {
            t.amount_minor = report.amount_minor;
        }
        if report.currency.is_some() {
            t.currency = report.currency;
        }
        if t.card.is_none() {
            t.card = report.card.clone();
        }
        if t.card_name.is_none() {
            t.card_name = report.card_name.clone();
        }
        let kind = t.kind;
        if let Some(z) = t.terminal.as_mut() {
            z.trace = report.trace.clone().or(z.trace.take());
            z.receipt_no = report.receipt_no.clone().or(z.receipt_no.take());
            z.original_trace = report.original_trace.clone().or(z.original_trace.take());
            z.tid = report.tid.clone().or(z.tid.take());
            if report.result.is_some() {
                z.result = report.result.clone();
            }
            if report.totals.is_some() {
                z.totals = report.totals.clone();
            }
        }
        let failed = report.result.as_ref().is_some_and(|r| !r.success);
        let trace = report.trace.clone().unwrap_or_default();
        let wire = report.wire;
        let shown = report
            .shown
            .as_ref()
            .map(|r| (r.code.code.as_str(), r.code.result_meaning()));
        let text = match (kind, failed, shown) {
            (TxnKind::RepeatReceipt, _, Some((code, m))) => Text::new(
                format!("上一笔交易（流水 {trace}）：{code} {}", m.zh),
                format!("last transaction (trace {trace}): {code} {}", m.en),
            ),
            (TxnKind::EndOfDay, false, _) => crate::tr!(
                "终端发来日结总额（{wire}）",
                "the terminal sent the day's totals ({wire})"
            ),
            (_, true, Some((code, m))) => Text::new(
                format!("终端报告：{code} {}（{wire}）", m.zh),
                format!("the terminal reports {code} {} ({wire})", m.en),
            ),
            // Concert's answer carries no trace number.
            _ if trace.is_empty() => crate::tr!(
                "终端报告成功（{wire}）",
                "the terminal reports success ({wire})"
            ),
            _ => crate::tr!(
                "终端报告成功（{wire}，流水 {trace}）",
                "the terminal reports success ({wire}, trace {trace})"
            ),
        };
        // A card was read when the report shows one, or the terminal got as far as an
        // approval or a host's answer; a refusal before that (reader down, terminal busy)
        // read none.
        let card_seen = report.card.is_some()
            || report
                .result
                .as_ref()
                .is_some_and(|r| r.success || r.host_code.is_some());
        if card_seen {
            self.card_read(id, time);
        }
        let step = if !failed || kind == TxnKind::RepeatReceipt {
            StepKind::Note
        } else {
            StepKind::Declined
        };
        self.step(id, step, time, text, at);
        self.check_duplicate(id, time);
    }
}
