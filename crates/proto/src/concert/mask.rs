//! Card data in a Concert answer: the 55-character repport starts with the card number
//! (left-justified, space after it) and goes on with other card data (expiry, service code,
//! or a cheque's CMC7 line). Only the PAN's BIN and last four are ever shown; the rest of the
//! field is hidden whole, with its length, because it cannot be told apart reliably.

use serde::Serialize;

use super::answer::{Answer, ANSWER_LEN_FULL, ANSWER_LEN_SHORT, REPPORT_LEN};
use super::frame::{Control, ETX, MAX_BODY, STX};
use super::request::{Request, REQUEST_LEN_E, REQUEST_LEN_E_PLUS};
use crate::redact::{mask_ascii_pan, mask_pan, mask_text_digit_runs, pan_digit_visible};

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

/// The card number of a repport as a capture keeps it ([`redact_stream`]): the PAN's visible
/// digits with `*` for the others, up to the separator. `None` when the field holds none (a
/// field hidden whole is only `*`).
pub fn recorded_pan(rep: &str) -> Option<&str> {
    let len = rep
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'*')
        .count();
    let pan = rep.get(..len)?;
    let shaped = pan.bytes().enumerate().all(|(i, b)| {
        if pan_digit_visible(i, len) {
            b.is_ascii_digit()
        } else {
            b == b'*'
        }
    });
    let next = rep.as_bytes().get(len).copied();
    ((12..=19).contains(&len) && shaped && matches!(next, None | Some(b' '))).then_some(pan)
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

/// A copy of raw bytes (any mix of handshake bytes and frames, from either side) safe to
/// store in a capture or a log. Same length as the input. Handshake bytes stay; a request
/// stays, its private field text-masked; in an answer the PAN keeps BIN + last four and the
/// rest of the repport becomes `*`. Whatever was not understood — a frame that is no request
/// or answer, a frame cut short, bytes outside any frame — is overwritten whole with `*`.
/// A redacted answer's LRC no longer matches, on purpose.
pub fn redact_stream(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i < out.len() {
        let b = out.get(i).copied().unwrap_or(0);
        if Control::from_byte(b).is_some() {
            i += 1;
            continue;
        }
        if b != STX {
            hide(&mut out, i..i + 1);
            i += 1;
            continue;
        }
        let body_start = i + 1;
        let etx = out
            .get(body_start..)
            .and_then(|rest| rest.iter().take(MAX_BODY + 1).position(|&c| c == ETX))
            .map(|p| body_start + p);
        let Some(etx) = etx.filter(|&e| e + 1 < out.len()) else {
            // Cut short (or longer than any frame): nothing in it can be placed.
            let len = out.len();
            hide(&mut out, body_start..len);
            break;
        };
        let understood = out.get_mut(body_start..etx).is_some_and(redact_body);
        if !understood {
            hide(&mut out, body_start..etx + 2);
        }
        i = etx + 2;
    }
    out
}

fn hide(out: &mut [u8], range: std::ops::Range<usize>) {
    let end = range.end.min(out.len());
    if let Some(span) = out.get_mut(range.start.min(end)..end) {
        span.fill(b'*');
    }
}

/// Redacts one frame body in place; false when it is no request or answer.
fn redact_body(body: &mut [u8]) -> bool {
    match body.len() {
        REQUEST_LEN_E | REQUEST_LEN_E_PLUS => {
            if Request::decode_body(body).is_err() {
                return false;
            }
            if let Some(private) = body.get_mut(16..26) {
                mask_text_digit_runs(private);
            }
            true
        }
        ANSWER_LEN_SHORT | ANSWER_LEN_FULL => {
            if Answer::decode_body(body).is_err() {
                return false;
            }
            let full = body.len() == ANSWER_LEN_FULL;
            if full {
                if let Some(rep) = body.get_mut(12..12 + REPPORT_LEN) {
                    redact_repport(rep);
                }
            }
            let private = if full { 70..80 } else { 15..25 };
            if let Some(private) = body.get_mut(private) {
                mask_text_digit_runs(private);
            }
            true
        }
        _ => false,
    }
}

fn redact_repport(rep: &mut [u8]) {
    let digits = rep.iter().take_while(|b| b.is_ascii_digit()).count();
    let pan_ok = (12..=19).contains(&digits) && matches!(rep.get(digits), None | Some(b' '));
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_pan_is_read_back_and_a_field_hidden_whole_is_none() {
        let mut frame = Answer {
            pos: "01".into(),
            result: crate::concert::ResultCode::APPROVED,
            amount_cents: 100,
            payment_mode: b'1',
            repport: Some(format!("{:<55}", "4970100000000000 2512 101")),
            currency: "978".into(),
            private: " ".repeat(10),
        }
        .to_frame()
        .unwrap();
        frame = redact_stream(&frame);
        let rep = std::str::from_utf8(&frame[13..13 + REPPORT_LEN]).unwrap();
        assert_eq!(recorded_pan(rep), Some("497010******0000"));
        assert_eq!(recorded_pan(&"*".repeat(55)), None);
        assert_eq!(
            recorded_pan("4970100000000000 "),
            None,
            "not masked: not a record"
        );
    }

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
        let frame = crate::concert::encode_frame(body.as_bytes());
        let mut stream = vec![0x05, 0x06];
        stream.extend(&frame);
        let red = redact_stream(&stream);
        assert_eq!(red.len(), stream.len());
        let text = String::from_utf8_lossy(&red);
        assert!(text.contains("497010******7890 ****"), "{text}");
        assert!(!text.contains("1234567890"));
        assert!(text.contains("0000012345"));
        assert_eq!(red[..2], [0x05, 0x06]);
    }

    #[test]
    fn what_is_not_understood_is_hidden_whole() {
        // A frame of a length no message has, carrying a card number: hidden, framing kept.
        let frame = crate::concert::encode_frame(b"6200000000000005=3012");
        let red = redact_stream(&frame);
        assert_eq!(red[0], STX);
        assert!(red[1..].iter().all(|&b| b == b'*'), "{red:?}");
        // Noise and a frame cut short.
        let red = redact_stream(b"6200000000000005\x026200000000000005");
        assert!(red.iter().all(|&b| b == b'*' || b == STX), "{red:?}");
        // A request stays readable.
        let req = crate::concert::Request::card_debit(1, 1250, "978")
            .to_frame()
            .unwrap();
        assert_eq!(redact_stream(&req), req);
    }
}
