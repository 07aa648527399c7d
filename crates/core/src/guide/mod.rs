//! The troubleshooting guide: from symptom and evidence to a verified fix.
//!
//! - [`Kb`]: the knowledge base, data files in `kb/` (one per category, zh and en, compiled
//!   in), one entry per cause id. Cause ids are the ids checks name in
//!   `CheckResult::causes` and the simulator's fault ids.
//! - [`Observations`]: the evidence — check results, transaction outcomes, codes read from
//!   the frames of a capture (`capture::observations_from_capture`).
//! - [`rank`]: confirmed / likely / unknown / ruled out, best first, with reasons.
//! - [`Walkthrough`]: one question at a time, fix steps, "Fixed?" ([`verify`]) — a pure state
//!   machine for the Guide tab.

mod kb;
mod known;
mod load;
mod matching;
mod observe;
mod rank;
mod validate;
mod walkthrough;

#[cfg(test)]
mod catalogue_tests;
#[cfg(test)]
mod judgement_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod zvt_tests;

use std::sync::OnceLock;

pub use kb::{Answer, Category, Cause, HandoverItem, Kb, Matcher, Question, QuestionUse, Symptom};
pub use known::{known_check_ids, required_cause_ids, PLANNED_FAULT_IDS};
pub use load::{parse_kb, KbError, KbProblem, BUILTIN_FILES};
pub use matching::iso39_text;
pub use observe::{escpos_flag_names, Observations, TransactionEvidence, Verdict};
pub use rank::{rank, Answers, Bearing, CauseState, RankedCause, Ranking, Reason};
pub use validate::is_well_formed_id;
pub use walkthrough::{
    attempt_in_notice, verify, Attempt, FixOutcome, Step, Verification, Walkthrough,
};

/// The built-in knowledge base, parsed and validated once.
pub fn builtin() -> Result<&'static Kb, &'static KbError> {
    static KB: OnceLock<Result<Kb, KbError>> = OnceLock::new();
    KB.get_or_init(|| parse_kb(BUILTIN_FILES)).as_ref()
}
