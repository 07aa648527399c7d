//! Turns ISO 8583 frames into redacted [`FrameRecord`]s for the Log tab and the capture.
//!
//! Redaction happens here, at the source: PAN middle digits, track data, PIN blocks, working
//! keys and card data in field 55 are overwritten (same length) before any record exists.

use std::sync::Arc;
use std::time::SystemTime;

use super::transport::FrameObserver;
use crate::frame::{Channel, Direction, FrameRecord};
use crate::proto::iso8583::{
    decode_partial, redact_message, summarize, summary, summary_line, Dialect,
};

/// An observer that sends a [`FrameRecord`] for every frame to `sink`.
pub fn frame_observer(
    dialect: Dialect,
    sink: Arc<dyn Fn(FrameRecord) + Send + Sync>,
) -> FrameObserver {
    Arc::new(move |direction: Direction, raw: &[u8], garbage: bool| {
        sink(frame_record(&dialect, direction, raw, garbage));
    })
}

/// The redacted record of one frame.
pub fn frame_record(
    dialect: &Dialect,
    direction: Direction,
    raw: &[u8],
    garbage: bool,
) -> FrameRecord {
    let clean = redact_message(dialect, raw);
    let (summary, summary_zh, error) = if garbage {
        (
            format!("{} bytes not ISO 8583 framing", raw.len()),
            Some(format!("{} 字节不是 ISO 8583 帧", raw.len())),
            true,
        )
    } else {
        let partial = decode_partial(dialect, raw);
        match (&partial.message, &partial.error) {
            (Some(m), None) => (summary_line(m), Some(summary(m).zh.into_owned()), false),
            _ => {
                let t = summarize(dialect, raw);
                (t.en.into_owned(), Some(t.zh.into_owned()), true)
            }
        }
    };
    FrameRecord {
        time: SystemTime::now(),
        channel: Channel::Host,
        direction,
        raw: clean,
        summary,
        error,
        summary_zh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::iso8583::{FieldValue, Message, Mti};

    #[test]
    fn pan_never_reaches_the_record() {
        let d = Dialect::cup();
        let pan = "6225880123456789";
        let m = Message::new(Mti::new("0200").expect("mti"))
            .with(2, FieldValue::digits(pan))
            .with(3, FieldValue::digits("000000"))
            .with(11, FieldValue::digits("000123"));
        let frame = m.encode(&d).expect("encode");
        let r = frame_record(&d, Direction::Tx, &frame, false);
        assert_eq!(r.channel, Channel::Host);
        assert_eq!(r.raw.len(), frame.len());
        assert!(!hex::encode_upper(&r.raw).contains(pan));
        assert!(r.summary.contains("622588******6789"), "{}", r.summary);
        assert!(!r.error);
    }
}
