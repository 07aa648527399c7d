//! Redaction primitives shared by every codec.
//!
//! Decoders mark the sensitive spans of a message (PAN, track data, PIN block, CVV, keys) and
//! produce a redacted copy of the raw bytes of the same length, so a capture never holds a full
//! PAN or any sensitive authentication data and still replays through the same decoder.
//! Display masking is PCI DSS 3.4.1: BIN (first six) + last four at most.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// What kind of secret a span holds; decides how it is overwritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SensitiveKind {
    /// Primary account number: BIN and last four may stay, the middle is masked.
    Pan,
    /// Track 1/2/3 data or its chip equivalent (EMV tag 57): fully overwritten.
    Track,
    /// PIN block (ISO 8583 field 52): fully overwritten.
    PinBlock,
    /// Card verification code: fully overwritten.
    Cvv,
    /// Key material (working keys in 0810 field 62, key blocks): fully overwritten.
    Key,
}

/// A byte range of a raw message that holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SensitiveSpan {
    pub range: Range<usize>,
    pub kind: SensitiveKind,
}

/// Digits kept at the front of a masked PAN (the BIN).
pub const PAN_KEEP_FRONT: usize = 6;
/// Digits kept at the end of a masked PAN.
pub const PAN_KEEP_BACK: usize = 4;

/// Masks a PAN for display: first six and last four digits, `*` between.
/// PANs shorter than 13 digits keep only the last four. Non-digit input is masked whole.
pub fn mask_pan(pan: &str) -> String {
    let chars: Vec<char> = pan.chars().collect();
    let n = chars.len();
    let front = if n >= PAN_KEEP_FRONT + PAN_KEEP_BACK + 3 {
        PAN_KEEP_FRONT
    } else {
        0
    };
    let back = if n > PAN_KEEP_BACK { PAN_KEEP_BACK } else { 0 };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let visible = (i < front || i >= n - back) && c.is_ascii_digit();
            if visible {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// Which digit positions of a PAN of `n` digits may stay visible.
pub fn pan_digit_visible(index: usize, n: usize) -> bool {
    let front = if n >= PAN_KEEP_FRONT + PAN_KEEP_BACK + 3 {
        PAN_KEEP_FRONT
    } else {
        0
    };
    let back = if n > PAN_KEEP_BACK { PAN_KEEP_BACK } else { 0 };
    index < front || index >= n.saturating_sub(back)
}

/// Masks the middle digits of a BCD-packed PAN in place.
///
/// `bytes` holds the packed digits; `digits` is how many are meaningful; `skip_first_nibble`
/// is true when the PAN is right-aligned with a leading pad nibble (odd length, pad left).
/// Masked digits become `mask_nibble` (ZVT uses `0xE`). Out-of-range input is clamped, never
/// panics.
pub fn mask_bcd_pan(bytes: &mut [u8], digits: usize, skip_first_nibble: bool, mask_nibble: u8) {
    let offset = usize::from(skip_first_nibble);
    for i in 0..digits {
        if pan_digit_visible(i, digits) {
            continue;
        }
        let nibble_index = i + offset;
        let Some(byte) = bytes.get_mut(nibble_index / 2) else {
            return;
        };
        if nibble_index % 2 == 0 {
            *byte = (*byte & 0x0F) | ((mask_nibble & 0x0F) << 4);
        } else {
            *byte = (*byte & 0xF0) | (mask_nibble & 0x0F);
        }
    }
}

/// Masks the middle digits of an ASCII PAN in place with `*`.
pub fn mask_ascii_pan(bytes: &mut [u8]) {
    let n = bytes.len();
    for (i, b) in bytes.iter_mut().enumerate() {
        if !pan_digit_visible(i, n) {
            *b = b'*';
        }
    }
}

/// Overwrites a whole span with `fill` (clamped to the buffer).
pub fn fill_span(bytes: &mut [u8], range: Range<usize>, fill: u8) {
    let end = range.end.min(bytes.len());
    let start = range.start.min(end);
    for b in &mut bytes[start..end] {
        *b = fill;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_keeps_bin_and_last_four() {
        assert_eq!(mask_pan("6225881234567890"), "622588******7890");
        assert_eq!(mask_pan("6212345678901234567"), "621234*********4567");
        assert_eq!(mask_pan("123456789"), "*****6789");
    }

    #[test]
    fn bcd_pan_masked_with_nibble() {
        // 16 digits 5598 8312 3456 8074 → ZVT style E-masked middle
        let mut b = [0x55, 0x98, 0x83, 0x12, 0x34, 0x56, 0x80, 0x74];
        mask_bcd_pan(&mut b, 16, false, 0xE);
        assert_eq!(b, [0x55, 0x98, 0x83, 0xEE, 0xEE, 0xEE, 0x80, 0x74]);
    }

    #[test]
    fn fill_is_clamped() {
        let mut b = [1u8, 2, 3];
        fill_span(&mut b, 1..10, 0);
        assert_eq!(b, [1, 0, 0]);
    }
}
