//! Turns wire units into redacted [`FrameRecord`]s: what the Log tab and the capture see.
//!
//! Redaction happens here, at the source: a frame's raw bytes have PAN middle digits, track
//! data and CVV overwritten before any record exists.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::transport::{WireObserver, WireUnit};
use crate::frame::{Channel, Direction, FrameRecord};
use crate::i18n::Text;
use crate::proto::zvt::fingerprint;
use crate::proto::zvt::message::CommandCode;
use crate::proto::zvt::summarize_text;
use crate::proto::zvt::{redact_apdu, redact_serial_frame};

/// An observer that sends a [`FrameRecord`] for every unit to `sink`. `context` holds the
/// command in flight, so replies whose layout depends on it decode right.
pub fn frame_observer(
    context: Arc<Mutex<Option<CommandCode>>>,
    sink: Arc<dyn Fn(FrameRecord) + Send + Sync>,
) -> WireObserver {
    Arc::new(move |direction: Direction, unit: &WireUnit| {
        let command = context.lock().ok().and_then(|c| *c);
        sink(record(direction, unit, command));
    })
}

fn record(direction: Direction, unit: &WireUnit, command: Option<CommandCode>) -> FrameRecord {
    let (raw, summary, error) = match unit {
        WireUnit::Apdu { apdu, raw } => {
            let is_serial = raw.starts_with(&[0x10, 0x02]);
            let clean = if is_serial {
                redact_serial_frame(raw)
            } else {
                redact_apdu(raw)
            };
            // Replies are decoded in the context of the command; our own commands need none.
            let context = match direction {
                Direction::Rx => command,
                Direction::Tx => None,
            };
            (clean, summarize_text(apdu, context), false)
        }
        WireUnit::Ack => (vec![0x06], Text::same("ACK"), false),
        WireUnit::Nak => (vec![0x15], Text::same("NAK"), true),
        WireUnit::BadCrc { raw, expected, got } => (
            redact_serial_frame(raw),
            Text::new(
                format!("CRC 错误：帧内为 {got:04X}，计算得 {expected:04X}"),
                format!("bad CRC: frame carries {got:04X}, computed {expected:04X}"),
            ),
            true,
        ),
        WireUnit::Garbage { raw } => {
            let fp = fingerprint(raw);
            // Unframed bytes cannot be parsed for card data: keep only a short prefix.
            let keep = raw.get(..raw.len().min(16)).unwrap_or(&[]).to_vec();
            let mut shown = keep;
            if raw.len() > 16 {
                shown.resize(16, 0);
            }
            (
                shown,
                Text::new(
                    format!("{} 字节不是 ZVT：{}", raw.len(), fp.description.zh),
                    format!("{} bytes not ZVT: {}", raw.len(), fp.description.en),
                ),
                true,
            )
        }
    };
    let mut record = FrameRecord {
        time: SystemTime::now(),
        channel: Channel::Terminal,
        direction,
        raw,
        summary: String::new(),
        error,
        summary_zh: None,
    };
    record.set_summary(&summary);
    record
}
