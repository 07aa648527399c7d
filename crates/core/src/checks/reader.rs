//! Area reader: the card reader's state as the terminal reports it and, when the profile
//! allows it, a card-read test (the driver's read command).
//!
//! A card read returns track data. The driver keeps only the masked PAN (BIN + last four) as
//! evidence; the frames it captured are redacted at the source.

use std::time::Duration;

use super::common::{from_fact, no_answer, not_reported};
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::drivers::terminal::TerminalProbe;
use crate::i18n::Text;
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
    match probe.status().await {
        Ok(f) => from_fact(STATUS.id, Area::Reader, f.reader.as_ref(), &f.frames),
        Err(f) => no_answer(STATUS.id, Area::Reader, f),
    }
}

/// The card-read test. `enabled` comes from the profile (`read_card_probe`).
pub async fn card_read(probe: &TerminalProbe, enabled: bool, timeout: Duration) -> CheckResult {
    let id = CARD_READ.id;
    if !probe.driver().reads_cards() {
        return CheckResult::new(
            id,
            Area::Reader,
            CheckStatus::Skip,
            tr!(
                "此终端的协议没有只读的读卡命令（只有付款才读卡）",
                "this terminal's protocol has no read-only card read (only a payment reads a card)"
            ),
        );
    }
    if !enabled {
        return CheckResult::new(
            id,
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
        return no_answer(id, Area::Reader, failure);
    }
    match probe.driver().read_card(timeout).await {
        Some(Ok(answered)) => from_fact(id, Area::Reader, Some(&answered.fact), &answered.frames),
        Some(Err(failure)) => no_answer(id, Area::Reader, &failure),
        None => not_reported(id, Area::Reader),
    }
}
