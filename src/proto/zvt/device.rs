//! Terminal diagnostics carried in Status-Enquiry TLV (PA00P015 ch.9, reference §10): the
//! terminal lock bits (1F55), device information (E4: name, software, serial, device state,
//! TID, key generation) and the terminal clock (34 { 1F0E date, 1F0F time }).
//!
//! 1F44 (TID) and 34 (clock) may sit at the top level of the container or inside E4; both
//! places are read, the top level first.

use serde::Serialize;

use super::error::ZvtEncodeError;
use super::tlv::{find_tlv, Tlv};
use super::values::{
    bcd_string, decode_cp437, encode_cp437, parse_bcd_string, ZvtDate, ZvtDateTime, ZvtTime,
};
use crate::i18n::Text;
use crate::proto::area::Area;

/// One bit of TLV 1F55 (2 bytes; byte 1 bit 7 is the first byte's 0x80).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum LockBit {
    ReconciliationWithClosure,
    Initialisation,
    Diagnosis,
    Service,
    OutOfOrder,
    Printer,
    StartUpNeeded,
    SecureModuleChanged,
    TransactionLogDefective,
    CardReaderNotFound,
    CardStillInserted,
    SecureLinkNotReady,
    ActivationNeeded,
    LowBattery,
    ContactlessReaderNotInitialised,
    MdbNotReady,
}

use LockBit as L;

/// (bit, byte index, mask, zh, en, area)
#[rustfmt::skip]
static LOCK_BITS: &[(LockBit, usize, u8, &str, &str, Area)] = &[
    (L::ReconciliationWithClosure, 0, 0x80, "需日结（对账并结算）锁定", "reconciliation-with-closure lock", Area::Terminal),
    (L::Initialisation, 0, 0x40, "初始化锁定", "initialisation lock", Area::Terminal),
    (L::Diagnosis, 0, 0x20, "诊断锁定", "diagnosis lock", Area::Terminal),
    (L::Service, 0, 0x10, "服务锁定", "service lock", Area::Terminal),
    (L::OutOfOrder, 0, 0x08, "终端故障停用", "out of order", Area::Terminal),
    (L::Printer, 0, 0x04, "打印机锁定", "printer lock", Area::Printer),
    (L::StartUpNeeded, 0, 0x02, "需要启用（开通）终端", "terminal start-up needed", Area::Terminal),
    (L::SecureModuleChanged, 0, 0x01, "安全模块已更换", "secure module changed", Area::Keys),
    (L::TransactionLogDefective, 1, 0x80, "交易日志损坏", "transaction log defective", Area::Terminal),
    (L::CardReaderNotFound, 1, 0x40, "未找到读卡器", "card reader not found", Area::Reader),
    (L::CardStillInserted, 1, 0x20, "卡片仍插在读卡器中", "card still inserted", Area::Reader),
    (L::SecureLinkNotReady, 1, 0x10, "安全链路未就绪", "secure link not ready", Area::Network),
    (L::ActivationNeeded, 1, 0x08, "需要激活", "activation needed", Area::Terminal),
    (L::LowBattery, 1, 0x04, "电池电量低", "low battery", Area::Power),
    (L::ContactlessReaderNotInitialised, 1, 0x02, "非接读卡器未初始化", "contactless reader not initialised", Area::Reader),
    (L::MdbNotReady, 1, 0x01, "MDB 未就绪", "MDB not ready", Area::Terminal),
];

impl LockBit {
    fn row(self) -> Option<&'static (LockBit, usize, u8, &'static str, &'static str, Area)> {
        LOCK_BITS.iter().find(|r| r.0 == self)
    }

    pub fn text(self) -> Text {
        self.row()
            .map(|r| Text::fixed(r.3, r.4))
            .unwrap_or_default()
    }

    pub fn area(self) -> Area {
        self.row().map(|r| r.5).unwrap_or(Area::Terminal)
    }
}

/// TLV 1F55: the raw bytes (shown next to the decoded bits, since at least one vendor manual
/// seems to swap bits) and the bits that are set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TerminalLocks {
    pub raw: Vec<u8>,
    pub active: Vec<LockBit>,
}

impl TerminalLocks {
    /// Never fails: missing bytes mean no bits, extra bytes are kept in `raw` only.
    pub fn decode(raw: &[u8]) -> TerminalLocks {
        let active = LOCK_BITS
            .iter()
            .filter(|(_, byte, mask, ..)| raw.get(*byte).is_some_and(|b| b & mask != 0))
            .map(|r| r.0)
            .collect();
        TerminalLocks {
            raw: raw.to_vec(),
            active,
        }
    }

    /// The two bytes with `bits` set.
    pub fn from_bits(bits: &[LockBit]) -> TerminalLocks {
        let mut raw = vec![0u8; 2];
        for bit in bits {
            if let Some((_, byte, mask, ..)) = bit.row() {
                if let Some(b) = raw.get_mut(*byte) {
                    *b |= mask;
                }
            }
        }
        Self::decode(&raw)
    }

    pub fn is_set(&self, bit: LockBit) -> bool {
        self.active.contains(&bit)
    }

    /// True when no bit is set.
    pub fn is_clear(&self) -> bool {
        self.active.is_empty()
    }
}

/// TLV 1F43 device state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DeviceState {
    Ready,
    InitialisationNeeded,
    NoKeysLoaded,
    Fraud,
    Other(u8),
}

impl DeviceState {
    pub fn from_byte(b: u8) -> DeviceState {
        match b {
            0x00 => DeviceState::Ready,
            0x01 => DeviceState::InitialisationNeeded,
            0x02 => DeviceState::NoKeysLoaded,
            0x03 => DeviceState::Fraud,
            other => DeviceState::Other(other),
        }
    }

    pub fn to_byte(self) -> u8 {
        match self {
            DeviceState::Ready => 0x00,
            DeviceState::InitialisationNeeded => 0x01,
            DeviceState::NoKeysLoaded => 0x02,
            DeviceState::Fraud => 0x03,
            DeviceState::Other(b) => b,
        }
    }

    pub fn text(self) -> Text {
        match self {
            DeviceState::Ready => Text::fixed("就绪", "ready"),
            DeviceState::InitialisationNeeded => Text::fixed("需要初始化", "initialisation needed"),
            DeviceState::NoKeysLoaded => Text::fixed("未加载密钥", "no keys loaded"),
            DeviceState::Fraud => Text::fixed("欺诈（安全）锁定", "fraud (tamper) state"),
            DeviceState::Other(b) => super::codes::unknown_code(b),
        }
    }

    pub fn area(self) -> Area {
        match self {
            DeviceState::NoKeysLoaded | DeviceState::Fraud => Area::Keys,
            _ => Area::Terminal,
        }
    }
}

/// What a Status-Enquiry TLV container says about the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TerminalDiagnostics {
    /// 1F44, 8 digits.
    pub tid: Option<String>,
    /// E4/1F40.
    pub device_name: Option<String>,
    /// E4/1F41.
    pub sw_version: Option<String>,
    /// E4/1F42, BCD digits.
    pub serial_number: Option<String>,
    /// E4/1F43.
    pub device_state: Option<DeviceState>,
    /// 1F54 as hex.
    pub key_generation: Option<String>,
    /// 1F55.
    pub locks: Option<TerminalLocks>,
    /// 34 { 1F0E, 1F0F }.
    pub date_time: Option<ZvtDateTime>,
    /// 35 { 1F0F }: daily reboot time.
    pub reboot_time: Option<ZvtTime>,
}

fn text_of(t: &Tlv) -> String {
    decode_cp437(&t.value)
        .trim_end_matches(['\0', ' '])
        .to_string()
}

fn date_time_of(t: &Tlv) -> Option<ZvtDateTime> {
    Some(ZvtDateTime {
        date: ZvtDate::decode_yyyymmdd(&t.child(0x1F0E)?.value)?,
        time: ZvtTime::decode(&t.child(0x1F0F)?.value)?,
    })
}

impl TerminalDiagnostics {
    /// Reads the tags it knows; everything else is ignored. Never fails.
    pub fn from_tlv(list: &[Tlv]) -> TerminalDiagnostics {
        let e4 = find_tlv(list, 0xE4)
            .map(|t| t.children.as_slice())
            .unwrap_or(&[]);
        let find = |tag| find_tlv(list, tag).or_else(|| find_tlv(e4, tag));
        TerminalDiagnostics {
            tid: find(0x1F44).map(|t| bcd_string(&t.value)),
            device_name: find(0x1F40).map(text_of),
            sw_version: find(0x1F41).map(text_of),
            serial_number: find(0x1F42).map(|t| bcd_string(&t.value)),
            device_state: find(0x1F43)
                .and_then(|t| t.value.first())
                .map(|&b| DeviceState::from_byte(b)),
            key_generation: find(0x1F54).map(|t| hex::encode_upper(&t.value)),
            locks: find(0x1F55).map(|t| TerminalLocks::decode(&t.value)),
            date_time: find(0x34).and_then(date_time_of),
            reboot_time: find(0x35)
                .and_then(|t| t.child(0x1F0F))
                .and_then(|t| ZvtTime::decode(&t.value)),
        }
    }

    /// The TLV a terminal would send for these values (1F44, E4 {…}, 1F55, 34, 35), for the
    /// simulator.
    pub fn to_tlv(&self) -> Result<Vec<Tlv>, ZvtEncodeError> {
        let mut out = Vec::new();
        if let Some(tid) = &self.tid {
            out.push(Tlv::new(0x1F44, parse_bcd_string("TID", tid)?));
        }
        let mut e4 = Vec::new();
        if let Some(name) = &self.device_name {
            e4.push(Tlv::new(0x1F40, encode_cp437(name)));
        }
        if let Some(sw) = &self.sw_version {
            e4.push(Tlv::new(0x1F41, encode_cp437(sw)));
        }
        if let Some(serial) = &self.serial_number {
            e4.push(Tlv::new(0x1F42, parse_bcd_string("serial number", serial)?));
        }
        if let Some(state) = self.device_state {
            e4.push(Tlv::new(0x1F43, vec![state.to_byte()]));
        }
        if let Some(kg) = &self.key_generation {
            e4.push(Tlv::new(0x1F54, parse_bcd_string("key generation", kg)?));
        }
        if !e4.is_empty() {
            out.push(Tlv::constructed(0xE4, e4)?);
        }
        if let Some(locks) = &self.locks {
            out.push(Tlv::new(0x1F55, locks.raw.clone()));
        }
        if let Some(dt) = &self.date_time {
            out.push(Tlv::constructed(
                0x34,
                vec![
                    Tlv::new(0x1F0E, dt.date.encode_yyyymmdd().to_vec()),
                    Tlv::new(0x1F0F, dt.time.encode().to_vec()),
                ],
            )?);
        }
        if let Some(t) = &self.reboot_time {
            out.push(Tlv::constructed(
                0x35,
                vec![Tlv::new(0x1F0F, t.encode().to_vec())],
            )?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::zvt::tlv::parse_tlv_list;

    #[test]
    fn lock_bits() {
        let locks = TerminalLocks::decode(&[0x04, 0x24]);
        assert_eq!(
            locks.active,
            vec![L::Printer, L::CardStillInserted, L::LowBattery]
        );
        assert_eq!(locks.raw, [0x04, 0x24]);
        assert_eq!(TerminalLocks::from_bits(&[L::LowBattery]).raw, [0x00, 0x04]);
        assert!(TerminalLocks::decode(&[]).is_clear());
        assert!(LOCK_BITS.iter().all(|r| !L::text(r.0).is_incomplete()));
    }

    #[test]
    fn clock_at_top_level() {
        let bytes = hex::decode("340D1F0E04202304051F0F03225655").unwrap();
        let d = TerminalDiagnostics::from_tlv(&parse_tlv_list(&bytes, 0).unwrap());
        assert_eq!(d.date_time.unwrap().to_string(), "2023-04-05 22:56:55");
        assert!(d.date_time.unwrap().to_primitive().is_some());
    }

    #[test]
    fn round_trip() {
        let d = TerminalDiagnostics {
            tid: Some("52523535".into()),
            device_name: Some("cVEND plug".into()),
            sw_version: Some("GER-APP-v2.0.9".into()),
            serial_number: Some("12345678".into()),
            device_state: Some(DeviceState::NoKeysLoaded),
            key_generation: Some("01".into()),
            locks: Some(TerminalLocks::from_bits(&[L::Initialisation])),
            date_time: Some(ZvtDateTime {
                date: ZvtDate {
                    year: Some(2023),
                    month: 4,
                    day: 5,
                },
                time: ZvtTime {
                    hour: 22,
                    minute: 56,
                    second: 55,
                },
            }),
            reboot_time: Some(ZvtTime {
                hour: 3,
                minute: 0,
                second: 0,
            }),
        };
        let tlv = d.to_tlv().unwrap();
        let bytes = crate::proto::zvt::tlv::encode_tlv_list(&tlv).unwrap();
        let back = TerminalDiagnostics::from_tlv(&parse_tlv_list(&bytes, 0).unwrap());
        assert_eq!(back, d);
    }
}
