//! DLE EOT n replies (real-time status, docs/protocols/escpos.md §2): one byte each, pattern
//! `0xx1xx10`.
//!
//! Each type keeps the raw byte; accessors read the bits of the reference's tables. Bit masks
//! are public constants so the simulator encoder sets exactly the bits the decoder reads.

use super::bits::{field, status_byte, BitField, BitState, ReplyLayout, DLE_EOT_REPLY};
use super::query::{EotQuery, Query};

/// Bit masks of DLE EOT 1 (printer status, §2.1).
pub mod eot1 {
    pub const DRAWER_PIN3_HIGH: u8 = 0x04;
    pub const OFFLINE: u8 = 0x08;
    pub const WAITING_ONLINE_RECOVERY: u8 = 0x20;
    pub const FEED_BUTTON_PRESSED: u8 = 0x40;
}

/// Bit masks of DLE EOT 2 (offline cause, §2.2).
pub mod eot2 {
    pub const COVER_OPEN: u8 = 0x04;
    pub const PAPER_FED_BY_BUTTON: u8 = 0x08;
    pub const STOPPED_BY_PAPER_END: u8 = 0x20;
    pub const ERROR_OCCURRED: u8 = 0x40;
}

/// Bit masks of DLE EOT 3 (error cause, §2.3).
pub mod eot3 {
    pub const RECOVERABLE_ERROR: u8 = 0x04;
    pub const AUTOCUTTER_ERROR: u8 = 0x08;
    pub const UNRECOVERABLE_ERROR: u8 = 0x20;
    pub const AUTO_RECOVERABLE_ERROR: u8 = 0x40;
}

/// Bit masks of DLE EOT 4 (roll paper sensor, §2.4).
pub mod eot4 {
    pub const NEAR_END: u8 = 0x0C;
    pub const PAPER_END: u8 = 0x60;
}

/// Bit masks of DLE EOT 7 / 8 (§2.5).
pub mod eot78 {
    pub const INK_NEAR_END: u8 = 0x04;
    pub const INK_END: u8 = 0x08;
    pub const CARTRIDGE_MISSING: u8 = 0x20;
    pub const CLEANING: u8 = 0x40;
    pub const WAITING_LABEL_REMOVAL: u8 = 0x04;
    pub const NO_PAPER_IN_PEELER: u8 = 0x20;
}

#[rustfmt::skip]
static EOT1_FIELDS: [BitField; 4] = [
    field!("drawer_pin3", eot1::DRAWER_PIN3_HIGH, ("钱箱接口第 3 脚", "drawer connector pin 3"), set("高电平", "HIGH"), clear("低电平", "LOW")),
    field!("offline", eot1::OFFLINE, ("联机状态", "online state"), set("脱机", "offline"), clear("联机", "online")),
    field!("waiting_online_recovery", eot1::WAITING_ONLINE_RECOVERY, ("等待恢复联机", "waiting for online recovery"), set("正在等待（较新机型）", "waiting (newer models)"), clear("否", "no")),
    field!("feed_button_pressed", eot1::FEED_BUTTON_PRESSED, ("进纸键", "paper feed button"), set("按下（较新机型）", "pressed (newer models)"), clear("未按下", "not pressed")),
];

#[rustfmt::skip]
static EOT2_FIELDS: [BitField; 4] = [
    field!("cover_open", eot2::COVER_OPEN, ("打印机盖", "cover"), set("打开", "open"), clear("关闭", "closed")),
    field!("paper_fed_by_button", eot2::PAPER_FED_BY_BUTTON, ("进纸键走纸", "paper fed by FEED button"), set("正在走纸", "feeding"), clear("否", "no")),
    field!("stopped_by_paper_end", eot2::STOPPED_BY_PAPER_END, ("因纸尽停止打印", "printing stopped by paper end"), set("已停止", "stopped"), clear("否", "no")),
    field!("error_occurred", eot2::ERROR_OCCURRED, ("发生错误", "error occurred"), set("有错误", "error"), clear("无错误", "no error")),
];

#[rustfmt::skip]
static EOT3_FIELDS: [BitField; 4] = [
    field!("recoverable_error", eot3::RECOVERABLE_ERROR, ( "可恢复错误（非切刀，如卡纸）", "recoverable error (not cutter, e.g. jam)"),
        set("有", "present"),
        clear("无", "none")
    ),
    field!("autocutter_error", eot3::AUTOCUTTER_ERROR, ("自动切刀错误", "autocutter error"), set("有", "present"), clear("无", "none")),
    field!("unrecoverable_error", eot3::UNRECOVERABLE_ERROR, ("不可恢复错误", "unrecoverable error"), set("有", "present"), clear("无", "none")),
    field!("auto_recoverable_error", eot3::AUTO_RECOVERABLE_ERROR, ( "可自动恢复错误（打印头过热或打印中开盖）", "auto-recoverable error (head too hot, or cover opened while printing)"),
        set("打印暂停", "printing paused"),
        clear("无", "none")
    ),
];

#[rustfmt::skip]
static EOT4_FIELDS: [BitField; 2] = [
    field!("near_end", eot4::NEAR_END, ("纸将尽", "paper near end"), set("纸将尽", "near end"), clear("纸量充足", "adequate")),
    field!("paper_end", eot4::PAPER_END, ("纸尽", "roll end"), set("缺纸", "no paper"), clear("有纸", "paper present")),
];

#[rustfmt::skip]
static INK_B_FIELDS: [BitField; 3] = [
    field!("ink_near_end", eot78::INK_NEAR_END, ("墨水将尽", "ink near end"), set("是", "yes"), clear("否", "no")),
    field!("ink_end", eot78::INK_END, ("墨水用尽", "ink end"), set("是", "yes"), clear("否", "no")),
    field!("cartridge_missing", eot78::CARTRIDGE_MISSING, ("墨盒", "cartridge"), set("未检测到", "not detected"), clear("已检测到", "detected")),
];

#[rustfmt::skip]
static INK_A_FIELDS: [BitField; 4] = [
    field!("ink_near_end", eot78::INK_NEAR_END, ("墨水将尽", "ink near end"), set("是", "yes"), clear("否", "no")),
    field!("ink_end", eot78::INK_END, ("墨水用尽", "ink end"), set("是", "yes"), clear("否", "no")),
    field!("cartridge_missing", eot78::CARTRIDGE_MISSING, ("墨盒", "cartridge"), set("未检测到", "not detected"), clear("已检测到", "detected")),
    field!("cleaning", eot78::CLEANING, ("清洗（未核实）", "cleaning (unverified)"), set("进行中", "in progress"), clear("否", "no")),
];

#[rustfmt::skip]
static PEELER_FIELDS: [BitField; 2] = [
    field!("waiting_label_removal", eot78::WAITING_LABEL_REMOVAL, ( "等待取走标签（未核实）", "waiting for label removal (unverified)"),
        set("是", "yes"),
        clear("否", "no")
    ),
    field!("no_paper_in_peeler", eot78::NO_PAPER_IN_PEELER, ( "剥离检测器无纸（未核实）", "no paper in peeling detector (unverified)"),
        set("是", "yes"),
        clear("否", "no")
    ),
];

pub static EOT1_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: DLE_EOT_REPLY,
    fields: &EOT1_FIELDS,
};
pub static EOT2_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: DLE_EOT_REPLY,
    fields: &EOT2_FIELDS,
};
pub static EOT3_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: DLE_EOT_REPLY,
    fields: &EOT3_FIELDS,
};
pub static EOT4_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: DLE_EOT_REPLY,
    fields: &EOT4_FIELDS,
};
pub static INK_A_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: DLE_EOT_REPLY,
    fields: &INK_A_FIELDS,
};
pub static INK_B_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: DLE_EOT_REPLY,
    fields: &INK_B_FIELDS,
};
pub static PEELER_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: DLE_EOT_REPLY,
    fields: &PEELER_FIELDS,
};

status_byte!(
    /// DLE EOT 1: printer status.
    PrinterStatus, EOT1_LAYOUT, Query::RealTime(EotQuery::PrinterStatus)
);

impl PrinterStatus {
    /// Level of drawer connector pin 3. Whether HIGH means "open" depends on the drawer.
    pub fn drawer_pin3_high(self) -> bool {
        self.bit(eot1::DRAWER_PIN3_HIGH)
    }
    pub fn offline(self) -> bool {
        self.bit(eot1::OFFLINE)
    }
    /// Newer models only; reserved on TM-U220A, TM-L60II, TM-U295.
    pub fn waiting_online_recovery(self) -> bool {
        self.bit(eot1::WAITING_ONLINE_RECOVERY)
    }
    /// Newer models only.
    pub fn feed_button_pressed(self) -> bool {
        self.bit(eot1::FEED_BUTTON_PRESSED)
    }
}

status_byte!(
    /// DLE EOT 2: offline cause.
    OfflineCause, EOT2_LAYOUT, Query::RealTime(EotQuery::OfflineCause)
);

impl OfflineCause {
    pub fn cover_open(self) -> bool {
        self.bit(eot2::COVER_OPEN)
    }
    pub fn paper_fed_by_button(self) -> bool {
        self.bit(eot2::PAPER_FED_BY_BUTTON)
    }
    /// Also set when a near-end sensor was made a stop sensor with `ESC c 4`.
    pub fn stopped_by_paper_end(self) -> bool {
        self.bit(eot2::STOPPED_BY_PAPER_END)
    }
    pub fn error_occurred(self) -> bool {
        self.bit(eot2::ERROR_OCCURRED)
    }
}

status_byte!(
    /// DLE EOT 3: error cause.
    ErrorCause, EOT3_LAYOUT, Query::RealTime(EotQuery::ErrorCause)
);

impl ErrorCause {
    /// Recoverable error other than the autocutter (jam); undefined on TM-T88III.
    pub fn recoverable_error(self) -> bool {
        self.bit(eot3::RECOVERABLE_ERROR)
    }
    pub fn autocutter_error(self) -> bool {
        self.bit(eot3::AUTOCUTTER_ERROR)
    }
    pub fn unrecoverable_error(self) -> bool {
        self.bit(eot3::UNRECOVERABLE_ERROR)
    }
    /// Head too hot, or the cover opened while printing; resumes by itself.
    pub fn auto_recoverable_error(self) -> bool {
        self.bit(eot3::AUTO_RECOVERABLE_ERROR)
    }
}

status_byte!(
    /// DLE EOT 4: roll paper sensor.
    PaperSensor, EOT4_LAYOUT, Query::RealTime(EotQuery::PaperSensor)
);

impl PaperSensor {
    /// Bits 2+3; both set is near end.
    pub fn near_end(self) -> BitState {
        self.state(eot4::NEAR_END)
    }
    /// Bits 5+6; both set is roll end (no paper).
    pub fn paper_end(self) -> BitState {
        self.state(eot4::PAPER_END)
    }
}

status_byte!(
    /// DLE EOT 7 1: ink A (ink printers).
    InkAStatus, INK_A_LAYOUT, Query::RealTime(EotQuery::InkA)
);

/// The bits both ink replies (DLE EOT 7 1 and 7 2) share.
macro_rules! ink_bits {
    ($ty:ty) => {
        impl $ty {
            pub fn ink_near_end(self) -> bool {
                self.bit(eot78::INK_NEAR_END)
            }
            pub fn ink_end(self) -> bool {
                self.bit(eot78::INK_END)
            }
            pub fn cartridge_missing(self) -> bool {
                self.bit(eot78::CARTRIDGE_MISSING)
            }
        }
    };
}

ink_bits!(InkAStatus);

impl InkAStatus {
    /// From the `escpos` crate only (unverified).
    pub fn cleaning(self) -> bool {
        self.bit(eot78::CLEANING)
    }
}

status_byte!(
    /// DLE EOT 7 2: ink B, the second colour (APG v10.01 p.306).
    InkBStatus, INK_B_LAYOUT, Query::RealTime(EotQuery::InkB)
);

ink_bits!(InkBStatus);

status_byte!(
    /// DLE EOT 8 3: label peeler (bits from the `escpos` crate, unverified).
    PeelerStatus, PEELER_LAYOUT, Query::RealTime(EotQuery::Peeler)
);

impl PeelerStatus {
    pub fn waiting_label_removal(self) -> bool {
        self.bit(eot78::WAITING_LABEL_REMOVAL)
    }
    pub fn no_paper_in_peeler(self) -> bool {
        self.bit(eot78::NO_PAPER_IN_PEELER)
    }
}

/// The reply layout of a DLE EOT query.
pub fn eot_layout(query: EotQuery) -> &'static ReplyLayout {
    match query {
        EotQuery::PrinterStatus => &EOT1_LAYOUT,
        EotQuery::OfflineCause => &EOT2_LAYOUT,
        EotQuery::ErrorCause => &EOT3_LAYOUT,
        EotQuery::PaperSensor => &EOT4_LAYOUT,
        EotQuery::InkA => &INK_A_LAYOUT,
        EotQuery::InkB => &INK_B_LAYOUT,
        EotQuery::Peeler => &PEELER_LAYOUT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escpos::EscPosDecodeError;

    #[test]
    fn eot1_idle_and_offline() {
        let idle = PrinterStatus::decode(0x12).unwrap();
        assert!(!idle.offline() && !idle.drawer_pin3_high());
        let pin3 = PrinterStatus::decode(0x16).unwrap();
        assert!(pin3.drawer_pin3_high() && !pin3.offline());
        assert!(PrinterStatus::decode(0x1A).unwrap().offline());
    }

    #[test]
    fn fixed_bits_rejected_with_mask() {
        match PrinterStatus::decode(0x10) {
            Err(EscPosDecodeError::InvalidStatusByte {
                byte: 0x10,
                mask: 0x93,
                expected: 0x12,
                ..
            }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}
