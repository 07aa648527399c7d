//! Request against answer: a terminal that reports another currency or another amount than
//! the cash register asked for has charged something else. The transaction takes what the
//! terminal reported (that is what moved), and the contradiction is a finding of its own.

use std::time::SystemTime;

use crate::drivers::terminal::amount::{amount_string, currency_name};
use crate::i18n::Text;

use super::model::StepKind;
use super::tracker::TxnTracker;

impl TxnTracker {
    /// The terminal reported `currency` / `amount` for transaction `id` (in its report, or
    /// in an abort naming its own currency): compared with the request, each difference is
    /// recorded once and shown on the timeline.
    pub(super) fn compare_with_request(
        &mut self,
        id: u64,
        currency: Option<u16>,
        amount: Option<u64>,
        time: SystemTime,
        at: Option<usize>,
    ) {
        let Some(t) = self.get(id) else { return };
        let Some(z) = t.terminal.as_ref() else { return };
        let mut found = Vec::new();
        if let (Some(asked), Some(got)) = (z.asked_currency, currency) {
            if asked != got {
                let (a, g) = (currency_name(asked), currency_name(got));
                found.push(Text::new(
                    format!("币种不符：收银机要求 {a}，终端按 {g} 应答"),
                    format!("currency mismatch: the cash register asked for {a}, the terminal answered in {g}"),
                ));
            }
        }
        if let (Some(asked), Some(got)) = (z.asked_amount, amount) {
            if asked != got {
                let a = amount_string(asked, z.asked_currency);
                let g = amount_string(got, currency.or(z.asked_currency));
                found.push(Text::new(
                    format!("金额不符：收银机要求 {a}，终端报告 {g}"),
                    format!("amount mismatch: the cash register asked for {a}, the terminal reported {g}"),
                ));
            }
        }
        let known = z.mismatches.clone();
        for text in found {
            if known.contains(&text) {
                continue;
            }
            if let Some(z) = self.get_mut(id).and_then(|t| t.terminal.as_mut()) {
                z.mismatches.push(text.clone());
            }
            self.step(id, StepKind::Note, time, text, at);
        }
    }
}
