//! Ranks the causes from the evidence: confirmed, likely, unknown, ruled out — best first, each
//! with the reasons for its rank in both languages.
//!
//! Rules, strongest first:
//! - a failing check (or a transaction) that names a cause confirms it; a warning names it
//!   as likely;
//! - the entry's own `confirm` / `likely` / `rule_out` matchers, and the answers to its
//!   questions;
//! - confirmation beats a rule-out (direct evidence of the fault outweighs a passing
//!   indirect check), and a rule-out beats "likely";
//! - a confirmed cause whose `consequence_of` cause is also confirmed ranks after it;
//! - a `generic` cause ("the host declined") ranks after the other confirmed causes: the
//!   specific one (51 → insufficient funds) says what to do.
//!
//! With a symptom, its candidates come first; a cause the evidence confirms or makes likely
//! but that does not explain the symptom is listed after them as "also found", however
//! strong its evidence (the reader being dead does not explain "can't reach the host").
//! Ruled-out causes come last; without a symptom every cause with evidence is listed.
//!
//! Within a state, more supporting evidence ranks first, then the symptom's order of
//! candidates, then the order of the knowledge base.
//!
//! This is the one judgement: the Guide tab, `posdiag guide`, replay and the report all call
//! [`rank`] on [`Observations`] built the same way (checks, frames, transactions).

use std::collections::BTreeMap;

use serde::Serialize;

use super::kb::{Cause, Kb, Symptom};
use super::matching::{evaluate, transaction_text};
use super::observe::Observations;
use crate::checks::CheckStatus;
use crate::i18n::Text;

/// Answers given so far: question id → answer id.
pub type Answers = BTreeMap<String, String>;

/// The rank of a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseState {
    Confirmed,
    Likely,
    Unknown,
    RuledOut,
}

impl CauseState {
    pub fn code(self) -> &'static str {
        match self {
            CauseState::Confirmed => "confirmed",
            CauseState::Likely => "likely",
            CauseState::Unknown => "unknown",
            CauseState::RuledOut => "ruled_out",
        }
    }

    pub fn word(self) -> Text {
        match self {
            CauseState::Confirmed => Text::fixed("已确认", "CONFIRMED"),
            CauseState::Likely => Text::fixed("很可能", "LIKELY"),
            CauseState::Unknown => Text::fixed("待查", "UNKNOWN"),
            CauseState::RuledOut => Text::fixed("已排除", "RULED OUT"),
        }
    }
}

/// How a reason bears on the cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bearing {
    Confirms,
    Suggests,
    RulesOut,
    /// Context: a symptom candidate, or a consequence of another cause.
    Note,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub bearing: Bearing,
    pub text: Text,
}

/// One cause with its rank and the reasons for it.
#[derive(Debug, Clone)]
pub struct RankedCause<'kb> {
    pub cause: &'kb Cause,
    pub state: CauseState,
    pub reasons: Vec<Reason>,
    /// Weight of the evidence behind the state (named by a result counts double).
    pub weight: u32,
    /// Ranks after a confirmed cause that explains it.
    pub consequence: bool,
    /// Found in the evidence, but not a cause of the chosen symptom: listed after its
    /// candidates.
    pub also_found: bool,
}

/// The causes worth showing, best first.
#[derive(Debug, Clone)]
pub struct Ranking<'kb> {
    pub symptom: Option<&'kb Symptom>,
    pub causes: Vec<RankedCause<'kb>>,
}

impl<'kb> Ranking<'kb> {
    pub fn get(&self, id: &str) -> Option<&RankedCause<'kb>> {
        self.causes.iter().find(|c| c.cause.id == id)
    }

    /// The best cause that is not ruled out.
    pub fn best(&self) -> Option<&RankedCause<'kb>> {
        self.causes
            .first()
            .filter(|c| c.state != CauseState::RuledOut)
    }

    /// True when every cause listed is ruled out (or none is listed).
    pub fn nothing_open(&self) -> bool {
        self.causes.iter().all(|c| c.state == CauseState::RuledOut)
    }

    /// "Ruled out: a, b, c" — what the evidence excluded, for an empty result; `None` when
    /// nothing was.
    pub fn ruled_out_text(&self) -> Option<Text> {
        let ids: Vec<&str> = self
            .with_state(CauseState::RuledOut)
            .map(|c| c.cause.id.as_str())
            .collect();
        (!ids.is_empty()).then(|| {
            Text::new(
                format!("证据已排除：{}", ids.join("、")),
                format!("ruled out by the evidence: {}", ids.join(", ")),
            )
        })
    }

    /// `(id, state)` best first: what two rankings must share to agree.
    pub fn order(&self) -> Vec<(String, CauseState)> {
        self.causes
            .iter()
            .map(|c| (c.cause.id.clone(), c.state))
            .collect()
    }

    pub fn with_state(&self, state: CauseState) -> impl Iterator<Item = &RankedCause<'kb>> {
        self.causes.iter().filter(move |c| c.state == state)
    }
}

#[derive(Default)]
struct Tally {
    reasons: Vec<Reason>,
    confirm: u32,
    likely: u32,
    rule_out: u32,
    /// Texts already said by a stronger reason (a transaction that names the cause).
    covered: Vec<Text>,
}

impl Tally {
    fn count(&mut self, bearing: Bearing, weight: u32) {
        match bearing {
            Bearing::Confirms => self.confirm += weight,
            Bearing::Suggests => self.likely += weight,
            Bearing::RulesOut => self.rule_out += weight,
            Bearing::Note => {}
        }
    }

    fn add(&mut self, bearing: Bearing, weight: u32, text: Text) {
        self.count(bearing, weight);
        self.reasons.push(Reason { bearing, text });
    }
}

fn tally(cause: &Cause, kb: &Kb, obs: &Observations, answers: &Answers) -> Tally {
    let mut t = Tally::default();
    for r in obs.checks().iter().filter(|r| r.causes.contains(&cause.id)) {
        let w = r.status.word();
        let text = Text::new(
            format!("检查 {} 结果为{}并指出此原因：{}", r.id, w.zh, r.summary.zh),
            format!(
                "check {} is {} and names this cause: {}",
                r.id, w.en, r.summary.en
            ),
        );
        match r.status {
            CheckStatus::Fail => t.add(Bearing::Confirms, 2, text),
            CheckStatus::Warn | CheckStatus::Error => t.add(Bearing::Suggests, 2, text),
            CheckStatus::Pass | CheckStatus::Skip => {}
        }
    }
    for txn in obs
        .transactions
        .iter()
        .filter(|x| x.causes.contains(&cause.id))
    {
        let d = transaction_text(txn);
        // The matcher that names this transaction again says nothing new.
        t.covered.push(d.clone());
        t.add(
            Bearing::Confirms,
            2,
            Text::new(
                format!("{}，并指出此原因", d.zh),
                format!("{}, naming this cause", d.en),
            ),
        );
    }
    let lists = [
        (&cause.confirm, Bearing::Confirms),
        (&cause.likely, Bearing::Suggests),
        (&cause.rule_out, Bearing::RulesOut),
    ];
    for (matchers, bearing) in lists {
        for m in matchers {
            if let Some(text) = evaluate(m, obs) {
                if t.covered.contains(&text) {
                    t.count(bearing, 1);
                } else if !t.reasons.iter().any(|r| r.text == text) {
                    t.add(bearing, 1, text);
                }
            }
        }
    }
    for u in &cause.questions {
        let (Some(given), Some(q)) = (answers.get(&u.ask), kb.question(&u.ask)) else {
            continue;
        };
        let Some(a) = q.answer(given) else { continue };
        let bearing = if u.confirm.contains(given) {
            Bearing::Confirms
        } else if u.rule_out.contains(given) {
            Bearing::RulesOut
        } else if u.likely.contains(given) {
            Bearing::Suggests
        } else {
            continue;
        };
        t.add(
            bearing,
            1,
            Text::new(
                format!("问：{} 答：{}", q.text.zh, a.text.zh),
                format!("Q: {} A: {}", q.text.en, a.text.en),
            ),
        );
    }
    t
}

/// Ranks every cause of `kb` against the evidence. Causes without evidence are listed only
/// when they are candidates of `symptom`.
pub fn rank<'kb>(
    kb: &'kb Kb,
    obs: &Observations,
    answers: &Answers,
    symptom: Option<&'kb Symptom>,
) -> Ranking<'kb> {
    let candidate_index =
        |id: &str| symptom.and_then(|s| s.candidates.iter().position(|c| c == id));
    let mut ranked: Vec<(RankedCause<'kb>, Option<usize>, usize)> = Vec::new();
    for (order, cause) in kb.causes.iter().enumerate() {
        let mut t = tally(cause, kb, obs, answers);
        let (state, weight) = if t.confirm > 0 {
            (CauseState::Confirmed, t.confirm)
        } else if t.rule_out > 0 {
            (CauseState::RuledOut, t.rule_out)
        } else if t.likely > 0 {
            (CauseState::Likely, t.likely)
        } else {
            (CauseState::Unknown, 0)
        };
        let candidate = candidate_index(&cause.id);
        if state == CauseState::Unknown && candidate.is_none() {
            continue;
        }
        // With a symptom, a cause outside its candidates matters only when found.
        let also_found = symptom.is_some() && candidate.is_none();
        if also_found && state == CauseState::RuledOut {
            continue;
        }
        if let (Some(s), true) = (symptom, also_found) {
            t.add(
                Bearing::Note,
                0,
                Text::new(
                    format!("另外发现：不是“{}”的常见原因", s.title.zh),
                    format!("also found: not a usual cause of “{}”", s.title.en),
                ),
            );
        }
        if let (Some(s), CauseState::Unknown) = (symptom, state) {
            t.add(
                Bearing::Note,
                0,
                Text::new(
                    format!("“{}”的常见原因之一，尚无证据", s.title.zh),
                    format!("a common cause of “{}”; no evidence yet", s.title.en),
                ),
            );
        }
        ranked.push((
            RankedCause {
                cause,
                state,
                reasons: t.reasons,
                weight,
                consequence: false,
                also_found,
            },
            candidate,
            order,
        ));
    }
    let confirmed: Vec<&'kb Cause> = ranked
        .iter()
        .filter(|(r, ..)| r.state == CauseState::Confirmed)
        .map(|(r, ..)| r.cause)
        .collect();
    for (r, ..) in &mut ranked {
        if let Some(root) = confirmed
            .iter()
            .find(|c| r.cause.consequence_of.contains(&c.id))
        {
            r.consequence = true;
            r.reasons.push(Reason {
                bearing: Bearing::Note,
                text: Text::new(
                    format!("多半是 {}（{}）的后果", root.id, root.title.zh),
                    format!("probably a consequence of {} ({})", root.id, root.title.en),
                ),
            });
        }
    }
    ranked.sort_by_key(|(r, candidate, order)| {
        (
            r.state == CauseState::RuledOut,
            r.also_found,
            r.state,
            r.consequence,
            r.cause.generic && r.state == CauseState::Confirmed,
            std::cmp::Reverse(r.weight),
            candidate.unwrap_or(usize::MAX),
            *order,
        )
    });
    Ranking {
        symptom,
        causes: ranked.into_iter().map(|(r, ..)| r).collect(),
    }
}
