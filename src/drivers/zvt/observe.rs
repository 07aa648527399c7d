//! Turns wire units into redacted [`FrameRecord`]s: what the Log tab and the capture see.
//!
//! Redaction happens here, at the source: a frame's raw bytes have PAN middle digits, track
//! data and CVV overwritten before any record exists.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::transport::{WireObserver, WireUnit};
use crate::event::{Channel, Direction, FrameRecord};
use crate::proto::zvt::fingerprint;
use crate::proto::zvt::message::CommandCode;
use crate::proto::zvt::summarize;
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
            (clean, summarize(apdu, context), false)
        }
        WireUnit::Ack => (vec![0x06], "ACK".to_owned(), false),
        WireUnit::Nak => (vec![0x15], "NAK".to_owned(), true),
        WireUnit::BadCrc { raw, expected, got } => (
            redact_serial_frame(raw),
            format!("bad CRC: frame carries {got:04X}, computed {expected:04X}"),
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
                format!("{} bytes not ZVT: {}", raw.len(), fp.description.en),
                true,
            )
        }
    };
    FrameRecord {
        time: SystemTime::now(),
        channel: Channel::Terminal,
        direction,
        raw,
        summary,
        error,
    }
}
