//! The walkthrough as a pure state machine the Guide tab drives: one question at a time,
//! then the fix steps of the best cause, then "Fixed?" — the caller re-runs the cause's
//! `verify` checks and hands the results back — and on to the next cause or to escalation.
//!
//! Nothing here does I/O; the state is small and cloneable, and every step is recomputed
//! from the knowledge base, the evidence and the answers so far.

use std::collections::BTreeSet;

use super::kb::{Cause, Kb, Question};
use super::observe::Observations;
use super::rank::{rank, Answers, CauseState, Ranking};
use crate::checks::{CheckResult, CheckStatus};
use crate::i18n::Text;

/// What the technician sees next.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<'kb> {
    /// Ask `question`; it bears on `about`.
    Ask {
        question: &'kb Question,
        about: &'kb Cause,
    },
    /// Show the fix steps of `cause`, then offer "Fixed?" (re-run `cause.verify`).
    Fix { cause: &'kb Cause },
    /// A fix was verified.
    Done { cause: &'kb Cause },
    /// Every candidate was tried or ruled out: hand over. `cause` is the best remaining guess
    /// (its escalation text and handover list apply), if any.
    Escalate { cause: Option<&'kb Cause> },
}

/// How a fix attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixOutcome {
    Fixed,
    NotFixed,
    /// The proving checks could not run (skipped, no answer): neither fixed nor not.
    Inconclusive,
}

/// What re-running the proving checks says.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub outcome: FixOutcome,
    pub reasons: Vec<Text>,
    /// True when the cause has no proving check: the technician decides (e.g. a new payment
    /// went through).
    pub ask_user: bool,
}

/// One fix attempt, for the record (and the capture).
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub cause: String,
    pub outcome: FixOutcome,
    pub reasons: Vec<Text>,
}

impl Attempt {
    /// A line for the capture's notice record.
    pub fn notice(&self, kb: &Kb) -> Text {
        let title = kb
            .cause(&self.cause)
            .map(|c| c.title.clone())
            .unwrap_or_else(|| Text::same(&self.cause));
        let (zh, en) = match self.outcome {
            FixOutcome::Fixed => ("已修复", "fixed"),
            FixOutcome::NotFixed => ("未修复", "not fixed"),
            FixOutcome::Inconclusive => ("无法确认", "inconclusive"),
        };
        let why_zh: Vec<&str> = self.reasons.iter().map(|r| r.zh.as_ref()).collect();
        let why_en: Vec<&str> = self.reasons.iter().map(|r| r.en.as_ref()).collect();
        Text::new(
            format!(
                "排障：{}（{}）— {zh}。{}",
                title.zh,
                self.cause,
                why_zh.join("；")
            ),
            format!(
                "guide: {} ({}) — {en}. {}",
                title.en,
                self.cause,
                why_en.join("; ")
            ),
        )
    }
}

/// The fix attempt a notice written by [`Attempt::notice`] records: `(cause id, worked)`;
/// `None` for any other notice and for an inconclusive attempt. Captures and the live event
/// stream carry attempts as these notices, so both give the guide the same evidence.
pub fn attempt_in_notice(text: &Text) -> Option<(String, bool)> {
    let rest = text.en.strip_prefix("guide: ")?;
    [(") — not fixed.", false), (") — fixed.", true)]
        .into_iter()
        .find_map(|(marker, worked)| {
            let end = rest.find(marker)?;
            let head = rest.get(..end)?;
            let id = head.get(head.rfind('(')? + 1..)?;
            super::validate::is_well_formed_id(id).then(|| (id.to_owned(), worked))
        })
}

#[derive(Debug, Clone, PartialEq)]
enum Action {
    Answer(String),
    Skip(String),
    Attempt,
}

/// The state of one walkthrough.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Walkthrough {
    /// Symptom id chosen at the start, if any.
    pub symptom: Option<String>,
    /// A cause to start from (jumped to from a failed check or a verdict).
    pub focus: Option<String>,
    answers: Answers,
    skipped: BTreeSet<String>,
    attempts: Vec<Attempt>,
    history: Vec<Action>,
}

impl Walkthrough {
    pub fn new(symptom: Option<&str>) -> Self {
        Walkthrough {
            symptom: symptom.map(str::to_owned),
            ..Self::default()
        }
    }

    /// A walkthrough that starts at `cause` (from a failed check or a verdict).
    pub fn focused(cause: &str) -> Self {
        Walkthrough {
            focus: Some(cause.to_owned()),
            ..Self::default()
        }
    }

    pub fn answers(&self) -> &Answers {
        &self.answers
    }

    pub fn attempts(&self) -> &[Attempt] {
        &self.attempts
    }

    pub fn answer(&mut self, question: &str, answer: &str) {
        self.answers.insert(question.to_owned(), answer.to_owned());
        self.skipped.remove(question);
        self.history.push(Action::Answer(question.to_owned()));
    }

    /// "Don't know / can't tell": move on without an answer.
    pub fn skip(&mut self, question: &str) {
        self.skipped.insert(question.to_owned());
        self.history.push(Action::Skip(question.to_owned()));
    }

    /// Records how a fix attempt ended.
    pub fn record(&mut self, attempt: Attempt) {
        self.attempts.push(attempt);
        self.history.push(Action::Attempt);
    }

    /// Takes back the last answer, skip or attempt. False when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        match self.history.pop() {
            Some(Action::Answer(q)) => {
                self.answers.remove(&q);
                true
            }
            Some(Action::Skip(q)) => {
                self.skipped.remove(&q);
                true
            }
            Some(Action::Attempt) => {
                self.attempts.pop();
                true
            }
            None => false,
        }
    }

    /// The ranking with the answers so far.
    pub fn ranking<'kb>(&self, kb: &'kb Kb, obs: &Observations) -> Ranking<'kb> {
        let symptom = self.symptom.as_deref().and_then(|s| kb.symptom(s));
        rank(kb, obs, &self.answers, symptom)
    }

    fn tried(&self, cause: &str) -> bool {
        self.attempts.iter().any(|a| a.cause == cause)
    }

    /// Tried here, or recorded earlier as not working: not offered again.
    fn done_with(&self, cause: &str, obs: &Observations) -> bool {
        self.tried(cause) || obs.fix_failed(cause)
    }

    /// What to show next.
    pub fn step<'kb>(&self, kb: &'kb Kb, obs: &Observations) -> Step<'kb> {
        if let Some(done) = self
            .attempts
            .iter()
            .rev()
            .find(|a| a.outcome == FixOutcome::Fixed)
        {
            if let Some(cause) = kb.cause(&done.cause) {
                return Step::Done { cause };
            }
        }
        let ranking = self.ranking(kb, obs);
        if let Some(cause) = self
            .focus
            .as_deref()
            .filter(|f| !self.done_with(f, obs))
            .and_then(|f| kb.cause(f))
        {
            return Step::Fix { cause };
        }
        let open: Vec<_> = ranking
            .causes
            .iter()
            .filter(|r| r.state != CauseState::RuledOut && !self.done_with(&r.cause.id, obs))
            .collect();
        if let Some(top) = open.first().filter(|r| r.state == CauseState::Confirmed) {
            return Step::Fix { cause: top.cause };
        }
        for r in &open {
            for u in &r.cause.questions {
                if self.answers.contains_key(&u.ask) || self.skipped.contains(&u.ask) {
                    continue;
                }
                if let Some(question) = kb.question(&u.ask) {
                    return Step::Ask {
                        question,
                        about: r.cause,
                    };
                }
            }
        }
        if let Some(top) = open.first() {
            return Step::Fix { cause: top.cause };
        }
        let last = self.attempts.last().and_then(|a| kb.cause(&a.cause));
        Step::Escalate {
            cause: last.or_else(|| ranking.best().map(|r| r.cause)),
        }
    }
}

/// Judges a fix from the re-run of the cause's proving checks.
pub fn verify(cause: &Cause, results: &[CheckResult]) -> Verification {
    if cause.verify.is_empty() {
        return Verification {
            outcome: FixOutcome::Inconclusive,
            reasons: vec![Text::fixed(
                "没有检查能证明此修复：请重新做一笔交易确认",
                "no check can prove this fix: confirm with a new transaction",
            )],
            ask_user: true,
        };
    }
    let mut reasons = Vec::new();
    let mut outcome = FixOutcome::Fixed;
    for id in &cause.verify {
        let Some(r) = results.iter().rev().find(|r| &r.id == id) else {
            reasons.push(Text::new(
                format!("检查 {id} 没有运行"),
                format!("check {id} did not run"),
            ));
            outcome = worse(outcome, FixOutcome::Inconclusive);
            continue;
        };
        let w = r.status.word();
        reasons.push(Text::new(
            format!("检查 {id}：{}（{}）", w.zh, r.summary.zh),
            format!("check {id}: {} ({})", w.en, r.summary.en),
        ));
        let names_it = r.causes.contains(&cause.id);
        let this = match r.status {
            CheckStatus::Fail => FixOutcome::NotFixed,
            CheckStatus::Warn if names_it => FixOutcome::NotFixed,
            CheckStatus::Pass | CheckStatus::Warn => FixOutcome::Fixed,
            CheckStatus::Skip | CheckStatus::Error => FixOutcome::Inconclusive,
        };
        outcome = worse(outcome, this);
    }
    Verification {
        outcome,
        reasons,
        ask_user: false,
    }
}

fn worse(a: FixOutcome, b: FixOutcome) -> FixOutcome {
    let rank = |o| match o {
        FixOutcome::Fixed => 0,
        FixOutcome::Inconclusive => 1,
        FixOutcome::NotFixed => 2,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}
