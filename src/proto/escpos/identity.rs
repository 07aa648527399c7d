//! GS I n replies (printer ID, escpos.md §7): single bytes for n = 1–3, `5F text 00` blocks for
//! n = 65–69, and what the font/language answer means for Chinese text (§10).

use serde::{Deserialize, Serialize};

use super::bits::{field, status_byte, BitField, ReplyLayout, GS_I_BYTE_REPLY};
use super::error::EscPosDecodeError;
use super::query::{IdQuery, Query};
use crate::i18n::Text;

/// First byte of a GS I text reply.
pub const ID_HEADER: u8 = 0x5F;
/// Last byte of a GS I text reply.
pub const ID_TERMINATOR: u8 = 0x00;
/// Longest text reply accepted, header and NUL included: the printer's transmit buffer holds 99
/// bytes (escpos.md §1), so nothing longer arrives intact.
pub const MAX_ID_REPLY_LEN: usize = 99;

/// Bit masks of the GS I 2 type ID.
pub mod masks {
    pub const TWO_BYTE_CHARACTERS: u8 = 0x01;
    pub const AUTOCUTTER: u8 = 0x02;
    pub const DM_D_CONNECTED: u8 = 0x04;
}

#[rustfmt::skip]
static TYPE_FIELDS: [BitField; 3] = [
    field!("two_byte_characters", masks::TWO_BYTE_CHARACTERS, ("双字节字符（中日韩）", "two-byte (CJK) characters"), set("支持", "supported"), clear("不支持", "not supported")),
    field!("autocutter", masks::AUTOCUTTER, ("自动切刀", "autocutter"), set("已安装", "installed"), clear("未安装", "not installed")),
    field!("dm_d_connected", masks::DM_D_CONNECTED, ("客显 DM-D（部分型号）", "DM-D display (some models)"), set("已连接", "connected"), clear("未连接", "not connected")),
];

pub static MODEL_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: GS_I_BYTE_REPLY,
    fields: &[],
};
pub static TYPE_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: GS_I_BYTE_REPLY,
    fields: &TYPE_FIELDS,
};
pub static FIRMWARE_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: GS_I_BYTE_REPLY,
    fields: &[],
};

status_byte!(
    /// GS I 1: model ID.
    ModelId, MODEL_LAYOUT, Query::PrinterId(IdQuery::ModelId)
);

impl ModelId {
    /// Model IDs the reference names (TM-T90 = `2E`, TM-J2000 = `2B`).
    pub fn known_model(self) -> Option<&'static str> {
        match self.raw() {
            0x2E => Some("Epson TM-T90"),
            0x2B => Some("Epson TM-J2000"),
            _ => None,
        }
    }
}

status_byte!(
    /// GS I 2: type ID (feature bits).
    TypeId, TYPE_LAYOUT, Query::PrinterId(IdQuery::TypeId)
);

impl TypeId {
    pub fn two_byte_characters(self) -> bool {
        self.bit(masks::TWO_BYTE_CHARACTERS)
    }
    pub fn autocutter(self) -> bool {
        self.bit(masks::AUTOCUTTER)
    }
    pub fn dm_d_connected(self) -> bool {
        self.bit(masks::DM_D_CONNECTED)
    }
}

status_byte!(
    /// GS I 3: firmware version ID.
    FirmwareId, FIRMWARE_LAYOUT, Query::PrinterId(IdQuery::FirmwareId)
);

/// The reply layout of a one-byte GS I query (`None` for the text queries).
pub fn id_byte_layout(query: IdQuery) -> Option<&'static ReplyLayout> {
    match query {
        IdQuery::ModelId => Some(&MODEL_LAYOUT),
        IdQuery::TypeId => Some(&TYPE_LAYOUT),
        IdQuery::FirmwareId => Some(&FIRMWARE_LAYOUT),
        _ => None,
    }
}

/// True for bytes allowed inside a text reply: printable ASCII, and bytes ≥ 0x80 (vendors may
/// send GB text). Control bytes mean the data is not a text reply.
pub fn is_id_text_byte(byte: u8) -> bool {
    (0x20..=0x7E).contains(&byte) || byte >= 0x80
}

/// The text of a GS I 65–69 reply, raw bytes kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdText {
    #[serde(with = "crate::proto::hex_bytes")]
    pub raw: Vec<u8>,
    /// ASCII as sent; bytes ≥ 0x80 read as GB18030 (invalid sequences become U+FFFD).
    pub text: String,
}

impl IdText {
    /// Free text from a device: a card-number-like digit run is masked in both forms (a
    /// printer has no business sending one, and a stream out of step may put one here).
    pub fn from_raw(mut raw: Vec<u8>) -> Self {
        crate::proto::redact::mask_text_digit_runs(&mut raw);
        let (text, _, _) = encoding_rs::GB18030.decode(&raw);
        let text = text.into_owned();
        IdText { raw, text }
    }
}

/// Parses exactly one `5F text 00` reply.
pub fn parse_id_block(query: IdQuery, bytes: &[u8]) -> Result<IdText, EscPosDecodeError> {
    let q = Query::PrinterId(query);
    let (&first, rest) = bytes.split_first().ok_or(EscPosDecodeError::Empty)?;
    if first != ID_HEADER {
        return Err(EscPosDecodeError::MissingIdHeader {
            offset: 0,
            byte: first,
            query: q,
        });
    }
    if bytes.len() > MAX_ID_REPLY_LEN {
        return Err(EscPosDecodeError::IdTooLong {
            offset: 0,
            limit: MAX_ID_REPLY_LEN,
            query: q,
        });
    }
    let Some((&last, text)) = rest.split_last() else {
        return Err(EscPosDecodeError::UnterminatedId {
            offset: 0,
            query: q,
        });
    };
    if let Some(pos) = text.iter().position(|b| !is_id_text_byte(*b)) {
        let byte = text.get(pos).copied().unwrap_or(0);
        return Err(EscPosDecodeError::InvalidIdByte {
            offset: pos.saturating_add(1),
            byte,
            query: q,
        });
    }
    if last != ID_TERMINATOR {
        return Err(if is_id_text_byte(last) {
            EscPosDecodeError::UnterminatedId {
                offset: 0,
                query: q,
            }
        } else {
            EscPosDecodeError::InvalidIdByte {
                offset: bytes.len().saturating_sub(1),
                byte: last,
                query: q,
            }
        });
    }
    Ok(IdText::from_raw(text.to_vec()))
}

/// A decoded GS I reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "id", rename_all = "snake_case")]
pub enum IdReply {
    Model { value: ModelId },
    Type { value: TypeId },
    Firmware { value: FirmwareId },
    Text { query: IdQuery, value: IdText },
}

/// The character set a printer reports for GS I 69 (§10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FontLanguage {
    ChinaGb18030,
    ChinaGb2312,
    TaiwanBig5,
    KanjiJapanese,
    Other(String),
}

impl FontLanguage {
    pub fn from_reply(text: &str) -> Self {
        let t: String = text
            .to_ascii_uppercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        if t.contains("GB18030") {
            FontLanguage::ChinaGb18030
        } else if t.contains("GB2312") || t.contains("GBK") {
            FontLanguage::ChinaGb2312
        } else if t.contains("BIG5") {
            FontLanguage::TaiwanBig5
        } else if t.contains("KANJI") || t.contains("JAPAN") {
            FontLanguage::KanjiJapanese
        } else {
            FontLanguage::Other(text.to_owned())
        }
    }

    /// What it means for sending Chinese text.
    pub fn advice(&self) -> Text {
        match self {
            FontLanguage::ChinaGb18030 => Text::fixed(
                "支持 GB18030：中文按 GB18030 字节发送（先发 FS & 进入汉字模式）",
                "GB18030: send Chinese as GB18030 bytes (FS & selects Chinese mode first)",
            ),
            FontLanguage::ChinaGb2312 => Text::fixed(
                "仅 GB2312/GBK：只能打印双字节汉字，四字节 GB18030 字符（如 ¥ = 81 30 84 36）会打印成乱码",
                "GB2312/GBK only: two-byte characters print, 4-byte GB18030 codes (e.g. ¥ = 81 30 84 36) come out garbled",
            ),
            FontLanguage::TaiwanBig5 => Text::fixed(
                "繁体 BIG-5 字库：简体中文 GB 字节会打印成乱码",
                "Traditional BIG-5 font: simplified Chinese GB bytes print garbled",
            ),
            FontLanguage::KanjiJapanese => Text::fixed(
                "日文汉字字库：中文 GB 字节会打印成乱码",
                "Japanese Kanji font: Chinese GB bytes print garbled",
            ),
            FontLanguage::Other(_) => Text::fixed(
                "未知字库：打印自检页（开机时按住 FEED）查看字库与代码页",
                "unknown font: print the self-test (hold FEED at power-on) to see fonts and code pages",
            ),
        }
    }
}

/// What a printer said about itself; each item is `None` until its GS I reply arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrinterIdentity {
    pub model_id: Option<u8>,
    pub type_id: Option<u8>,
    pub firmware_id: Option<u8>,
    pub firmware_version: Option<String>,
    pub maker: Option<String>,
    pub model_name: Option<String>,
    pub serial_number: Option<String>,
    pub font_language: Option<String>,
}

impl PrinterIdentity {
    /// Collects the GS I replies received.
    pub fn from_replies<'a>(replies: impl IntoIterator<Item = &'a IdReply>) -> Self {
        let mut id = PrinterIdentity::default();
        for reply in replies {
            match reply {
                IdReply::Model { value } => id.model_id = Some(value.raw()),
                IdReply::Type { value } => id.type_id = Some(value.raw()),
                IdReply::Firmware { value } => id.firmware_id = Some(value.raw()),
                IdReply::Text { query, value } => {
                    if let Some(slot) = id.text_slot(*query) {
                        *slot = Some(value.text.clone());
                    }
                }
            }
        }
        id
    }

    /// The text item answered by a GS I 65–69 query.
    pub fn text(&self, query: IdQuery) -> Option<&str> {
        match query {
            IdQuery::FirmwareVersion => self.firmware_version.as_deref(),
            IdQuery::Maker => self.maker.as_deref(),
            IdQuery::ModelName => self.model_name.as_deref(),
            IdQuery::SerialNumber => self.serial_number.as_deref(),
            IdQuery::FontLanguage => self.font_language.as_deref(),
            _ => None,
        }
    }

    fn text_slot(&mut self, query: IdQuery) -> Option<&mut Option<String>> {
        match query {
            IdQuery::FirmwareVersion => Some(&mut self.firmware_version),
            IdQuery::Maker => Some(&mut self.maker),
            IdQuery::ModelName => Some(&mut self.model_name),
            IdQuery::SerialNumber => Some(&mut self.serial_number),
            IdQuery::FontLanguage => Some(&mut self.font_language),
            _ => None,
        }
    }

    pub fn font_language_kind(&self) -> Option<FontLanguage> {
        self.font_language.as_deref().map(FontLanguage::from_reply)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maker_block() {
        let t = parse_id_block(IdQuery::Maker, b"\x5FEPSON\x00").unwrap();
        assert_eq!(t.text, "EPSON");
        assert!(matches!(
            parse_id_block(IdQuery::Maker, b"\x5FEPSON"),
            Err(EscPosDecodeError::UnterminatedId { .. })
        ));
        assert!(matches!(
            parse_id_block(IdQuery::Maker, b"EPSON\x00"),
            Err(EscPosDecodeError::MissingIdHeader { byte: b'E', .. })
        ));
        assert!(matches!(
            parse_id_block(IdQuery::Maker, b"\x5FEP\x12N\x00"),
            Err(EscPosDecodeError::InvalidIdByte { offset: 3, .. })
        ));
    }

    #[test]
    fn language_kinds() {
        assert_eq!(
            FontLanguage::from_reply("CHINA GB18030"),
            FontLanguage::ChinaGb18030
        );
        assert_eq!(
            FontLanguage::from_reply("CHINA GB2312"),
            FontLanguage::ChinaGb2312
        );
        assert_eq!(
            FontLanguage::from_reply("TAIWAN BIG-5"),
            FontLanguage::TaiwanBig5
        );
        assert_eq!(
            FontLanguage::from_reply("KANJI JAPANESE"),
            FontLanguage::KanjiJapanese
        );
    }
}
