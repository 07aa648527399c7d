//! Fixed-bit patterns and named bit fields of ESC/POS status bytes (docs/protocols/escpos.md §1).
//!
//! Every status reply has bits that never change; they are how the host tells which command a
//! byte answers, and how it notices a wrong baud rate or another dialect. A [`ReplyLayout`] is
//! the fixed bits of one reply byte plus its named fields, so decoding, explaining and encoding
//! all read the same table.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::error::EscPosDecodeError;
use super::query::Query;
use crate::i18n::Text;

/// Bits under `mask` must equal `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct FixedBits {
    pub mask: u8,
    pub value: u8,
}

impl FixedBits {
    pub const fn new(mask: u8, value: u8) -> Self {
        FixedBits { mask, value }
    }

    pub const fn matches(self, byte: u8) -> bool {
        byte & self.mask == self.value
    }

    /// The pattern as the manuals write it, bit 7 first: `0xx1xx10`.
    pub fn pattern(self) -> String {
        (0..8)
            .rev()
            .map(|bit| {
                let m = 1u8 << bit;
                if self.mask & m == 0 {
                    'x'
                } else if self.value & m == 0 {
                    '0'
                } else {
                    '1'
                }
            })
            .collect()
    }
}

/// DLE EOT reply, any n: `0xx1xx10`.
pub const DLE_EOT_REPLY: FixedBits = FixedBits::new(0x93, 0x12);
/// ASB first byte: `0xx1xx00`.
pub const ASB_FIRST: FixedBits = FixedBits::new(0x93, 0x10);
/// ASB bytes 2–4: `0xx0xxxx`.
pub const ASB_REST: FixedBits = FixedBits::new(0x90, 0x00);
/// GS r reply: `0xx0xxxx`.
pub const GS_R_REPLY: FixedBits = FixedBits::new(0x90, 0x00);
/// GS I one-byte ID: `0xx0xxxx`.
pub const GS_I_BYTE_REPLY: FixedBits = FixedBits::new(0x90, 0x00);

/// State of a field: one bit is set or clear; a two-bit field can also be half set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BitState {
    Clear,
    Set,
    /// Only one bit of a two-bit field is set. Epson sets both together; some models (some
    /// Citizen) split the pair into two sensors.
    Partial,
}

impl BitState {
    pub fn of(byte: u8, mask: u8) -> Self {
        match byte & mask {
            0 => BitState::Clear,
            v if v == mask => BitState::Set,
            _ => BitState::Partial,
        }
    }

    /// True when any bit of the field is set.
    pub fn any(self) -> bool {
        self != BitState::Clear
    }
}

/// One named bit (or bit pair) of a status byte.
#[derive(Debug, Clone)]
pub struct BitField {
    /// Stable id for JSON (`offline`, `cover_open`).
    pub id: &'static str,
    pub mask: u8,
    pub name: Text,
    pub when_set: Text,
    pub when_clear: Text,
}

impl BitField {
    pub fn state(&self, byte: u8) -> BitState {
        BitState::of(byte, self.mask)
    }

    /// What the field's state means, in words.
    pub fn meaning(&self, byte: u8) -> Text {
        match self.state(byte) {
            BitState::Set => self.when_set.clone(),
            BitState::Clear => self.when_clear.clone(),
            BitState::Partial => Text::fixed(
                "仅一位置位（部分型号把这一对位分给两个传感器，如部分 Citizen）",
                "only one of the two bits set (split sensors on some models, e.g. some Citizen)",
            ),
        }
    }

    /// "bit 3" or "bits 2+3".
    pub fn bits_label(&self) -> String {
        let bits: Vec<String> = (0..8)
            .filter(|b| self.mask & (1u8 << b) != 0)
            .map(|b| b.to_string())
            .collect();
        match bits.len() {
            1 => format!("bit {}", bits.join("")),
            _ => format!("bits {}", bits.join("+")),
        }
    }
}

/// Fixed bits and named fields of one reply byte.
#[derive(Debug, Clone)]
pub struct ReplyLayout {
    pub fixed: FixedBits,
    pub fields: &'static [BitField],
}

impl ReplyLayout {
    /// Checks the fixed bits of byte `index` of a reply to `query` found at stream `offset`.
    pub fn check(
        &self,
        byte: u8,
        query: Query,
        index: u8,
        offset: usize,
    ) -> Result<u8, EscPosDecodeError> {
        if self.fixed.matches(byte) {
            Ok(byte)
        } else {
            Err(EscPosDecodeError::InvalidStatusByte {
                offset,
                byte,
                mask: self.fixed.mask,
                expected: self.fixed.value,
                query,
                index,
            })
        }
    }

    /// Ids of the fields that are (at least partly) set.
    pub fn set_fields(&self, byte: u8) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| f.state(byte).any())
            .map(|f| f.id)
            .collect()
    }
}

/// Serialises a status byte as `{"raw": "1a", "<field id>": "set" | "clear" | "partial", …}`.
pub(crate) fn serialize_status<S: Serializer>(
    raw: u8,
    layout: &ReplyLayout,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(layout.fields.len() + 1))?;
    map.serialize_entry("raw", &format!("{raw:02x}"))?;
    for field in layout.fields {
        map.serialize_entry(field.id, &field.state(raw))?;
    }
    map.end()
}

/// Builds a [`BitField`] in a `const` table.
macro_rules! field {
    ($id:literal, $mask:expr, ($zh:literal, $en:literal), set ($szh:literal, $sen:literal), clear ($czh:literal, $cen:literal)) => {
        $crate::escpos::bits::BitField {
            id: $id,
            mask: $mask,
            name: $crate::i18n::Text::fixed($zh, $en),
            when_set: $crate::i18n::Text::fixed($szh, $sen),
            when_clear: $crate::i18n::Text::fixed($czh, $cen),
        }
    };
}
pub(crate) use field;

/// Defines a one-byte status type: the raw byte kept, fixed bits checked on decode, serialised
/// with its fields.
macro_rules! status_byte {
    ($(#[$meta:meta])* $name:ident, $layout:expr, $query:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name {
            raw: u8,
        }

        impl $name {
            /// Decodes one reply byte; a byte failing the fixed bits is an error, never guessed.
            pub fn decode(byte: u8) -> Result<Self, $crate::escpos::EscPosDecodeError> {
                Self::layout()
                    .check(byte, $query, 0, 0)
                    .map(|raw| $name { raw })
            }

            /// The byte as received.
            pub fn raw(self) -> u8 {
                self.raw
            }

            /// Fixed bits and fields of this reply.
            pub fn layout() -> &'static $crate::escpos::bits::ReplyLayout {
                &$layout
            }

            #[allow(dead_code)]
            fn state(self, mask: u8) -> $crate::escpos::bits::BitState {
                $crate::escpos::bits::BitState::of(self.raw, mask)
            }

            #[allow(dead_code)]
            fn bit(self, mask: u8) -> bool {
                self.raw & mask == mask
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::escpos::bits::serialize_status(self.raw, Self::layout(), s)
            }
        }
    };
}
pub(crate) use status_byte;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_read_like_the_manual() {
        assert_eq!(DLE_EOT_REPLY.pattern(), "0xx1xx10");
        assert_eq!(ASB_FIRST.pattern(), "0xx1xx00");
        assert_eq!(ASB_REST.pattern(), "0xx0xxxx");
    }

    #[test]
    fn pair_states() {
        assert_eq!(BitState::of(0x1E, 0x0C), BitState::Set);
        assert_eq!(BitState::of(0x12, 0x0C), BitState::Clear);
        assert_eq!(BitState::of(0x16, 0x0C), BitState::Partial);
    }
}
