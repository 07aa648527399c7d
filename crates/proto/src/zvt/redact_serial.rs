//! Redaction of ZVT serial-line bytes: every frame's APDU redacted (`redact.rs`) and re-framed,
//! handshake bytes passed on, and what lies outside frames judged as one piece of noise —
//! kept when it is text (a banner says what the peer speaks, card-like digits masked), hidden
//! whole when it is binary (it may be BCD card data out of step).

use super::crc::frame_crc;
use super::frame::{encode_serial_frame, SerialDeframer, SerialEvent, DLE, ETX, STX};
use super::redact::{mask_pan_like_digits, redact_apdu, FILL_UNPARSED};
use crate::redact::fill_span;

/// Redacts serial-line bytes: every frame's APDU is redacted and re-framed (the CRC is
/// recomputed for a good frame; a frame that arrived with a bad CRC keeps its received CRC so
/// it stays visibly bad). ACK/NAK pass through; bytes outside frames keep only text masking; a
/// broken frame keeps `10 02` and its 3 header bytes. The length can change by DLE stuffing.
pub fn redact_serial_frame(bytes: &[u8]) -> Vec<u8> {
    let mut deframer = SerialDeframer::new();
    let mut events = deframer.push(bytes);
    events.extend(deframer.flush());
    let events = merge_noise(events);
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

/// An ACK or NAK byte next to bytes outside frames is no handshake but part of the noise: a
/// run of such events becomes one, so the noise is judged (text or not) as a whole.
fn merge_noise(events: Vec<SerialEvent>) -> Vec<SerialEvent> {
    let mut out: Vec<SerialEvent> = Vec::with_capacity(events.len());
    let mut run: Vec<SerialEvent> = Vec::new();
    let flush = |run: &mut Vec<SerialEvent>, out: &mut Vec<SerialEvent>| {
        let has_noise = run.iter().any(|e| matches!(e, SerialEvent::Garbage { .. }));
        if has_noise {
            let mut raw = Vec::new();
            for e in run.drain(..) {
                match e {
                    SerialEvent::Garbage { raw: r } => raw.extend(r),
                    SerialEvent::Ack => raw.push(super::frame::ACK),
                    SerialEvent::Nak => raw.push(super::frame::NAK),
                    _ => {}
                }
            }
            out.push(SerialEvent::Garbage { raw });
        } else {
            out.append(run);
        }
    };
    for ev in events {
        match ev {
            SerialEvent::Ack | SerialEvent::Nak | SerialEvent::Garbage { .. } => run.push(ev),
            other => {
                flush(&mut run, &mut out);
                out.push(other);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Bytes outside any frame. A broken frame (`10 02 …`) keeps its start and header only; the
/// tail of a frame whose start was missed (anything before a `10 03`) is overwritten; other
/// text (a banner) stays for fingerprinting with card-like digit runs masked, and binary noise
/// is hidden whole (it may be BCD card data out of step). Returns
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
    // What follows the frame tail (or all of it, without one) is noise of its own.
    let rest_start = frame_tail.map_or(0, |at| at.saturating_add(2));
    let Some(rest) = raw.get_mut(rest_start..) else {
        return frame_tail.is_some();
    };
    let is_text = rest
        .iter()
        .all(|&b| (0x20..0x7F).contains(&b) || matches!(b, b'\r' | b'\n' | b'\t'));
    if is_text {
        // A banner (`VER|APP…`) says what the peer speaks: kept, card-like digits masked.
        mask_pan_like_digits(rest);
    } else {
        // Binary noise may be BCD card data out of step: hidden whole.
        fill_span(rest, 0..usize::MAX, FILL_UNPARSED);
    }
    frame_tail.is_some()
}
