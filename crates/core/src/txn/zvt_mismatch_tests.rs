//! The tracker's request-against-answer findings (`txn/mismatch.rs`) from ZVT frames: another
//! currency or amount in the terminal's answer.
use super::zvt_script::Script;
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
