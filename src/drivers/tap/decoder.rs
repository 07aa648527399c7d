//! Splits one direction of a tapped byte stream into messages and turns each into a redacted
//! [`FrameRecord`]. The bytes forwarded are never these: decoding works on a copy.

use std::time::SystemTime;

use crate::event::{Channel, Direction, FrameRecord};
use crate::i18n::Text;
use crate::proto::iso8583::{self, frame_length, Dialect, FrameLength};
use crate::proto::zvt::{redact_apdu, summarize_text, ApduAssembler};

/// Largest ISO 8583 frame accepted before the stream is declared out of step.
const MAX_ISO_FRAME: usize = 64 * 1024;

/// Which protocol a tap decodes.
#[derive(Debug, Clone)]
pub enum TapProtocol {
    /// ISO 8583 in the given dialect (length prefix, TPDU, header).
    Iso8583(Box<Dialect>),
    /// ZVT over TCP (bare APDUs).
    Zvt,
}

impl TapProtocol {
    pub fn channel(&self) -> Channel {
        match self {
            TapProtocol::Iso8583(_) => Channel::Host,
            TapProtocol::Zvt => Channel::Terminal,
        }
    }
}

/// Incremental decoder for one direction.
pub struct StreamDecoder {
    protocol: TapProtocol,
    direction: Direction,
    buf: Vec<u8>,
    zvt: ApduAssembler,
}

impl StreamDecoder {
    pub fn new(protocol: TapProtocol, direction: Direction) -> Self {
        StreamDecoder {
            protocol,
            direction,
            buf: Vec::new(),
            zvt: ApduAssembler::new(),
        }
    }

    fn record(&self, raw: Vec<u8>, summary: Text, error: bool) -> FrameRecord {
        let mut record = FrameRecord {
            time: SystemTime::now(),
            channel: self.protocol.channel(),
            direction: self.direction,
            raw,
            summary: String::new(),
            error,
            summary_zh: None,
        };
        record.set_summary(&summary);
        record
    }

    /// Feeds bytes; returns the records of the messages they completed.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<FrameRecord> {
        let mut out = Vec::new();
        match &self.protocol {
            TapProtocol::Zvt => {
                self.zvt.push(bytes);
                loop {
                    match self.zvt.pop_with_raw() {
                        Ok(Some((apdu, raw))) => {
                            let summary = summarize_text(&apdu, None);
                            out.push(self.record(redact_apdu(&raw), summary, false));
                        }
                        Ok(None) => break,
                        Err(e) => {
                            let raw = self.zvt.take_buffered();
                            let shown = raw.get(..raw.len().min(16)).unwrap_or(&[]).to_vec();
                            let t = e.text();
                            let summary = Text::new(
                                format!("不是 ZVT：{}", t.zh),
                                format!("not ZVT: {}", t.en),
                            );
                            out.push(self.record(shown, summary, true));
                            break;
                        }
                    }
                }
            }
            TapProtocol::Iso8583(dialect) => {
                self.buf.extend_from_slice(bytes);
                loop {
                    match frame_length(dialect, &self.buf) {
                        FrameLength::Complete(n) if n <= self.buf.len() && n <= MAX_ISO_FRAME => {
                            let frame: Vec<u8> = self.buf.drain(..n).collect();
                            let summary = iso8583::summarize(dialect, &frame);
                            let clean = iso8583::redact_message(dialect, &frame);
                            out.push(self.record(clean, summary, false));
                        }
                        // Without a length prefix each read is taken as one message.
                        FrameLength::Unframed if !self.buf.is_empty() => {
                            let frame = std::mem::take(&mut self.buf);
                            let summary = iso8583::summarize(dialect, &frame);
                            let clean = iso8583::redact_message(dialect, &frame);
                            out.push(self.record(clean, summary, false));
                        }
                        FrameLength::Unframed => break,
                        FrameLength::Incomplete { needed } if needed <= MAX_ISO_FRAME => break,
                        FrameLength::Complete(n) if n <= MAX_ISO_FRAME => break,
                        _ => {
                            // Out of step (no or absurd length prefix): show a prefix, resync
                            // on the next read.
                            let raw = std::mem::take(&mut self.buf);
                            let shown = raw.get(..raw.len().min(16)).unwrap_or(&[]).to_vec();
                            out.push(self.record(
                                shown,
                                Text::new(
                                    format!("{} 字节不符合此方言的 ISO 8583 帧格式", raw.len()),
                                    format!(
                                        "{} bytes not framed as ISO 8583 by this dialect",
                                        raw.len()
                                    ),
                                ),
                                true,
                            ));
                            break;
                        }
                    }
                }
            }
        }
        out
    }
}
