//! Power: supply voltage (terminal status BF) and battery (TLV 1F55 low-battery bit).

use super::status::{status_text, Snapshot, STATUS_LABEL};
use crate::drivers::terminal::{AreaFact, FactState};
use crate::i18n::Text;
use crate::proto::zvt::codes::TerminalStatus;
use crate::proto::zvt::device::LockBit;
use crate::tr;

pub(super) fn supply(s: &Snapshot<'_>) -> AreaFact {
    let status = s.status();
    let fact = if status == TerminalStatus::SupplyVoltageTooLow {
        AreaFact::new(
            FactState::Fault,
            tr!(
                "终端报告供电电压过低：换一个电源适配器或线缆，恢复后补打最后一笔交易的小票确认结果",
                "the terminal reports its supply voltage too low: try another power adapter or cable; afterwards reprint the last receipt to confirm the last transaction"
            ),
        )
        .with_cause(crate::cause!("power.low_voltage"))
    } else {
        AreaFact::new(
            FactState::Ok,
            tr!(
                "终端未报告供电问题",
                "the terminal reports no supply problem"
            ),
        )
    };
    fact.with_evidence_text(STATUS_LABEL, &status_text(status))
}

pub(super) fn battery(s: &Snapshot<'_>) -> AreaFact {
    let Some(locks) = &s.diagnostics.locks else {
        return AreaFact::new(
            FactState::Unknown,
            tr!(
                "终端未报告锁定状态（TLV 1F55），无法判断电池",
                "the terminal did not report its locks (TLV 1F55), so the battery cannot be judged"
            ),
        );
    };
    let fact = if locks.is_set(LockBit::LowBattery) {
        AreaFact::new(
            FactState::Fault,
            tr!(
                "终端报告电池电量低：接上电源充电；若很快又没电，更换电池",
                "the terminal reports a low battery: connect the charger; if it drains quickly again, replace the battery"
            ),
        )
        .with_cause(crate::cause!("power.low_battery"))
    } else {
        AreaFact::new(
            FactState::Ok,
            tr!("电池未报告问题", "no battery problem reported"),
        )
    };
    fact.with_evidence(
        Text::fixed("TLV 1F55 锁定位", "TLV 1F55 lock bits"),
        hex::encode_upper(&locks.raw),
    )
}
