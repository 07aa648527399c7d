//! The Guide tab's model: a walkthrough from symptom to a proved fix, the technician's word
//! on a fix no check proves, and a failing proof.

use super::guide::*;
use crate::checks::CheckResult;
use crate::checks::{Area, CheckStatus};
use crate::event::Event;
use crate::guide::{FixOutcome, Kb, Observations};
use crate::i18n::Text;
use crate::tui::model::UiRequest;
use std::time::Duration;

fn kb() -> &'static Kb {
    crate::guide::builtin().expect("built-in knowledge base")
}

fn pass(id: &str) -> CheckResult {
    CheckResult::new(id, Area::Power, CheckStatus::Pass, Text::same("ok"))
}

fn pick(view: &mut GuideView, symptom: &str) {
    let kb = kb();
    let index = kb
        .symptoms
        .iter()
        .position(|s| s.id == symptom)
        .expect("symptom");
    for _ in 0..GuideView::picker_len(kb) {
        view.move_selection(kb, false, 0);
    }
    for _ in 0..index {
        view.move_selection(kb, true, 0);
    }
    view.start(kb);
}

#[test]
fn a_symptom_asks_then_fixes_then_the_checks_prove_it() {
    let kb = kb();
    let obs = Observations::new();
    let mut view = GuideView::default();
    assert_eq!(view.phase(kb, &obs), GuidePhase::Pick);
    pick(&mut view, "no_power");
    assert_eq!(view.phase(kb, &obs), GuidePhase::Ask);
    view.answer("adapter_led", "no");
    assert_eq!(view.phase(kb, &obs), GuidePhase::Fix);
    let cause = kb.cause("power.no_power").expect("cause");
    let requests = view.check_fix(cause);
    assert_eq!(
        requests,
        vec![
            UiRequest::RunCheck("link.terminal".into()),
            UiRequest::RunCheck("power.supply".into())
        ]
    );
    assert_eq!(view.phase(kb, &obs), GuidePhase::Verifying);
    let done = Event::RunFinished {
        duration: Duration::ZERO,
    };
    assert_eq!(
        view.on_event(kb, &Event::CheckFinished(pass("link.terminal"))),
        None
    );
    assert_eq!(view.on_event(kb, &done), None);
    assert_eq!(
        view.on_event(kb, &Event::CheckFinished(pass("power.supply"))),
        None
    );
    let Some(UiRequest::RecordNotice(notice)) = view.on_event(kb, &done) else {
        panic!("the attempt is recorded");
    };
    assert!(
        notice.en.contains("power.no_power") && notice.en.contains("fixed"),
        "{notice:?}"
    );
    assert!(!notice.is_incomplete());
    assert_eq!(view.phase(kb, &obs), GuidePhase::End);
    // Undo takes the attempt back, then the answer, then leaves the walkthrough.
    view.undo();
    assert_eq!(view.phase(kb, &obs), GuidePhase::Fix);
    view.undo();
    assert_eq!(view.phase(kb, &obs), GuidePhase::Ask);
    view.undo();
    assert_eq!(view.phase(kb, &obs), GuidePhase::Pick);
}

#[test]
fn a_fix_no_check_proves_is_the_technicians_call() {
    let kb = kb();
    let cause = kb
        .causes
        .iter()
        .find(|c| c.verify.is_empty())
        .expect("a cause only a new payment proves");
    let mut view = GuideView::default();
    view.focus(&cause.id, Text::same("test"));
    assert_eq!(view.check_fix(cause), Vec::new());
    assert_eq!(
        view.phase(kb, &Observations::new()),
        GuidePhase::ConfirmFixed
    );
    let Some(UiRequest::RecordNotice(notice)) = view.user_says(kb, false) else {
        panic!("recorded");
    };
    assert!(notice.en.contains("not fixed"), "{notice:?}");
    let attempts = view.walkthrough().expect("walk").attempts();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, FixOutcome::NotFixed);
}

#[test]
fn a_failing_proof_is_not_fixed_and_moves_on() {
    let kb = kb();
    let obs = Observations::new();
    let mut view = GuideView::default();
    view.focus("power.low_voltage", Text::same("check power.supply"));
    let cause = kb.cause("power.low_voltage").expect("cause");
    assert_eq!(view.check_fix(cause).len(), 1);
    let fail = CheckResult::new(
        "power.supply",
        Area::Power,
        CheckStatus::Fail,
        Text::same("low"),
    )
    .with_cause(crate::cause!("power.low_voltage"));
    view.on_event(kb, &Event::CheckFinished(fail));
    let recorded = view.on_event(
        kb,
        &Event::RunFinished {
            duration: Duration::ZERO,
        },
    );
    assert!(matches!(recorded, Some(UiRequest::RecordNotice(_))));
    let attempt = &view.walkthrough().expect("walk").attempts()[0];
    assert_eq!(attempt.outcome, FixOutcome::NotFixed);
    assert_ne!(view.phase(kb, &obs), GuidePhase::Verifying);
}
