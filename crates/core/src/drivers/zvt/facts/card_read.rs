//! The card-read test: Read Card (`06 C0`). It returns track data; only the masked PAN
//! (BIN + last four) becomes evidence, and the frames are redacted at the source.

use std::time::Duration;

use super::failure::failure;
use crate::drivers::terminal::{Answered, AreaFact, FactState, TerminalFailure};
use crate::drivers::zvt::{CommandRecord, ZvtChannel};
use crate::i18n::Text;
use crate::proto::zvt::codes::result_code;
use crate::proto::zvt::message::{EcrMessage, PtMessage, ReadCard};
use crate::tr;

pub(super) async fn read(
    channel: &ZvtChannel,
    timeout: Duration,
) -> Result<Answered, TerminalFailure> {
    let seconds = u8::try_from(timeout.as_secs().clamp(1, 255)).unwrap_or(u8::MAX);
    let command = EcrMessage::ReadCard(ReadCard {
        timeout_s: Some(seconds),
        ..ReadCard::default()
    });
    let record = channel.run(&command).await.map_err(failure)?;
    Ok(judge(record))
}

/// The cause a Read Card abort points at.
fn cause_of(code: u8) -> crate::catalogue::CauseId {
    match code {
        0xE2 | 0xFC | 0xDD | 0xDE => crate::cause!("reader.not_answering"),
        0xDC => crate::cause!("reader.card_inserted"),
        _ => crate::cause!("reader.unreadable"),
    }
}

fn judge(record: CommandRecord) -> Answered {
    // The card comes in the Status-Information that ends the read (or one before an end).
    let exchange = &record.exchange;
    let mut all = exchange
        .messages
        .iter()
        .chain(std::iter::once(&exchange.end));
    let masked = all.find_map(|m| match m {
        PtMessage::StatusInformation(info) => info.card_number_masked(),
        _ => None,
    });
    let mut fact = match &exchange.end {
        PtMessage::Abort(abort) => {
            let code = abort.result_code;
            let meaning = result_code(code).text;
            AreaFact::new(
                FactState::Fault,
                Text::new(
                    format!("读卡失败：结果码 {code:02X} {}。清洁读卡器，换一张已知良好的卡再试", meaning.zh),
                    format!(
                        "card read failed: result {code:02X} {}. Clean the reader and try a known-good card",
                        meaning.en
                    ),
                ),
            )
            .with_cause(cause_of(code))
        }
        _ => AreaFact::new(
            FactState::Ok,
            tr!("测试卡读取成功", "the test card was read"),
        ),
    };
    if let Some(pan) = masked {
        fact = fact.with_evidence(Text::fixed("卡号（已脱敏）", "card number (masked)"), pan);
    }
    Answered {
        fact,
        frames: record.frames,
    }
}

#[cfg(test)]
mod tests {
    use super::cause_of;

    #[test]
    fn read_aborts_to_causes() {
        assert_eq!(cause_of(0xE2), "reader.not_answering");
        assert_eq!(cause_of(0xDC), "reader.card_inserted");
        assert_eq!(cause_of(0x64), "reader.unreadable");
    }
}
