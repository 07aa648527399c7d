//! Second line of defence: re-redacts a frame by its channel's codec before it is written.

use crate::event::{Channel, FrameRecord};
use crate::proto::zvt::{redact_apdu, redact_serial_frame};

/// The frame with every sensitive span overwritten (same length for APDUs).
pub fn redact_frame(frame: &FrameRecord) -> FrameRecord {
    let mut clean = frame.clone();
    clean.raw = match frame.channel {
        // nexo: a decrypted JSON message, masked again (or hidden whole when it does not parse).
        Channel::Terminal if frame.raw.first() == Some(&b'{') => redact_json(&frame.raw),
        Channel::Terminal if frame.raw.starts_with(&[0x10, 0x02]) => {
            redact_serial_frame(&frame.raw)
        }
        Channel::Terminal if frame.raw.len() >= 3 => redact_apdu(&frame.raw),
        _ => frame.raw.clone(),
    };
    clean
}

/// A JSON message with card data masked; what does not parse is hidden whole.
fn redact_json(raw: &[u8]) -> Vec<u8> {
    serde_json::from_slice::<serde_json::Value>(raw)
        .ok()
        .and_then(|v| serde_json::to_vec(&crate::proto::nexo::mask_value(&v)).ok())
        .unwrap_or_default()
}
