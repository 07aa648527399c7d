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
    if let Some(span) = bytes.get_mut(start..end) {
        span.fill(fill);
    }
}

/// Fewest digits in a run of free text that is taken for a card number and masked.
///
/// PANs are 12–19 digits (ISO/IEC 7812); shorter runs (amounts, dates, trace numbers) stay.
pub const TEXT_DIGIT_RUN_MIN: usize = 12;

/// Separators a printed card number may carry between its digit groups.
fn is_digit_separator(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.')
}

/// Masks every run of [`TEXT_DIGIT_RUN_MIN`] or more digits in free text (receipt lines,
/// display texts, error texts, GBK or CP437 bytes) to BIN + last 4, Luhn or not.
///
/// A run may carry single spaces, dashes or dots between digits (`4761 7390 0101 0010`,
/// `4761-7390-...`; groups of at most six digits, as cards are printed), one kind of separator per run (so `12.34 2026-12-05` is an amount and
/// a date, not one number); separators stay so the layout does not move. Multi-byte encodings are
/// safe: no GBK or UTF-8 continuation byte is an ASCII digit. Returns how many runs it masked.
pub fn mask_text_digit_runs(text: &mut [u8]) -> usize {
    let mut masked = 0;
    let mut i = 0;
    while i < text.len() {
        if !text.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        // Extend over digits and single separators that sit between digits.
        let start = i;
        let mut end = i;
        let mut digits = 0usize;
        let mut separator = None;
        let mut j = i;
        while let Some(&b) = text.get(j) {
            if b.is_ascii_digit() {
                digits += 1;
                j += 1;
                end = j;
            } else if is_digit_separator(b)
                && separator.is_none_or(|s| s == b)
                && text.get(j + 1).is_some_and(u8::is_ascii_digit)
            {
                separator = Some(b);
                j += 1;
            } else {
                break;
            }
        }
        // An EMV AID printed on a receipt (`A0000000041010`): the RID `A000000…` is no card.
        let is_aid = start > 0
            && text
                .get(start - 1)
                .is_some_and(|b| b.eq_ignore_ascii_case(&b'A'))
            && text.get(start..start + 5) == Some(b"00000".as_slice());
        if is_aid {
            i = end.max(start + 1);
            continue;
        }
        let grouped_like_a_card = separator.is_none()
            || text
                .get(start..end)
                .unwrap_or_default()
                .split(|b| !b.is_ascii_digit())
                .all(|group| group.len() <= MAX_CARD_GROUP);
        if !grouped_like_a_card {
            // Numbers that merely stand side by side (`000123 12345678901`): each is judged
            // on its own.
            let first_group = text
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            masked += mask_text_digit_runs_unbroken(text, start, start + first_group);
            i = start + first_group.max(1);
            continue;
        }
        if digits >= TEXT_DIGIT_RUN_MIN {
            mask_run(text, start, end, digits);
            masked += 1;
        }
        i = end.max(start + 1);
    }
    masked
}

/// Longest digit group of a card number printed in groups (4-4-4-4, 4-6-5, 6-13 unbroken).
const MAX_CARD_GROUP: usize = 6;

/// Masks the digits of `text[start..end]` (holding `digits` digits) to BIN + last 4.
fn mask_run(text: &mut [u8], start: usize, end: usize, digits: usize) {
    let mut seen = 0usize;
    for b in text.iter_mut().take(end).skip(start) {
        if b.is_ascii_digit() {
            if !pan_digit_visible(seen, digits) {
                *b = b'*';
            }
            seen += 1;
        }
    }
}

/// An unbroken digit run `text[start..end]`, masked when long enough; 1 if it was.
fn mask_text_digit_runs_unbroken(text: &mut [u8], start: usize, end: usize) -> usize {
    let digits = end.saturating_sub(start);
    if digits >= TEXT_DIGIT_RUN_MIN {
        mask_run(text, start, end, digits);
        1
    } else {
        0
    }
}

/// [`mask_text_digit_runs`] for a display string (any Unicode; only ASCII digits are masked).
pub fn mask_text_digits_str(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    if mask_text_digit_runs(&mut bytes) == 0 {
        return text.to_owned();
    }
    // Only ASCII digits were replaced by ASCII '*': still valid UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|_| "*".repeat(text.chars().count()))
}

/// [`mask_text_digit_runs`] for BCD-packed digits: every run of [`TEXT_DIGIT_RUN_MIN`] or
/// more decimal nibbles keeps its first six and last four; the rest become `mask_nibble`.
pub fn mask_bcd_digit_runs(bytes: &mut [u8], mask_nibble: u8) -> usize {
    let nibble = |bytes: &[u8], i: usize| {
        bytes
            .get(i / 2)
            .map(|b| if i % 2 == 0 { b >> 4 } else { b & 0x0F })
    };
    let total = bytes.len().saturating_mul(2);
    let mut masked = 0;
    let mut i = 0;
    while i < total {
        let run = (i..total)
            .take_while(|&k| nibble(bytes, k).is_some_and(|n| n < 10))
            .count();
        if run >= TEXT_DIGIT_RUN_MIN {
            for (seen, k) in (i..i + run).enumerate() {
                if pan_digit_visible(seen, run) {
                    continue;
                }
                if let Some(b) = bytes.get_mut(k / 2) {
                    *b = if k % 2 == 0 {
                        (*b & 0x0F) | ((mask_nibble & 0x0F) << 4)
                    } else {
                        (*b & 0xF0) | (mask_nibble & 0x0F)
                    };
                }
            }
            masked += 1;
        }
        i += run.max(1);
    }
    masked
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
    fn free_text_runs_with_separators_are_masked_luhn_or_not() {
        let mut t = b"CARD 4761 7390 0101 0010 ok".to_vec();
        assert_eq!(mask_text_digit_runs(&mut t), 1);
        assert_eq!(&t, b"CARD 4761 73** **** 0010 ok");
        let mut t = b"6222021234567890123".to_vec();
        mask_text_digit_runs(&mut t);
        assert_eq!(&t, b"622202*********0123");
        let mut t = b"4761-7390-0101-0010 / 4761.7390.0101.0010".to_vec();
        assert_eq!(mask_text_digit_runs(&mut t), 2);
        assert_eq!(&t, b"4761-73**-****-0010 / 4761.73**.****.0010");
        // Amounts, dates and trace numbers stay.
        let mut t = b"EUR 12.34 2026-12-05 TRACE 000123 12345678901".to_vec();
        assert_eq!(mask_text_digit_runs(&mut t), 0);
        assert_eq!(
            mask_text_digits_str("卡号 6222021234567890123"),
            "卡号 622202*********0123"
        );
    }

    #[test]
    fn bcd_digit_runs_are_masked() {
        let mut b = [
            0x12, 0x34, 0x47, 0x61, 0x73, 0x90, 0x01, 0x01, 0x00, 0x10, 0xFF,
        ];
        assert_eq!(mask_bcd_digit_runs(&mut b, 0xF), 1);
        // 20 digits: BIN of the run (123447) and its last four (0010) stay.
        assert_eq!(hex::encode_upper(b), "123447FFFFFFFFFF0010FF");
        let mut short = [0x12, 0x34, 0x56, 0x78, 0x90, 0x1F];
        assert_eq!(mask_bcd_digit_runs(&mut short, 0xF), 0);
    }

    #[test]
    fn fill_is_clamped() {
        let mut b = [1u8, 2, 3];
        fill_span(&mut b, 1..10, 0);
        assert_eq!(b, [1, 0, 0]);
    }
}
