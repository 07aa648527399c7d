//! One field on the wire: a [`FieldValue`] ⇄ bytes under a [`FieldSpec`] (BCD with digit-counted
//! lengths and pad nibbles, track data, ASCII, GBK, binary; fixed, LLVAR and LLLVAR with BCD
//! length prefixes).

use std::fmt;
use std::ops::Range;

use super::dialect::{Encoding, FieldSpec, LengthKind, Pad};
use super::error::{DecodeError, EncodeError, Part, ValueKind};

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

/// Bytes that `digits` nibbles take.
pub fn nibble_bytes(digits: usize) -> usize {
    digits / 2 + digits % 2
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

/// A number written in BCD (every nibble 0–9), or None.
pub fn bcd_number(bytes: &[u8]) -> Option<usize> {
    let mut n: usize = 0;
    for b in bytes {
        for nibble in [b >> 4, b & 0x0F] {
            if nibble > 9 {
                return None;
            }
            n = n.checked_mul(10)?.checked_add(usize::from(nibble))?;
        }
    }
    Some(n)
}

/// The BCD length prefix for `length` (callers keep `length` within the prefix limit).
pub fn bcd_length_prefix(length: usize, kind: LengthKind) -> Vec<u8> {
    let digits = format!("{length:04}");
    let packed: Vec<u8> = digits
        .as_bytes()
        .chunks(2)
        .map(|p| match p {
            [hi, lo] => (hi.wrapping_sub(b'0') << 4) | (lo.wrapping_sub(b'0') & 0x0F),
            _ => 0,
        })
        .collect();
    let skip = packed.len().saturating_sub(kind.prefix_size());
    packed.into_iter().skip(skip).collect()
}

fn nibble_value(number: u8, index: usize, ch: char, encoding: Encoding) -> Result<u8, EncodeError> {
    match ch {
        '=' if encoding == Encoding::Track => Ok(0x0D),
        _ => ch
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
            .ok_or(EncodeError::BadDigit {
                field: number,
                index,
                ch,
            }),
    }
}

/// Packs digit characters into nibbles with a `0` pad nibble on the `pad` side.
pub fn pack_nibbles(
    number: u8,
    s: &str,
    encoding: Encoding,
    pad: Pad,
) -> Result<Vec<u8>, EncodeError> {
    let mut nibbles = Vec::with_capacity(s.len().saturating_add(1));
    for (index, ch) in s.chars().enumerate() {
        nibbles.push(nibble_value(number, index, ch, encoding)?);
    }
    if nibbles.len() % 2 == 1 {
        match pad {
            Pad::Left => nibbles.insert(0, 0),
            Pad::Right => nibbles.push(0),
        }
    }
    Ok(nibbles
        .chunks(2)
        .map(|p| match p {
            [hi, lo] => (hi << 4) | lo,
            _ => 0,
        })
        .collect())
}

/// Unpacks `digits` nibbles from `bytes`, skipping the pad nibble of an odd length.
pub fn unpack_nibbles(bytes: &[u8], digits: usize, encoding: Encoding, pad: Pad) -> String {
    let skip = usize::from(digits % 2 == 1 && pad == Pad::Left);
    bytes
        .iter()
        .flat_map(|b| [b >> 4, b & 0x0F])
        .skip(skip)
        .take(digits)
        .map(|n| nibble_char(n, encoding))
        .collect()
}

fn nibble_char(n: u8, encoding: Encoding) -> char {
    match n {
        0x0D if encoding == Encoding::Track => '=',
        _ => char::from_digit(u32::from(n), 16)
            .map(|c| c.to_ascii_uppercase())
            .unwrap_or('?'),
    }
}

/// ASCII bytes as text; bytes outside printable ASCII are written `\xNN` so nothing is hidden.
pub fn ascii_text(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        if (0x20..0x7F).contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("\\x{b:02X}"));
        }
    }
    s
}

/// GBK bytes as text; malformed sequences become U+FFFD.
pub fn gbk_text(bytes: &[u8]) -> String {
    let (text, _) = encoding_rs::GBK.decode_without_bom_handling(bytes);
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // §3: 22 `071` → `07 10`
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
    fn lllvar_prefix_is_two_bcd_bytes() {
        assert_eq!(bcd_length_prefix(17, LengthKind::Lllvar), [0x00, 0x17]);
        assert_eq!(bcd_length_prefix(322, LengthKind::Lllvar), [0x03, 0x22]);
        assert_eq!(bcd_length_prefix(19, LengthKind::Llvar), [0x19]);
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
