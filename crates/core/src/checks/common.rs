//! Pieces shared by the terminal checks: a result from a terminal's fact, and the result of a
//! check that got no answer.

use crate::checks::{Area, CheckResult, CheckStatus};
use crate::drivers::terminal::{AreaFact, FactState, TerminalFailure};
use crate::frame::FrameRecord;
use crate::i18n::Text;
use crate::tr;

/// The result of a check that needed the terminal's answer and did not get one.
pub fn no_answer(id: &str, area: Area, failure: &TerminalFailure) -> CheckResult {
    let mut r = CheckResult::new(
        id,
        area,
        CheckStatus::Error,
        tr!(
            "终端未给出可用的应答，无法检查（见链路检查 link.terminal）",
            "no usable answer from the terminal, cannot check (see the link check link.terminal)"
        ),
    )
    .with_evidence_text(Text::fixed("错误", "error"), failure.error.text());
    r.frames = failure.frames.clone();
    r
}

/// The verdict a fact's state gives.
pub fn status_of(state: FactState) -> CheckStatus {
    match state {
        FactState::Ok => CheckStatus::Pass,
        FactState::Warn => CheckStatus::Warn,
        FactState::Fault => CheckStatus::Fail,
        FactState::Unknown => CheckStatus::Skip,
    }
}

/// The result of a check that reads one area of the terminal's answer. `None`: the protocol
/// cannot tell this area, which is a skip, never a pass.
pub fn from_fact(
    id: &str,
    area: Area,
    fact: Option<&AreaFact>,
    frames: &[FrameRecord],
) -> CheckResult {
    let mut r = match fact {
        Some(fact) => {
            let mut r = CheckResult::new(id, area, status_of(fact.state), fact.summary.clone())
                .with_causes(fact.cause);
            r.evidence.extend(fact.evidence.iter().cloned());
            r
        }
        None => not_reported(id, area),
    };
    r.frames = frames.to_vec();
    r
}

/// The skip of an area this terminal's protocol does not report.
pub fn not_reported(id: &str, area: Area) -> CheckResult {
    CheckResult::new(
        id,
        area,
        CheckStatus::Skip,
        tr!("此终端不报告这一项", "not reported by this terminal"),
    )
}
