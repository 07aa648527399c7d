//! Unit tests of the ranking and the walkthrough on the built-in knowledge base.

use super::*;
use crate::checks::{Area, CheckResult, CheckStatus};
use crate::i18n::Text;

fn kb() -> &'static Kb {
    match builtin() {
        Ok(kb) => kb,
        Err(e) => panic!("{e}"),
    }
}

fn check(id: &str, status: CheckStatus, cause: Option<&str>) -> CheckResult {
    let area = id
        .split('.')
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(Area::Terminal);
    let r = CheckResult::new(id, area, status, Text::fixed("摘要", "summary"));
    match cause {
        Some(c) => r.with_cause(crate::catalogue::CauseId::parse(c).expect("a cause of kb/")),
        None => r,
    }
}

fn ranked_ids(r: &Ranking<'_>) -> Vec<(String, CauseState)> {
    r.causes
        .iter()
        .map(|c| (c.cause.id.clone(), c.state))
        .collect()
}

#[test]
fn the_builtin_knowledge_base_loads() {
    assert!(kb().causes.len() > 80);
    assert!(kb().symptoms.len() >= 7);
}

#[test]
fn a_failing_check_confirms_and_a_passing_one_rules_out() {
    let mut obs = Observations::new();
    obs.add_check(&check(
        "power.supply",
        CheckStatus::Fail,
        Some("power.low_voltage"),
    ));
    obs.add_check(&check("reader.status", CheckStatus::Pass, None));
    let r = rank(kb(), &obs, &Answers::new(), None);
    let first = r.best().expect("a cause");
    assert_eq!(first.cause.id, "power.low_voltage");
    assert_eq!(first.state, CauseState::Confirmed);
    assert!(
        first.reasons[0].text.en.contains("power.supply"),
        "{:?}",
        first.reasons
    );
    assert!(!first.reasons[0].text.zh.is_empty());
    assert_eq!(
        r.get("reader.not_answering").map(|c| c.state),
        Some(CauseState::RuledOut)
    );
    // Without a symptom, causes without evidence are not listed.
    assert!(r.get("card.expired").is_none());
}

#[test]
fn a_warning_makes_a_cause_likely() {
    let mut obs = Observations::new();
    obs.add_check(&check(
        "printer.status",
        CheckStatus::Warn,
        Some("printer.paper_near_end"),
    ));
    let r = rank(kb(), &obs, &Answers::new(), None);
    let first = r.best().expect("a cause");
    assert_eq!(
        (first.cause.id.as_str(), first.state),
        ("printer.paper_near_end", CauseState::Likely)
    );
}

#[test]
fn direct_evidence_beats_a_passing_indirect_check() {
    // The status probe says the reader is fine, but a real read ended with E2.
    let mut obs = Observations::new();
    obs.add_check(&check("reader.status", CheckStatus::Pass, None));
    obs.add_check(&check(
        "reader.card_read",
        CheckStatus::Fail,
        Some("reader.not_answering"),
    ));
    let r = rank(kb(), &obs, &Answers::new(), None);
    let c = r.get("reader.not_answering").expect("ranked");
    assert_eq!(c.state, CauseState::Confirmed);
    assert!(c.reasons.iter().any(|x| x.bearing == Bearing::RulesOut));
}

#[test]
fn a_consequence_ranks_after_its_cause() {
    let mut obs = Observations::new();
    obs.add_check(&check(
        "terminal.status",
        CheckStatus::Fail,
        Some("terminal.printer_not_ready"),
    ));
    obs.add_check(&check(
        "printer.status",
        CheckStatus::Fail,
        Some("printer.paper_out"),
    ));
    let r = rank(kb(), &obs, &Answers::new(), None);
    let ids = ranked_ids(&r);
    let pos = |id: &str| ids.iter().position(|(c, _)| c == id).expect(id);
    assert!(
        pos("printer.paper_out") < pos("terminal.printer_not_ready"),
        "{ids:?}"
    );
    let consequence = r.get("terminal.printer_not_ready").expect("ranked");
    assert!(consequence.consequence);
    assert_eq!(consequence.state, CauseState::Confirmed);
}

#[test]
fn verdicts_rank_the_doubtful_outcomes() {
    let mut obs = Observations::new();
    obs.add_transaction(TransactionEvidence {
        verdict: Some(Verdict::ApprovedThenReversed),
        response_code: Some("00".into()),
        reversal_reason: Some("96".into()),
        ..Default::default()
    });
    let r = rank(kb(), &obs, &Answers::new(), None);
    assert_eq!(
        r.best().map(|c| c.cause.id.as_str()),
        Some("txn.receipt_print_fail")
    );
    let generic = r.get("receipt.approved_then_reversed").expect("ranked");
    assert!(generic.consequence, "the generic entry explains less");

    let mut obs = Observations::new();
    obs.add_transaction(TransactionEvidence {
        verdict: Some(Verdict::TimeoutReversalPending),
        ..Default::default()
    });
    let r = rank(kb(), &obs, &Answers::new(), None);
    assert_eq!(r.best().map(|c| c.cause.id.as_str()), Some("host.timeout"));
    assert_eq!(
        r.get("funds.response_lost").map(|c| c.state),
        Some(CauseState::Likely)
    );
    assert_eq!(
        r.get("duplicate.retry_after_timeout").map(|c| c.state),
        Some(CauseState::Likely)
    );
}

#[test]
fn a_decline_names_the_generic_and_the_specific_cause() {
    let mut obs = Observations::new();
    obs.add_transaction(TransactionEvidence {
        verdict: Some(Verdict::Declined),
        response_code: Some("51".into()),
        causes: vec!["host.decline".into()],
        ..Default::default()
    });
    let r = rank(kb(), &obs, &Answers::new(), None);
    let ids = ranked_ids(&r);
    // The specific cause first: it says what to do; the generic "declined" after it.
    assert_eq!(
        ids[0],
        ("card.insufficient_funds".to_owned(), CauseState::Confirmed)
    );
    assert!(ids.contains(&("host.decline".to_owned(), CauseState::Confirmed)));
    let reason = &r.get("card.insufficient_funds").expect("ranked").reasons[0].text;
    assert!(reason.zh.contains("余额不足"), "{}", reason.zh);
}

#[test]
fn a_symptom_lists_its_candidates_in_order() {
    let symptom = kb().symptom("打印不出").expect("alias");
    assert_eq!(symptom.id, "cannot_print");
    let r = rank(kb(), &Observations::new(), &Answers::new(), Some(symptom));
    let ids: Vec<&str> = r.causes.iter().map(|c| c.cause.id.as_str()).collect();
    let expected: Vec<&str> = symptom.candidates.iter().map(String::as_str).collect();
    assert_eq!(ids, expected);
    assert!(r.causes.iter().all(|c| c.state == CauseState::Unknown));
}

#[test]
fn answers_confirm_and_rule_out() {
    let symptom = kb().symptom("no_power");
    let mut answers = Answers::new();
    answers.insert("adapter_led".into(), "no".into());
    let r = rank(kb(), &Observations::new(), &answers, symptom);
    assert_eq!(
        r.best().map(|c| c.cause.id.as_str()),
        Some("power.no_power")
    );
    answers.insert("adapter_led".into(), "yes".into());
    let r = rank(kb(), &Observations::new(), &answers, symptom);
    assert_eq!(
        r.get("power.no_power").map(|c| c.state),
        Some(CauseState::RuledOut)
    );
}

#[test]
fn codes_from_frames_confirm_causes() {
    let mut obs = Observations::new();
    obs.terminal_status = Some(crate::drivers::terminal::codes::TerminalCode::new(
        crate::drivers::terminal::protocol::TerminalProtocol::Zvt,
        "51",
    ));
    let r = rank(kb(), &obs, &Answers::new(), None);
    let first = r.best().expect("cause");
    assert_eq!(first.cause.id, "terminal.needs_init");
    assert!(
        first.reasons[0].text.en.contains("terminal status 51"),
        "{:?}",
        first.reasons
    );
}

#[test]
fn every_verdict_has_a_cause_that_explains_it() {
    for v in Verdict::ALL {
        let mut obs = Observations::new();
        obs.add_transaction(TransactionEvidence {
            verdict: Some(v),
            ..Default::default()
        });
        let r = rank(kb(), &obs, &Answers::new(), None);
        if v == Verdict::Approved {
            assert!(r.best().is_some(), "{v:?}");
            continue;
        }
        let best = r.best().unwrap_or_else(|| panic!("no cause for {v:?}"));
        assert!(
            matches!(best.state, CauseState::Confirmed | CauseState::Likely),
            "{v:?}"
        );
    }
}

#[test]
fn the_walkthrough_asks_then_fixes_then_verifies() {
    let obs = Observations::new();
    let mut w = Walkthrough::new(Some("no_power"));
    let Step::Ask { question, about } = w.step(kb(), &obs) else {
        panic!("expected a question first");
    };
    assert_eq!(question.id, "adapter_led");
    assert_eq!(about.id, "power.no_power");
    w.answer("adapter_led", "no");
    let Step::Fix { cause } = w.step(kb(), &obs) else {
        panic!("expected the fix of the confirmed cause");
    };
    assert_eq!(cause.id, "power.no_power");
    // "Fixed?": the proving checks pass.
    let results = [
        check("link.terminal", CheckStatus::Pass, None),
        check("power.supply", CheckStatus::Pass, None),
    ];
    let v = verify(cause, &results);
    assert_eq!(v.outcome, FixOutcome::Fixed);
    w.record(Attempt {
        cause: cause.id.clone(),
        outcome: v.outcome,
        reasons: v.reasons,
    });
    assert!(matches!(w.step(kb(), &obs), Step::Done { cause } if cause.id == "power.no_power"));
    let notice = w.attempts()[0].notice(kb());
    assert!(
        notice.zh.contains("已修复") && notice.en.contains("fixed"),
        "{notice:?}"
    );
    // Undo takes the attempt back, then the answer.
    assert!(w.undo());
    assert!(matches!(w.step(kb(), &obs), Step::Fix { .. }));
    assert!(w.undo());
    assert!(matches!(w.step(kb(), &obs), Step::Ask { .. }));
    assert!(!w.undo());
}

#[test]
fn verification_tells_fixed_from_not_fixed_and_inconclusive() {
    let cause = kb().cause("power.low_voltage").expect("entry");
    let fail = [check(
        "power.supply",
        CheckStatus::Fail,
        Some("power.low_voltage"),
    )];
    assert_eq!(verify(cause, &fail).outcome, FixOutcome::NotFixed);
    let skipped = [check("power.supply", CheckStatus::Error, None)];
    assert_eq!(verify(cause, &skipped).outcome, FixOutcome::Inconclusive);
    assert_eq!(verify(cause, &[]).outcome, FixOutcome::Inconclusive);
    let manual = kb().cause("card.expired").expect("entry");
    assert!(verify(manual, &[]).ask_user);
}

#[test]
fn every_walkthrough_ends() {
    // Answer every question with its first answer and fail every fix: each symptom must reach
    // Escalate in a bounded number of steps.
    let obs = Observations::new();
    for s in &kb().symptoms {
        let mut w = Walkthrough::new(Some(&s.id));
        let mut steps = 0;
        loop {
            steps += 1;
            assert!(steps < 500, "walkthrough of {} does not end", s.id);
            match w.step(kb(), &obs) {
                Step::Ask { question, .. } => {
                    let first = question.answers[0].id.clone();
                    w.answer(&question.id, &first);
                }
                Step::Fix { cause } => w.record(Attempt {
                    cause: cause.id.clone(),
                    outcome: FixOutcome::NotFixed,
                    reasons: Vec::new(),
                }),
                Step::Escalate { .. } => break,
                Step::Done { .. } => panic!("nothing was fixed"),
            }
        }
    }
}

#[test]
fn a_focused_walkthrough_starts_at_its_cause() {
    let w = Walkthrough::focused("clock.wrong");
    assert!(
        matches!(w.step(kb(), &Observations::new()), Step::Fix { cause } if cause.id == "clock.wrong")
    );
}

#[test]
fn every_nexo_error_condition_has_a_fix_and_known_causes() {
    let kb = kb();
    for name in [
        "Aborted",
        "Busy",
        "Cancel",
        "DeviceOut",
        "InProgress",
        "InsertedCard",
        "InvalidCard",
        "LoggedOut",
        "MessageFormat",
        "NotAllowed",
        "NotFound",
        "PaymentRestriction",
        "Refusal",
        "UnavailableDevice",
        "UnavailableService",
        "UnreachableHost",
        "WrongPIN",
    ] {
        let c = kb
            .nexo_condition(name)
            .unwrap_or_else(|| panic!("{name} missing from kb/nexo.toml"));
        assert!(!c.fix.is_empty() && !c.meaning.is_incomplete(), "{name}");
        assert!(c.causes.iter().all(|id| kb.cause(id).is_some()), "{name}");
    }
    assert_eq!(kb.nexo_condition("Busy").unwrap().causes, ["terminal.busy"]);
    assert_eq!(
        kb.nexo_condition("LoggedOut").unwrap().causes,
        ["terminal.ecr_not_registered"]
    );
    assert!(kb.cause("keys.shared_key_mismatch").is_some());
}
