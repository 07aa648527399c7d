//! Keys of the Guide tab: start from a symptom or from a failed check, answer (with the keys
//! the knowledge base's answers give), skip, undo, and "Fixed?" — which asks the session to
//! re-run the cause's proving checks.

use crossterm::event::{KeyEvent, KeyModifiers};

use crate::checks::CheckStatus;
use crate::guide::{Kb, Step};
use crate::i18n::Text;
use crate::tui::app::{AppState, Tab};
use crate::tui::keys::answer_key;
use crate::tui::model::UiRequest;

fn kb() -> Option<&'static Kb> {
    crate::guide::builtin().ok()
}

/// The step the walkthrough is at, if one runs.
fn step(state: &AppState) -> Option<Step<'static>> {
    let kb = kb()?;
    Some(state.guide.walkthrough()?.step(kb, &state.evidence))
}

pub fn start(state: &mut AppState) {
    if let Some(kb) = kb() {
        state.guide.start(kb);
    }
}

/// ↑↓ on the Guide tab.
pub fn move_selection(state: &mut AppState, down: bool, n: usize) {
    let Some(kb) = kb() else { return };
    let causes = state
        .guide
        .walkthrough()
        .map_or(0, |w| w.ranking(kb, &state.evidence).causes.len());
    for _ in 0..n {
        state.guide.move_selection(kb, down, causes);
    }
}

/// A key that no binding claims: the answer whose key it is, while a question is shown.
pub fn answer_by_key(state: &mut AppState, key: &KeyEvent) -> Option<UiRequest> {
    if state.tab != Tab::Guide
        || state.popup.is_some()
        || key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return None;
    }
    let crossterm::event::KeyCode::Char(c) = key.code else {
        return None;
    };
    let Some(Step::Ask { question, .. }) = step(state) else {
        return None;
    };
    let c = c.to_ascii_lowercase();
    let answer = question.answers.iter().find(|a| answer_key(a) == Some(c))?;
    state.guide.answer(&question.id, &answer.id);
    None
}

pub fn skip(state: &mut AppState) {
    if let Some(Step::Ask { question, .. }) = step(state) {
        state.guide.skip(&question.id);
    }
}

/// `f` on the fix steps: ask the session to re-run the proving checks (or, when none proves
/// this fix, ask the technician).
pub fn fixed(state: &mut AppState) {
    let Some(Step::Fix { cause }) = step(state) else {
        return;
    };
    if !cause.verify.is_empty() && state.is_busy() {
        state.notify(super::already_running());
        return;
    }
    let requests = state.guide.check_fix(cause);
    state.outbox.extend(requests);
}

/// `r` on the fix steps in the demo: the simulated devices stop showing the cause, as if the
/// technician had done the fix steps; "Fixed?" then passes.
pub fn simulate_repair(state: &mut AppState) -> Option<UiRequest> {
    let Some(Step::Fix { cause }) = step(state) else {
        return None;
    };
    if state.config().mode != crate::tui::model::UiMode::Demo {
        state.notify(Text::fixed(
            "只有演示中才能模拟修复：请按步骤实际修复，再按 f 重新检查。",
            "A repair can only be simulated in the demo: do the fix steps, then press f.",
        ));
        return None;
    }
    Some(UiRequest::SimulateRepair(cause.id.clone()))
}

/// `y` / `n` after "did it work?".
pub fn user_says(state: &mut AppState, fixed: bool) -> Option<UiRequest> {
    let kb = kb()?;
    state.guide.user_says(kb, fixed)
}

/// `g` on the Checks tab: the guide, starting at the selected check's cause.
pub fn from_check(state: &mut AppState) {
    let Some(row) = state.checks.selected() else {
        return;
    };
    let id = row.descriptor.id.clone();
    let cause = row
        .result()
        .filter(|r| !matches!(r.status, CheckStatus::Pass | CheckStatus::Skip))
        .and_then(|r| r.causes.first().cloned());
    let known = cause.filter(|c| kb().is_some_and(|kb| kb.cause(c).is_some()));
    match known {
        Some(cause) => state.guide_for_cause(
            &cause,
            Text::new(format!("检查 {id}"), format!("check {id}")),
        ),
        None => state.notify(Text::new(
            format!("检查 {id} 没有指出原因：在排障页 (4) 按症状开始。"),
            format!("Check {id} names no cause: start from a symptom on the Guide tab (4)."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use crate::i18n::Lang;
    use crate::tui::app::GuidePhase;
    use crate::tui::fixtures::*;
    use crate::tui::input::handle_key;
    use crossterm::event::KeyCode;

    fn is_verifying(state: &AppState) -> bool {
        state.guide_phase() == Some(GuidePhase::Verifying)
    }

    #[test]
    fn g_on_a_failed_check_opens_the_guide_at_its_cause() {
        let mut s = after_run(Lang::En);
        s.set_tab(Tab::Checks);
        // The link check passed: no cause, a notice says so.
        select_check(&mut s, "link.answers");
        handle_key(&mut s, ch('g'));
        assert_eq!(s.tab(), Tab::Checks);
        assert!(s.current_notice().is_some());
        select_check(&mut s, "reader.status");
        handle_key(&mut s, ch('g'));
        assert_eq!(s.tab(), Tab::Guide);
        let walk = s.guide().walkthrough().expect("walkthrough");
        assert_eq!(walk.focus.as_deref(), Some("reader.not_answering"));
        assert_eq!(s.guide_phase(), Some(GuidePhase::Fix));
    }

    #[test]
    fn fixed_asks_for_the_proving_checks_and_records_the_outcome() {
        let mut s = after_run(Lang::En);
        s.guide_for_cause("reader.not_answering", Text::same("test"));
        let kb = kb().expect("kb");
        let verify = kb
            .cause("reader.not_answering")
            .expect("cause")
            .verify
            .clone();
        assert!(!verify.is_empty());
        assert_eq!(handle_key(&mut s, ch('f')), None);
        let asked = s.take_requests();
        assert_eq!(
            asked,
            verify
                .iter()
                .map(|id| UiRequest::RunCheck(id.clone()))
                .collect::<Vec<_>>()
        );
        assert!(is_verifying(&s));
        assert!(s.is_busy(), "quitting asks first while the proof runs");
        // `r` on the Checks tab is refused meanwhile.
        s.set_tab(Tab::Checks);
        assert_eq!(handle_key(&mut s, ch('r')), None);
        s.set_tab(Tab::Guide);
        for id in &verify {
            let mut r = crate::checks::CheckResult::new(
                id.clone(),
                crate::checks::Area::Reader,
                CheckStatus::Pass,
                Text::same("ok"),
            );
            r.duration = std::time::Duration::from_millis(5);
            s.apply(&Event::CheckFinished(r));
            s.apply(&Event::RunFinished {
                duration: std::time::Duration::from_millis(5),
            });
        }
        let recorded = s.take_requests();
        assert!(
            matches!(recorded.as_slice(), [UiRequest::RecordNotice(t)] if t.en.contains("fixed")),
            "{recorded:?}"
        );
        assert_eq!(s.guide_phase(), Some(GuidePhase::End));
        // Enter starts over; Backspace had taken the attempt back instead.
        handle_key(&mut s, press(KeyCode::Backspace));
        assert_eq!(s.guide_phase(), Some(GuidePhase::Fix));
    }

    #[test]
    fn answers_come_from_their_keys_and_unknown_keys_do_nothing() {
        let mut s = state(Lang::Zh);
        s.set_tab(Tab::Guide);
        let kb = kb().expect("kb");
        let no_power = kb
            .symptoms
            .iter()
            .position(|x| x.id == "no_power")
            .expect("symptom");
        for _ in 0..no_power {
            handle_key(&mut s, ch('j'));
        }
        handle_key(&mut s, press(KeyCode::Enter));
        assert_eq!(s.guide_phase(), Some(GuidePhase::Ask));
        handle_key(&mut s, ch('z'));
        assert_eq!(s.guide_phase(), Some(GuidePhase::Ask));
        handle_key(&mut s, ch('n'));
        assert_eq!(
            s.guide()
                .walkthrough()
                .and_then(|w| w.answers().get("adapter_led").cloned()),
            Some("no".to_string())
        );
        assert_eq!(s.guide_phase(), Some(GuidePhase::Fix));
    }
}
