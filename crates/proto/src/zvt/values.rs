//! Typed values inside ZVT fields: BCD numbers, amounts, currencies, the password, masked
//! PANs, LLVAR/LLLVAR lengths and CP437 text (dates and times: [`super::datetime`], re-exported
//! here).

use oem_cp::code_table::{DECODING_TABLE_CP437, ENCODING_TABLE_CP437};
use serde::Serialize;

pub use super::datetime::{format_expiry, ZvtDate, ZvtDateTime, ZvtTime};
use super::error::ZvtEncodeError;
use crate::redact::mask_pan;

/// The nibbles of `bytes` as characters: `0`–`9` stay digits, `A`–`F` become letters
/// (`E` = masked digit, `F` = padding in ZVT). Leading zeros are kept.
pub fn bcd_string(bytes: &[u8]) -> String {
    hex::encode_upper(bytes)
}

/// Parses a string made by [`bcd_string`] back into bytes (hex nibbles, even count).
pub fn parse_bcd_string(field: &str, s: &str) -> Result<Vec<u8>, ZvtEncodeError> {
    hex::decode(s).map_err(|_| ZvtEncodeError::InvalidValue {
        field: field.to_string(),
        expected: "an even number of BCD digits (0-9, E, F)",
        value: s.to_string(),
    })
}

/// The number in `bytes` when every nibble is a decimal digit and it fits a `u64`.
pub fn bcd_to_u64(bytes: &[u8]) -> Option<u64> {
    let mut value: u64 = 0;
    for &b in bytes {
        for nibble in [b >> 4, b & 0x0F] {
            if nibble > 9 {
                return None;
            }
            value = value.checked_mul(10)?.checked_add(u64::from(nibble))?;
        }
    }
    Some(value)
}

/// `value` as `len` bytes of BCD, or `None` when it has more than `2 * len` digits.
pub fn u64_to_bcd(value: u64, len: usize) -> Option<Vec<u8>> {
    let mut out = vec![0u8; len];
    let mut rest = value;
    for byte in out.iter_mut().rev() {
        let lo = (rest % 10) as u8;
        rest /= 10;
        let hi = (rest % 10) as u8;
        rest /= 10;
        *byte = (hi << 4) | lo;
    }
    (rest == 0).then_some(out)
}

pub(crate) fn bcd_to_u8(b: u8) -> Option<u8> {
    let (hi, lo) = (b >> 4, b & 0x0F);
    (hi <= 9 && lo <= 9).then_some(hi * 10 + lo)
}

pub(crate) fn u8_to_bcd(v: u8) -> u8 {
    ((v / 10 % 10) << 4) | (v % 10)
}

/// Largest amount in 6 BCD bytes (12 digits), in minor units.
pub const MAX_AMOUNT_MINOR: u64 = 999_999_999_999;

/// An amount (BMP 04): 6 bytes BCD in minor units. `None` when not BCD or not 6 bytes.
pub fn decode_amount(bytes: &[u8]) -> Option<u64> {
    (bytes.len() == 6).then(|| bcd_to_u64(bytes)).flatten()
}

pub fn encode_amount(minor: u64) -> Result<[u8; 6], ZvtEncodeError> {
    let bytes = u64_to_bcd(minor, 6).ok_or_else(|| ZvtEncodeError::InvalidValue {
        field: "amount".into(),
        expected: "at most 12 digits of minor units",
        value: minor.to_string(),
    })?;
    let mut out = [0u8; 6];
    out.copy_from_slice(&bytes);
    Ok(out)
}

/// ISO 4217 letters for the numeric codes a ZVT terminal is likely to send.
pub fn currency_alpha(code: u16) -> Option<&'static str> {
    Some(match code {
        978 => "EUR",
        756 => "CHF",
        840 => "USD",
        826 => "GBP",
        156 => "CNY",
        344 => "HKD",
        446 => "MOP",
        203 => "CZK",
        348 => "HUF",
        985 => "PLN",
        208 => "DKK",
        752 => "SEK",
        578 => "NOK",
        392 => "JPY",
        _ => return None,
    })
}

/// `12.34 EUR` (2 decimals; JPY without), or `1234 (currency 0999)` when unknown.
pub fn format_amount(minor: u64, currency: Option<u16>) -> String {
    let code = currency.unwrap_or(978);
    let number = if code == 392 {
        minor.to_string()
    } else {
        format!("{}.{:02}", minor / 100, minor % 100)
    };
    match currency_alpha(code) {
        Some(alpha) => format!("{number} {alpha}"),
        None => format!("{number} (currency {code:04})"),
    }
}

/// A currency code (BMP 49): 2 bytes BCD, e.g. `09 78` = 978 (EUR).
pub fn decode_currency(bytes: &[u8]) -> Option<u16> {
    if bytes.len() != 2 {
        return None;
    }
    bcd_to_u64(bytes).and_then(|v| u16::try_from(v).ok())
}

pub fn encode_currency(code: u16) -> Result<[u8; 2], ZvtEncodeError> {
    match u64_to_bcd(u64::from(code), 2).as_deref() {
        Some(&[a, b]) => Ok([a, b]),
        _ => Err(ZvtEncodeError::InvalidValue {
            field: "currency".into(),
            expected: "an ISO 4217 numeric code 0-9999",
            value: code.to_string(),
        }),
    }
}

/// The 6-digit ECR password, sent as 3 bytes BCD. The default is `000000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Password(pub [u8; 3]);

impl Password {
    /// From six decimal digits, e.g. `"000000"`.
    pub fn from_digits(digits: &str) -> Result<Password, ZvtEncodeError> {
        let invalid = || ZvtEncodeError::InvalidValue {
            field: "password".into(),
            expected: "6 decimal digits",
            value: digits.chars().map(|_| '*').collect(),
        };
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        match hex::decode(digits).as_deref() {
            Ok(&[a, b, c]) => Ok(Password([a, b, c])),
            _ => Err(invalid()),
        }
    }

    pub fn digits(&self) -> String {
        bcd_string(&self.0)
    }
}

/// A PAN from BCD (BMP 22, TLV 5A): `E` nibbles are masked digits, `F` is padding. The result
/// is always masked to BIN + last four (`559883******8074`), even if the PT sent it in clear.
pub fn decode_pan_masked(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        for nibble in [b >> 4, b & 0x0F] {
            match nibble {
                0..=9 => s.push(char::from(b'0' + nibble)),
                0xF => {}
                0xE => s.push('*'),
                _ => s.push('?'),
            }
        }
    }
    mask_pan(&s)
}

/// Encodes a PAN given as digits with `*` or `E` for masked digits; odd length gets an `F` pad.
pub fn encode_pan(pan: &str) -> Result<Vec<u8>, ZvtEncodeError> {
    let mut nibbles = Vec::with_capacity(pan.len() + 1);
    for c in pan.chars() {
        nibbles.push(match c {
            '0'..='9' => c as u8 - b'0',
            '*' | 'E' | 'e' => 0xE,
            _ => {
                return Err(ZvtEncodeError::InvalidValue {
                    field: "PAN".into(),
                    expected: "digits, with * or E for masked digits",
                    value: mask_pan(pan),
                })
            }
        });
    }
    if nibbles.len() % 2 == 1 {
        nibbles.push(0xF);
    }
    Ok(nibbles
        .chunks(2)
        .map(|p| (p.first().copied().unwrap_or(0) << 4) | p.get(1).copied().unwrap_or(0xF))
        .collect())
}

/// Length of an LLVAR (`Fx Fy`) or LLLVAR (`Fx Fy Fz`) prefix; `None` when a byte is not
/// `F0`–`F9`.
pub fn decode_var_len(prefix: &[u8]) -> Option<usize> {
    let mut len = 0usize;
    for &b in prefix {
        if b >> 4 != 0xF || b & 0x0F > 9 {
            return None;
        }
        len = len.checked_mul(10)?.checked_add(usize::from(b & 0x0F))?;
    }
    Some(len)
}

/// `Fx Fy` (2 digits) or `Fx Fy Fz` (3 digits) for `len`; `None` when it does not fit.
pub fn encode_var_len(len: usize, digits: u32) -> Option<Vec<u8>> {
    if len >= 10usize.checked_pow(digits)? {
        return None;
    }
    Some(
        (0..digits)
            .rev()
            .map(|i| 0xF0 | ((len / 10usize.pow(i)) % 10) as u8)
            .collect(),
    )
}

/// Decodes CP437 (the ZVT default 8-bit character set); every byte maps to one character.
pub fn decode_cp437(bytes: &[u8]) -> String {
    oem_cp::decode_string_complete_table(bytes, &DECODING_TABLE_CP437)
}

/// Decodes CP437 text that may end in NUL (card name), cutting at the first NUL.
pub fn decode_cp437_nul(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    decode_cp437(bytes.get(..end).unwrap_or(bytes))
}

/// Encodes text as CP437; characters CP437 lacks become `?`.
pub fn encode_cp437(text: &str) -> Vec<u8> {
    oem_cp::encode_string_lossy(text, &ENCODING_TABLE_CP437)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(decode_amount(&[0, 0, 0, 0, 0x25, 0x00]), Some(2500));
        assert_eq!(encode_amount(314).unwrap(), [0, 0, 0, 0, 0x03, 0x14]);
        assert!(encode_amount(MAX_AMOUNT_MINOR + 1).is_err());
        assert_eq!(format_amount(2500, Some(978)), "25.00 EUR");
        assert_eq!(decode_currency(&[0x09, 0x78]), Some(978));
    }

    #[test]
    fn pan_is_masked() {
        let bytes = [0x55, 0x98, 0x83, 0xEE, 0xEE, 0xEE, 0x80, 0x74];
        assert_eq!(decode_pan_masked(&bytes), "559883******8074");
        let clear = [0x55, 0x98, 0x83, 0x12, 0x34, 0x56, 0x80, 0x74];
        assert_eq!(decode_pan_masked(&clear), "559883******8074");
        assert_eq!(encode_pan("559883******8074").unwrap(), bytes);
        assert_eq!(encode_pan("123").unwrap(), [0x12, 0x3F]);
    }

    #[test]
    fn var_lengths() {
        assert_eq!(decode_var_len(&[0xF0, 0xF8]), Some(8));
        assert_eq!(decode_var_len(&[0xF1, 0xF1]), Some(11));
        assert_eq!(decode_var_len(&[0x3A, 0xF1]), None);
        assert_eq!(encode_var_len(7, 3).unwrap(), [0xF0, 0xF0, 0xF7]);
        assert_eq!(encode_var_len(100, 2), None);
    }

    #[test]
    fn cp437_umlaut() {
        assert_eq!(decode_cp437(&[0x48, 0x84, 0x6E]), "Hän");
        assert_eq!(encode_cp437("Hän"), vec![0x48, 0x84, 0x6E]);
        assert_eq!(
            Password::from_digits("123456").unwrap().0,
            [0x12, 0x34, 0x56]
        );
        assert!(Password::from_digits("12a456").is_err());
    }
}
