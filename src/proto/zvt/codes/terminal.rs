//! Terminal status codes (Status-Enquiry completion, PA00P015 ch.11, reference §9) with the
//! recovery action the spec recommends.
//!
//! Common misreadings this table avoids: DC is "card inserted" (not a reader fault; reader
//! faults are E2), F1 is not a terminal status, 9A is a result code.

use serde::Serialize;

use super::unknown_code;
use crate::i18n::Text;
use crate::proto::area::Area;

/// The terminal-status byte of a Status-Enquiry completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TerminalStatus {
    Ready,
    InitialisationRequired,
    DateTimeIncorrect,
    PleaseWait,
    PartialIssueOfGoods,
    MemoryFull,
    MerchantJournalFull,
    SupplyVoltageTooLow,
    CardLockingMechanismDefect,
    MerchantCardLocked,
    DiagnosisRequired,
    CardProfileInvalid,
    PrinterNotReady,
    CardInserted,
    OutOfOrder,
    RemoteMaintenanceActivated,
    CardNotCompletelyRemoved,
    CardReaderNotAnswering,
    ShutterClosed,
    TerminalActivationRequired,
    ReconciliationRequired,
    OptDataNotAvailable,
    /// A code not in the table.
    Other(u8),
}

use TerminalStatus as S;

/// (status, code, meaning zh, meaning en, recovery zh, recovery en, area, recovery command)
type Row = (
    TerminalStatus,
    u8,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Area,
    Option<[u8; 2]>,
);

#[rustfmt::skip]
static TERMINAL_STATUS: &[Row] = &[
    (S::Ready, 0x00, "终端就绪", "PT ready", "无需操作", "none", Area::Terminal, None),
    (S::InitialisationRequired, 0x51, "需要初始化", "initialisation required", "执行初始化 (06 93)", "run Initialisation (06 93)", Area::Terminal, Some([0x06, 0x93])),
    (S::DateTimeIncorrect, 0x62, "日期/时间不正确", "date/time incorrect", "设置日期时间 (06 91) 或执行诊断（从主机取时间）", "Set Date/Time (06 91) or run Diagnosis (time from host)", Area::Clock, Some([0x06, 0x91])),
    (S::PleaseWait, 0x9C, "请稍候（如正在软件更新）", "please wait (e.g. software update running)", "等待后再次查询", "wait, then poll again", Area::Terminal, None),
    (S::PartialIssueOfGoods, 0x9D, "部分出货", "partial issue of goods", "规范未定义恢复操作", "no recovery action defined in the spec", Area::Terminal, None),
    (S::MemoryFull, 0xB1, "存储已满", "memory full", "执行日结或联系技术员", "run End-of-Day or call a technician", Area::Terminal, Some([0x06, 0x50])),
    (S::MerchantJournalFull, 0xB2, "商户流水已满", "merchant journal full", "读取和/或删除文件 (08 11 / 08 12)", "Read File and/or Delete File (08 11 / 08 12)", Area::Terminal, Some([0x08, 0x11])),
    (S::SupplyVoltageTooLow, 0xBF, "供电电压过低", "supply voltage too low", "联系技术员：检查电源", "call a technician: check the power supply", Area::Power, None),
    (S::CardLockingMechanismDefect, 0xC0, "卡锁定机构故障", "card locking mechanism defect", "联系技术员", "call a technician", Area::Reader, None),
    (S::MerchantCardLocked, 0xC1, "商户卡已锁定", "merchant card locked", "设置日期时间或执行诊断；重新登记商户卡；否则联系技术员", "Set Date/Time or Diagnosis; re-register the merchant card; else call a technician", Area::Terminal, Some([0x06, 0x70])),
    (S::DiagnosisRequired, 0xC2, "需要诊断", "diagnosis required", "执行诊断 (06 70)", "run Diagnosis (06 70)", Area::Terminal, Some([0x06, 0x70])),
    (S::CardProfileInvalid, 0xC4, "卡配置文件无效", "card profile invalid", "软件更新 (08 10) 或联系技术员", "Software-Update (08 10) or call a technician", Area::Terminal, Some([0x08, 0x10])),
    (S::PrinterNotReady, 0xCC, "打印机未就绪", "printer not ready", "检查打印纸和打印机，否则联系技术员", "check the paper and the printer, else call a technician", Area::Printer, None),
    (S::CardInserted, 0xDC, "卡片已插入", "card inserted", "终端就绪：处理该卡，或用中止 (06 B0) 退卡", "PT ready: process the card or eject it with Abort (06 B0)", Area::Reader, Some([0x06, 0xB0])),
    (S::OutOfOrder, 0xDF, "终端故障停用", "out of order", "联系技术员", "call a technician", Area::Terminal, None),
    (S::RemoteMaintenanceActivated, 0xE0, "远程维护已激活", "remote maintenance activated", "等待或联系技术员", "wait, or call a technician", Area::Terminal, None),
    (S::CardNotCompletelyRemoved, 0xE1, "卡片未完全取出", "card not completely removed", "完全取出卡片", "remove the card completely", Area::Reader, None),
    (S::CardReaderNotAnswering, 0xE2, "读卡器无应答/故障", "card reader not answering / defective", "联系技术员", "call a technician", Area::Reader, None),
    (S::ShutterClosed, 0xE3, "挡板已关闭", "shutter closed", "规范未定义恢复操作；检查读卡器挡板", "no recovery action in the spec; check the reader shutter", Area::Reader, None),
    (S::TerminalActivationRequired, 0xE4, "需要激活终端", "terminal activation required", "联系技术员", "call a technician", Area::Terminal, None),
    (S::ReconciliationRequired, 0xF0, "需要对账（日结）", "reconciliation required", "执行日结 (06 50)", "run End-of-Day (06 50)", Area::Terminal, Some([0x06, 0x50])),
    (S::OptDataNotAvailable, 0xF6, "OPT 数据不可用", "OPT data not available", "OPT 个性化（未核实）", "OPT personalisation (unverified)", Area::Terminal, None),
];

impl TerminalStatus {
    fn row(self) -> Option<&'static Row> {
        TERMINAL_STATUS.iter().find(|r| r.0 == self)
    }

    pub fn from_byte(code: u8) -> TerminalStatus {
        TERMINAL_STATUS
            .iter()
            .find(|r| r.1 == code)
            .map(|r| r.0)
            .unwrap_or(S::Other(code))
    }

    pub fn to_byte(self) -> u8 {
        match self {
            S::Other(code) => code,
            known => known.row().map(|r| r.1).unwrap_or_default(),
        }
    }

    /// True only for `00`.
    pub fn is_ready(self) -> bool {
        self == S::Ready
    }

    /// What the status means.
    pub fn meaning(self) -> Text {
        match self.row() {
            Some(r) => Text::fixed(r.2, r.3),
            None => unknown_code(self.to_byte()),
        }
    }

    /// What to do about it.
    pub fn recovery(self) -> Text {
        match self.row() {
            Some(r) => Text::fixed(r.4, r.5),
            None => Text::fixed(
                "查阅终端厂商文档",
                "look the code up in the vendor documentation",
            ),
        }
    }

    /// The diagnostic area the status points to.
    pub fn area(self) -> Area {
        self.row().map(|r| r.6).unwrap_or(Area::Terminal)
    }

    /// The ZVT command (CLASS, INSTR) of the recovery action, if it is one command. This is a
    /// suggestion to show behind a confirmation, never something to run automatically.
    pub fn recovery_command(self) -> Option<[u8; 2]> {
        self.row().and_then(|r| r.7)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_every_byte() {
        for code in 0..=255u8 {
            let s = TerminalStatus::from_byte(code);
            assert_eq!(s.to_byte(), code);
            assert!(!s.meaning().is_incomplete() && !s.recovery().is_incomplete());
        }
    }

    #[test]
    fn names_that_say_what_they_are() {
        assert_eq!(
            TerminalStatus::from_byte(0xDC),
            TerminalStatus::CardInserted
        );
        assert_eq!(
            TerminalStatus::from_byte(0xE2),
            TerminalStatus::CardReaderNotAnswering
        );
        assert_eq!(TerminalStatus::from_byte(0xE2).area(), Area::Reader);
        assert_eq!(
            TerminalStatus::from_byte(0xF0).recovery_command(),
            Some([0x06, 0x50])
        );
        assert_eq!(TerminalStatus::from_byte(0x9A), TerminalStatus::Other(0x9A));
        assert_eq!(
            TerminalStatus::from_byte(0x9A).meaning().en,
            "unknown code 0x9A"
        );
        assert!(TerminalStatus::from_byte(0).is_ready());
    }
}
