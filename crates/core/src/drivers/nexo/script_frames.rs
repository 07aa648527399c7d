//! The nexo frames of a scripted payment's steps (`drivers::terminal::script`), for tests of
//! views: the decrypted, masked messages [`super::frames`] records, built with the driver's
//! own request builders. nexo has one request and one answer per payment: the `Pay` step is
//! the `PaymentRequest`, the `Report` step the `PaymentResponse` that reports and ends it.
//! Steps nexo has no message for (acknowledgement, display texts, print lines, a separate
//! completion or abort) give no frames.

use serde_json::{json, Value};

use super::client::ExchangeRecord;
use super::frames::exchange_frames;
use super::requests::{self, Parties, PaymentSpec};
use crate::drivers::terminal::script::{ScriptFrame, ScriptResult, ScriptStep};
use crate::proto::nexo::{Category, Direction, Message, Response};

const SERVICE_ID: &str = "1001";

fn parties() -> Parties {
    Parties {
        sale_id: "posdiag".to_owned(),
        poi_id: "P400Plus-275039202".to_owned(),
    }
}

fn message(direction: Direction, body: Value) -> Value {
    let mut header = requests::header(&parties(), &Category::Payment, SERVICE_ID);
    if direction == Direction::Response {
        header = header.reply();
    }
    Message::new(
        direction,
        header,
        &Category::Payment.body_key(direction),
        body,
    )
    .to_value()
}

fn response(result: ScriptResult) -> Response {
    match result {
        ScriptResult::Approved => Response::success(),
        ScriptResult::HostDeclined(code) => Response::failure(
            "Refusal",
            format!("refusalReason={code:02}&message=Declined+by+host"),
        ),
        ScriptResult::NoHostAnswer => Response::failure(
            "UnreachableHost",
            "message=Acquirer+host+timeout&refusalReason=Timeout",
        ),
        ScriptResult::PrinterFault => Response::failure(
            "DeviceOut",
            "message=Receipt+printer+failed;+payment+reversed",
        ),
    }
}

fn payment_response(result: ScriptResult, trace: &str) -> Value {
    let mut body = json!({
        "Response": response(result),
        "POIData": {"POITransactionID": {"TransactionID": trace, "TimeStamp": "2026-01-01T12:00:00Z"}},
    });
    if matches!(result, ScriptResult::Approved | ScriptResult::PrinterFault) {
        body["PaymentResult"] = json!({
            "AmountsResp": {"Currency": "CNY", "AuthorizedAmount": 12.34},
            "PaymentInstrumentData": {"CardData": {"MaskedPan": "620000******0005", "PaymentBrand": "UnionPay"}},
        });
    }
    message(Direction::Response, body)
}

fn frames_of(request: Option<Value>, response: Option<Value>) -> Vec<ScriptFrame> {
    let record = ExchangeRecord {
        category: "Payment".to_owned(),
        service_id: SERVICE_ID.to_owned(),
        encrypted: true,
        request: request.unwrap_or(Value::Null),
        http_status: response.as_ref().map(|_| 200),
        response,
    };
    exchange_frames(&record)
        .into_iter()
        .filter(|f| !f.raw.is_empty() && f.raw != b"null")
        .map(|f| ScriptFrame {
            after_ms: 0,
            channel: f.channel,
            direction: f.direction,
            raw: f.raw,
            summary: f.summary,
        })
        .collect()
}

pub fn frames(step: &ScriptStep) -> Vec<ScriptFrame> {
    match step {
        ScriptStep::Pay { amount_minor } => {
            let spec = PaymentSpec {
                sale_transaction_id: "posdiag-1".to_owned(),
                currency: "CNY".to_owned(),
                amount: *amount_minor as f64 / 100.0,
            };
            let body = requests::payment(&spec, "2026-01-01T12:00:00Z");
            frames_of(Some(message(Direction::Request, body)), None)
        }
        ScriptStep::Report { result, trace, .. } => {
            frames_of(None, Some(payment_response(*result, trace)))
        }
        ScriptStep::Accepted
        | ScriptStep::Shows(_)
        | ScriptStep::PrintLine { .. }
        | ScriptStep::Completed
        | ScriptStep::Aborted(_) => Vec::new(),
    }
}
