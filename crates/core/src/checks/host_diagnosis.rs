//! Area host, seen from the terminal: the terminal's own host diagnosis (ZVT `06 70`, type 01
//! "line"). The terminal goes online to its host — no financial effect, but it contacts the
//! host, so it runs only when the profile sets `host_diagnosis_probe = true`.

use super::common::no_answer;
use super::probe::TerminalProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::i18n::Text;
use crate::proto::zvt::codes::result_code;
use crate::proto::zvt::message::{Diagnosis, DiagnosisKind, EcrMessage, PtMessage};
use crate::tr;

pub const TERMINAL_DIAGNOSIS: CheckSpec = CheckSpec {
    id: "host.terminal_diagnosis",
    area: Area::Host,
    title: Text::fixed("终端自身的主机诊断", "the terminal's own host diagnosis"),
};

/// The cause a diagnosis result code points at.
fn cause_of(code: u8) -> &'static str {
    match code {
        0x7D | 0x9B | 0xA3 => "network.down",
        0xA0 | 0xA1 => "host.timeout",
        0x01..=0x63 => "host.decline",
        _ => "host.terminal_offline",
    }
}

pub async fn terminal_diagnosis(probe: &TerminalProbe, enabled: bool) -> CheckResult {
    let id = TERMINAL_DIAGNOSIS.id;
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
    let command = EcrMessage::Diagnosis(Diagnosis {
        kind: DiagnosisKind::Line,
    });
    let record = match probe.channel().run(&command).await {
        Ok(r) => r,
        Err(failure) => return no_answer(id, Area::Host, &failure),
    };
    let mut r = match &record.exchange.end {
        PtMessage::Abort(abort) => {
            let code = abort.result_code;
            let info = result_code(code);
            CheckResult::new(
                id,
                Area::Host,
                CheckStatus::Fail,
                Text::new(
                    format!(
                        "终端联机诊断失败：结果码 {code:02X} {}。{}",
                        info.text.zh, info.action.zh
                    ),
                    format!(
                        "the terminal's host diagnosis failed: result {code:02X} {}. {}",
                        info.text.en, info.action.en
                    ),
                ),
            )
            .with_cause(cause_of(code))
            .with_evidence_text(
                Text::fixed("结果码", "result code"),
                Text::new(
                    format!("{code:02X} {}", info.text.zh),
                    format!("{code:02X} {}", info.text.en),
                ),
            )
        }
        _ => CheckResult::new(
            id,
            Area::Host,
            CheckStatus::Pass,
            tr!(
                "终端联机诊断成功：终端能连到它的主机",
                "the terminal's host diagnosis succeeded: it reaches its host"
            ),
        ),
    };
    r = r.with_evidence_text(
        Text::fixed("诊断类型", "diagnosis type"),
        Text::fixed("01 线路诊断", "01 line"),
    );
    r.frames = record.frames;
    r
}

#[cfg(test)]
mod tests {
    use super::cause_of;

    #[test]
    fn result_codes_to_causes() {
        assert_eq!(cause_of(0xA3), "network.down");
        assert_eq!(cause_of(0xA1), "host.timeout");
        assert_eq!(cause_of(0x33), "host.decline");
        assert_eq!(cause_of(0xFF), "host.terminal_offline");
    }
}
