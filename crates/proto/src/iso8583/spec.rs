//! The wire spec of one field: encoding (BCD, track, ASCII, GBK, binary), length kind (fixed,
//! LLVAR, LLLVAR with BCD length prefixes), maximum length and pad side; and the profile's
//! per-acquirer override of a field.

use serde::{Deserialize, Serialize};

/// How a field's content is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// Packed BCD, two digits a byte; lengths count digits; odd lengths get one pad nibble.
    Bcd,
    /// Packed track data ("z"): like BCD, separator `=` as nibble `D`.
    Track,
    /// ASCII text; lengths count bytes.
    Ascii,
    /// GBK text (Chinese); lengths count bytes.
    Gbk,
    /// Raw bytes; lengths count bytes.
    Binary,
}

impl Encoding {
    /// True when the content is packed nibbles (lengths count digits).
    pub fn is_nibbles(self) -> bool {
        matches!(self, Encoding::Bcd | Encoding::Track)
    }
}

/// How a field's length is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LengthKind {
    /// Always `max` digits or bytes.
    Fixed,
    /// One BCD byte of length (0–99) before the content.
    Llvar,
    /// Two BCD bytes of length (0–999) before the content.
    Lllvar,
}

impl LengthKind {
    /// Bytes of the length prefix.
    pub fn prefix_size(self) -> usize {
        match self {
            LengthKind::Fixed => 0,
            LengthKind::Llvar => 1,
            LengthKind::Lllvar => 2,
        }
    }

    /// Largest length the prefix can express.
    pub fn prefix_limit(self) -> usize {
        match self {
            LengthKind::Fixed => usize::MAX,
            LengthKind::Llvar => 99,
            LengthKind::Lllvar => 999,
        }
    }
}

/// Where the pad nibble of an odd-length BCD value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Pad {
    /// Pad nibble first: the digits are right-aligned (`023` → `00 23`).
    Left,
    /// Pad nibble last: the digits are left-aligned (`071` → `07 10`), CUP's usual choice.
    #[default]
    Right,
}

/// The wire format of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub encoding: Encoding,
    pub length: LengthKind,
    /// Exact length (fixed) or maximum length (variable), in digits for BCD/track and bytes
    /// otherwise.
    pub max: u16,
    pub pad: Pad,
}

/// A per-acquirer replacement of one field's spec (typically 46, 56, 59, 62, 63).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldOverride {
    /// Field number, 2–128.
    pub number: u8,
    pub encoding: Encoding,
    pub length: LengthKind,
    pub max: u16,
    #[serde(default)]
    pub pad: Pad,
    /// Names to show instead of the table's (optional).
    #[serde(default)]
    pub name_zh: Option<String>,
    #[serde(default)]
    pub name_en: Option<String>,
}

impl FieldOverride {
    pub fn spec(&self) -> FieldSpec {
        FieldSpec {
            encoding: self.encoding,
            length: self.length,
            max: self.max,
            pad: self.pad,
        }
    }
}
