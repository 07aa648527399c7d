//! Tests of the judgement rules issue 12 asked for: the symptom filters and orders the causes,
//! a declined echo is an answer, the specific cause of a code ranks first, an empty result
//! says what was ruled out, and a fix recorded as failed is not offered again.

use super::*;
use crate::checks::{Area, CheckResult, CheckStatus};
use crate::i18n::Text;

fn kb() -> &'static Kb {
    match builtin() {
        Ok(kb) => kb,
        Err(e) => panic!("{e}"),
    }
}

fn result(id: &str, area: Area, status: CheckStatus, causes: &[&str]) -> CheckResult {
    causes.iter().fold(
        CheckResult::new(id, area, status, Text::fixed("摘要", "summary")),
        |r, c| r.with_cause(crate::catalogue::CauseId::parse(c).expect("a cause of kb/")),
    )
}

#[test]
fn a_cause_that_does_not_explain_the_symptom_is_not_first() {
    let mut obs = Observations::new();
    obs.add_check(&result(
        "reader.card_read",
        Area::Reader,
        CheckStatus::Fail,
        &["reader.not_answering"],
    ));
    let symptom = kb().symptom("cannot_reach_host").expect("symptom");
    let r = rank(kb(), &obs, &Answers::new(), Some(symptom));
    let first = r.causes.first().expect("ranked");
    assert_ne!(first.cause.id, "reader.not_answering");
    assert!(!first.also_found);
    let reader = r.get("reader.not_answering").expect("still listed");
    assert_eq!(reader.state, CauseState::Confirmed);
    assert!(reader.also_found);
    assert!(
        reader
            .reasons
            .iter()
            .any(|x| x.text.en.contains("also found")),
        "{:?}",
        reader.reasons
    );
    // Without a symptom the evidence alone decides.
    let alone = rank(kb(), &obs, &Answers::new(), None);
    assert_eq!(alone.causes[0].cause.id, "reader.not_answering");
    assert!(!alone.causes[0].also_found);
}

#[test]
fn a_declined_echo_is_an_answer_not_a_timeout() {
    let mut obs = Observations::new();
    obs.add_check(&result(
        "host.echo",
        Area::Host,
        CheckStatus::Fail,
        &["host.decline", "host.terminal_not_registered"],
    ));
    let r = rank(kb(), &obs, &Answers::new(), None);
    assert_eq!(
        r.get("host.timeout").map(|c| c.state),
        Some(CauseState::RuledOut)
    );
    // The code's own cause before the generic "declined".
    assert_eq!(r.causes[0].cause.id, "host.terminal_not_registered");
    assert_eq!(r.causes[1].cause.id, "host.decline");
}

#[test]
fn an_echo_without_answer_still_confirms_the_timeout() {
    let mut obs = Observations::new();
    obs.add_check(&result(
        "host.echo",
        Area::Host,
        CheckStatus::Fail,
        &["host.timeout"],
    ));
    let r = rank(kb(), &obs, &Answers::new(), None);
    assert_eq!(r.causes[0].cause.id, "host.timeout");
    assert_eq!(r.causes[0].state, CauseState::Confirmed);
}

#[test]
fn a_later_state_of_the_same_transaction_replaces_the_earlier() {
    let mut obs = Observations::new();
    let pending = TransactionEvidence {
        id: Some(7),
        verdict: Some(Verdict::TimeoutReversalPending),
        causes: vec!["host.timeout".into()],
        ..Default::default()
    };
    let reversed = TransactionEvidence {
        id: Some(7),
        verdict: Some(Verdict::Reversed),
        reversal_reason: Some("98".into()),
        causes: vec!["host.timeout".into()],
        ..Default::default()
    };
    obs.add_transaction(pending);
    obs.add_transaction(reversed.clone());
    assert_eq!(obs.transactions, vec![reversed]);
}

#[test]
fn an_empty_result_after_evidence_says_what_was_ruled_out() {
    let mut obs = Observations::new();
    for (id, area) in [
        ("printer.status", Area::Printer),
        ("printer.link", Area::Printer),
    ] {
        obs.add_check(&result(id, area, CheckStatus::Pass, &[]));
    }
    let symptom = kb().symptom("cannot_print").expect("symptom");
    let r = rank(kb(), &obs, &Answers::new(), Some(symptom));
    let ruled_out: Vec<&str> = r
        .with_state(CauseState::RuledOut)
        .map(|c| c.cause.id.as_str())
        .collect();
    if ruled_out.is_empty() {
        assert!(r.ruled_out_text().is_none());
    } else {
        let text = r.ruled_out_text().expect("says what");
        for id in ruled_out {
            assert!(text.en.contains(id) && text.zh.contains(id), "{text:?}");
        }
    }
}

#[test]
fn a_fix_notice_reads_back_as_the_attempt() {
    for (outcome, expected) in [
        (FixOutcome::Fixed, Some(true)),
        (FixOutcome::NotFixed, Some(false)),
        (FixOutcome::Inconclusive, None),
    ] {
        let attempt = Attempt {
            cause: "host.decline".into(),
            outcome,
            reasons: vec![Text::fixed("检查 host.echo：失败", "check host.echo: FAIL")],
        };
        let read = attempt_in_notice(&attempt.notice(kb()));
        assert_eq!(read, expected.map(|w| ("host.decline".to_owned(), w)));
    }
    assert_eq!(
        attempt_in_notice(&Text::fixed("打印机已连接", "printer connected")),
        None
    );
}

#[test]
fn a_fix_recorded_as_failed_is_not_offered_again() {
    let mut obs = Observations::new();
    obs.add_check(&result(
        "printer.status",
        Area::Printer,
        CheckStatus::Fail,
        &["printer.paper_out"],
    ));
    let walk = Walkthrough::new(Some("cannot_print"));
    assert!(
        matches!(walk.step(kb(), &obs), Step::Fix { cause } if cause.id == "printer.paper_out")
    );
    obs.add_fix_attempt("printer.paper_out", false);
    let step = walk.step(kb(), &obs);
    assert!(
        !matches!(step, Step::Fix { cause } if cause.id == "printer.paper_out"),
        "{step:?}"
    );
    // Fixed later (e.g. after a second try): offered again as usual.
    obs.add_fix_attempt("printer.paper_out", true);
    assert!(
        matches!(walk.step(kb(), &obs), Step::Fix { cause } if cause.id == "printer.paper_out")
    );
}
