//! Area host, seen from the terminal: the terminal's own host diagnosis. The terminal goes
//! online to its host — no financial effect, but it contacts the host, so it runs only when
//! the profile sets `host_diagnosis_probe = true`.

use super::common::{from_fact, no_answer, not_reported};
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::drivers::terminal::TerminalProbe;
use crate::i18n::Text;
use crate::tr;

pub const TERMINAL_DIAGNOSIS: CheckSpec = CheckSpec {
    id: "host.terminal_diagnosis",
    area: Area::Host,
    title: Text::fixed("终端自身的主机诊断", "the terminal's own host diagnosis"),
};

pub async fn terminal_diagnosis(probe: &TerminalProbe, enabled: bool) -> CheckResult {
    let id = TERMINAL_DIAGNOSIS.id;
    if !probe.driver().diagnoses_host() {
        return not_reported(id, Area::Host);
    }
    if !enabled {
        return CheckResult::new(
            id,
            Area::Host,
            CheckStatus::Skip,
            tr!(
                "终端诊断会让终端联机到主机：在配置中设置 host_diagnosis_probe = true 后运行",
                "the terminal's diagnosis makes it go online to its host: set host_diagnosis_probe = true in the profile to run it"
            ),
        );
    }
    if let Err(failure) = probe.status().await {
        return no_answer(id, Area::Host, failure);
    }
    match probe.driver().host_diagnosis().await {
        Some(Ok(answered)) => from_fact(id, Area::Host, Some(&answered.fact), &answered.frames),
        Some(Err(failure)) => no_answer(id, Area::Host, &failure),
        None => not_reported(id, Area::Host),
    }
}
