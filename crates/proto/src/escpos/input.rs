//! Reads what a host sends the simulated printer: commands with their parameter bytes, and
//! text, from a stream that may be split anywhere.
//!
//! Status and control requests are read with the codec's own request parser; formatting
//! commands the simulator does not model are recognised by their length so their parameter
//! bytes are never printed as text. Large payloads (images, barcodes) are skipped as they
//! arrive instead of being buffered.

use crate::escpos::commands::{parse_request, Recovery, Request, DLE, ESC, FS, GS};
use crate::escpos::Query;

/// One unit of printer input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// DLE EOT, GS r, GS I, or GS a n (n ≠ 0).
    Query(Query),
    AsbOff,
    Recovery(Recovery),
    /// DLE DC4 1 / ESC p: the cash drawer pulse.
    DrawerPulse,
    /// ESC @.
    Initialise,
    /// FS & (true) or FS . (false).
    ChineseMode(bool),
    /// ESC t n.
    CodePage(u8),
    /// ESC d n: print and feed n lines.
    Feed(u8),
    /// LF (and FF).
    LineFeed,
    /// GS V: cut.
    Cut,
    /// Printable bytes (ASCII, or bytes ≥ 0x80 read by the character mode).
    Text(Vec<u8>),
    /// A command the simulator accepts without modelling it (formatting, images).
    Other(Vec<u8>),
}

/// What the front of the buffer needs.
enum Frame {
    /// A complete command of this many bytes, followed by `skip` payload bytes to discard.
    Command {
        len: usize,
        skip: usize,
    },
    NeedMore,
}

const LF: u8 = 0x0A;
const FF: u8 = 0x0C;
const HT: u8 = 0x09;

/// Streaming reader of printer input.
#[derive(Debug, Default)]
pub struct InputParser {
    buf: Vec<u8>,
    /// Payload bytes of the last command still to be discarded.
    skip: usize,
}

fn byte_at(buf: &[u8], i: usize) -> Option<usize> {
    buf.get(i).map(|b| usize::from(*b))
}

/// Length of a command with a 16-bit little-endian length at `at` plus `base` bytes.
fn with_length(buf: &[u8], at: usize, base: usize, unit: usize) -> Frame {
    match (byte_at(buf, at), byte_at(buf, at + 1)) {
        (Some(lo), Some(hi)) => Frame::Command {
            len: base,
            skip: (lo + hi * 256).saturating_mul(unit),
        },
        _ => Frame::NeedMore,
    }
}

fn fixed(buf: &[u8], len: usize) -> Frame {
    if buf.len() >= len {
        Frame::Command { len, skip: 0 }
    } else {
        Frame::NeedMore
    }
}

fn frame(buf: &[u8]) -> Frame {
    let Some(&second) = buf.get(1) else {
        return Frame::NeedMore;
    };
    match buf.first().copied() {
        Some(DLE) => match second {
            0x04 => match buf.get(2) {
                Some(7 | 8) => fixed(buf, 4),
                Some(_) => fixed(buf, 3),
                None => Frame::NeedMore,
            },
            0x05 => fixed(buf, 3),
            0x14 => match buf.get(2) {
                Some(7) => fixed(buf, 4),
                Some(8) => fixed(buf, 10),
                Some(_) => fixed(buf, 5),
                None => Frame::NeedMore,
            },
            _ => fixed(buf, 2),
        },
        Some(ESC) => match second {
            b'@' | b'2' | b'<' | b'i' | b'm' => fixed(buf, 2),
            b'c' | b'$' | b'\\' => fixed(buf, 4),
            b'p' => fixed(buf, 5),
            // ESC * m nL nH: 1 byte per column in 8-dot modes, 3 in 24-dot modes.
            b'*' => match buf.get(2) {
                Some(m) => with_length(buf, 3, 5, if *m >= 32 { 3 } else { 1 }),
                None => Frame::NeedMore,
            },
            _ => fixed(buf, 3),
        },
        Some(GS) => match second {
            b'V' => match buf.get(2) {
                Some(0 | 1 | 48 | 49) => fixed(buf, 3),
                Some(_) => fixed(buf, 4),
                None => Frame::NeedMore,
            },
            b'(' => with_length(buf, 3, 5, 1),
            b'L' | b'W' | b'$' | b'\\' | b'P' => fixed(buf, 4),
            // GS v 0 m xL xH yL yH: raster image of x bytes by y dots.
            b'v' => match (
                byte_at(buf, 4),
                byte_at(buf, 5),
                byte_at(buf, 6),
                byte_at(buf, 7),
            ) {
                (Some(xl), Some(xh), Some(yl), Some(yh)) => Frame::Command {
                    len: 8,
                    skip: (xl + xh * 256).saturating_mul(yl + yh * 256),
                },
                _ => Frame::NeedMore,
            },
            // GS k m n d…: n data bytes for m ≥ 65; NUL-terminated data for m ≤ 6.
            b'k' => match buf.get(2) {
                Some(m) if *m >= 65 => match byte_at(buf, 3) {
                    Some(n) => Frame::Command { len: 4, skip: n },
                    None => Frame::NeedMore,
                },
                Some(_) => match buf.iter().skip(3).position(|b| *b == 0) {
                    Some(p) => fixed(buf, p + 4),
                    None => Frame::NeedMore,
                },
                None => Frame::NeedMore,
            },
            _ => fixed(buf, 3),
        },
        Some(FS) => match second {
            b'&' | b'.' => fixed(buf, 2),
            b'S' | b'p' => fixed(buf, 4),
            b'(' => with_length(buf, 3, 5, 1),
            _ => fixed(buf, 3),
        },
        _ => fixed(buf, 1),
    }
}

fn classify(bytes: &[u8]) -> Input {
    if let Some((request, _)) = parse_request(bytes) {
        return match request {
            Request::Query { query } => Input::Query(query),
            Request::AsbOff => Input::AsbOff,
            Request::Recovery { recovery } => Input::Recovery(recovery),
            Request::DrawerPulse { .. } => Input::DrawerPulse,
            Request::Initialise => Input::Initialise,
            Request::SelectChineseMode => Input::ChineseMode(true),
            Request::CancelChineseMode => Input::ChineseMode(false),
        };
    }
    match bytes {
        [ESC, b't', n] => Input::CodePage(*n),
        [ESC, b'd', n] => Input::Feed(*n),
        [ESC, b'p', ..] => Input::DrawerPulse,
        [GS, b'V', ..] => Input::Cut,
        _ => Input::Other(bytes.to_vec()),
    }
}

impl InputParser {
    pub fn push(&mut self, bytes: &[u8]) {
        let skipped = self.skip.min(bytes.len());
        self.skip -= skipped;
        self.buf
            .extend_from_slice(bytes.get(skipped..).unwrap_or_default());
    }

    /// The next complete unit with the bytes it was read from (payloads skipped), or `None`
    /// until more bytes arrive.
    pub fn next_input(&mut self) -> Option<(Input, Vec<u8>)> {
        let &first = self.buf.first()?;
        if (first >= 0x20 && first != 0x7F) || first == HT {
            // Text runs to the next control byte; a split multi-byte character is joined
            // again by the receipt, which decodes whole lines.
            let len = self
                .buf
                .iter()
                .position(|b| (*b < 0x20 && *b != HT) || *b == 0x7F)
                .unwrap_or(self.buf.len());
            let raw: Vec<u8> = self.buf.drain(..len).collect();
            let text = raw
                .iter()
                .map(|b| if *b == HT { b' ' } else { *b })
                .collect();
            return Some((Input::Text(text), raw));
        }
        if matches!(first, LF | FF) {
            self.buf.drain(..1);
            return Some((Input::LineFeed, vec![first]));
        }
        if !matches!(first, DLE | ESC | GS | FS) {
            // CR and other control bytes: nothing to print.
            self.buf.drain(..1);
            return Some((Input::Other(vec![first]), vec![first]));
        }
        match frame(&self.buf) {
            Frame::NeedMore => None,
            Frame::Command { len, skip } => {
                let command: Vec<u8> = self.buf.drain(..len.min(self.buf.len())).collect();
                let skipped = skip.min(self.buf.len());
                self.buf.drain(..skipped);
                self.skip = skip - skipped;
                Some((classify(&command), command))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escpos::EotQuery;

    fn all(parser: &mut InputParser) -> Vec<Input> {
        std::iter::from_fn(|| parser.next_input().map(|(i, _)| i)).collect()
    }

    #[test]
    fn commands_and_text_split_anywhere() {
        let bytes = b"\x1b@\x1c&AB\xb4\xf2\n\x10\x04\x01\x1dV\x42\x00".to_vec();
        for split in 0..bytes.len() {
            let mut p = InputParser::default();
            p.push(&bytes[..split]);
            let mut got = all(&mut p);
            p.push(&bytes[split..]);
            got.extend(all(&mut p));
            let text: Vec<u8> = got
                .iter()
                .filter_map(|i| match i {
                    Input::Text(t) => Some(t.clone()),
                    _ => None,
                })
                .flatten()
                .collect();
            assert_eq!(text, b"AB\xb4\xf2", "split at {split}: {got:?}");
            assert!(got.contains(&Input::Initialise));
            assert!(got.contains(&Input::ChineseMode(true)));
            assert!(got.contains(&Input::Query(Query::RealTime(EotQuery::PrinterStatus))));
            assert_eq!(got.last(), Some(&Input::Cut), "split at {split}");
        }
    }

    #[test]
    fn image_payloads_are_skipped_not_printed() {
        let mut p = InputParser::default();
        // GS v 0 0, 2 bytes wide, 3 dots high: 6 payload bytes that look like text.
        p.push(b"\x1dv0\x00\x02\x00\x03\x00ABC");
        assert!(matches!(p.next_input(), Some((Input::Other(_), _))));
        assert_eq!(p.next_input(), None);
        p.push(b"DEFok");
        assert_eq!(
            p.next_input().map(|(i, _)| i),
            Some(Input::Text(b"ok".to_vec()))
        );
    }

    proptest::proptest! {
        /// Any bytes, split anywhere: no panic, every unit comes from the input, and text
        /// without command bytes passes through whole.
        #[test]
        fn never_panics_and_keeps_plain_text(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300),
            split in 0usize..300,
        ) {
            let split = split.min(bytes.len());
            let mut p = InputParser::default();
            let mut raw = Vec::new();
            for chunk in [&bytes[..split], &bytes[split..]] {
                p.push(chunk);
                while let Some((_, r)) = p.next_input() {
                    raw.extend(r);
                }
            }
            proptest::prop_assert!(raw.len() <= bytes.len());
            let has_command = bytes.iter().any(|b| matches!(*b, DLE | ESC | GS | FS));
            if !has_command {
                proptest::prop_assert_eq!(raw, bytes);
            }
        }
    }

    #[test]
    fn parameters_are_not_text() {
        let mut p = InputParser::default();
        p.push(b"\x1b!\x41\x1bt\x02x");
        assert_eq!(
            all(&mut p),
            vec![
                Input::Other(vec![0x1b, b'!', 0x41]),
                Input::CodePage(2),
                Input::Text(b"x".to_vec())
            ]
        );
    }
}
