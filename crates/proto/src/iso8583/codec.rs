//! One field on the wire: a [`FieldValue`] ⇄ bytes under a [`FieldSpec`] (BCD with digit-counted
//! lengths and pad nibbles, track data, ASCII, GBK, binary; fixed, LLVAR and LLLVAR with BCD
//! length prefixes).

use std::fmt;
use std::ops::Range;

use super::dialect::{Encoding, FieldSpec, LengthKind};
use super::error::{DecodeError, EncodeError, Part, ValueKind};
use super::packing::{
    ascii_text, bcd_length_prefix, bcd_number, gbk_text, nibble_bytes, pack_nibbles, unpack_nibbles,
};

/// A field's content as ISO 8583 carries it.
#[derive(Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// BCD or track nibbles as characters: `0`–`9`, `=` (track separator), `A`–`F` for nibbles a
    /// terminal put there that are not decimal (encrypted track data, masked PANs).
    Digits(String),
    /// ASCII or GBK text, padding included.
    Text(String),
    /// Raw bytes.
    Binary(Vec<u8>),
}

impl FieldValue {
    pub fn digits(s: impl Into<String>) -> Self {
        FieldValue::Digits(s.into())
    }

    pub fn text(s: impl Into<String>) -> Self {
        FieldValue::Text(s.into())
    }

    pub fn binary(b: impl Into<Vec<u8>>) -> Self {
        FieldValue::Binary(b.into())
    }

    pub fn kind(&self) -> ValueKind {
        match self {
            FieldValue::Digits(_) => ValueKind::Digits,
            FieldValue::Text(_) => ValueKind::Text,
            FieldValue::Binary(_) => ValueKind::Binary,
        }
    }

    /// Digits or text as a string slice (binary values have none).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            FieldValue::Digits(s) | FieldValue::Text(s) => Some(s),
            FieldValue::Binary(_) => None,
        }
    }

    /// Digits and text as they are, binary as upper-case hex. Unmasked: callers that display
    /// it must go through the redaction rules.
    pub fn to_plain_string(&self) -> String {
        match self {
            FieldValue::Digits(s) | FieldValue::Text(s) => s.clone(),
            FieldValue::Binary(b) => hex::encode_upper(b),
        }
    }
}

/// Shows only the kind and length, so a value can never leak into a log via `{:?}`.
impl fmt::Debug for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Digits(s) => write!(f, "Digits(<{} digits>)", s.chars().count()),
            FieldValue::Text(s) => write!(f, "Text(<{} chars>)", s.chars().count()),
            FieldValue::Binary(b) => write!(f, "Binary(<{} bytes>)", b.len()),
        }
    }
}

/// The value kind a spec's encoding wants.
pub fn value_kind(encoding: Encoding) -> ValueKind {
    match encoding {
        Encoding::Bcd | Encoding::Track => ValueKind::Digits,
        Encoding::Ascii | Encoding::Gbk => ValueKind::Text,
        Encoding::Binary => ValueKind::Binary,
    }
}

/// One decoded field: its content and where it sits in the input.
#[derive(Clone)]
pub struct RawField {
    pub value: FieldValue,
    /// Length prefix + content.
    pub span: Range<usize>,
    /// Content only.
    pub data: Range<usize>,
    /// Declared (or fixed) length, in digits or bytes.
    pub length: usize,
}

/// Reads field `number` at `offset` of `input`.
pub fn decode_field(
    number: u8,
    spec: FieldSpec,
    input: &[u8],
    offset: usize,
) -> Result<RawField, DecodeError> {
    let prefix_size = spec.length.prefix_size();
    let length = match spec.length {
        LengthKind::Fixed => usize::from(spec.max),
        LengthKind::Llvar | LengthKind::Lllvar => {
            let prefix = take(input, offset, prefix_size, Part::FieldLength(number))?;
            let length = bcd_number(prefix).ok_or_else(|| DecodeError::BadFieldLength {
                field: number,
                offset,
                found: hex::encode_upper(prefix),
            })?;
            if length > usize::from(spec.max) {
                return Err(DecodeError::FieldTooLong {
                    field: number,
                    offset,
                    length,
                    max: usize::from(spec.max),
                });
            }
            length
        }
    };
    let data_start = offset.saturating_add(prefix_size);
    let byte_len = if spec.encoding.is_nibbles() {
        nibble_bytes(length)
    } else {
        length
    };
    let data = take(input, data_start, byte_len, Part::Field(number))?;
    let value = match spec.encoding {
        Encoding::Bcd | Encoding::Track => {
            FieldValue::Digits(unpack_nibbles(data, length, spec.encoding, spec.pad))
        }
        Encoding::Ascii => FieldValue::Text(ascii_text(data)),
        Encoding::Gbk => FieldValue::Text(gbk_text(data)),
        Encoding::Binary => FieldValue::Binary(data.to_vec()),
    };
    let end = data_start.saturating_add(byte_len);
    Ok(RawField {
        value,
        span: offset..end,
        data: data_start..end,
        length,
    })
}

/// Appends field `number` to `out`.
pub fn encode_field(
    number: u8,
    spec: FieldSpec,
    value: &FieldValue,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let expected = value_kind(spec.encoding);
    if value.kind() != expected {
        return Err(EncodeError::WrongValueKind {
            field: number,
            expected,
            got: value.kind(),
        });
    }
    let max = usize::from(spec.max).min(spec.length.prefix_limit());
    let (length, data) = match (spec.encoding, value) {
        (Encoding::Bcd | Encoding::Track, FieldValue::Digits(s)) => {
            let n = s.chars().count();
            (n, pack_nibbles(number, s, spec.encoding, spec.pad)?)
        }
        (Encoding::Ascii, FieldValue::Text(s)) => {
            if let Some(_bad) = s.chars().find(|c| !c.is_ascii()) {
                return Err(EncodeError::BadText {
                    field: number,
                    charset: "ASCII",
                });
            }
            let bytes = pad_text(s.as_bytes().to_vec(), spec);
            (bytes.len(), bytes)
        }
        (Encoding::Gbk, FieldValue::Text(s)) => {
            let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
            if unmappable {
                return Err(EncodeError::BadText {
                    field: number,
                    charset: "GBK",
                });
            }
            let bytes = pad_text(bytes.into_owned(), spec);
            (bytes.len(), bytes)
        }
        (_, FieldValue::Binary(b)) => (b.len(), b.clone()),
        _ => {
            return Err(EncodeError::WrongValueKind {
                field: number,
                expected,
                got: value.kind(),
            })
        }
    };
    match spec.length {
        LengthKind::Fixed if length != usize::from(spec.max) => {
            return Err(if length > usize::from(spec.max) {
                EncodeError::TooLong {
                    field: number,
                    got: length,
                    max: usize::from(spec.max),
                }
            } else {
                EncodeError::WrongLength {
                    field: number,
                    expected: usize::from(spec.max),
                    got: length,
                }
            });
        }
        LengthKind::Fixed => {}
        LengthKind::Llvar | LengthKind::Lllvar => {
            if length > max {
                return Err(EncodeError::TooLong {
                    field: number,
                    got: length,
                    max,
                });
            }
            out.extend(bcd_length_prefix(length, spec.length));
        }
    }
    out.extend(data);
    Ok(())
}

/// Fixed text fields are space padded (ISO 8583 "ans" convention).
fn pad_text(mut bytes: Vec<u8>, spec: FieldSpec) -> Vec<u8> {
    if spec.length == LengthKind::Fixed {
        while bytes.len() < usize::from(spec.max) {
            bytes.push(b' ');
        }
    }
    bytes
}

/// `n` bytes at `offset`, or a truncation error naming `part`.
pub fn take(input: &[u8], offset: usize, n: usize, part: Part) -> Result<&[u8], DecodeError> {
    let available = input.len().saturating_sub(offset);
    offset
        .checked_add(n)
        .and_then(|end| input.get(offset..end))
        .ok_or(DecodeError::Truncated {
            part,
            offset,
            needed: n,
            available,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iso8583::dialect::Pad;

    fn spec(encoding: Encoding, length: LengthKind, max: u16, pad: Pad) -> FieldSpec {
        FieldSpec {
            encoding,
            length,
            max,
            pad,
        }
    }

    fn enc(number: u8, spec: FieldSpec, v: FieldValue) -> Vec<u8> {
        let mut out = Vec::new();
        encode_field(number, spec, &v, &mut out).expect("encodes");
        out
    }

    #[test]
    fn entry_mode_left_aligned() {
        // docs/protocols/iso8583-cup.md §3: 22 `071` → `07 10`
        let s = spec(Encoding::Bcd, LengthKind::Fixed, 3, Pad::Right);
        assert_eq!(enc(22, s, FieldValue::digits("071")), [0x07, 0x10]);
        let f = decode_field(22, s, &[0x07, 0x10], 0).expect("decodes");
        assert_eq!(f.value, FieldValue::digits("071"));
    }

    #[test]
    fn card_sequence_right_aligned() {
        let s = spec(Encoding::Bcd, LengthKind::Fixed, 3, Pad::Left);
        assert_eq!(enc(23, s, FieldValue::digits("001")), [0x00, 0x01]);
    }

    #[test]
    fn odd_pan_llvar_digit_count() {
        let s = spec(Encoding::Bcd, LengthKind::Llvar, 19, Pad::Right);
        let out = enc(2, s, FieldValue::digits("6225881234567890123"));
        assert_eq!(
            out,
            hex::decode("196225881234567890123 0".replace(' ', "")).unwrap()
        );
        let f = decode_field(2, s, &out, 0).expect("decodes");
        assert_eq!(f.length, 19);
        assert_eq!(f.value, FieldValue::digits("6225881234567890123"));
        assert_eq!(f.data, 1..11);
    }

    #[test]
    fn track2_separator_is_d() {
        let s = spec(Encoding::Track, LengthKind::Llvar, 37, Pad::Right);
        let out = enc(35, s, FieldValue::digits("6225881234567890=2512"));
        assert_eq!(hex::encode_upper(&out), "216225881234567890D25120");
    }

    #[test]
    fn gbk_merchant_name_space_padded() {
        let s = spec(Encoding::Gbk, LengthKind::Fixed, 40, Pad::Right);
        let out = enc(43, s, FieldValue::text("测试商户"));
        assert_eq!(out.len(), 40);
        assert_eq!(&out[..8], &[0xB2, 0xE2, 0xCA, 0xD4, 0xC9, 0xCC, 0xBB, 0xA7]);
        let f = decode_field(43, s, &out, 0).expect("decodes");
        assert_eq!(f.value.as_str().map(str::trim_end), Some("测试商户"));
    }

    #[test]
    fn errors_name_field_and_offset() {
        let s = spec(Encoding::Bcd, LengthKind::Lllvar, 17, Pad::Right);
        let e = decode_field(60, s, &[0, 0, 0x00, 0x99], 2).err();
        assert_eq!(
            e,
            Some(DecodeError::FieldTooLong {
                field: 60,
                offset: 2,
                length: 99,
                max: 17
            })
        );
        let e = decode_field(60, s, &[0x0A, 0x00], 0).err();
        assert!(matches!(
            e,
            Some(DecodeError::BadFieldLength {
                field: 60,
                offset: 0,
                ..
            })
        ));
        let e = decode_field(60, s, &[0x00, 0x08, 0x22], 0).err();
        assert!(matches!(
            e,
            Some(DecodeError::Truncated {
                part: Part::Field(60),
                offset: 2,
                needed: 4,
                available: 1
            })
        ));
    }

    #[test]
    fn wrong_lengths_refused() {
        let s = spec(Encoding::Bcd, LengthKind::Fixed, 6, Pad::Right);
        let mut out = Vec::new();
        assert!(encode_field(3, s, &FieldValue::digits("0000"), &mut out).is_err());
        assert!(encode_field(3, s, &FieldValue::text("000000"), &mut out).is_err());
        assert!(encode_field(3, s, &FieldValue::digits("00000X"), &mut out).is_err());
    }
}
