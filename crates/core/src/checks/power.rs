//! Area power: supply voltage (terminal status BF) and battery (TLV 1F55 low-battery bit).

use super::common::{no_answer, status_text};
use super::probe::TerminalProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::i18n::Text;
use crate::proto::zvt::codes::TerminalStatus;
use crate::proto::zvt::device::LockBit;
use crate::tr;

pub const SUPPLY: CheckSpec = CheckSpec {
    id: "power.supply",
    area: Area::Power,
    title: Text::fixed("供电电压", "supply voltage"),
};

pub const BATTERY: CheckSpec = CheckSpec {
    id: "power.battery",
    area: Area::Power,
    title: Text::fixed("电池", "battery"),
};

pub async fn supply(probe: &TerminalProbe) -> CheckResult {
    let snapshot = match probe.status().await {
        Ok(s) => s,
        Err(f) => return no_answer(SUPPLY.id, Area::Power, f),
    };
    let status = snapshot.completion.terminal_status;
    let mut r = if status == TerminalStatus::SupplyVoltageTooLow {
        CheckResult::new(
            SUPPLY.id,
            Area::Power,
            CheckStatus::Fail,
            tr!(
                "终端报告供电电压过低：换一个电源适配器或线缆，恢复后补打最后一笔交易的小票确认结果",
                "the terminal reports its supply voltage too low: try another power adapter or cable; afterwards reprint the last receipt to confirm the last transaction"
            ),
        )
        .with_cause("power.low_voltage")
    } else {
        CheckResult::new(
            SUPPLY.id,
            Area::Power,
            CheckStatus::Pass,
            tr!(
                "终端未报告供电问题",
                "the terminal reports no supply problem"
            ),
        )
    };
    r = r.with_evidence_text(
        Text::fixed("终端状态", "terminal status"),
        status_text(status),
    );
    r.frames = snapshot.record.frames.clone();
    r
}

pub async fn battery(probe: &TerminalProbe) -> CheckResult {
    let snapshot = match probe.status().await {
        Ok(s) => s,
        Err(f) => return no_answer(BATTERY.id, Area::Power, f),
    };
    let Some(locks) = &snapshot.diagnostics.locks else {
        return CheckResult::new(
            BATTERY.id,
            Area::Power,
            CheckStatus::Skip,
            tr!(
                "终端未报告锁定状态（TLV 1F55），无法判断电池",
                "the terminal did not report its locks (TLV 1F55), so the battery cannot be judged"
            ),
        );
    };
    let raw = hex::encode_upper(&locks.raw);
    let mut r = if locks.is_set(LockBit::LowBattery) {
        CheckResult::new(
            BATTERY.id,
            Area::Power,
            CheckStatus::Fail,
            tr!(
                "终端报告电池电量低：接上电源充电；若很快又没电，更换电池",
                "the terminal reports a low battery: connect the charger; if it drains quickly again, replace the battery"
            ),
        )
        .with_cause("power.low_battery")
    } else {
        CheckResult::new(
            BATTERY.id,
            Area::Power,
            CheckStatus::Pass,
            tr!("电池未报告问题", "no battery problem reported"),
        )
    };
    r = r.with_evidence(Text::fixed("TLV 1F55 锁定位", "TLV 1F55 lock bits"), raw);
    r.frames = snapshot.record.frames.clone();
    r
}
