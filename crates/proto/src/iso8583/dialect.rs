//! The ISO 8583 dialect as data: framing (length prefix, TPDU, header), MTI encoding and the
//! per-field wire specs, with per-acquirer field overrides.
//!
//! A dialect is deserialised from an acquirer profile (TOML), so every type here is serde data
//! with `deny_unknown_fields`; omitted keys take the China UnionPay POS defaults of
//! [`Dialect::cup`]. Field specs not overridden come from the CUP table in
//! [`super::fields`].

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::fields;
use super::header::Tpdu;
use super::mac::MacAlgorithm;
pub use super::spec::{Encoding, FieldOverride, FieldSpec, LengthKind, Pad};
use crate::i18n::Text;

/// How the frame length is written before the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LengthPrefix {
    /// Two bytes, binary, big-endian, counting the bytes after them (CUP POS).
    #[default]
    Binary2,
    /// Four ASCII decimal digits counting the bytes after them.
    Ascii4,
    /// No length prefix: the transport delimits messages.
    None,
}

impl LengthPrefix {
    /// Bytes the prefix itself takes.
    pub fn size(self) -> usize {
        match self {
            LengthPrefix::Binary2 => 2,
            LengthPrefix::Ascii4 => 4,
            LengthPrefix::None => 0,
        }
    }

    /// Largest message length the prefix can express.
    pub fn max_length(self) -> usize {
        match self {
            LengthPrefix::Binary2 => 0xFFFF,
            LengthPrefix::Ascii4 => 9999,
            LengthPrefix::None => usize::MAX,
        }
    }
}

/// The 5-byte TPDU: present or not, and what this side sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TpduSpec {
    pub present: bool,
    /// TPDU id, `0x60` for CUP.
    pub id: u8,
    /// Destination address (NII), selects the acquirer front-end, e.g. `0x0003`.
    pub destination: u16,
    /// Originator address.
    pub source: u16,
}

impl Default for TpduSpec {
    fn default() -> Self {
        TpduSpec {
            present: true,
            id: 0x60,
            destination: 0x0003,
            source: 0x0000,
        }
    }
}

impl TpduSpec {
    /// The TPDU to send, if the dialect has one.
    pub fn tpdu(&self) -> Option<Tpdu> {
        self.present.then_some(Tpdu {
            id: self.id,
            destination: self.destination,
            source: self.source,
        })
    }
}

/// How the header bytes are interpreted for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum HeaderLayout {
    /// The 6-byte CUP header (application class, versions, status, 处理要求); bytes beyond six
    /// (e.g. an acquirer's location block) are shown as extra data.
    #[default]
    Cup,
    /// Opaque bytes, shown as hex.
    Opaque,
}

/// The message header after the TPDU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HeaderSpec {
    /// Header length in bytes (6 for CUP, 0 for none).
    pub length: u16,
    pub layout: HeaderLayout,
    /// What this side sends, hex (e.g. "603100310000"); must be `length` bytes.
    pub value: HexBytes,
}

impl Default for HeaderSpec {
    fn default() -> Self {
        HeaderSpec {
            length: 6,
            layout: HeaderLayout::Cup,
            value: HexBytes(vec![0x60, 0x31, 0x00, 0x31, 0x00, 0x00]),
        }
    }
}

/// How the MTI is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MtiEncoding {
    /// Two bytes BCD (CUP POS).
    #[default]
    Bcd,
    /// Four ASCII digits.
    Ascii,
}

/// A complete ISO 8583 dialect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Dialect {
    pub length_prefix: LengthPrefix,
    pub tpdu: TpduSpec,
    /// Bytes of an extra block between TPDU and header (the 33-byte 拨号监控数据 "LRI" block of
    /// the multi-channel variant); 0 when absent.
    pub monitor_block_len: u16,
    pub header: HeaderSpec,
    pub mti: MtiEncoding,
    /// MAC algorithm for field 64.
    pub mac: MacAlgorithm,
    /// Field specs replacing the CUP table's.
    pub fields: Vec<FieldOverride>,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect::cup()
    }
}

/// A dialect that cannot work, with what to change in the profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DialectError {
    #[error("header value has {actual} bytes but header length is {expected}: make them agree")]
    HeaderLength { expected: u16, actual: usize },
    #[error("the CUP header layout needs at least 6 header bytes, got {length}: use layout \"opaque\" or length 6")]
    CupHeaderTooShort { length: u16 },
    #[error(
        "field override {number}: field numbers run from 2 to 128 (1 is the secondary bitmap)"
    )]
    FieldNumber { number: u8 },
    #[error("field {number} is overridden twice: keep one override per field")]
    DuplicateOverride { number: u8 },
    #[error("field {number}: max length must be at least 1")]
    ZeroLength { number: u8 },
    #[error("field {number}: max length {max} cannot be written with a {kind:?} length prefix (limit {limit})")]
    LengthBeyondPrefix {
        number: u8,
        max: u16,
        kind: LengthKind,
        limit: usize,
    },
}

impl DialectError {
    /// The error in both languages.
    pub fn text(&self) -> Text {
        let zh = match self {
            DialectError::HeaderLength { expected, actual } => {
                format!("报文头取值为 {actual} 字节，但报文头长度为 {expected}：请使两者一致")
            }
            DialectError::CupHeaderTooShort { length } => {
                format!("银联报文头至少需要 6 字节，当前为 {length}：请改用 opaque 布局或长度 6")
            }
            DialectError::FieldNumber { number } => {
                format!("域 {number} 的覆盖无效：域号范围为 2–128（1 为第二位图）")
            }
            DialectError::DuplicateOverride { number } => {
                format!("域 {number} 被覆盖了两次：每个域只保留一个覆盖")
            }
            DialectError::ZeroLength { number } => format!("域 {number}：最大长度至少为 1"),
            DialectError::LengthBeyondPrefix {
                number, max, limit, ..
            } => format!("域 {number}：最大长度 {max} 超出长度前缀可表示的上限 {limit}"),
        };
        Text::new(zh, self.to_string())
    }
}

impl Dialect {
    /// The China UnionPay POS dialect: 2-byte binary length, TPDU `60 0003 0000`, 6-byte CUP
    /// header `603100310000`, BCD MTI, binary bitmap, CUP-ECB MAC, CUP field table.
    pub fn cup() -> Self {
        Dialect {
            length_prefix: LengthPrefix::Binary2,
            tpdu: TpduSpec::default(),
            monitor_block_len: 0,
            header: HeaderSpec::default(),
            mti: MtiEncoding::Bcd,
            mac: MacAlgorithm::CupEcb,
            fields: Vec::new(),
        }
    }

    /// The spec of field `number`: the override if any, else the CUP table's.
    pub fn field_spec(&self, number: u8) -> Option<FieldSpec> {
        self.field_override(number)
            .map(FieldOverride::spec)
            .or_else(|| fields::cup_field(number).map(|f| f.spec))
    }

    /// The name of field `number` (override name, table name, or "field N").
    pub fn field_name(&self, number: u8) -> Text {
        if let Some(o) = self.field_override(number) {
            if let (Some(zh), Some(en)) = (&o.name_zh, &o.name_en) {
                return Text::new(zh.clone(), en.clone());
            }
        }
        fields::field_name(number)
    }

    fn field_override(&self, number: u8) -> Option<&FieldOverride> {
        self.fields.iter().find(|o| o.number == number)
    }

    /// Checks that the dialect can encode and decode; a profile loader reports the error.
    pub fn validate(&self) -> Result<(), DialectError> {
        let header_len = self.header.value.0.len();
        if header_len != usize::from(self.header.length) {
            return Err(DialectError::HeaderLength {
                expected: self.header.length,
                actual: header_len,
            });
        }
        if self.header.layout == HeaderLayout::Cup && self.header.length < 6 {
            return Err(DialectError::CupHeaderTooShort {
                length: self.header.length,
            });
        }
        for (i, o) in self.fields.iter().enumerate() {
            if !(2..=128).contains(&o.number) {
                return Err(DialectError::FieldNumber { number: o.number });
            }
            if self.fields.iter().take(i).any(|p| p.number == o.number) {
                return Err(DialectError::DuplicateOverride { number: o.number });
            }
            if o.max == 0 {
                return Err(DialectError::ZeroLength { number: o.number });
            }
            let limit = o.length.prefix_limit();
            if usize::from(o.max) > limit {
                return Err(DialectError::LengthBeyondPrefix {
                    number: o.number,
                    max: o.max,
                    kind: o.length,
                    limit,
                });
            }
        }
        Ok(())
    }
}

/// Bytes written in a profile as a hex string ("60 31 00 31 00 00" or "603100310000").
#[derive(Clone, PartialEq, Eq, Default)]
pub struct HexBytes(pub Vec<u8>);

impl fmt::Debug for HexBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", hex::encode_upper(&self.0))
    }
}

impl Serialize for HexBytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode_upper(&self.0))
    }
}

impl<'de> Deserialize<'de> for HexBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        hex::decode(&compact).map(HexBytes).map_err(|e| {
            serde::de::Error::custom(format!(
                "'{s}' is not hex bytes ({e}): write e.g. \"603100310000\""
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cup_dialect_is_valid() {
        assert_eq!(Dialect::cup().validate(), Ok(()));
    }

    #[test]
    fn profile_toml_overrides_and_defaults() {
        let d: Dialect = toml::from_str(
            r#"
            length_prefix = "ascii4"
            mac = "x9_19"
            [tpdu]
            destination = 0x0006
            [header]
            value = "61 32 00 32 00 01"
            [[fields]]
            number = 63
            encoding = "binary"
            length = "lllvar"
            max = 163
            "#,
        )
        .expect("valid profile dialect");
        assert_eq!(d.length_prefix, LengthPrefix::Ascii4);
        assert_eq!(d.tpdu.id, 0x60);
        assert_eq!(d.tpdu.destination, 6);
        assert_eq!(d.header.value.0, vec![0x61, 0x32, 0x00, 0x32, 0x00, 0x01]);
        assert_eq!(d.field_spec(63).map(|s| s.encoding), Some(Encoding::Binary));
        assert_eq!(d.field_spec(41).map(|s| s.encoding), Some(Encoding::Ascii));
        assert_eq!(d.validate(), Ok(()));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let r: Result<Dialect, _> = toml::from_str("lenght_prefix = \"none\"");
        assert!(r.is_err());
        let r: Result<Dialect, _> = toml::from_str("[tpdu]\nnii = 3");
        assert!(r.is_err());
    }

    #[test]
    fn invalid_overrides_are_reported() {
        let mut d = Dialect::cup();
        d.fields.push(FieldOverride {
            number: 46,
            encoding: Encoding::Ascii,
            length: LengthKind::Llvar,
            max: 300,
            pad: Pad::Right,
            name_zh: None,
            name_en: None,
        });
        assert!(matches!(
            d.validate(),
            Err(DialectError::LengthBeyondPrefix { number: 46, .. })
        ));
        d.header.length = 4;
        assert!(matches!(
            d.validate(),
            Err(DialectError::HeaderLength { .. })
        ));
    }
}
