//! A Concert terminal's line for the checks: opened when first needed, one read-only presence
//! probe at a time. The probe is the one a cash register makes before every request: `ENQ`;
//! a terminal that is there and free answers `ACK`, and `EOT` closes the session again without
//! a request (docs/protocols/concert.md, "Handshake and frames"). Nothing else Concert offers
//! is read-only: every request is a payment.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

use crate::drivers::open_announced;
use crate::drivers::terminal::{
    FrameSink, LinkProgress, ScanRow, TerminalError, TerminalFailure, WireSummary,
};
use crate::frame::{Channel, Direction, FrameRecord, LinkState, Sink};
use crate::i18n::Text;
use crate::link::{
    connect_tcp, open_serial, BoxedLink, Endpoint, Link, LinkError, ModemLines, SerialSettings,
};
use crate::proto::concert::{redact_stream, Control, ACK, ENQ, EOT, NAK, STX};

/// Most bytes kept from one answer: an answer to ENQ is one byte.
const MAX_HEARD: usize = 256;

/// The line to one Concert terminal.
pub struct ConcertLine {
    endpoint: Mutex<Endpoint>,
    link: tokio::sync::Mutex<Option<BoxedLink>>,
    connect_timeout: Duration,
    sink: FrameSink,
    on_state: Sink<LinkState>,
    /// The frames of the probe in flight, and what arrived (for a check that stops waiting).
    seen: Mutex<(Vec<FrameRecord>, LinkProgress)>,
}

/// A terminal's handshake answer to ENQ, with the frames of the exchange.
#[derive(Debug)]
pub enum Presence {
    /// `ACK`: there, and free to take a request.
    Free(Vec<FrameRecord>),
    /// `NAK`: there, refusing a session now (busy).
    Refused(Vec<FrameRecord>),
    /// `ENQ`: there, and wants to send itself (an earlier payment's answer is waiting).
    WantsToSend(Vec<FrameRecord>),
}

/// A handshake answer: one of the control bytes a terminal answers ENQ with.
fn handshake(bytes: &[u8]) -> bool {
    matches!(bytes, [ACK] | [NAK] | [ENQ])
}

/// How a probe went: the frames, and what the terminal sent back.
struct Heard {
    bytes: Vec<u8>,
    closed: bool,
}

impl ConcertLine {
    pub fn new(
        endpoint: Endpoint,
        connect_timeout: Duration,
        sink: FrameSink,
        on_state: Sink<LinkState>,
    ) -> Self {
        ConcertLine {
            endpoint: Mutex::new(endpoint),
            link: tokio::sync::Mutex::new(None),
            connect_timeout,
            sink,
            on_state,
            seen: Mutex::new(Default::default()),
        }
    }

    pub fn endpoint(&self) -> Endpoint {
        self.endpoint
            .lock()
            .map(|e| e.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    pub fn target(&self) -> String {
        self.endpoint().describe()
    }

    pub fn progress(&self) -> LinkProgress {
        self.seen.lock().map(|s| s.1.clone()).unwrap_or_default()
    }

    pub fn frames_so_far(&self) -> Vec<FrameRecord> {
        self.seen.lock().map(|s| s.0.clone()).unwrap_or_default()
    }

    /// The RS-232 input lines, on a serial line that is open and reports them.
    pub async fn modem_lines(&self) -> Option<ModemLines> {
        let mut guard = self.link.lock().await;
        guard.as_mut()?.modem_lines().ok().flatten()
    }

    /// Opens the line now (a port that cannot be opened is said at once); nothing is sent.
    pub async fn connect(&self) -> Result<(), LinkError> {
        let mut guard = self.link.lock().await;
        self.ensure_open(&mut guard).await
    }

    /// `ENQ`, and the terminal's handshake answer within `window` with the frames (after `ACK`,
    /// `EOT` closes the session again), else why there was none with what the wire carried.
    pub async fn presence(&self, window: Duration) -> Result<Presence, TerminalFailure> {
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Default::default();
        }
        let mut guard = self.link.lock().await;
        self.ensure_open(&mut guard)
            .await
            .map_err(|e| TerminalFailure {
                error: TerminalError::Link(e),
                frames: Vec::new(),
                wire: WireSummary::default(),
            })?;
        let Some(link) = guard.as_mut() else {
            return Err(self.failed(
                protocol_error(Text::fixed("线路未打开", "the line is not open")),
                &[],
            ));
        };
        let heard = self.probe(link.as_mut(), window).await;
        let target = self.target();
        if heard.closed {
            // Opened again by the next probe (a pulled adapter, a closed socket).
            *guard = None;
            (self.on_state)(LinkState::Lost {
                target,
                reason: "the line closed".to_owned(),
            });
        } else if heard.bytes.is_empty() || !handshake(&heard.bytes) {
            (self.on_state)(LinkState::NoReply { target });
        } else {
            (self.on_state)(LinkState::Connected { target });
        }
        match heard.bytes.as_slice() {
            [] if heard.closed => Err(self.failed(
                protocol_error(Text::fixed("线路已断开", "the line closed")),
                &[],
            )),
            [] => Err(self.failed(
                TerminalError::NoAnswer {
                    text: Text::fixed("终端未回应 ENQ", "no answer to ENQ"),
                },
                &[],
            )),
            [ACK] => Ok(Presence::Free(self.frames_so_far())),
            [NAK] => Ok(Presence::Refused(self.frames_so_far())),
            // An answer of an earlier payment is waiting for the cash register: posdiag does
            // not take it (the register would lose it).
            [ENQ] => Ok(Presence::WantsToSend(self.frames_so_far())),
            other => Err(self.failed(
                protocol_error(Text::fixed(
                    "对 ENQ 的应答不是 ACK",
                    "the answer to ENQ is not ACK",
                )),
                other,
            )),
        }
    }

    /// Tries each serial setting with ENQ until the terminal answers the handshake or `deadline`; the
    /// line keeps the setting that answered. Serial only (empty on TCP).
    pub async fn scan(
        &self,
        candidates: &[SerialSettings],
        window: Duration,
        deadline: Instant,
    ) -> Vec<ScanRow> {
        let mut rows = Vec::new();
        let Endpoint::Serial(current) = self.endpoint() else {
            return rows;
        };
        let mut guard = self.link.lock().await;
        if self.ensure_open(&mut guard).await.is_err() {
            return rows;
        }
        let Some(link) = guard.as_mut() else {
            return rows;
        };
        let mut kept = current;
        for candidate in candidates {
            if Instant::now() + window > deadline {
                break;
            }
            if link.reconfigure(candidate).is_err() {
                continue;
            }
            let heard = self.probe(link.as_mut(), window).await;
            // Any handshake answer means the terminal reads us at these settings.
            let answered = handshake(&heard.bytes);
            rows.push(ScanRow {
                settings: candidate.clone(),
                answered,
                bytes_in: heard.bytes.len(),
                unframed_bytes: if answered { 0 } else { heard.bytes.len() },
            });
            if answered {
                kept = candidate.clone();
                if let Ok(mut e) = self.endpoint.lock() {
                    *e = Endpoint::Serial(kept.clone());
                }
                break;
            }
        }
        let _ = link.reconfigure(&kept);
        rows
    }

    /// Opens the line if it is not open, saying so on the link state.
    async fn ensure_open(&self, slot: &mut Option<BoxedLink>) -> Result<(), LinkError> {
        if slot.is_some() {
            return Ok(());
        }
        let opening = open_announced(&self.on_state, self.target(), self.open(), || self.target());
        *slot = Some(opening.await?);
        Ok(())
    }

    async fn open(&self) -> Result<BoxedLink, LinkError> {
        match self.endpoint() {
            Endpoint::Serial(s) => Ok(Box::new(open_serial(&s)?)),
            Endpoint::Tcp(addr) => Ok(Box::new(connect_tcp(&addr, self.connect_timeout).await?)),
        }
    }

    /// Sends ENQ and listens until one byte arrives that is a handshake answer, or `window`.
    async fn probe(&self, link: &mut dyn Link, window: Duration) -> Heard {
        let mut heard = Heard {
            bytes: Vec::new(),
            closed: false,
        };
        if write(link, ENQ).await.is_err() {
            heard.closed = true;
            return heard;
        }
        self.record(Direction::Tx, ENQ);
        let deadline = Instant::now() + window;
        let mut buf = [0u8; 64];
        while heard.bytes.len() < MAX_HEARD && !handshake(&heard.bytes) {
            match tokio::time::timeout_at(deadline, link.read(&mut buf)).await {
                Err(_) => break,
                Ok(Ok(0)) | Ok(Err(_)) => {
                    heard.closed = true;
                    break;
                }
                Ok(Ok(n)) => {
                    let got = buf.get(..n).unwrap_or(&[]);
                    heard.bytes.extend_from_slice(got);
                    if let Ok(mut seen) = self.seen.lock() {
                        seen.1.units_in += 1;
                    }
                }
            }
        }
        match heard.bytes.as_slice() {
            [ACK] => {
                self.record(Direction::Rx, ACK);
                if write(link, EOT).await.is_ok() {
                    self.record(Direction::Tx, EOT);
                }
            }
            [b @ (NAK | ENQ)] => self.record(Direction::Rx, *b),
            _ => {}
        }
        heard
    }

    /// One handshake byte as a frame of the terminal channel, on the bus and in `seen`.
    fn record(&self, direction: Direction, byte: u8) {
        let (name, meaning) = match Control::from_byte(byte) {
            Some(c) => (c.name(), c.meaning()),
            None => ("?", Text::same("")),
        };
        let frame = FrameRecord {
            time: SystemTime::now(),
            channel: Channel::Terminal,
            direction,
            raw: vec![byte],
            summary: format!("Concert {name}: {}", meaning.en),
            summary_zh: Some(format!("Concert {name}：{}", meaning.zh)),
            error: false,
        };
        (self.sink)(frame.clone());
        if let Ok(mut seen) = self.seen.lock() {
            if direction == Direction::Rx {
                seen.1.frames_in += 1;
            }
            seen.0.push(frame);
        }
    }

    fn failed(&self, error: TerminalError, unframed: &[u8]) -> TerminalFailure {
        let unframed_sample = sample(unframed);
        if let Ok(mut seen) = self.seen.lock() {
            seen.1.unframed_sample = unframed_sample.clone();
        }
        TerminalFailure {
            error,
            frames: self.frames_so_far(),
            wire: WireSummary {
                bytes_in: unframed.len(),
                unframed_bytes: unframed.len(),
                unframed_sample,
            },
        }
    }
}

fn protocol_error(what: Text) -> TerminalError {
    TerminalError::Protocol {
        text: Text::new(
            format!("Concert：{}", what.zh),
            format!("Concert: {}", what.en),
        ),
    }
}

/// The first bytes of an answer that was not the handshake, as evidence. Noise and banners stay
/// as they came (their shape tells a wrong baud rate from another protocol); bytes that may
/// hold a Concert frame (an `STX`) go through the codec's redaction, which masks a card number
/// and hides whatever it cannot place.
fn sample(bytes: &[u8]) -> Vec<u8> {
    let head: Vec<u8> = bytes.iter().copied().take(32).collect();
    if bytes.contains(&STX) {
        redact_stream(&head)
    } else {
        head
    }
}

async fn write(link: &mut dyn Link, byte: u8) -> std::io::Result<()> {
    link.write_all(&[byte]).await?;
    link.flush().await
}
