//! Card data in a Concert answer: the 55-character repport starts with the card number
//! (left-justified, space after it) and goes on with other card data (expiry, service code,
//! or a cheque's CMC7 line). Only the PAN's BIN and last four are ever shown; the rest of the
//! field is hidden whole, with its length, because it cannot be told apart reliably.

use serde::Serialize;

use super::answer::{ANSWER_LEN_FULL, REPPORT_LEN};
use super::frame::{ETX, STX};
use crate::proto::redact::{mask_ascii_pan, mask_pan};

/// The repport as it may be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaskedRepport {
    /// The card number masked to BIN + last four, when the field starts with 12–19 digits.
    pub pan: Option<String>,
    /// Characters after the PAN that are not blank and were hidden.
    pub hidden: usize,
    /// True when the whole field is blank (spaces or zeros only).
    pub blank: bool,
}

impl MaskedRepport {
    /// One line: `497010******0000 (+38 characters hidden)`.
    pub fn display(&self) -> String {
        match (&self.pan, self.hidden) {
            (_, _) if self.blank => "-".to_owned(),
            (Some(pan), 0) => pan.clone(),
            (Some(pan), n) => format!("{pan} (+{n} hidden)"),
            (None, n) => format!("[{n} characters hidden]"),
        }
    }
}

fn leading_pan(rep: &str) -> Option<&str> {
    let digits = rep.bytes().take_while(u8::is_ascii_digit).count();
    let next = rep.as_bytes().get(digits).copied();
    ((12..=19).contains(&digits) && matches!(next, None | Some(b' ')))
        .then(|| rep.get(..digits))
        .flatten()
}

fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| b == b' ' || b == b'0')
}

/// Masks a repport for display.
pub fn mask_repport(rep: &str) -> MaskedRepport {
    if is_blank(rep) {
        return MaskedRepport {
            pan: None,
            hidden: 0,
            blank: true,
        };
    }
    match leading_pan(rep) {
        Some(pan) => {
            let rest = rep.get(pan.len()..).unwrap_or("");
            MaskedRepport {
                pan: Some(mask_pan(pan)),
                hidden: if is_blank(rest) {
                    0
                } else {
                    rest.trim().chars().count()
                },
                blank: false,
            }
        }
        None => MaskedRepport {
            pan: None,
            hidden: rep.chars().count(),
            blank: false,
        },
    }
}

/// A copy of raw bytes safe to store (captures, logs): in every full-form answer frame found,
/// the PAN keeps BIN + last four and the rest of the repport is overwritten with `*`. Same
/// length as the input; the LRC of a redacted frame no longer matches, on purpose.
pub fn redact_frame(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut start = 0;
    while let Some(offset) = out
        .get(start..)
        .and_then(|s| s.iter().position(|&b| b == STX))
    {
        let stx = start + offset;
        let end = stx + ANSWER_LEN_FULL + 3;
        let is_full_answer = out
            .get(stx..end)
            .is_some_and(|f| f.get(ANSWER_LEN_FULL + 1) == Some(&ETX));
        if is_full_answer {
            let rep_range = stx + 13..stx + 13 + REPPORT_LEN;
            if let Some(rep) = out.get_mut(rep_range) {
                let digits = rep.iter().take_while(|b| b.is_ascii_digit()).count();
                let pan_ok =
                    (12..=19).contains(&digits) && matches!(rep.get(digits), None | Some(b' '));
                let keep = if pan_ok { digits } else { 0 };
                if let Some(pan) = rep.get_mut(..keep) {
                    mask_ascii_pan(pan);
                }
                for b in rep.iter_mut().skip(keep) {
                    if *b != b' ' {
                        *b = b'*';
                    }
                }
            }
            start = end;
        } else {
            start = stx + 1;
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn pan_shows_bin_and_last_four_only() {
        let rep = format!("{:<55}", "4970101234567890 1226123");
        let m = mask_repport(&rep);
        assert_eq!(m.pan.as_deref(), Some("497010******7890"));
        assert_eq!(m.hidden, 7);
        assert!(!m.display().contains("1226"));
        assert_eq!(mask_repport(&" ".repeat(55)).display(), "-");
        let cmc7 = format!("{:<55}", "A1234B5678C9");
        assert_eq!(mask_repport(&cmc7).display(), "[55 characters hidden]");
    }

    #[test]
    fn redacted_frames_keep_their_length_and_lose_the_card() {
        let rep = format!("{:<55}", "4970101234567890 1226");
        let body = format!("010000012501{rep}9780000012345");
        let frame = crate::proto::concert::encode_frame(body.as_bytes());
        let mut stream = vec![0x05, 0x06];
        stream.extend(&frame);
        let red = redact_frame(&stream);
        assert_eq!(red.len(), stream.len());
        let text = String::from_utf8_lossy(&red);
        assert!(text.contains("497010******7890 ****"), "{text}");
        assert!(!text.contains("1234567890"));
        assert!(text.contains("0000012345"));
    }
}
