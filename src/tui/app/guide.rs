//! The Guide tab's model: the symptom picker, the walkthrough (the guide's own pure state
//! machine), and a "Fixed?" under way.
//!
//! The evidence the guide ranks from ([`Observations`]) is folded from the session's events by
//! [`AppState::apply`](super::AppState::apply); this is only what the technician did here. A
//! "Fixed?" asks the session to re-run the cause's proving checks, collects their results as
//! they arrive, judges them with [`guide::verify`] and records the attempt in the walkthrough
//! and, as a notice, in the capture.

use super::{AppState, Tab};
use crate::checks::CheckResult;
use crate::event::Event;
use crate::guide::{self, Attempt, Cause, FixOutcome, Kb, Observations, Step, Walkthrough};
use crate::i18n::Text;
use crate::session::TerminalCommand;
use crate::tui::keys::Scope;
use crate::tui::model::UiRequest;

/// Where the Guide tab is, which decides its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuidePhase {
    /// Choosing a symptom.
    Pick,
    /// A question is shown.
    Ask,
    /// The fix steps of a cause are shown; "Fixed?" can be asked.
    Fix,
    /// The proving checks are running.
    Verifying,
    /// No check proves this fix: the technician says whether it worked.
    ConfirmFixed,
    /// Fixed, or everything was tried: the end of the walkthrough.
    End,
}

/// A "Fixed?" under way.
#[derive(Debug, Clone, PartialEq)]
pub enum FixCheck {
    /// The proving checks were asked for; their results arrive as events.
    Running {
        cause: String,
        checks: Vec<String>,
        /// Check runs asked for that have not finished (each ends with `RunFinished`).
        runs_left: usize,
        results: Vec<CheckResult>,
    },
    /// No check proves the fix; `reasons` say so, the technician answers.
    AskUser { cause: String, reasons: Vec<Text> },
}

/// The Guide tab's state.
#[derive(Debug, Clone, Default)]
pub struct GuideView {
    /// Line of the symptom picker: the knowledge base's symptoms, then "the evidence so far".
    pick: usize,
    walk: Option<Walkthrough>,
    /// Where a focused walkthrough came from (e.g. "check power.supply").
    origin: Option<Text>,
    /// Line of the ranked causes whose reasons are shown.
    selected_cause: usize,
    /// Lines the step pane is scrolled down.
    scroll: u16,
    fixing: Option<FixCheck>,
}

impl GuideView {
    pub fn walkthrough(&self) -> Option<&Walkthrough> {
        self.walk.as_ref()
    }

    pub fn origin(&self) -> Option<&Text> {
        self.origin.as_ref()
    }

    pub fn fixing(&self) -> Option<&FixCheck> {
        self.fixing.as_ref()
    }

    pub fn scroll(&self) -> u16 {
        self.scroll
    }

    /// Lines of the picker: every symptom, then the evidence-only entry.
    pub fn picker_len(kb: &Kb) -> usize {
        kb.symptoms.len() + 1
    }

    pub fn pick_index(&self, kb: &Kb) -> usize {
        self.pick.min(Self::picker_len(kb) - 1)
    }

    pub fn selected_cause(&self, causes: usize) -> usize {
        self.selected_cause.min(causes.saturating_sub(1))
    }

    /// True while the proving checks run (the Checks tab then counts as busy).
    pub fn is_verifying(&self) -> bool {
        matches!(self.fixing, Some(FixCheck::Running { .. }))
    }

    pub fn phase(&self, kb: &Kb, obs: &Observations) -> GuidePhase {
        let Some(walk) = &self.walk else {
            return GuidePhase::Pick;
        };
        match &self.fixing {
            Some(FixCheck::Running { .. }) => return GuidePhase::Verifying,
            Some(FixCheck::AskUser { .. }) => return GuidePhase::ConfirmFixed,
            None => {}
        }
        match walk.step(kb, obs) {
            Step::Ask { .. } => GuidePhase::Ask,
            Step::Fix { .. } => GuidePhase::Fix,
            Step::Done { .. } | Step::Escalate { .. } => GuidePhase::End,
        }
    }

    /// ↑↓: the picker's line, or the cause whose reasons are shown.
    pub fn move_selection(&mut self, kb: &Kb, down: bool, causes: usize) {
        let (index, len) = match self.walk {
            None => (&mut self.pick, Self::picker_len(kb)),
            Some(_) => (&mut self.selected_cause, causes),
        };
        let last = len.saturating_sub(1);
        *index = if down {
            (*index).min(last).saturating_add(1).min(last)
        } else {
            (*index).min(last).saturating_sub(1)
        };
    }

    pub fn scroll_by(&mut self, down: bool, lines: u16) {
        self.scroll = if down {
            self.scroll.saturating_add(lines)
        } else {
            self.scroll.saturating_sub(lines)
        };
    }

    /// Enter in the picker: starts a walkthrough from the chosen symptom (or from the
    /// evidence alone).
    pub fn start(&mut self, kb: &Kb) {
        let symptom = kb.symptoms.get(self.pick_index(kb)).map(|s| s.id.as_str());
        self.begin(Walkthrough::new(symptom), None);
    }

    /// A walkthrough that starts at `cause` (a failed check, or a verdict), saying `origin`.
    pub fn focus(&mut self, cause: &str, origin: Text) {
        self.begin(Walkthrough::focused(cause), Some(origin));
    }

    fn begin(&mut self, walk: Walkthrough, origin: Option<Text>) {
        self.walk = Some(walk);
        self.origin = origin;
        self.selected_cause = 0;
        self.scroll = 0;
        self.fixing = None;
    }

    /// Back to the symptom picker.
    pub fn restart(&mut self) {
        self.walk = None;
        self.origin = None;
        self.fixing = None;
        self.scroll = 0;
    }

    pub fn answer(&mut self, question: &str, answer: &str) {
        if let Some(walk) = &mut self.walk {
            walk.answer(question, answer);
            self.scroll = 0;
        }
    }

    pub fn skip(&mut self, question: &str) {
        if let Some(walk) = &mut self.walk {
            walk.skip(question);
            self.scroll = 0;
        }
    }

    /// Takes back the last answer, skip or fix attempt; with nothing left, back to the picker.
    pub fn undo(&mut self) {
        self.fixing = None;
        self.scroll = 0;
        let undone = self.walk.as_mut().is_some_and(Walkthrough::undo);
        if !undone {
            self.restart();
        }
    }

    /// "Fixed?" on `cause`: the requests for its proving checks (none when no check proves
    /// it: the technician is asked instead).
    pub fn check_fix(&mut self, cause: &Cause) -> Vec<UiRequest> {
        self.scroll = 0;
        if cause.verify.is_empty() {
            self.fixing = Some(FixCheck::AskUser {
                cause: cause.id.clone(),
                reasons: guide::verify(cause, &[]).reasons,
            });
            return Vec::new();
        }
        self.fixing = Some(FixCheck::Running {
            cause: cause.id.clone(),
            checks: cause.verify.clone(),
            runs_left: cause.verify.len(),
            results: Vec::new(),
        });
        cause
            .verify
            .iter()
            .map(|id| UiRequest::RunCheck(id.clone()))
            .collect()
    }

    /// Stops waiting for the proving checks (the session may be gone); nothing is recorded.
    pub fn cancel_fix_check(&mut self) {
        self.fixing = None;
    }

    /// The technician's word on a fix no check can prove: the attempt, recorded.
    pub fn user_says(&mut self, kb: &Kb, fixed: bool) -> Option<UiRequest> {
        let Some(FixCheck::AskUser { cause, reasons }) = self.fixing.take() else {
            return None;
        };
        let mut reasons = reasons;
        reasons.push(if fixed {
            Text::fixed("技术员确认已修复", "the technician confirms it is fixed")
        } else {
            Text::fixed("技术员确认未修复", "the technician says it is not fixed")
        });
        let outcome = if fixed {
            FixOutcome::Fixed
        } else {
            FixOutcome::NotFixed
        };
        self.record(
            kb,
            Attempt {
                cause,
                outcome,
                reasons,
            },
        )
    }

    /// Folds a session event into a "Fixed?" under way; when the last proving check has run,
    /// judges the fix and returns the notice that records it.
    pub fn on_event(&mut self, kb: &Kb, event: &Event) -> Option<UiRequest> {
        let Some(FixCheck::Running {
            checks,
            runs_left,
            results,
            ..
        }) = &mut self.fixing
        else {
            return None;
        };
        match event {
            Event::CheckFinished(result) if checks.contains(&result.id) => {
                results.push(result.clone());
                None
            }
            Event::RunFinished { .. } => {
                *runs_left = runs_left.saturating_sub(1);
                if *runs_left > 0 {
                    return None;
                }
                let Some(FixCheck::Running { cause, results, .. }) = self.fixing.take() else {
                    return None;
                };
                let verification = match kb.cause(&cause) {
                    Some(c) => guide::verify(c, &results),
                    None => return None,
                };
                self.record(
                    kb,
                    Attempt {
                        cause,
                        outcome: verification.outcome,
                        reasons: verification.reasons,
                    },
                )
            }
            _ => None,
        }
    }

    fn record(&mut self, kb: &Kb, attempt: Attempt) -> Option<UiRequest> {
        let notice = attempt.notice(kb);
        self.walk.as_mut()?.record(attempt);
        self.scroll = 0;
        Some(UiRequest::RecordNotice(notice))
    }
}

impl AppState {
    /// The Guide tab's own scopes for where it is (none on other tabs).
    pub(super) fn guide_scopes(&self) -> Vec<Scope> {
        if self.tab != Tab::Guide {
            return Vec::new();
        }
        match self.guide_phase() {
            Some(GuidePhase::Pick) => vec![Scope::GuidePick],
            Some(GuidePhase::Ask) => vec![Scope::GuideAsk, Scope::GuideWalk],
            Some(GuidePhase::Fix) => vec![Scope::GuideFix, Scope::GuideWalk],
            Some(GuidePhase::Verifying) => vec![Scope::GuideVerifying],
            Some(GuidePhase::ConfirmFixed) => vec![Scope::GuideConfirmFixed],
            Some(GuidePhase::End) => vec![Scope::GuideEnd, Scope::GuideWalk],
            None => Vec::new(),
        }
    }

    /// Where the Guide tab is; `None` when the knowledge base could not be loaded.
    pub fn guide_phase(&self) -> Option<GuidePhase> {
        let kb = crate::guide::builtin().ok()?;
        Some(self.guide.phase(kb, &self.evidence))
    }

    pub fn guide(&self) -> &GuideView {
        &self.guide
    }

    /// The terminal command that does the fix the Guide shows (the spec's recovery action for
    /// its cause, e.g. Initialisation), if it is at a fix step and there is one.
    pub fn guide_fix_command(&self) -> Option<(TerminalCommand, &'static str)> {
        let kb = guide::builtin().ok()?;
        let walk = self.guide.walkthrough()?;
        match walk.step(kb, &self.evidence) {
            Step::Fix { cause } => {
                TerminalCommand::recovery_for(&cause.id).map(|c| (c, cause.id.as_str()))
            }
            _ => None,
        }
    }

    /// The evidence the guide ranks from.
    pub fn evidence(&self) -> &Observations {
        &self.evidence
    }

    /// Opens the Guide tab on `cause` (from a failed check, or a transaction's verdict);
    /// `origin` says where from.
    pub(in crate::tui) fn guide_for_cause(&mut self, cause: &str, origin: Text) {
        self.guide.focus(cause, origin);
        self.tab = Tab::Guide;
    }
}
