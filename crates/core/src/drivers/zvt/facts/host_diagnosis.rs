//! The terminal's own host diagnosis: Diagnosis (`06 70`) type 01 "line". The terminal goes
//! online to its host — no financial effect — and reports the result.

use super::failure::failure;
use crate::drivers::terminal::{Answered, AreaFact, FactState, TerminalFailure};
use crate::drivers::zvt::ZvtChannel;
use crate::i18n::Text;
use crate::proto::zvt::codes::result_code;
use crate::proto::zvt::message::{Diagnosis, DiagnosisKind, EcrMessage, PtMessage};
use crate::tr;

/// The cause a diagnosis result code points at.
fn cause_of(code: u8) -> crate::catalogue::CauseId {
    match code {
        0x7D | 0x9B | 0xA3 => crate::cause!("network.down"),
        0xA0 | 0xA1 => crate::cause!("host.timeout"),
        0x01..=0x63 => crate::cause!("host.decline"),
        _ => crate::cause!("host.terminal_offline"),
    }
}

pub(super) async fn run(channel: &ZvtChannel) -> Result<Answered, TerminalFailure> {
    let command = EcrMessage::Diagnosis(Diagnosis {
        kind: DiagnosisKind::Line,
    });
    let record = channel.run(&command).await.map_err(failure)?;
    let fact = match &record.exchange.end {
        PtMessage::Abort(abort) => {
            let code = abort.result_code;
            let info = result_code(code);
            AreaFact::new(
                FactState::Fault,
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
                &Text::new(
                    format!("{code:02X} {}", info.text.zh),
                    format!("{code:02X} {}", info.text.en),
                ),
            )
        }
        _ => AreaFact::new(
            FactState::Ok,
            tr!(
                "终端联机诊断成功：终端能连到它的主机",
                "the terminal's host diagnosis succeeded: it reaches its host"
            ),
        ),
    };
    let fact = fact.with_evidence_text(
        Text::fixed("诊断类型", "diagnosis type"),
        &Text::fixed("01 线路诊断", "01 line"),
    );
    Ok(Answered {
        fact,
        frames: record.frames,
    })
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
