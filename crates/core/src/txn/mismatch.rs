//! Request against answer: a terminal that reports another currency or another amount than
//! the cash register asked for has charged something else. The transaction takes what the
//! terminal reported (that is what moved), and the contradiction is a finding of its own.

use std::time::SystemTime;

use crate::i18n::Text;
use crate::proto::zvt::values::currency_alpha;

use super::banner::amount_string;
use super::model::StepKind;
use super::tracker::TxnTracker;

/// "EUR", or the numeric code when posdiag does not know its letters.
fn currency_name(code: u16) -> String {
    currency_alpha(code).map_or_else(|| format!("{code:03}"), str::to_owned)
}

impl TxnTracker {
    /// The terminal reported `currency` / `amount` for transaction `id` (a Status-Information,
    /// or an Abort 6F naming its own currency): compared with the request, each difference is
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
        let Some(z) = t.zvt.as_ref() else { return };
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
            if let Some(z) = self.get_mut(id).and_then(|t| t.zvt.as_mut()) {
                z.mismatches.push(text.clone());
            }
            self.step(id, StepKind::Note, time, text, at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_script::Script;
    use crate::proto::zvt::message::{Abort, Authorisation, Completion, EcrMessage, PtMessage};

    fn ask(s: &mut Script, currency: Option<u16>) {
        s.ecr(EcrMessage::Authorisation(Authorisation {
            amount_minor: Some(1234),
            currency,
            ..Authorisation::default()
        }));
        s.pt(PtMessage::Ack);
    }

    #[test]
    fn another_currency_in_the_answer_is_a_finding_and_the_terminal_s_currency_stands() {
        let mut s = Script::new();
        ask(&mut s, Some(978));
        // The terminal reports 12.34 in CNY (156).
        s.status_info(0, "000001");
        s.pt(PtMessage::Completion(Completion {
            result_code: Some(0),
            ..Completion::default()
        }));
        let r = s.last();
        assert_eq!(r.verdict.as_deref(), Some("APPROVED"));
        assert_eq!(r.amount.as_deref(), Some("12.34 CNY"), "{r:#?}");
        assert_eq!(r.mismatches.len(), 1, "{:?}", r.mismatches);
        assert!(
            r.mismatches[0].en.contains("asked for EUR"),
            "{:?}",
            r.mismatches
        );
        assert!(
            r.banner.en.contains("approved 12.34 CNY"),
            "{}",
            r.banner.en
        );
        assert!(r.banner.en.contains("currency mismatch"), "{}", r.banner.en);
        assert!(r.banner.zh.contains("币种不符"), "{}", r.banner.zh);
        assert!(r
            .timeline
            .iter()
            .any(|e| e.text.en.contains("currency mismatch")));
    }

    #[test]
    fn the_same_currency_or_none_asked_is_no_finding() {
        for asked in [Some(156), None] {
            let mut s = Script::new();
            ask(&mut s, asked);
            s.status_info(0, "000001");
            s.pt(PtMessage::Completion(Completion::default()));
            let r = s.last();
            assert!(r.mismatches.is_empty(), "{asked:?}: {:?}", r.mismatches);
            assert_eq!(r.amount.as_deref(), Some("12.34 CNY"));
            assert!(!r.banner.en.contains("mismatch"));
        }
    }

    #[test]
    fn a_refusal_for_the_wrong_currency_names_the_terminal_s_own() {
        let mut s = Script::new();
        ask(&mut s, Some(978));
        s.pt(PtMessage::Abort(Abort {
            result_code: 0x6F,
            currency: Some(156),
            ..Abort::default()
        }));
        let r = s.last();
        assert_eq!(r.verdict.as_deref(), Some("DECLINED"));
        assert_eq!(r.zvt_result.as_deref(), Some("6F"));
        assert!(r.banner.en.contains("answered in CNY"), "{}", r.banner.en);
        // Nothing was charged: the amount stays the one asked for.
        assert_eq!(r.amount.as_deref(), Some("12.34 EUR"));
    }
}
