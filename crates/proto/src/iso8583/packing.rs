//! Packing of field content: BCD and track nibbles (with the pad nibble on either side), BCD
//! length numbers, and ASCII / GBK text from bytes.

use super::dialect::{Encoding, LengthKind, Pad};
use super::error::EncodeError;

/// Bytes that `digits` nibbles take.
pub fn nibble_bytes(digits: usize) -> usize {
    digits / 2 + digits % 2
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
    let digit = |place: usize| u8::try_from(length / place % 10).unwrap_or(0);
    let packed = [(digit(1000) << 4) | digit(100), (digit(10) << 4) | digit(1)];
    let skip = packed.len().saturating_sub(kind.prefix_size());
    packed.get(skip..).unwrap_or_default().to_vec()
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
    let end = skip.saturating_add(digits);
    // Whole bytes two characters at a time, then the odd nibble at either end (decode speed
    // is a target: issue 16). Every character is ASCII.
    let mut out = Vec::with_capacity(digits);
    let first_whole = skip.div_ceil(2);
    let last_whole = end / 2;
    if skip == 1 {
        if let Some(b) = bytes.first() {
            out.push(nibble_char(b & 0x0F, encoding));
        }
    }
    for &b in bytes
        .get(first_whole..last_whole.max(first_whole))
        .unwrap_or_default()
    {
        out.push(nibble_char(b >> 4, encoding));
        out.push(nibble_char(b & 0x0F, encoding));
    }
    if end % 2 == 1 {
        if let Some(b) = bytes.get(end / 2) {
            out.push(nibble_char(b >> 4, encoding));
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

fn nibble_char(n: u8, encoding: Encoding) -> u8 {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    match n {
        0x0D if encoding == Encoding::Track => b'=',
        _ => HEX.get(usize::from(n & 0x0F)).copied().unwrap_or(b'?'),
    }
}

/// ASCII bytes as text; bytes outside printable ASCII are written `\xNN` so nothing is hidden.
pub fn ascii_text(bytes: &[u8]) -> String {
    if bytes.iter().all(|b| (0x20..0x7F).contains(b)) {
        return String::from_utf8(bytes.to_vec()).unwrap_or_default();
    }
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

    #[test]
    fn lllvar_prefix_is_two_bcd_bytes() {
        assert_eq!(bcd_length_prefix(17, LengthKind::Lllvar), [0x00, 0x17]);
        assert_eq!(bcd_length_prefix(322, LengthKind::Lllvar), [0x03, 0x22]);
        assert_eq!(bcd_length_prefix(19, LengthKind::Llvar), [0x19]);
    }

    /// The nibbles one by one, as the spec reads them: the reference for the fast path.
    fn unpack_reference(bytes: &[u8], digits: usize, encoding: Encoding, pad: Pad) -> String {
        let skip = usize::from(digits % 2 == 1 && pad == Pad::Left);
        bytes
            .iter()
            .flat_map(|b| [b >> 4, b & 0x0F])
            .skip(skip)
            .take(digits)
            .map(|n| char::from(nibble_char(n, encoding)))
            .collect()
    }

    #[test]
    fn unpacking_agrees_with_the_nibble_by_nibble_reference() {
        let samples: [&[u8]; 5] = [&[], &[0x12], &[0x0D, 0xF9], &[0x98, 0x76, 0x5D], &[0xAB; 4]];
        for bytes in samples {
            for digits in 0..=bytes.len() * 2 {
                for encoding in [Encoding::Bcd, Encoding::Track] {
                    for pad in [Pad::Left, Pad::Right] {
                        assert_eq!(
                            unpack_nibbles(bytes, digits, encoding, pad),
                            unpack_reference(bytes, digits, encoding, pad),
                            "{bytes:02X?} {digits} {encoding:?} {pad:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn nibbles_both_pad_sides() {
        assert_eq!(
            unpack_nibbles(&[0x00, 0x23], 3, Encoding::Bcd, Pad::Left),
            "023"
        );
        assert_eq!(
            unpack_nibbles(&[0x07, 0x10], 3, Encoding::Bcd, Pad::Right),
            "071"
        );
        assert_eq!(
            unpack_nibbles(&[0x12, 0xD4], 4, Encoding::Track, Pad::Right),
            "12=4"
        );
        assert_eq!(
            unpack_nibbles(&[0x12, 0xF4], 4, Encoding::Bcd, Pad::Right),
            "12F4"
        );
        assert_eq!(bcd_number(&[0x01, 0x2A]), None);
        assert_eq!(ascii_text(b"ab\x01"), "ab\\x01");
    }
}
