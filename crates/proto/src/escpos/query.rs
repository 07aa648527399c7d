//! The status queries posdiag can send, and the shape of the reply each one gets.
//!
//! A [`Query`] names one request (DLE EOT n, GS a n, GS r n, GS I n); its reply is either one
//! byte with fixed bits, a 4-byte Automatic Status Back packet, or a `5F … 00` text block
//! (docs/protocols/escpos.md §1, §2, §5, §6, §7). Queries have short codes (`eot1`, `gsr1`,
//! `gsi69`, `asb`) for the command line and JSON.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::bits::{FixedBits, DLE_EOT_REPLY, GS_I_BYTE_REPLY, GS_R_REPLY};
use crate::i18n::Text;

/// DLE EOT n (real-time status), with the sub-parameter of the extended forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EotQuery {
    /// n = 1: printer status.
    PrinterStatus,
    /// n = 2: offline cause.
    OfflineCause,
    /// n = 3: error cause.
    ErrorCause,
    /// n = 4: roll paper sensor.
    PaperSensor,
    /// n = 7, a = 1: ink A (ink printers; receipt printers generally do not answer).
    InkA,
    /// n = 7, a = 2: ink B.
    InkB,
    /// n = 8, a = 3: label peeler.
    Peeler,
}

impl EotQuery {
    pub const ALL: [EotQuery; 7] = [
        EotQuery::PrinterStatus,
        EotQuery::OfflineCause,
        EotQuery::ErrorCause,
        EotQuery::PaperSensor,
        EotQuery::InkA,
        EotQuery::InkB,
        EotQuery::Peeler,
    ];

    /// The `n` parameter.
    pub fn n(self) -> u8 {
        match self {
            EotQuery::PrinterStatus => 1,
            EotQuery::OfflineCause => 2,
            EotQuery::ErrorCause => 3,
            EotQuery::PaperSensor => 4,
            EotQuery::InkA | EotQuery::InkB => 7,
            EotQuery::Peeler => 8,
        }
    }

    /// The fourth byte `a` of the extended forms (n = 7, 8); `None` for n = 1–4, which are sent
    /// as exactly three bytes.
    pub fn sub(self) -> Option<u8> {
        match self {
            EotQuery::InkA => Some(1),
            EotQuery::InkB => Some(2),
            EotQuery::Peeler => Some(3),
            _ => None,
        }
    }
}

/// GS r n (transmit status, processed when the receive buffer reaches it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GsRQuery {
    /// n = 1: paper sensor.
    Paper,
    /// n = 2: drawer kick-out connector.
    Drawer,
    /// n = 4: ink (TM-J only; bit layout is model-specific).
    Ink,
}

impl GsRQuery {
    pub const ALL: [GsRQuery; 3] = [GsRQuery::Paper, GsRQuery::Drawer, GsRQuery::Ink];

    pub fn n(self) -> u8 {
        match self {
            GsRQuery::Paper => 1,
            GsRQuery::Drawer => 2,
            GsRQuery::Ink => 4,
        }
    }
}

/// GS I n (printer ID).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdQuery {
    /// n = 1: model ID, one byte.
    ModelId,
    /// n = 2: type ID, one byte of feature bits.
    TypeId,
    /// n = 3: firmware version ID, one byte.
    FirmwareId,
    /// n = 65: firmware version text.
    FirmwareVersion,
    /// n = 66: maker name text.
    Maker,
    /// n = 67: model name text.
    ModelName,
    /// n = 68: serial number text.
    SerialNumber,
    /// n = 69: font / language text ("CHINA GB18030" …).
    FontLanguage,
}

impl IdQuery {
    pub const ALL: [IdQuery; 8] = [
        IdQuery::ModelId,
        IdQuery::TypeId,
        IdQuery::FirmwareId,
        IdQuery::FirmwareVersion,
        IdQuery::Maker,
        IdQuery::ModelName,
        IdQuery::SerialNumber,
        IdQuery::FontLanguage,
    ];

    pub fn n(self) -> u8 {
        match self {
            IdQuery::ModelId => 1,
            IdQuery::TypeId => 2,
            IdQuery::FirmwareId => 3,
            IdQuery::FirmwareVersion => 65,
            IdQuery::Maker => 66,
            IdQuery::ModelName => 67,
            IdQuery::SerialNumber => 68,
            IdQuery::FontLanguage => 69,
        }
    }

    /// True for the n = 65–69 queries answered with a `5F text 00` block.
    pub fn is_text(self) -> bool {
        self.n() >= 65
    }
}

/// The `n` of GS a n: which changes make the printer send an ASB packet (docs/protocols/escpos.md
/// §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AsbTriggers(pub u8);

impl AsbTriggers {
    pub const DRAWER: u8 = 0x01;
    pub const ONLINE: u8 = 0x02;
    pub const ERROR: u8 = 0x04;
    pub const PAPER: u8 = 0x08;
    /// Panel switch, newer models (unverified).
    pub const PANEL_SWITCH: u8 = 0x40;
    /// Drawer, online/offline, error and paper: `GS a 0F`, the reference's example.
    pub const STANDARD: AsbTriggers = AsbTriggers(0x0F);
    /// n = 0: ASB off.
    pub const DISABLED: AsbTriggers = AsbTriggers(0x00);
}

/// How a reply is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyShape {
    /// One byte whose fixed bits must match.
    Byte(FixedBits),
    /// The 4-byte Automatic Status Back packet.
    Asb,
    /// `5F` + text + `00`.
    TextBlock,
}

/// One status request and, through [`Query::shape`], what its reply looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Query {
    /// DLE EOT n.
    RealTime(EotQuery),
    /// GS a n: enabling ASB makes the printer send one packet at once.
    AutoStatusBack(AsbTriggers),
    /// GS r n.
    TransmitStatus(GsRQuery),
    /// GS I n.
    PrinterId(IdQuery),
}

impl Query {
    /// Every query, in the order they are listed to the user.
    pub fn all() -> Vec<Query> {
        let mut all: Vec<Query> = EotQuery::ALL.into_iter().map(Query::RealTime).collect();
        all.push(Query::AutoStatusBack(AsbTriggers::STANDARD));
        all.extend(GsRQuery::ALL.into_iter().map(Query::TransmitStatus));
        all.extend(IdQuery::ALL.into_iter().map(Query::PrinterId));
        all
    }

    /// The reply's framing and fixed bits.
    pub fn shape(self) -> ReplyShape {
        match self {
            Query::RealTime(_) => ReplyShape::Byte(DLE_EOT_REPLY),
            Query::AutoStatusBack(_) => ReplyShape::Asb,
            Query::TransmitStatus(_) => ReplyShape::Byte(GS_R_REPLY),
            Query::PrinterId(id) if id.is_text() => ReplyShape::TextBlock,
            Query::PrinterId(_) => ReplyShape::Byte(GS_I_BYTE_REPLY),
        }
    }

    /// Short code for the command line and JSON: `eot1`, `eot7-1`, `asb`, `gsr1`, `gsi69`.
    pub fn code(self) -> String {
        match self {
            Query::RealTime(q) => match q.sub() {
                Some(a) => format!("eot{}-{a}", q.n()),
                None => format!("eot{}", q.n()),
            },
            Query::AutoStatusBack(_) => "asb".to_owned(),
            Query::TransmitStatus(q) => format!("gsr{}", q.n()),
            Query::PrinterId(q) => format!("gsi{}", q.n()),
        }
    }

    /// Bilingual name, e.g. "DLE EOT 1 printer status".
    pub fn name(self) -> Text {
        let (zh, en) = match self {
            Query::RealTime(EotQuery::PrinterStatus) => {
                ("DLE EOT 1 打印机状态", "DLE EOT 1 printer status")
            }
            Query::RealTime(EotQuery::OfflineCause) => {
                ("DLE EOT 2 脱机原因", "DLE EOT 2 offline cause")
            }
            Query::RealTime(EotQuery::ErrorCause) => {
                ("DLE EOT 3 错误原因", "DLE EOT 3 error cause")
            }
            Query::RealTime(EotQuery::PaperSensor) => {
                ("DLE EOT 4 纸卷传感器", "DLE EOT 4 roll paper sensor")
            }
            Query::RealTime(EotQuery::InkA) => ("DLE EOT 7 1 墨水 A", "DLE EOT 7 1 ink A"),
            Query::RealTime(EotQuery::InkB) => ("DLE EOT 7 2 墨水 B", "DLE EOT 7 2 ink B"),
            Query::RealTime(EotQuery::Peeler) => ("DLE EOT 8 3 剥纸器", "DLE EOT 8 3 label peeler"),
            Query::AutoStatusBack(_) => (
                "GS a 自动状态返回 (ASB)",
                "GS a Automatic Status Back (ASB)",
            ),
            Query::TransmitStatus(GsRQuery::Paper) => ("GS r 1 纸传感器", "GS r 1 paper sensor"),
            Query::TransmitStatus(GsRQuery::Drawer) => {
                ("GS r 2 钱箱接口", "GS r 2 drawer connector")
            }
            Query::TransmitStatus(GsRQuery::Ink) => ("GS r 4 墨水 (TM-J)", "GS r 4 ink (TM-J)"),
            Query::PrinterId(IdQuery::ModelId) => ("GS I 1 型号 ID", "GS I 1 model ID"),
            Query::PrinterId(IdQuery::TypeId) => ("GS I 2 类型 ID", "GS I 2 type ID"),
            Query::PrinterId(IdQuery::FirmwareId) => {
                ("GS I 3 固件版本 ID", "GS I 3 firmware version ID")
            }
            Query::PrinterId(IdQuery::FirmwareVersion) => {
                ("GS I 65 固件版本", "GS I 65 firmware version")
            }
            Query::PrinterId(IdQuery::Maker) => ("GS I 66 制造商", "GS I 66 maker"),
            Query::PrinterId(IdQuery::ModelName) => ("GS I 67 型号名称", "GS I 67 model name"),
            Query::PrinterId(IdQuery::SerialNumber) => ("GS I 68 序列号", "GS I 68 serial number"),
            Query::PrinterId(IdQuery::FontLanguage) => {
                ("GS I 69 字库/语言", "GS I 69 font / language")
            }
        };
        Text::fixed(zh, en)
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name().en)
    }
}

impl FromStr for Query {
    type Err = String;

    /// Accepts the codes of [`Query::code`], case-insensitive, with or without `-`/`_`/spaces
    /// between the parts (`eot1`, `EOT-1`, `gs_r_1`, `gsi 69`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = normalise(s);
        Query::all()
            .into_iter()
            .find(|q| normalise(&q.code()) == wanted)
            .ok_or_else(|| {
                let codes: Vec<String> = Query::all().into_iter().map(Query::code).collect();
                format!(
                    "unknown ESC/POS query '{s}': use one of {}",
                    codes.join(", ")
                )
            })
    }
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Serialize for Query {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Query {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Serialised as the code of the GS I query (`gsi69`).
impl Serialize for IdQuery {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&Query::PrinterId(*self).code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for q in Query::all() {
            assert_eq!(q.code().parse::<Query>(), Ok(q), "{}", q.code());
        }
        assert_eq!(
            "EOT-7-1".parse::<Query>(),
            Ok(Query::RealTime(EotQuery::InkA))
        );
        assert!("eot5".parse::<Query>().is_err());
    }

    #[test]
    fn eot71_and_eot8_3_do_not_collide() {
        // "eot71" would be ambiguous only if a code "eot71" existed; the dash is optional.
        assert_eq!(
            "eot83".parse::<Query>(),
            Ok(Query::RealTime(EotQuery::Peeler))
        );
    }
}
