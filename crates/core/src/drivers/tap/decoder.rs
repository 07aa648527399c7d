//! Splits one direction of a tapped byte stream into messages and turns each into a redacted
//! [`FrameRecord`]. The bytes forwarded are never these: decoding works on a copy.
//!
//! Fails closed: a message is shown only when its codec understood all of it (a known
//! command or MTI whose fields parsed to the end). Anything else — a wrong length byte, a
//! vendor frame, noise — is hidden whole, header included, because after a framing error the
//! "header" may be the next message's card number. The stream is then out of step, so the rest
//! of what is buffered is hidden too and decoding starts again at the next read. Hidden bytes
//! are coalesced into one "N bytes hidden" record per second at most, never one per byte.

use std::time::{Duration, Instant, SystemTime};

use crate::drivers::terminal::TerminalProtocol;
use crate::frame::{Channel, Direction, FrameRecord};
use crate::i18n::Text;
use crate::proto::concert::Deframer;
use crate::proto::iso8583::{self, frame_length, Dialect, FrameLength};
use crate::proto::redact::mask_text_digits_str;
use crate::proto::zvt::{redact_apdu_checked, summarize_text, Apdu, ApduAssembler, SerialDeframer};

/// How often at most a "bytes hidden" record is written while garbage keeps coming.
const HIDDEN_RECORD_INTERVAL: Duration = Duration::from_secs(1);

/// Which protocol a tap decodes.
#[derive(Debug, Clone)]
pub enum TapProtocol {
    /// ISO 8583 in the given dialect (length prefix, TPDU, header).
    Iso8583(Box<Dialect>),
    /// ZVT over TCP (bare APDUs).
    Zvt,
    /// ZVT on a serial line: `DLE STX … DLE ETX CRC` frames, ACK/NAK.
    ZvtSerial,
    /// Ingenico Concert: ENQ/ACK/NAK/EOT, `STX … ETX LRC` frames.
    Concert,
}

impl TapProtocol {
    pub fn channel(&self) -> Channel {
        match self {
            TapProtocol::Iso8583(_) => Channel::Host,
            TapProtocol::Zvt | TapProtocol::ZvtSerial | TapProtocol::Concert => Channel::Terminal,
        }
    }

    /// The terminal protocol whose driver reads the tapped transactions (`None` for a host
    /// line: ISO 8583 is read by the host side of the tracker).
    pub fn terminal(&self) -> Option<TerminalProtocol> {
        match self {
            TapProtocol::Iso8583(_) => None,
            TapProtocol::Zvt | TapProtocol::ZvtSerial => Some(TerminalProtocol::Zvt),
            TapProtocol::Concert => Some(TerminalProtocol::Concert),
        }
    }
}

/// Incremental decoder for one direction.
pub struct StreamDecoder {
    protocol: TapProtocol,
    /// The protocol's channel (kept apart: `push` sets the protocol aside while it works).
    channel: Channel,
    direction: Direction,
    buf: Vec<u8>,
    zvt: ApduAssembler,
    pub(super) zvt_serial: SerialDeframer,
    pub(super) concert: Deframer,
    /// Hidden bytes not yet reported.
    pending_hidden: u64,
    /// When a "bytes hidden" record was last written.
    last_hidden_record: Option<Instant>,
    /// Every byte hidden so far, for the tap's totals.
    hidden_total: u64,
}

impl StreamDecoder {
    pub fn new(protocol: TapProtocol, direction: Direction) -> Self {
        StreamDecoder {
            channel: protocol.channel(),
            protocol,
            direction,
            buf: Vec::new(),
            zvt: ApduAssembler::new(),
            zvt_serial: SerialDeframer::new(),
            concert: Deframer::new(),
            pending_hidden: 0,
            last_hidden_record: None,
            hidden_total: 0,
        }
    }

    /// Bytes hidden so far because they were not understood.
    pub fn hidden_total(&self) -> u64 {
        self.hidden_total
    }

    pub(super) fn direction(&self) -> Direction {
        self.direction
    }

    pub(super) fn record(&self, raw: Vec<u8>, summary: &Text, error: bool) -> FrameRecord {
        let mut record = FrameRecord {
            time: SystemTime::now(),
            channel: self.channel,
            direction: self.direction,
            raw,
            summary: String::new(),
            summary_zh: None,
            error,
        };
        record.set_summary(summary);
        record
    }

    /// Bytes that were not understood: counted, and the stream position is no longer trusted.
    pub(super) fn hide(&mut self, bytes: usize) {
        let n = u64::try_from(bytes).unwrap_or(u64::MAX);
        self.pending_hidden = self.pending_hidden.saturating_add(n);
        self.hidden_total = self.hidden_total.saturating_add(n);
    }

    /// The "bytes hidden" record for what was hidden since the last one.
    fn hidden_record(&mut self) -> Option<FrameRecord> {
        if self.pending_hidden == 0 {
            return None;
        }
        let n = std::mem::take(&mut self.pending_hidden);
        self.last_hidden_record = Some(Instant::now());
        Some(self.record(
            Vec::new(),
            &Text::new(
                format!("{n} 字节无法解析，已隐藏（失步：从下一个报文边界起恢复解码）"),
                format!(
                    "{n} bytes not understood, hidden (out of step: decoding resumes at the next \
                     message boundary)"
                ),
            ),
            true,
        ))
    }

    /// A message understood: any hidden bytes before it are reported first, in order.
    pub(super) fn understood(&mut self, out: &mut Vec<FrameRecord>, raw: Vec<u8>, summary: Text) {
        out.extend(self.hidden_record());
        // Last line of defence: a summary never carries a card-number-like digit run, in
        // either language.
        let summary = Text::new(
            mask_text_digits_str(&summary.zh),
            mask_text_digits_str(&summary.en),
        );
        out.push(self.record(raw, &summary, false));
    }

    /// Feeds bytes; returns the records of the messages they completed.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<FrameRecord> {
        let mut out = Vec::new();
        // The protocol is set aside while `self` is borrowed mutably (no copy of the dialect
        // per read), and put back.
        let protocol = std::mem::replace(&mut self.protocol, TapProtocol::Zvt);
        match &protocol {
            TapProtocol::Zvt => self.push_zvt(bytes, &mut out),
            TapProtocol::ZvtSerial => self.push_zvt_serial(bytes, &mut out),
            TapProtocol::Concert => self.push_concert(bytes, &mut out),
            TapProtocol::Iso8583(dialect) => self.push_iso(dialect, bytes, &mut out),
        }
        self.protocol = protocol;
        let due = self
            .last_hidden_record
            .is_none_or(|t| t.elapsed() >= HIDDEN_RECORD_INTERVAL);
        if due {
            out.extend(self.hidden_record());
        }
        out
    }

    /// The stream ended: reports what is still buffered or pending as hidden.
    pub fn finish(&mut self) -> Vec<FrameRecord> {
        let left = self.buf.len() + self.zvt.take_buffered().len();
        self.buf.clear();
        self.hide(left);
        self.finish_serial();
        self.hidden_record().into_iter().collect()
    }

    pub(super) fn push_zvt(&mut self, bytes: &[u8], out: &mut Vec<FrameRecord>) {
        self.zvt.push(bytes);
        loop {
            match self.zvt.pop_with_raw() {
                Ok(Some((_, raw))) => match redact_apdu_checked(&raw) {
                    // The summary is made from the redacted bytes, so it cannot show more.
                    Some(clean) => {
                        let summary = Apdu::decode(&clean)
                            .map(|a| summarize_text(&a, None))
                            .unwrap_or_else(|_| Text::same("ZVT APDU"));
                        self.understood(out, clean, summary);
                    }
                    None => {
                        let rest = self.zvt.take_buffered().len();
                        self.hide(raw.len() + rest);
                        break;
                    }
                },
                Ok(None) => break,
                Err(_) => {
                    let rest = self.zvt.take_buffered().len();
                    self.hide(rest.max(1));
                    break;
                }
            }
        }
    }

    fn push_iso(&mut self, dialect: &Dialect, bytes: &[u8], out: &mut Vec<FrameRecord>) {
        self.buf.extend_from_slice(bytes);
        let prefix = dialect.length_prefix;
        let max_frame = prefix.max_length().saturating_add(prefix.size());
        loop {
            let n = match frame_length(dialect, &self.buf) {
                FrameLength::Complete(n) if n <= max_frame => n,
                // Without a length prefix each read is taken as one message.
                FrameLength::Unframed if !self.buf.is_empty() => self.buf.len(),
                FrameLength::Unframed => break,
                FrameLength::Incomplete { needed } if needed <= max_frame => break,
                _ => {
                    // An unreadable or absurd length prefix: out of step.
                    let n = std::mem::take(&mut self.buf).len();
                    self.hide(n);
                    break;
                }
            };
            let frame: Vec<u8> = self.buf.drain(..n.min(self.buf.len())).collect();
            // One decode serves the verdict, the summary and the redaction.
            let partial = iso8583::decode_partial(dialect, &frame);
            let sound = partial
                .message
                .as_ref()
                .filter(|m| m.end == frame.len() && iso8583::is_sound(dialect, &partial));
            if let Some(message) = sound {
                let summary = iso8583::summary(message);
                let clean = iso8583::redact_partial(&partial, &frame, false);
                self.understood(out, clean, summary);
            } else {
                let rest = std::mem::take(&mut self.buf).len();
                self.hide(frame.len() + rest);
                break;
            }
        }
    }
}
