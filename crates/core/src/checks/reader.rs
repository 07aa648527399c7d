//! Area reader: the card reader's state (terminal status E2 / DC / E1, TLV 1F55 reader bits)
//! and, when the profile allows it, a card-read test with Read Card (`06 C0`).
//!
//! Read Card returns track data. The test keeps only the masked PAN (BIN + last four) as
//! evidence; the frames it captured are redacted at the source.

use std::time::Duration;

use super::common::{cause_of_status, no_answer, status_text};
use super::probe::TerminalProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::drivers::zvt::CommandRecord;
use crate::i18n::Text;
use crate::proto::zvt::codes::result_code;
use crate::proto::zvt::device::LockBit;
use crate::proto::zvt::message::{EcrMessage, PtMessage, ReadCard};
use crate::tr;

pub const STATUS: CheckSpec = CheckSpec {
    id: "reader.status",
    area: Area::Reader,
    title: Text::fixed("读卡器状态", "card reader state"),
};

pub const CARD_READ: CheckSpec = CheckSpec {
    id: "reader.card_read",
    area: Area::Reader,
    title: Text::fixed("读卡测试", "card-read test"),
};

pub async fn status(probe: &TerminalProbe) -> CheckResult {
    let snapshot = match probe.status().await {
        Ok(s) => s,
        Err(f) => return no_answer(STATUS.id, Area::Reader, f),
    };
    let terminal_status = snapshot.completion.terminal_status;
    let from_status = cause_of_status(terminal_status).filter(|c| c.starts_with("reader."));
    let locks = snapshot.diagnostics.locks.as_ref();
    let from_locks = locks.and_then(|l| {
        if l.is_set(LockBit::CardReaderNotFound) {
            Some("reader.not_answering")
        } else if l.is_set(LockBit::CardStillInserted) {
            Some("reader.card_inserted")
        } else {
            None
        }
    });
    let mut r = match from_status.or(from_locks) {
        Some("reader.not_answering") => CheckResult::new(
            STATUS.id,
            Area::Reader,
            CheckStatus::Fail,
            tr!(
                "读卡器无应答或故障：重启终端；仍不行则送修",
                "the card reader does not answer or is defective: restart the terminal; if it persists, send it for repair"
            ),
        )
        .with_cause("reader.not_answering"),
        Some("reader.card_inserted") => CheckResult::new(
            STATUS.id,
            Area::Reader,
            CheckStatus::Fail,
            tr!(
                "读卡器中仍有卡：请顾客取出卡片后再交易",
                "a card is still in the reader: have the customer remove it before the next payment"
            ),
        )
        .with_cause("reader.card_inserted"),
        Some(other) => CheckResult::new(
            STATUS.id,
            Area::Reader,
            CheckStatus::Fail,
            tr!("读卡器报告故障", "the card reader reports a fault"),
        )
        .with_cause(other),
        None => CheckResult::new(
            STATUS.id,
            Area::Reader,
            CheckStatus::Pass,
            tr!("读卡器未报告问题", "the card reader reports no problem"),
        ),
    };
    r = r.with_evidence_text(
        Text::fixed("终端状态", "terminal status"),
        status_text(terminal_status),
    );
    if let Some(l) = locks {
        r = r.with_evidence(
            Text::fixed("TLV 1F55 锁定位", "TLV 1F55 lock bits"),
            hex::encode_upper(&l.raw),
        );
    }
    r.frames = snapshot.record.frames.clone();
    r
}

/// The card-read test. `enabled` comes from the profile (`read_card_probe`).
pub async fn card_read(probe: &TerminalProbe, enabled: bool, timeout: Duration) -> CheckResult {
    if !enabled {
        return CheckResult::new(
            CARD_READ.id,
            Area::Reader,
            CheckStatus::Skip,
            tr!(
                "读卡测试需要在终端上刷/插一张测试卡：在配置中设置 read_card_probe = true 后运行",
                "the card-read test needs a test card at the terminal: set read_card_probe = true in the profile to run it"
            ),
        );
    }
    // Let the status probe go first: it tells whether the terminal answers at all.
    if let Err(failure) = probe.status().await {
        return no_answer(CARD_READ.id, Area::Reader, failure);
    }
    let seconds = u8::try_from(timeout.as_secs().clamp(1, 255)).unwrap_or(u8::MAX);
    let command = EcrMessage::ReadCard(ReadCard {
        timeout_s: Some(seconds),
        ..ReadCard::default()
    });
    match probe.channel().run(&command).await {
        Ok(record) => judge_read(record),
        Err(failure) => no_answer(CARD_READ.id, Area::Reader, &failure),
    }
}

fn judge_read(record: CommandRecord) -> CheckResult {
    let id = CARD_READ.id;
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
    let mut r = match &record.exchange.end {
        PtMessage::Abort(abort) => {
            let info = result_code(abort.result_code);
            let code = abort.result_code;
            let meaning = info.text;
            let cause = match code {
                0xE2 | 0xFC | 0xDD | 0xDE => "reader.not_answering",
                0xDC => "reader.card_inserted",
                _ => "reader.unreadable",
            };
            CheckResult::new(
                id,
                Area::Reader,
                CheckStatus::Fail,
                Text::new(
                    format!("读卡失败：结果码 {code:02X} {}。清洁读卡器，换一张已知良好的卡再试", meaning.zh),
                    format!(
                        "card read failed: result {code:02X} {}. Clean the reader and try a known-good card",
                        meaning.en
                    ),
                ),
            )
            .with_cause(cause)
        }
        _ => CheckResult::new(
            id,
            Area::Reader,
            CheckStatus::Pass,
            tr!("测试卡读取成功", "the test card was read"),
        ),
    };
    if let Some(pan) = masked {
        r = r.with_evidence(Text::fixed("卡号（已脱敏）", "card number (masked)"), pan);
    }
    r.frames = record.frames;
    r
}
