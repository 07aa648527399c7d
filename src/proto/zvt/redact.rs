//! Redaction of ZVT bytes before they are stored or shown raw: same bytes with card data
//! overwritten, so a capture never holds a full PAN, track data, CVV or PIN data and still
//! decodes.
//!
//! PAN (BMP 22, EMV 5A) keeps BIN + last four, the rest become `E` nibbles (the ZVT mask
//! digit). Track 1/2/3 (2D, 23, 24), chip data (2E, A7), PIN data (D1), CVV (3A) and the EMV
//! track tags (56, 57, 9F1F, 9F20, 9F6B) are filled. Text (receipt lines, BMP 3C) has digit
//! runs that look like a PAN (13–19 digits, Luhn valid) masked. Anything that does not parse is
//! overwritten from the point where parsing failed: the header stays, nothing leaks.

use std::ops::Range;

use super::apdu::parse_apdu_header;
use super::bmp::{read_bmp, Bmp};
use super::crc::frame_crc;
use super::frame::{encode_serial_frame, SerialDeframer, SerialEvent, DLE, ETX, STX};
use super::message::is_pt_message;
use super::reader::Reader;
use super::tlv::{parse_tlv_list, tlv_tag_is_sensitive, Tlv};
use crate::proto::redact::{fill_span, mask_ascii_pan, mask_bcd_pan, SensitiveKind, SensitiveSpan};

/// Fill for track, chip and PIN data: `E` nibbles read as masked digits in ZVT.
const FILL_SECRET: u8 = 0xEE;
/// Fill for bytes that could not be parsed.
const FILL_UNPARSED: u8 = 0x00;

/// What to do with one span of the APDU.
enum Action {
    /// BCD PAN with this many digits.
    MaskBcdPan(Range<usize>, usize),
    Fill(Range<usize>, u8, SensitiveKind),
    /// Text that may contain a PAN.
    MaskText(Range<usize>),
}

/// The spans of `apdu` that hold card data (and any unparsable tail), as byte ranges.
pub fn sensitive_spans(apdu: &[u8]) -> Vec<SensitiveSpan> {
    plan(apdu)
        .into_iter()
        .filter_map(|a| match a {
            Action::MaskBcdPan(r, _) => Some(SensitiveSpan {
                range: r,
                kind: SensitiveKind::Pan,
            }),
            Action::Fill(r, _, kind) => Some(SensitiveSpan { range: r, kind }),
            Action::MaskText(_) => None,
        })
        .collect()
}

/// A copy of the APDU bytes (TCP form) with card data overwritten; same length.
pub fn redact_apdu(apdu: &[u8]) -> Vec<u8> {
    let mut out = apdu.to_vec();
    for action in plan(apdu) {
        match action {
            Action::MaskBcdPan(r, digits) => {
                if let Some(bytes) = out.get_mut(r) {
                    mask_bcd_pan(bytes, digits, false, 0xE);
                }
            }
            Action::Fill(r, fill, _) => fill_span(&mut out, r, fill),
            Action::MaskText(r) => {
                if let Some(bytes) = out.get_mut(r) {
                    mask_pan_like_digits(bytes);
                }
            }
        }
    }
    out
}

/// Redacts serial-line bytes: every frame's APDU is redacted and re-framed (the CRC is
/// recomputed for a good frame; a frame that arrived with a bad CRC keeps its received CRC so
/// it stays visibly bad). ACK/NAK pass through; bytes outside frames keep only text masking; a
/// broken frame keeps `10 02` and its 3 header bytes. The length can change by DLE stuffing.
pub fn redact_serial_frame(bytes: &[u8]) -> Vec<u8> {
    let mut deframer = SerialDeframer::new();
    let mut events = deframer.push(bytes);
    events.extend(deframer.flush());
    let mut out = Vec::with_capacity(bytes.len());
    // Where the last frame ended: bytes after it may belong to a frame whose start was
    // missed, so they are wiped when a frame tail (`10 03`) shows up.
    let mut boundary = 0;
    for ev in events {
        match ev {
            SerialEvent::Ack => out.push(super::frame::ACK),
            SerialEvent::Nak => out.push(super::frame::NAK),
            SerialEvent::Frame { apdu, .. } => {
                out.extend(encode_serial_frame(&redact_apdu(&apdu)));
                boundary = out.len();
            }
            SerialEvent::BadCrc { apdu, got, .. } => {
                let redacted = redact_apdu(&apdu);
                let mut frame = encode_serial_frame(&redacted);
                frame.truncate(frame.len().saturating_sub(2));
                // Keep the received CRC, unless it happens to fit the redacted content.
                let crc = if frame_crc(&redacted) == got {
                    got ^ 0xFFFF
                } else {
                    got
                };
                frame.extend(crc.to_le_bytes());
                out.extend(frame);
                boundary = out.len();
            }
            SerialEvent::Garbage { mut raw } => {
                let broken_frame = raw.starts_with(&[DLE, STX]);
                if redact_garbage(&mut raw) {
                    fill_span(&mut out, boundary..usize::MAX, FILL_UNPARSED);
                }
                out.extend(raw);
                if broken_frame {
                    boundary = out.len();
                }
            }
        }
    }
    out
}

/// Bytes outside any frame. A broken frame (`10 02 …`) keeps its start and header only; the
/// tail of a frame whose start was missed (anything before a `10 03`) is overwritten; other
/// bytes (banners, noise) stay for fingerprinting, with PAN-like digit runs masked. Returns
/// true for a frame tail, whose beginning may sit in earlier output.
fn redact_garbage(raw: &mut [u8]) -> bool {
    if raw.starts_with(&[DLE, STX]) {
        fill_span(raw, 5..usize::MAX, FILL_UNPARSED);
        return false;
    }
    let frame_tail = raw.windows(2).rposition(|w| w == [DLE, ETX]);
    if let Some(at) = frame_tail {
        fill_span(raw, 0..at, FILL_UNPARSED);
    }
    mask_pan_like_digits(raw);
    frame_tail.is_some()
}

fn plan(apdu: &[u8]) -> Vec<Action> {
    let mut actions = Vec::new();
    let Ok(Some(header)) = parse_apdu_header(apdu) else {
        return actions;
    };
    let start = header.header_len;
    let end = header.total_len();
    let available = apdu.len();
    if end > available {
        // Cut short: the layout cannot be trusted.
        actions.push(unparsed(start..available));
        return actions;
    }
    if available > end {
        actions.push(unparsed(end..available));
    }
    let data = apdu.get(start..end).unwrap_or(&[]);
    let (class, instr) = (header.class, header.instr);
    match [class, instr] {
        [0x06, 0xD1] => actions.push(Action::MaskText(start.saturating_add(1).min(end)..end)),
        _ => {
            // Take the candidate layout that parses furthest; redact what it parsed and wipe
            // from where it stopped.
            let mut best: Option<(Vec<Bmp>, Option<usize>)> = None;
            for &prefix in bmp_start_candidates(class, instr) {
                let Some(body) = data.get(prefix..) else {
                    continue;
                };
                let (bmps, stop) = parse_bmps_partial(body, start.saturating_add(prefix));
                let reach = stop.unwrap_or(usize::MAX);
                let best_reach = best.as_ref().map(|(_, s)| s.unwrap_or(usize::MAX));
                if best_reach.is_none_or(|r| reach > r) {
                    best = Some((bmps, stop));
                }
                if stop.is_none() {
                    break;
                }
            }
            let Some((bmps, stop)) = best else {
                actions.push(unparsed(start..end));
                return actions;
            };
            match stop {
                Some(_) if is_status_enquiry_completion(class, instr, data, start) => {}
                Some(at) => {
                    for b in &bmps {
                        plan_bmp(b, &mut actions);
                    }
                    actions.push(unparsed(at.clamp(start, end)..end));
                }
                None => {
                    for b in &bmps {
                        plan_bmp(b, &mut actions);
                    }
                }
            }
        }
    }
    actions
}

/// The BMPs that parse, and the offset where parsing stopped (`None`: all of `body` parsed).
fn parse_bmps_partial(body: &[u8], base: usize) -> (Vec<Bmp>, Option<usize>) {
    let mut r = Reader::new(body, base);
    let mut out = Vec::new();
    while !r.is_empty() {
        let at = r.offset();
        match read_bmp(&mut r) {
            Ok(b) => out.push(b),
            Err(_) => return (out, Some(at)),
        }
    }
    (out, None)
}

fn unparsed(range: Range<usize>) -> Action {
    Action::Fill(range, FILL_UNPARSED, SensitiveKind::Track)
}

/// Where the BMPs may start in a message's data block (after fixed fields), most likely first.
fn bmp_start_candidates(class: u8, instr: u8) -> &'static [usize] {
    match [class, instr] {
        [0x05, 0x01] => &[3, 0],
        [0x06, 0x00] => &[6, 4],
        [0x06, 0x1E] => &[1, 3],
        [0x04, 0xFF] => &[2, 1],
        [0x06, 0xC0] => &[1, 0],
        [0x06, 0x10 | 0x12 | 0x1B | 0x20 | 0x30 | 0x31 | 0x50 | 0x91 | 0x93 | 0x95] => &[3, 0],
        [0x06, 0x21..=0x25] => &[0, 3],
        _ if is_pt_message(class, instr) => &[0],
        _ => &[0, 3],
    }
}

fn is_status_enquiry_completion(class: u8, instr: u8, data: &[u8], base: usize) -> bool {
    [class, instr] == [0x06, 0x0F]
        && super::message::StatusEnquiryCompletion::decode_at(data, base).is_ok()
}

fn value_range(b: &Bmp) -> Range<usize> {
    b.value_offset..b.value_offset.saturating_add(b.value.len())
}

/// Digits of a BCD PAN: nibbles up to the first `F` pad.
fn bcd_digit_count(value: &[u8]) -> usize {
    value
        .iter()
        .flat_map(|b| [b >> 4, b & 0x0F])
        .take_while(|&n| n != 0xF)
        .count()
}

fn plan_bmp(b: &Bmp, actions: &mut Vec<Action>) {
    let range = value_range(b);
    match b.tag {
        0x22 => actions.push(Action::MaskBcdPan(range, bcd_digit_count(&b.value))),
        0x06 => match parse_tlv_list(&b.value, b.value_offset) {
            Ok(list) => plan_tlv(&list, actions),
            // Hidden whole: elements before the error parsed, but were never checked for
            // secrets (fuzzing found a track-2 tag 57 kept in clear before a broken element).
            Err(_) => actions.push(unparsed(range)),
        },
        0x3C | 0xE1..=0xE8 | 0xF1..=0xF8 => actions.push(Action::MaskText(range)),
        _ => {
            if let Some(kind) = b.spec().and_then(|s| s.sensitive) {
                actions.push(Action::Fill(range, FILL_SECRET, kind));
            }
        }
    }
}

fn plan_tlv(list: &[Tlv], actions: &mut Vec<Action>) {
    for t in list {
        let range = t.value_offset..t.value_offset.saturating_add(t.value.len());
        if t.tag == 0x5A {
            actions.push(Action::MaskBcdPan(range, bcd_digit_count(&t.value)));
        } else if tlv_tag_is_sensitive(t.tag) {
            actions.push(Action::Fill(range, FILL_SECRET, SensitiveKind::Track));
        } else if t.tag == 0x07 || t.tag == 0x1F17 {
            actions.push(Action::MaskText(range));
        } else {
            plan_tlv(&t.children, actions);
        }
    }
}

/// Masks runs of 13–19 ASCII digits that pass the Luhn check (a PAN printed in clear).
pub fn mask_pan_like_digits(text: &mut [u8]) {
    let mut i = 0;
    while i < text.len() {
        let run = text
            .get(i..)
            .map_or(0, |t| t.iter().take_while(|b| b.is_ascii_digit()).count());
        if run == 0 {
            i += 1;
            continue;
        }
        let end = i + run;
        if (13..=19).contains(&run) && text.get(i..end).is_some_and(luhn_ok) {
            if let Some(digits) = text.get_mut(i..end) {
                mask_ascii_pan(digits);
            }
        }
        i = end;
    }
}

fn luhn_ok(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &b)| {
            let d = u32::from(b.wrapping_sub(b'0'));
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_in_status_information_is_masked() {
        let apdu = hex::decode("040F0B22F0F85598831234568074").unwrap();
        let red = redact_apdu(&apdu);
        assert_eq!(red.len(), apdu.len());
        assert_eq!(hex::encode_upper(&red[6..]), "559883EEEEEE8074");
    }

    #[test]
    fn luhn_digit_runs_in_text() {
        let mut t = b"PAN 5598831234568074 ok 1234567890123".to_vec();
        mask_pan_like_digits(&mut t);
        assert_eq!(&t, b"PAN 559883******8074 ok 1234567890123");
    }

    #[test]
    fn unparsable_tail_is_overwritten() {
        // 04 0F with an unknown BMP 0x50 after a valid result code.
        let apdu = [0x04, 0x0F, 0x05, 0x27, 0x00, 0x50, 0x55, 0x98];
        assert_eq!(redact_apdu(&apdu), [0x04, 0x0F, 0x05, 0x27, 0x00, 0, 0, 0]);
    }
}
