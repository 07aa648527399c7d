//! A nexo exchange as frames of the terminal channel, so the capture, the frame view and the
//! transaction model read nexo like any protocol: the request (Tx) and the answer (Rx), each
//! the decrypted message as JSON, masked (no card data; the shared key never appears, the
//! encrypted blob is not kept). An exchange without an answer (timeout, lost connection) is
//! its request alone; an answer that is no message (an HTTP error, an empty body) is an Rx
//! frame without bytes that says what came.

use std::time::SystemTime;

use serde_json::Value;

use super::client::ExchangeRecord;
use crate::frame::{Channel, Direction, FrameRecord};
use crate::proto::nexo;

/// The frames of one exchange, in wire order.
pub fn exchange_frames(record: &ExchangeRecord) -> Vec<FrameRecord> {
    let time = SystemTime::now();
    let mut out = vec![json_frame(time, Direction::Tx, &record.request)];
    match (&record.response, record.http_status) {
        (Some(answer), _) => out.push(json_frame(time, Direction::Rx, answer)),
        (None, Some(status)) => out.push(FrameRecord {
            time,
            channel: Channel::Terminal,
            direction: Direction::Rx,
            raw: Vec::new(),
            summary: match status {
                200 => format!("{} answer: HTTP 200, empty body", record.category),
                s => format!("{} answer: HTTP {s}, not a nexo message", record.category),
            },
            summary_zh: Some(match status {
                200 => format!("{} 应答：HTTP 200，空报文", record.category),
                s => format!("{} 应答：HTTP {s}，不是 nexo 报文", record.category),
            }),
            error: status != 200,
        }),
        (None, None) => {}
    }
    out
}

fn json_frame(time: SystemTime, direction: Direction, message: &Value) -> FrameRecord {
    // Masked again here: a frame is what captures store.
    let masked = nexo::mask_value(message);
    let (summary, summary_zh) = summarize(&masked);
    FrameRecord {
        time,
        channel: Channel::Terminal,
        direction,
        raw: serde_json::to_vec(&masked).unwrap_or_default(),
        summary,
        summary_zh: Some(summary_zh),
        error: false,
    }
}

/// "PaymentResponse Failure Refusal", "DiagnosisRequest": the body and how it ended (the
/// channel already says which protocol).
fn summarize(message: &Value) -> (String, String) {
    let Ok(nexo::Envelope::Plain(m)) = nexo::parse(message.to_string().as_bytes()) else {
        return (
            "nexo message (unreadable)".to_owned(),
            "nexo 报文（无法读取）".to_owned(),
        );
    };
    let key = m.body_key.unwrap_or_else(|| "(header only)".to_owned());
    let Some(response) = nexo::Response::of_body(&m.body) else {
        return (key.clone(), key);
    };
    let mut en = format!("{key} {}", response.result);
    let mut zh = format!(
        "{key} {}",
        nexo::result_meaning(&response.result).get(crate::i18n::Lang::Zh)
    );
    if let Some(c) = &response.error_condition {
        en.push(' ');
        en.push_str(c);
        zh.push_str(&format!(
            " {}（{c}）",
            nexo::error_condition_meaning(c).get(crate::i18n::Lang::Zh)
        ));
    }
    (en, zh)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(response: Option<Value>, status: Option<u16>) -> ExchangeRecord {
        ExchangeRecord {
            category: "Payment".to_owned(),
            service_id: "1".to_owned(),
            encrypted: true,
            request: json!({"SaleToPOIRequest": {"MessageHeader": {"MessageCategory": "Payment",
                "MessageClass": "Service", "MessageType": "Request", "SaleID": "s", "POIID": "p"},
                "PaymentRequest": {}}}),
            http_status: status,
            response,
        }
    }

    #[test]
    fn request_and_answer_become_two_masked_frames() {
        let answer = json!({"SaleToPOIResponse": {"MessageHeader": {"MessageCategory": "Payment",
            "MessageClass": "Service", "MessageType": "Response", "SaleID": "s", "POIID": "p"},
            "PaymentResponse": {"Response": {"Result": "Failure", "ErrorCondition": "Refusal"},
            "PaymentResult": {"PaymentInstrumentData": {"CardData": {"MaskedPan": "4111111111111111"}}}}}});
        let frames = exchange_frames(&record(Some(answer), Some(200)));
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[0].direction, Direction::Tx);
        assert_eq!(frames[0].summary, "PaymentRequest");
        assert_eq!(frames[1].summary, "PaymentResponse Failure Refusal");
        let text = String::from_utf8(frames[1].raw.clone()).unwrap();
        assert!(!text.contains("4111111111111111"), "{text}");
    }

    #[test]
    fn no_answer_is_the_request_alone_and_an_http_error_is_an_empty_rx_frame() {
        assert_eq!(exchange_frames(&record(None, None)).len(), 1);
        let frames = exchange_frames(&record(None, Some(401)));
        assert_eq!(frames.len(), 2);
        assert!(frames[1].error && frames[1].raw.is_empty());
    }
}
