//! Second line of defence: re-redacts a frame by its channel's codec before it is written.

use crate::event::{Channel, FrameRecord};
use crate::proto::zvt::{redact_apdu, redact_serial_frame};

/// The frame with every sensitive span overwritten (same length for APDUs).
pub fn redact_frame(frame: &FrameRecord) -> FrameRecord {
    let mut clean = frame.clone();
    clean.raw = match frame.channel {
        Channel::Terminal if frame.raw.starts_with(&[0x10, 0x02]) => {
            redact_serial_frame(&frame.raw)
        }
        Channel::Terminal if frame.raw.len() >= 3 => redact_apdu(&frame.raw),
        _ => frame.raw.clone(),
    };
    clean
}
