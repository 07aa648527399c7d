//! nexo's side of the transaction observations: reads the terminal channel's frames (the
//! decrypted, masked messages [`super::frames`] records) into [`TerminalEvent`]s. A
//! `PaymentRequest` starts a payment, a `ReversalRequest` a void, an `AbortRequest` asks to
//! abort; a `PaymentResponse` (also the one a `TransactionStatusResponse` repeats, which is how
//! an unclear outcome is settled) reports amount, card and the terminal's transaction id and
//! ends the command with its result. Codes are the `ErrorCondition` names ("Refusal"), with
//! the host's refusal reason (`refusalReason=51`) passed through as the host code.

use serde_json::Value;

use super::answers::{Outcome, PaymentAnswer, PaymentState, StatusAnswer};
use crate::drivers::terminal::codes::{TerminalCode, TerminalResult};
use crate::drivers::terminal::observe::{TerminalEvent, TerminalReport, TxnKind, TxnStart};
use crate::drivers::terminal::TerminalProtocol;
use crate::frame::{Direction, FrameRecord};
use crate::i18n::Text;
use crate::proto::nexo::{self, error_condition_meaning, Envelope};

/// The code a success carries (nexo has no ErrorCondition then).
pub const SUCCESS: &str = "Success";

/// What a nexo code means (an `ErrorCondition`, or "Success").
pub fn code_meaning(code: &str) -> Text {
    if code == SUCCESS {
        return Text::fixed("成功", "success");
    }
    error_condition_meaning(code)
}

/// Reads nexo frames in wire order.
#[derive(Debug, Clone, Default)]
pub struct NexoTxnObserver {
    /// A status query is running: its answer settles the running payment.
    status_asked: bool,
}

fn currency_numeric(alpha: &str) -> Option<u16> {
    Some(match alpha {
        "EUR" => 978,
        "CHF" => 756,
        "USD" => 840,
        "GBP" => 826,
        "CNY" => 156,
        "HKD" => 344,
        "JPY" => 392,
        "SEK" => 752,
        "DKK" => 208,
        "NOK" => 578,
        "PLN" => 985,
        "CZK" => 203,
        _ => return None,
    })
}

fn minor(amount: Option<f64>) -> Option<u64> {
    let a = amount?;
    (a.is_finite() && a > 0.0 && a < 1e12).then(|| (a * 100.0).round() as u64)
}

fn result_of(outcome: &Outcome) -> TerminalResult {
    let code = if outcome.is_success() {
        SUCCESS.to_owned()
    } else {
        outcome.condition().unwrap_or("Failure").to_owned()
    };
    TerminalResult {
        code: TerminalCode::new(TerminalProtocol::Nexo, &code),
        success: outcome.is_success(),
        host_code: outcome
            .field("refusalReason")
            .filter(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphanumeric()))
            .map(str::to_owned),
        benign: false,
    }
}

impl NexoTxnObserver {
    pub fn read(&mut self, frame: &FrameRecord) -> Vec<TerminalEvent> {
        let Ok(Envelope::Plain(message)) = nexo::parse(&frame.raw) else {
            return Vec::new();
        };
        let key = message.body_key.clone().unwrap_or_default();
        let body = &message.body;
        match frame.direction {
            Direction::Tx => self.request(&key, body),
            Direction::Rx => self.response(&key, body),
        }
    }

    fn request(&mut self, key: &str, body: &Value) -> Vec<TerminalEvent> {
        self.status_asked = false;
        let event = match key {
            "PaymentRequest" => {
                let amounts = &body["PaymentTransaction"]["AmountsReq"];
                let amount = minor(amounts["RequestedAmount"].as_f64());
                let currency = amounts["Currency"].as_str().and_then(currency_numeric);
                TerminalEvent::Started(Box::new(TxnStart {
                    kind: TxnKind::Payment,
                    amount_minor: amount,
                    currency,
                    asked_amount: amount,
                    asked_currency: currency,
                    card: None,
                    void_of_receipt: None,
                    text: Text::fixed(
                        "收银机发起消费（PaymentRequest）",
                        "payment requested (PaymentRequest)",
                    ),
                }))
            }
            "ReversalRequest" => {
                let original = body["OriginalPOITransaction"]["POITransactionID"]["TransactionID"]
                    .as_str()
                    .map(str::to_owned);
                TerminalEvent::Started(Box::new(TxnStart {
                    kind: TxnKind::Void,
                    amount_minor: None,
                    currency: None,
                    asked_amount: None,
                    asked_currency: None,
                    card: None,
                    void_of_receipt: original,
                    text: Text::fixed(
                        "收银机发起撤销（ReversalRequest）",
                        "reversal requested (ReversalRequest)",
                    ),
                }))
            }
            "AbortRequest" => TerminalEvent::AbortAsked {
                note: Text::fixed(
                    "收银机请求中止（AbortRequest）",
                    "the register asks to abort (AbortRequest)",
                ),
                started: Text::fixed("中止（AbortRequest）", "abort (AbortRequest)"),
            },
            "TransactionStatusRequest" => {
                self.status_asked = true;
                TerminalEvent::Other
            }
            _ => TerminalEvent::OtherCommand,
        };
        vec![event]
    }

    fn response(&mut self, key: &str, body: &Value) -> Vec<TerminalEvent> {
        match key {
            "PaymentResponse" => payment_events(&PaymentAnswer::from_body(body), "PaymentResponse"),
            "TransactionStatusResponse" if self.status_asked => {
                self.status_asked = false;
                let status = StatusAnswer::from_body(body);
                match (&status.payment, status.outcome.condition()) {
                    (Some(p), _) if status.outcome.is_success() => {
                        payment_events(p, "TransactionStatusResponse")
                    }
                    // Still running, or the status query failed: nothing settled yet.
                    (_, Some("InProgress")) | (None, _) | (Some(_), _) => {
                        vec![TerminalEvent::Other]
                    }
                }
            }
            "ReversalResponse" => {
                let outcome = Outcome::of_body(body);
                let result = result_of(&outcome);
                vec![TerminalEvent::Completed {
                    result: Some(result),
                    wire: "ReversalResponse",
                }]
            }
            "AbortResponse" => {
                let outcome = Outcome::of_body(body);
                vec![TerminalEvent::Accepted {
                    result: result_of(&outcome),
                    text: Text::fixed("终端已中止", "aborted by the terminal"),
                }]
            }
            _ => vec![TerminalEvent::Other],
        }
    }
}

/// A payment's answer: what the terminal reports, a reversal it made itself, and the end.
fn payment_events(p: &PaymentAnswer, wire: &'static str) -> Vec<TerminalEvent> {
    let result = result_of(&p.outcome);
    // The reversal first, as a ZVT terminal reports it before its result.
    let mut out: Vec<TerminalEvent> = terminal_reversal(p).into_iter().collect();
    out.push(TerminalEvent::Report(Box::new(TerminalReport {
        result: Some(result.clone()),
        shown: Some(result.clone()),
        amount_minor: minor(p.authorized_amount),
        currency: p.currency.as_deref().and_then(currency_numeric),
        card: p.masked_pan.clone(),
        card_name: p.brand.clone(),
        trace: p.poi_transaction_id.clone(),
        receipt_no: p.poi_transaction_id.clone(),
        original_trace: None,
        tid: None,
        totals: None,
        wire,
    })));
    out.push(TerminalEvent::Completed {
        result: Some(result),
        wire,
    });
    out
}

/// The reversal the terminal reports having made itself, if any.
fn terminal_reversal(p: &PaymentAnswer) -> Option<TerminalEvent> {
    if p.state == PaymentState::ApprovedThenReversed {
        // ISO 8583 reason 96 (system malfunction) is what the same failure gives on the host
        // line of a ZVT terminal: the verdict reads the same.
        Some(TerminalEvent::TerminalReversed {
            reason: "96".to_owned(),
            authorized: true,
            text: Text::fixed(
                "终端已授权后又自行冲正（如小票打印失败）",
                "authorised, then reversed by the terminal itself (e.g. the slip could not be printed)",
            ),
        })
    } else if p.outcome.field("refusalReason") == Some("Timeout") {
        // The host did not answer: the terminal reverses whatever the host may have done
        // (reason 98, as on the host line of a ZVT terminal).
        Some(TerminalEvent::TerminalReversed {
            reason: "98".to_owned(),
            authorized: false,
            text: Text::fixed(
                "主机超时，终端已自行冲正",
                "the host timed out; the terminal reversed the payment itself",
            ),
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::Channel;
    use serde_json::json;

    fn frame(direction: Direction, v: Value) -> FrameRecord {
        FrameRecord {
            time: std::time::SystemTime::now(),
            channel: Channel::Terminal,
            direction,
            raw: serde_json::to_vec(&v).unwrap(),
            summary: String::new(),
            summary_zh: None,
            error: false,
        }
    }

    fn header(t: &str) -> Value {
        json!({"MessageClass": "Service", "MessageCategory": "Payment", "MessageType": t,
            "ServiceID": "1", "SaleID": "s", "POIID": "P-1"})
    }

    #[test]
    fn a_payment_starts_reports_and_ends_with_the_hosts_code() {
        let mut o = NexoTxnObserver::default();
        let start = o.read(&frame(Direction::Tx, json!({"SaleToPOIRequest": {"MessageHeader": header("Request"),
            "PaymentRequest": {"PaymentTransaction": {"AmountsReq": {"Currency": "EUR", "RequestedAmount": 12.34}}}}})));
        match &start[..] {
            [TerminalEvent::Started(s)] => {
                assert_eq!(
                    (s.kind, s.amount_minor, s.currency),
                    (TxnKind::Payment, Some(1234), Some(978))
                )
            }
            other => panic!("{other:?}"),
        }
        let end = o.read(&frame(
            Direction::Rx,
            json!({"SaleToPOIResponse": {"MessageHeader": header("Response"),
            "PaymentResponse": {"Response": {"Result": "Failure", "ErrorCondition": "Refusal",
            "AdditionalResponse": "refusalReason=51&message=Declined"}}}}),
        ));
        let Some(TerminalEvent::Completed {
            result: Some(r), ..
        }) = end.last()
        else {
            panic!("{end:?}")
        };
        assert_eq!(
            (r.success, r.host_code.as_deref(), r.code.code.as_str()),
            (false, Some("51"), "Refusal")
        );
        assert!(o
            .read(&frame(Direction::Rx, json!({"not": "nexo"})))
            .is_empty());
    }
}
