//! The incremental serial receiver: push bytes as they arrive from the port, get ACK/NAK,
//! frames (CRC checked) and garbage out. The frame end is an unstuffed `10 03` followed by
//! exactly two CRC bytes.

use super::crc::frame_crc;
use super::frame::{ACK, DLE, ETX, MAX_FRAME_APDU, NAK, STX};

/// Garbage is reported in chunks of at most this many bytes.
const GARBAGE_CHUNK: usize = 4096;

/// What the deframer found in the byte stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SerialEvent {
    /// A single `06` outside a frame: the peer accepted our last block.
    Ack,
    /// A single `15` outside a frame: the peer rejects our last block; repeat it.
    Nak,
    /// A complete frame with a correct CRC. `raw` is the frame as on the wire.
    Frame { apdu: Vec<u8>, raw: Vec<u8> },
    /// A complete frame whose CRC does not match: answer NAK. `expected` is computed over the
    /// received content, `got` is what the frame carries.
    BadCrc {
        expected: u16,
        got: u16,
        apdu: Vec<u8>,
        raw: Vec<u8>,
    },
    /// Bytes outside any frame, or a frame broken off by a bad DLE sequence or an overflow.
    Garbage { raw: Vec<u8> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Idle,
    /// Saw `10` outside a frame; a following `02` starts one.
    IdleDle,
    InFrame,
    /// Saw an unpaired `10` inside a frame.
    InFrameDle,
    /// After `10 03`; collecting the two CRC bytes.
    Crc,
}

/// Incremental receiver: push bytes as they arrive, get [`SerialEvent`]s out.
#[derive(Debug, Clone)]
pub struct SerialDeframer {
    state: State,
    apdu: Vec<u8>,
    raw: Vec<u8>,
    garbage: Vec<u8>,
    crc: Vec<u8>,
}

impl Default for SerialDeframer {
    fn default() -> Self {
        Self::new()
    }
}

impl SerialDeframer {
    pub fn new() -> Self {
        SerialDeframer {
            state: State::Idle,
            apdu: Vec::new(),
            raw: Vec::new(),
            garbage: Vec::new(),
            crc: Vec::new(),
        }
    }

    /// True when no partial frame is pending (nothing would be lost by a reset).
    pub fn is_idle(&self) -> bool {
        self.state == State::Idle && self.garbage.is_empty()
    }

    /// Bytes held back while waiting for the rest of a frame.
    pub fn pending_len(&self) -> usize {
        match self.state {
            State::Idle => 0,
            State::IdleDle => 1,
            _ => self.raw.len(),
        }
    }

    /// Feeds received bytes. Garbage seen in this call is reported at the end of the call, so
    /// noise shows up at once instead of waiting for the next frame.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SerialEvent> {
        let mut events = Vec::new();
        for &b in bytes {
            self.step(b, &mut events);
        }
        self.flush_garbage(&mut events);
        events
    }

    /// Ends whatever is pending (call on an inter-byte timeout T1): an unfinished frame becomes
    /// garbage.
    pub fn flush(&mut self) -> Option<SerialEvent> {
        let mut raw = std::mem::take(&mut self.garbage);
        match self.state {
            State::Idle => {}
            State::IdleDle => raw.push(DLE),
            State::InFrame | State::InFrameDle | State::Crc => raw.append(&mut self.raw),
        }
        self.reset_frame();
        (!raw.is_empty()).then_some(SerialEvent::Garbage { raw })
    }

    fn reset_frame(&mut self) {
        self.state = State::Idle;
        self.apdu.clear();
        self.raw.clear();
        self.crc.clear();
    }

    fn flush_garbage(&mut self, events: &mut Vec<SerialEvent>) {
        if !self.garbage.is_empty() {
            events.push(SerialEvent::Garbage {
                raw: std::mem::take(&mut self.garbage),
            });
        }
    }

    fn add_garbage(&mut self, b: u8, events: &mut Vec<SerialEvent>) {
        self.garbage.push(b);
        if self.garbage.len() >= GARBAGE_CHUNK {
            self.flush_garbage(events);
        }
    }

    fn broken_frame(&mut self, events: &mut Vec<SerialEvent>) {
        self.flush_garbage(events);
        events.push(SerialEvent::Garbage {
            raw: std::mem::take(&mut self.raw),
        });
        self.reset_frame();
    }

    fn step(&mut self, b: u8, events: &mut Vec<SerialEvent>) {
        match self.state {
            State::Idle => match b {
                DLE => self.state = State::IdleDle,
                ACK | NAK => {
                    self.flush_garbage(events);
                    events.push(if b == ACK {
                        SerialEvent::Ack
                    } else {
                        SerialEvent::Nak
                    });
                }
                _ => self.add_garbage(b, events),
            },
            State::IdleDle => match b {
                STX => {
                    self.flush_garbage(events);
                    self.reset_frame();
                    self.raw.extend_from_slice(&[DLE, STX]);
                    self.state = State::InFrame;
                }
                DLE => self.add_garbage(DLE, events),
                _ => {
                    self.add_garbage(DLE, events);
                    self.state = State::Idle;
                    self.step(b, events);
                }
            },
            State::InFrame => {
                self.raw.push(b);
                if b == DLE {
                    self.state = State::InFrameDle;
                } else {
                    self.push_apdu_byte(b, events);
                }
            }
            State::InFrameDle => match b {
                DLE => {
                    self.raw.push(b);
                    self.state = State::InFrame;
                    self.push_apdu_byte(b, events);
                }
                ETX => {
                    self.raw.push(b);
                    self.state = State::Crc;
                }
                STX => {
                    // A new frame starts inside the old one: the old one is lost.
                    self.raw.pop();
                    self.broken_frame(events);
                    self.raw.extend_from_slice(&[DLE, STX]);
                    self.state = State::InFrame;
                }
                _ => {
                    self.raw.push(b);
                    self.broken_frame(events);
                }
            },
            State::Crc => {
                self.raw.push(b);
                self.crc.push(b);
                if self.crc.len() == 2 {
                    let got = u16::from_le_bytes([
                        self.crc.first().copied().unwrap_or_default(),
                        self.crc.get(1).copied().unwrap_or_default(),
                    ]);
                    let expected = frame_crc(&self.apdu);
                    let apdu = std::mem::take(&mut self.apdu);
                    let raw = std::mem::take(&mut self.raw);
                    events.push(if got == expected {
                        SerialEvent::Frame { apdu, raw }
                    } else {
                        SerialEvent::BadCrc {
                            expected,
                            got,
                            apdu,
                            raw,
                        }
                    });
                    self.reset_frame();
                }
            }
        }
    }

    fn push_apdu_byte(&mut self, b: u8, events: &mut Vec<SerialEvent>) {
        self.apdu.push(b);
        if self.apdu.len() > MAX_FRAME_APDU {
            self.broken_frame(events);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).unwrap()
    }

    #[test]
    fn deframer_handles_split_and_acks() {
        let frame =
            hex("10 02 06 00 10 10 00 00 00 BE 09 78 03 01 06 06 26 04 0A 02 06 D3 10 03 D7 DE");
        let mut d = SerialDeframer::new();
        let mut events = d.push(&[ACK]);
        for chunk in frame.chunks(3) {
            events.extend(d.push(chunk));
        }
        events.extend(d.push(&[NAK]));
        assert_eq!(events.len(), 3);
        assert_eq!(events[0], SerialEvent::Ack);
        match &events[1] {
            SerialEvent::Frame { apdu, raw } => {
                assert_eq!(apdu[2], 0x10);
                assert_eq!(apdu.len(), 19);
                assert_eq!(raw, &frame);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(events[2], SerialEvent::Nak);
        assert!(d.is_idle());
    }

    #[test]
    fn bad_crc_reported_with_both_values() {
        let mut d = SerialDeframer::new();
        let ev = d.push(&hex("10 02 06 B0 00 10 03 43 F4"));
        assert_eq!(
            ev,
            vec![SerialEvent::BadCrc {
                expected: 0xF343,
                got: 0xF443,
                apdu: vec![0x06, 0xB0, 0x00],
                raw: hex("10 02 06 B0 00 10 03 43 F4"),
            }]
        );
    }

    #[test]
    fn garbage_then_frame() {
        let mut d = SerialDeframer::new();
        let mut input = vec![0xFF, 0x00, 0x10, 0x80];
        input.extend(hex("10 02 06 B0 00 10 03 43 F3"));
        let ev = d.push(&input);
        assert_eq!(
            ev[0],
            SerialEvent::Garbage {
                raw: vec![0xFF, 0x00, 0x10, 0x80]
            }
        );
        assert!(matches!(ev[1], SerialEvent::Frame { .. }));
    }

    #[test]
    fn incomplete_frame_flushes_as_garbage() {
        let mut d = SerialDeframer::new();
        assert!(d.push(&hex("10 02 06 B0")).is_empty());
        assert_eq!(d.pending_len(), 4);
        assert_eq!(
            d.flush(),
            Some(SerialEvent::Garbage {
                raw: hex("10 02 06 B0")
            })
        );
    }
}
