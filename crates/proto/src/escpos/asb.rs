//! Automatic Status Back (ASB, docs/protocols/escpos.md §5): the 4-byte packet a printer sends
//! after `GS a n` and on every change of an enabled item — sometimes unasked (DIP SW 2-1 on).
//!
//! Byte 1 has the pattern `0xx1xx00`, bytes 2–4 `0xx0xxxx`; the first byte is what separates a
//! packet from GS r replies in a stream.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::bits::{field, BitField, BitState, ReplyLayout, ASB_FIRST, ASB_REST};
use super::error::EscPosDecodeError;
use super::query::{AsbTriggers, Query};

/// Bit masks of the four ASB bytes.
pub mod masks {
    /// Byte 1.
    pub const DRAWER_PIN3_HIGH: u8 = 0x04;
    pub const OFFLINE: u8 = 0x08;
    pub const COVER_OPEN: u8 = 0x20;
    pub const PAPER_FED_BY_BUTTON: u8 = 0x40;
    /// Byte 2 (bits 0–2 undefined on TM-T88III).
    pub const WAITING_ONLINE_RECOVERY: u8 = 0x01;
    pub const FEED_BUTTON_PRESSED: u8 = 0x02;
    pub const RECOVERABLE_ERROR: u8 = 0x04;
    pub const AUTOCUTTER_ERROR: u8 = 0x08;
    pub const UNRECOVERABLE_ERROR: u8 = 0x20;
    pub const AUTO_RECOVERABLE_ERROR: u8 = 0x40;
    /// Byte 3.
    pub const NEAR_END: u8 = 0x03;
    pub const PAPER_END: u8 = 0x0C;
}

/// Length of an ASB packet.
pub const ASB_LEN: usize = 4;

#[rustfmt::skip]
static BYTE1_FIELDS: [BitField; 4] = [
    field!("drawer_pin3", masks::DRAWER_PIN3_HIGH, ("钱箱接口第 3 脚", "drawer connector pin 3"), set("高电平", "HIGH"), clear("低电平", "LOW")),
    field!("offline", masks::OFFLINE, ("联机状态", "online state"), set("脱机", "offline"), clear("联机", "online")),
    field!("cover_open", masks::COVER_OPEN, ("打印机盖", "cover"), set("打开", "open"), clear("关闭", "closed")),
    field!("paper_fed_by_button", masks::PAPER_FED_BY_BUTTON, ("进纸键走纸", "paper fed by FEED button"), set("正在走纸", "feeding"), clear("否", "no")),
];

#[rustfmt::skip]
static BYTE2_FIELDS: [BitField; 6] = [
    field!("waiting_online_recovery", masks::WAITING_ONLINE_RECOVERY, ("等待恢复联机", "waiting for online recovery"), set("正在等待（较新机型）", "waiting (newer models)"), clear("否", "no")),
    field!("feed_button_pressed", masks::FEED_BUTTON_PRESSED, ("进纸键", "paper feed button"), set("按下（较新机型）", "pressed (newer models)"), clear("未按下", "not pressed")),
    field!("recoverable_error", masks::RECOVERABLE_ERROR, ( "可恢复错误（非切刀，如卡纸）", "recoverable error (not cutter, e.g. jam)"),
        set("有", "present"),
        clear("无", "none")
    ),
    field!("autocutter_error", masks::AUTOCUTTER_ERROR, ("自动切刀错误", "autocutter error"), set("有", "present"), clear("无", "none")),
    field!("unrecoverable_error", masks::UNRECOVERABLE_ERROR, ("不可恢复错误", "unrecoverable error"), set("有", "present"), clear("无", "none")),
    field!("auto_recoverable_error", masks::AUTO_RECOVERABLE_ERROR, ( "可自动恢复错误（打印头过热或打印中开盖）", "auto-recoverable error (head too hot, or cover opened while printing)"),
        set("打印暂停", "printing paused"),
        clear("无", "none")
    ),
];

#[rustfmt::skip]
static BYTE3_FIELDS: [BitField; 2] = [
    field!("near_end", masks::NEAR_END, ("纸将尽", "paper near end"), set("纸将尽", "near end"), clear("纸量充足", "adequate")),
    field!("paper_end", masks::PAPER_END, ("纸尽", "paper end"), set("缺纸", "no paper"), clear("有纸", "paper present")),
];

/// Layouts of ASB bytes 1–4 (byte 4 has no defined bits).
pub static ASB_LAYOUTS: [ReplyLayout; ASB_LEN] = [
    ReplyLayout {
        fixed: ASB_FIRST,
        fields: &BYTE1_FIELDS,
    },
    ReplyLayout {
        fixed: ASB_REST,
        fields: &BYTE2_FIELDS,
    },
    ReplyLayout {
        fixed: ASB_REST,
        fields: &BYTE3_FIELDS,
    },
    ReplyLayout {
        fixed: ASB_REST,
        fields: &[],
    },
];

/// One Automatic Status Back packet; keeps the four raw bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AsbStatus {
    raw: [u8; ASB_LEN],
}

impl AsbStatus {
    /// Decodes exactly four bytes, checking every byte's fixed bits.
    pub fn decode(bytes: &[u8]) -> Result<Self, EscPosDecodeError> {
        let query = Query::AutoStatusBack(AsbTriggers::STANDARD);
        let raw: [u8; ASB_LEN] = bytes
            .try_into()
            .map_err(|_| EscPosDecodeError::WrongLength {
                query,
                expected: ASB_LEN,
                got: bytes.len(),
            })?;
        for (index, (byte, layout)) in raw.iter().zip(ASB_LAYOUTS.iter()).enumerate() {
            // index < 4, so the cast cannot truncate.
            layout.check(*byte, query, index as u8, index)?;
        }
        Ok(AsbStatus { raw })
    }

    pub fn raw(&self) -> [u8; ASB_LEN] {
        self.raw
    }

    fn bit(&self, byte: usize, mask: u8) -> bool {
        self.raw.get(byte).is_some_and(|b| b & mask == mask)
    }

    fn state(&self, byte: usize, mask: u8) -> BitState {
        BitState::of(self.raw.get(byte).copied().unwrap_or(0), mask)
    }

    pub fn drawer_pin3_high(&self) -> bool {
        self.bit(0, masks::DRAWER_PIN3_HIGH)
    }
    pub fn offline(&self) -> bool {
        self.bit(0, masks::OFFLINE)
    }
    pub fn cover_open(&self) -> bool {
        self.bit(0, masks::COVER_OPEN)
    }
    pub fn paper_fed_by_button(&self) -> bool {
        self.bit(0, masks::PAPER_FED_BY_BUTTON)
    }
    pub fn waiting_online_recovery(&self) -> bool {
        self.bit(1, masks::WAITING_ONLINE_RECOVERY)
    }
    pub fn feed_button_pressed(&self) -> bool {
        self.bit(1, masks::FEED_BUTTON_PRESSED)
    }
    pub fn recoverable_error(&self) -> bool {
        self.bit(1, masks::RECOVERABLE_ERROR)
    }
    pub fn autocutter_error(&self) -> bool {
        self.bit(1, masks::AUTOCUTTER_ERROR)
    }
    pub fn unrecoverable_error(&self) -> bool {
        self.bit(1, masks::UNRECOVERABLE_ERROR)
    }
    pub fn auto_recoverable_error(&self) -> bool {
        self.bit(1, masks::AUTO_RECOVERABLE_ERROR)
    }
    /// Byte 3 bits 0+1.
    pub fn near_end(&self) -> BitState {
        self.state(2, masks::NEAR_END)
    }
    /// Byte 3 bits 2+3.
    pub fn paper_end(&self) -> BitState {
        self.state(2, masks::PAPER_END)
    }
}

impl Serialize for AsbStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields: usize = ASB_LAYOUTS.iter().map(|l| l.fields.len()).sum();
        let mut map = s.serialize_map(Some(fields + 1))?;
        map.serialize_entry("raw", &hex::encode(self.raw))?;
        for (byte, layout) in self.raw.iter().zip(ASB_LAYOUTS.iter()) {
            for field in layout.fields {
                map.serialize_entry(field.id, &field.state(*byte))?;
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_packets() {
        let clear = AsbStatus::decode(&[0x10, 0, 0, 0]).unwrap();
        assert!(!clear.offline() && clear.near_end() == BitState::Clear);
        let cover = AsbStatus::decode(&[0x38, 0, 0x03, 0]).unwrap();
        assert!(cover.offline() && cover.cover_open() && cover.near_end() == BitState::Set);
        assert!(AsbStatus::decode(&[0x14, 0, 0, 0])
            .unwrap()
            .drawer_pin3_high());
    }

    #[test]
    fn bad_second_byte_names_its_index() {
        match AsbStatus::decode(&[0x10, 0x10, 0, 0]) {
            Err(EscPosDecodeError::InvalidStatusByte {
                index: 1,
                offset: 1,
                ..
            }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
}
