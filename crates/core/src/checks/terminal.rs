//! Area terminal: the terminal's own state — initialisation, diagnosis, end-of-day, out of
//! order — as its driver reads it, with the recovery the protocol gives for the state (as a
//! suggestion, never run automatically).

use super::common::{no_answer, status_of};
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::drivers::terminal::{FactState, TerminalProbe};
use crate::i18n::Text;
use crate::tr;

pub const STATUS: CheckSpec = CheckSpec {
    id: "terminal.status",
    area: Area::Terminal,
    title: Text::fixed("终端状态", "terminal state"),
};

pub async fn status(probe: &TerminalProbe) -> CheckResult {
    let facts = match probe.status().await {
        Ok(f) => f,
        Err(f) => return no_answer(STATUS.id, Area::Terminal, f),
    };
    let id = STATUS.id;
    let state = &facts.state;
    let mut r = match (state.state, &state.cause) {
        (FactState::Ok, _) => CheckResult::new(
            id,
            Area::Terminal,
            CheckStatus::Pass,
            tr!("终端就绪", "the terminal is ready"),
        ),
        (FactState::Unknown, _) => CheckResult::new(
            id,
            Area::Terminal,
            CheckStatus::Skip,
            tr!("终端未报告其状态", "the terminal did not report its state"),
        ),
        (level, cause) => {
            let title = match cause {
                Some(cause) => cause.title(),
                None => tr!("终端报告问题", "the terminal reports a problem"),
            };
            // The recovery comes with a state the terminal named itself.
            let summary = match &state.recovery {
                Some(recovery) => Text::new(
                    format!("{}：{}", title.zh, recovery.zh),
                    format!("{}: {}", title.en, recovery.en),
                ),
                None => title,
            };
            CheckResult::new(id, Area::Terminal, status_of(level), summary).with_causes(*cause)
        }
    };
    r.evidence.extend(state.evidence.iter().cloned());
    r.frames = facts.frames.clone();
    r
}
