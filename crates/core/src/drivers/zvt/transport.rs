//! Moves ZVT APDUs over a byte stream: serial block protocol or TCP.
//!
//! Serial (docs/protocols/zvt.md §1.2, §1.4): every block is DLE-framed with a CRC; the receiver
//! answers each block at once with ACK (`06`) or NAK (`15`); the sender repeats a block up to two
//! times after a NAK or T2 without answer; an inter-byte gap longer than T1 inside a frame
//! makes the receiver NAK. TCP (§1.3): bare APDUs, reassembled from arbitrary fragments.
//!
//! The same code serves both roles, so the simulated terminal exercises exactly the serial
//! path the client uses. Every unit seen on the wire is reported to an observer, raw.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

use crate::frame::Direction;
use crate::proto::zvt::apdu::{Apdu, ApduAssembler};
use crate::proto::zvt::frame::{encode_serial_frame, SerialDeframer, SerialEvent, ACK, NAK};

/// How APDUs are carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// DLE STX … DLE ETX CRC with ACK/NAK.
    Serial,
    /// Bare APDUs.
    Tcp,
}

/// Serial timing used by the block layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockTimers {
    pub t1: Duration,
    pub t2: Duration,
}

/// Retries after the first attempt (docs/protocols/zvt.md: "up to 2 times").
pub const BLOCK_RETRIES: usize = 2;

/// One unit on the wire, as the observer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireUnit {
    /// A complete APDU (inside a valid serial frame, or a TCP message).
    Apdu {
        apdu: Apdu,
        raw: Vec<u8>,
    },
    Ack,
    Nak,
    /// A serial frame whose CRC did not match.
    BadCrc {
        raw: Vec<u8>,
        expected: u16,
        got: u16,
    },
    /// Bytes that are not part of any frame or APDU.
    Garbage {
        raw: Vec<u8>,
    },
}

/// Receives every wire unit with its direction.
pub type WireObserver = Arc<dyn Fn(Direction, &WireUnit) + Send + Sync>;

/// Counters of what the link carried; the link check reads them to tell silence from noise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkStats {
    pub bytes_in: usize,
    pub bytes_out: usize,
    pub apdus_in: usize,
    pub garbage_bytes: usize,
    pub crc_errors: usize,
    pub naks_received: usize,
    pub naks_sent: usize,
    pub block_retries: usize,
}

/// Why moving an APDU failed.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("no answer within {}", crate::durations::show(*.waited))]
    Timeout { waited: Duration },
    #[error("the peer did not acknowledge the block after {attempts} attempts (T2 {}); last reply: {last}", crate::durations::show(*.t2))]
    NoAck {
        attempts: usize,
        t2: Duration,
        last: &'static str,
    },
    #[error("the link closed: {reason}")]
    Closed { reason: String },
    #[error("link error: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot encode the APDU: {0}")]
    Encode(String),
}

/// An APDU transport over a byte stream.
pub struct ApduTransport<S> {
    stream: S,
    framing: Framing,
    timers: BlockTimers,
    deframer: SerialDeframer,
    assembler: ApduAssembler,
    inbox: VecDeque<(Apdu, Vec<u8>)>,
    acks: VecDeque<bool>,
    observer: Option<WireObserver>,
    stats: LinkStats,
    garbage_sample: Vec<u8>,
}

/// How many non-ZVT bytes are kept for fingerprinting the peer.
const GARBAGE_SAMPLE: usize = 256;

impl<S: AsyncRead + AsyncWrite + Unpin + Send> ApduTransport<S> {
    pub fn new(stream: S, framing: Framing, timers: BlockTimers) -> Self {
        ApduTransport {
            stream,
            framing,
            timers,
            deframer: SerialDeframer::new(),
            assembler: ApduAssembler::new(),
            inbox: VecDeque::new(),
            acks: VecDeque::new(),
            observer: None,
            stats: LinkStats::default(),
            garbage_sample: Vec::new(),
        }
    }

    pub fn with_observer(mut self, observer: WireObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    pub fn framing(&self) -> Framing {
        self.framing
    }

    pub fn stats(&self) -> LinkStats {
        self.stats
    }

    /// The first bytes received that were not part of any frame or APDU.
    pub fn garbage_sample(&self) -> &[u8] {
        &self.garbage_sample
    }

    fn note_garbage(&mut self, raw: &[u8]) {
        self.stats.garbage_bytes += raw.len();
        let room = GARBAGE_SAMPLE.saturating_sub(self.garbage_sample.len());
        self.garbage_sample
            .extend_from_slice(raw.get(..room.min(raw.len())).unwrap_or(&[]));
    }

    pub fn into_stream(self) -> S {
        self.stream
    }

    pub fn stream_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    /// Forgets anything half-received (before a new command, after a reconfiguration).
    pub fn reset(&mut self) {
        self.deframer = SerialDeframer::new();
        self.assembler = ApduAssembler::new();
        self.inbox.clear();
        self.acks.clear();
    }

    /// Hands a received APDU to the reader and the observer.
    fn deliver(&mut self, apdu: Apdu, raw: Vec<u8>) {
        self.stats.apdus_in += 1;
        self.observe(
            Direction::Rx,
            &WireUnit::Apdu {
                apdu: apdu.clone(),
                raw: raw.clone(),
            },
        );
        self.inbox.push_back((apdu, raw));
    }

    /// Reports bytes that never became a frame or an APDU: they are the evidence.
    fn discard(&mut self, raw: Vec<u8>) {
        self.note_garbage(&raw);
        self.observe(Direction::Rx, &WireUnit::Garbage { raw });
    }

    fn observe(&self, dir: Direction, unit: &WireUnit) {
        if let Some(obs) = &self.observer {
            obs(dir, unit);
        }
    }

    async fn write_raw(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        self.stream.write_all(bytes).await?;
        self.stream.flush().await?;
        self.stats.bytes_out += bytes.len();
        Ok(())
    }

    /// Sends one APDU; on serial, waits for the block ACK and repeats on NAK or T2.
    pub async fn send(&mut self, apdu: &Apdu) -> Result<(), TransportError> {
        let bytes = apdu
            .encode()
            .map_err(|e| TransportError::Encode(e.to_string()))?;
        match self.framing {
            Framing::Tcp => {
                self.write_raw(&bytes).await?;
                self.observe(
                    Direction::Tx,
                    &WireUnit::Apdu {
                        apdu: apdu.clone(),
                        raw: bytes,
                    },
                );
                Ok(())
            }
            Framing::Serial => {
                let frame = encode_serial_frame(&bytes);
                let mut last = "nothing";
                for attempt in 0..=BLOCK_RETRIES {
                    if attempt > 0 {
                        self.stats.block_retries += 1;
                    }
                    self.acks.clear();
                    self.write_raw(&frame).await?;
                    self.observe(
                        Direction::Tx,
                        &WireUnit::Apdu {
                            apdu: apdu.clone(),
                            raw: frame.clone(),
                        },
                    );
                    let deadline = Instant::now() + self.timers.t2;
                    loop {
                        if let Some(acked) = self.acks.pop_front() {
                            if acked {
                                return Ok(());
                            }
                            last = "NAK";
                            break;
                        }
                        match self.pump(deadline).await {
                            Ok(()) => {}
                            Err(TransportError::Timeout { .. }) => break,
                            Err(e) => return Err(e),
                        }
                    }
                }
                Err(TransportError::NoAck {
                    attempts: BLOCK_RETRIES + 1,
                    t2: self.timers.t2,
                    last,
                })
            }
        }
    }

    /// Receives the next APDU before `deadline`.
    pub async fn recv(&mut self, deadline: Instant) -> Result<(Apdu, Vec<u8>), TransportError> {
        loop {
            if let Some(item) = self.inbox.pop_front() {
                return Ok(item);
            }
            self.pump(deadline).await?;
        }
    }

    /// Reads once (or until T1 expires inside a frame) and processes what arrived.
    async fn pump(&mut self, deadline: Instant) -> Result<(), TransportError> {
        let now = Instant::now();
        if now >= deadline {
            return Err(TransportError::Timeout {
                waited: Duration::ZERO,
            });
        }
        let partial = match self.framing {
            Framing::Serial => self.deframer.pending_len() > 0,
            Framing::Tcp => !self.assembler.is_empty(),
        };
        let read_until = if partial && self.framing == Framing::Serial {
            deadline.min(now + self.timers.t1)
        } else {
            deadline
        };
        let mut buf = [0u8; 1024];
        let n = match tokio::time::timeout_at(read_until, self.stream.read(&mut buf)).await {
            Ok(Ok(0)) => {
                return Err(TransportError::Closed {
                    reason: "the peer closed the connection".to_owned(),
                })
            }
            Ok(Ok(n)) => n,
            Ok(Err(e)) => return Err(TransportError::Io(e)),
            Err(_) => {
                if partial && self.framing == Framing::Serial && read_until < deadline {
                    // T1 expired inside a frame: drop it and NAK.
                    if let Some(SerialEvent::Garbage { raw }) = self.deframer.flush() {
                        self.discard(raw);
                    }
                    self.send_control(NAK).await?;
                    return Ok(());
                }
                if self.framing == Framing::Tcp && !self.assembler.is_empty() {
                    // A 2-byte `84 00` acknowledgement only shows itself as complete now.
                    if let Some(apdu) = self.assembler.pop_short_ack() {
                        let raw = vec![apdu.class, apdu.instr];
                        self.deliver(apdu, raw);
                        return Ok(());
                    }
                    let raw = self.assembler.take_buffered();
                    self.discard(raw);
                }
                return Err(TransportError::Timeout {
                    waited: self.timers.t2,
                });
            }
        };
        let chunk = buf.get(..n).unwrap_or(&[]);
        self.stats.bytes_in += n;
        match self.framing {
            Framing::Serial => {
                for event in self.deframer.push(chunk) {
                    self.on_serial_event(event).await?;
                }
            }
            Framing::Tcp => {
                self.assembler.push(chunk);
                loop {
                    match self.assembler.pop_with_raw() {
                        Ok(Some((apdu, raw))) => self.deliver(apdu, raw),
                        Ok(None) => break,
                        Err(_) => {
                            let raw = self.assembler.take_buffered();
                            self.discard(raw);
                            break;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    async fn on_serial_event(&mut self, event: SerialEvent) -> Result<(), TransportError> {
        match event {
            SerialEvent::Ack => {
                self.observe(Direction::Rx, &WireUnit::Ack);
                self.acks.push_back(true);
            }
            SerialEvent::Nak => {
                self.stats.naks_received += 1;
                self.observe(Direction::Rx, &WireUnit::Nak);
                self.acks.push_back(false);
            }
            SerialEvent::Frame { apdu, raw } => {
                // Acknowledge at once, before processing (§1.2).
                match Apdu::decode(&apdu) {
                    Ok(decoded) => {
                        self.deliver(decoded, raw);
                        self.send_control(ACK).await?;
                    }
                    Err(_) => {
                        self.discard(raw);
                        self.send_control(NAK).await?;
                    }
                }
            }
            SerialEvent::BadCrc {
                expected, got, raw, ..
            } => {
                self.stats.crc_errors += 1;
                self.observe(Direction::Rx, &WireUnit::BadCrc { raw, expected, got });
                self.send_control(NAK).await?;
            }
            SerialEvent::Garbage { raw } => self.discard(raw),
        }
        Ok(())
    }

    async fn send_control(&mut self, byte: u8) -> Result<(), TransportError> {
        self.write_raw(&[byte]).await?;
        if byte == NAK {
            self.stats.naks_sent += 1;
            self.observe(Direction::Tx, &WireUnit::Nak);
        } else {
            self.observe(Direction::Tx, &WireUnit::Ack);
        }
        Ok(())
    }
}
