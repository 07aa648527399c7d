//! The terminal's Status-Information `04 0F` in a transaction: the result, trace and receipt
//! numbers, and the amount and currency the terminal reports (which stand over the request).

use std::time::SystemTime;

use crate::i18n::Text;
use crate::proto::zvt::message::StatusInformation;

use super::model::{StepKind, TxnKind};
use super::tracker::TxnTracker;

impl TxnTracker {
    pub(super) fn status_information(
        &mut self,
        id: u64,
        si: &StatusInformation,
        time: SystemTime,
        at: Option<usize>,
    ) {
        self.compare_with_request(id, si.currency, si.amount_minor, time, at);
        let Some(t) = self.get_mut(id) else { return };
        // What the terminal reports is what it charged: it wins over the request.
        let reports_money = matches!(t.kind, TxnKind::Payment | TxnKind::Void | TxnKind::EndOfDay);
        if si.amount_minor.is_some() && (reports_money || t.amount_minor.is_none()) {
            t.amount_minor = si.amount_minor;
        }
        if si.currency.is_some() {
            t.currency = si.currency;
        }
        if t.card.is_none() {
            t.card = si.pan_masked.clone();
        }
        if t.card_name.is_none() {
            t.card_name = si.card_name.clone();
        }
        let kind = t.kind;
        if let Some(z) = t.zvt.as_mut() {
            z.trace = si.trace.clone().or(z.trace.take());
            z.receipt_no = si.receipt_no.clone().or(z.receipt_no.take());
            z.original_trace = si.original_trace.clone().or(z.original_trace.take());
            z.tid = si.tid.clone().or(z.tid.take());
            z.result_as = si.result_code_as.or(z.result_as);
            if si.result_code.is_some() {
                z.result = si.result_code;
            }
            if let Some(b) = si.other_bmps.iter().find(|b| b.tag == 0x60) {
                z.totals = Some(hex::encode_upper(&b.value));
            }
        }
        let result = si.result_code.unwrap_or(0);
        let trace = si.trace.clone().unwrap_or_default();
        let text = match (kind, result) {
            (TxnKind::RepeatReceipt, r) => {
                let m = crate::proto::zvt::result_code(r).text;
                Text::new(
                    format!("上一笔交易（流水 {trace}）：{r:02X} {}", m.zh),
                    format!("last transaction (trace {trace}): {r:02X} {}", m.en),
                )
            }
            (TxnKind::EndOfDay, 0) => Text::fixed(
                "终端发来日结总额（04 0F）",
                "the terminal sent the day's totals (04 0F)",
            ),
            (_, 0) => crate::tr!(
                "终端报告成功（04 0F，流水 {trace}）",
                "the terminal reports success (04 0F, trace {trace})"
            ),
            (_, r) => {
                let m = crate::proto::zvt::result_code(r).text;
                Text::new(
                    format!("终端报告：{r:02X} {}（04 0F）", m.zh),
                    format!("the terminal reports {r:02X} {} (04 0F)", m.en),
                )
            }
        };
        self.card_read(id, time);
        let step = if result == 0 || kind == TxnKind::RepeatReceipt {
            StepKind::Note
        } else {
            StepKind::Declined
        };
        self.step(id, step, time, text, at);
        self.check_duplicate(id, time);
    }
}
