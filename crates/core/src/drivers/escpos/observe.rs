//! Turns printer wire events into [`FrameRecord`]s for the Log tab and the capture.
//!
//! Status requests and replies carry no card data. Print data is only ever posdiag's own
//! test receipt (the client has no other print path), so it is recorded as sent. Bytes that
//! fit no reply are cut to a short prefix, like unframed bytes on the terminal channel.

use std::sync::Arc;
use std::time::SystemTime;

use super::client::{PrinterObserver, WireEvent};
use crate::frame::{Channel, Direction, FrameRecord};
use crate::proto::escpos::commands::parse_requests;
use crate::proto::escpos::{IdReply, Query, Reply, StreamItem};

/// Longest run of unexpected bytes kept in a record.
const KEEP_UNEXPECTED: usize = 16;

/// An observer that sends a [`FrameRecord`] for every wire event to `sink`.
pub fn frame_observer(sink: Arc<dyn Fn(FrameRecord) + Send + Sync>) -> PrinterObserver {
    Arc::new(move |direction: Direction, event: &WireEvent<'_>| {
        if let Some(record) = record(direction, event) {
            sink(record);
        }
    })
}

/// The record of one event; `None` for "no reply", which has no bytes on the wire.
pub fn record(direction: Direction, event: &WireEvent<'_>) -> Option<FrameRecord> {
    let (raw, summary, error) = match event {
        WireEvent::Request { bytes } => {
            let names: Vec<String> = parse_requests(bytes)
                .unwrap_or_default()
                .iter()
                .map(|r| r.name().en.into_owned())
                .collect();
            let summary = if names.is_empty() {
                format!("{} bytes", bytes.len())
            } else {
                names.join(", ")
            };
            (bytes.to_vec(), summary, false)
        }
        WireEvent::PrintData { bytes, lines } => (
            bytes.to_vec(),
            format!(
                "test print: {} bytes, {lines} lines (Chinese as GB18030)",
                bytes.len()
            ),
            false,
        ),
        WireEvent::Item(item) => item_record(item)?,
    };
    Some(FrameRecord {
        time: SystemTime::now(),
        channel: Channel::Printer,
        direction,
        raw,
        summary,
        error,
        summary_zh: None,
    })
}

fn item_record(item: &StreamItem) -> Option<(Vec<u8>, String, bool)> {
    Some(match item {
        StreamItem::Reply { query, reply, .. } => (
            reply.raw(),
            format!("{}: {}", query, reply_summary(reply)),
            false,
        ),
        StreamItem::InvalidReply {
            query,
            bytes,
            error,
            ..
        } => (
            unexpected(bytes),
            format!("not a valid reply to {query}: {error}"),
            true,
        ),
        StreamItem::UnsolicitedAsb { status, .. } => (
            status.raw().to_vec(),
            format!("unsolicited ASB: {}", reply_summary(&Reply::Asb(*status))),
            false,
        ),
        StreamItem::UnsolicitedId { text, .. } => (
            unexpected(&text.raw),
            format!("unasked GS I text (a late reply): {}", text.text),
            true,
        ),
        StreamItem::FlowControl { byte, .. } => {
            let name = if *byte == 0x11 { "XON" } else { "XOFF" };
            (vec![*byte], format!("{name} (flow control)"), false)
        }
        StreamItem::Stale { byte, .. } => (
            vec![*byte],
            "byte while nothing was asked (stale reply or noise)".to_owned(),
            true,
        ),
        StreamItem::NoReply { .. } => return None,
    })
}

fn unexpected(bytes: &[u8]) -> Vec<u8> {
    bytes
        .get(..bytes.len().min(KEEP_UNEXPECTED))
        .unwrap_or_default()
        .to_vec()
}

/// The set bits of a status reply ("online state: offline, cover: open"), "all clear" when
/// none is set, or the text of an ID reply.
pub fn reply_summary(reply: &Reply) -> String {
    if let Reply::Id(id) = reply {
        return match id {
            IdReply::Text { value, .. } => value.text.clone(),
            IdReply::Model { value } => match value.known_model() {
                Some(model) => format!("{:02X} ({model})", value.raw()),
                None => format!("{:02X}", value.raw()),
            },
            IdReply::Type { value } => format!("{:02X}", value.raw()),
            IdReply::Firmware { value } => format!("{:02X}", value.raw()),
        };
    }
    let set: Vec<String> = reply
        .status_bytes()
        .into_iter()
        .flat_map(|(byte, layout)| {
            layout
                .fields
                .iter()
                .filter(move |f| f.state(byte).any())
                .map(move |f| format!("{}: {}", f.name.en, f.meaning(byte).en))
        })
        .collect();
    if set.is_empty() {
        "all clear".to_owned()
    } else {
        set.join(", ")
    }
}

/// The summary of a reply to `query` given as bytes, for tests and tools.
pub fn describe(query: Query, bytes: &[u8]) -> Option<String> {
    crate::proto::escpos::decode_reply(query, bytes)
        .ok()
        .map(|r| reply_summary(&r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::escpos::EotQuery;

    #[test]
    fn summaries_name_the_set_bits() {
        let eot1 = Query::RealTime(EotQuery::PrinterStatus);
        assert_eq!(describe(eot1, &[0x12]).as_deref(), Some("all clear"));
        assert_eq!(
            describe(eot1, &[0x1A]).as_deref(),
            Some("online state: offline")
        );
        let eot4 = Query::RealTime(EotQuery::PaperSensor);
        assert!(describe(eot4, &[0x7E]).unwrap().contains("no paper"));
        assert_eq!(describe(eot1, &[0x00]), None);
    }

    #[test]
    fn requests_are_named_and_no_reply_has_no_record() {
        let r = record(
            Direction::Tx,
            &WireEvent::Request {
                bytes: &[0x10, 0x04, 0x01],
            },
        )
        .unwrap();
        assert_eq!(r.channel, Channel::Printer);
        assert!(r.summary.contains("DLE EOT 1"), "{}", r.summary);
        let none = StreamItem::NoReply {
            query: Query::RealTime(EotQuery::PrinterStatus),
        };
        assert!(record(Direction::Rx, &WireEvent::Item(&none)).is_none());
    }

    #[test]
    fn unexpected_bytes_are_cut() {
        let item = StreamItem::InvalidReply {
            offset: 0,
            query: Query::RealTime(EotQuery::PrinterStatus),
            bytes: vec![0xFF; 40],
            error: crate::proto::escpos::EscPosDecodeError::Empty,
        };
        let r = record(Direction::Rx, &WireEvent::Item(&item)).unwrap();
        assert_eq!(r.raw.len(), KEEP_UNEXPECTED);
        assert!(r.error);
    }
}
