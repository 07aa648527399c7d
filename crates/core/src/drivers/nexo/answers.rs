//! Typed answers from the terminal: what the cash register (and a verdict) needs out of each
//! response body. Everything here is safe to show: card numbers are masked to BIN + last four
//! and free text goes through the same masking before it is kept.

use serde::Serialize;
use serde_json::Value;

use crate::i18n::Text;
use crate::proto::nexo::{
    error_condition_meaning, mask_str, mask_value, result_meaning, Diagnosis, Response,
};
use crate::proto::redact::mask_pan;

/// The `Response` block of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Outcome {
    /// Success, Failure, Partial.
    pub result: String,
    pub error_condition: Option<String>,
    /// `AdditionalResponse`, decoded (`message=Declined+by+host` → `message=Declined by host`)
    /// and masked.
    pub additional: Option<String>,
}

impl Outcome {
    /// The outcome of a response body; a body without `Response` is a failure without condition.
    pub fn of_body(body: &Value) -> Outcome {
        let r = Response::of_body(body).unwrap_or_default();
        Outcome {
            result: if r.result.is_empty() {
                "Failure".to_owned()
            } else {
                r.result
            },
            error_condition: r.error_condition,
            additional: r.additional_response.map(|a| mask_str(&url_decode(&a))),
        }
    }

    pub fn is_success(&self) -> bool {
        self.result == "Success"
    }

    pub fn condition(&self) -> Option<&str> {
        self.error_condition.as_deref()
    }

    /// One `key=value` of the additional response (`refusalReason`, `message`).
    pub fn field(&self, key: &str) -> Option<&str> {
        self.additional.as_deref()?.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            (k == key).then_some(v)
        })
    }

    /// What it means, in both languages: "failure: refused by the host or the card".
    pub fn meaning(&self) -> Text {
        let result = result_meaning(&self.result);
        match self.condition() {
            None => result,
            Some(c) => {
                let cond = error_condition_meaning(c);
                Text::new(
                    format!("{}（{c}：{}）", result.zh, cond.zh),
                    format!("{} ({c}: {})", result.en, cond.en),
                )
            }
        }
    }
}

/// `+` and `%XX` of a URL-encoded string; bad escapes are kept as they are.
fn url_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(v)) => {
                out.push(v);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What became of a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    Approved,
    /// Refused by the host or the card (Refusal, WrongPIN, InvalidCard, PaymentRestriction).
    Declined,
    /// The terminal authorised it, then did not complete it (e.g. the receipt printer failed)
    /// and reversed it: the money returns; the slip, if any, is void.
    ApprovedThenReversed,
    /// The terminal is still working on it (TransactionStatus InProgress): ask again.
    InProgress,
    /// Not approved for another reason (terminal busy, not logged in, host unreachable, ...):
    /// no money moved.
    Failed,
}

/// A `PaymentResponse` (also inside a TransactionStatus answer).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaymentAnswer {
    pub outcome: Outcome,
    pub state: PaymentState,
    pub poi_transaction_id: Option<String>,
    pub poi_timestamp: Option<String>,
    pub sale_transaction_id: Option<String>,
    pub authorized_amount: Option<f64>,
    pub currency: Option<String>,
    /// BIN + last four at most.
    pub masked_pan: Option<String>,
    pub brand: Option<String>,
    pub approval_code: Option<String>,
}

fn text_at(v: &Value, path: &[&str]) -> Option<String> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

impl PaymentAnswer {
    pub fn from_body(body: &Value) -> PaymentAnswer {
        let outcome = Outcome::of_body(body);
        let result = &body["PaymentResult"];
        let authorized_amount = result["AmountsResp"]["AuthorizedAmount"].as_f64();
        let state = if outcome.is_success() {
            PaymentState::Approved
        } else if authorized_amount.is_some() {
            PaymentState::ApprovedThenReversed
        } else {
            match outcome.condition() {
                Some("Refusal" | "WrongPIN" | "InvalidCard" | "PaymentRestriction") => {
                    PaymentState::Declined
                }
                Some("InProgress") => PaymentState::InProgress,
                _ => PaymentState::Failed,
            }
        };
        let card = &result["PaymentInstrumentData"]["CardData"];
        // Whatever the terminal sent, keep BIN + last four at most.
        let masked_pan = text_at(card, &["MaskedPan"])
            .or_else(|| text_at(card, &["MaskedPAN"]))
            .map(|p| {
                let digits: String = p.chars().filter(char::is_ascii_digit).collect();
                if digits.len() == p.len() {
                    mask_pan(&p)
                } else {
                    mask_str(&p)
                }
            });
        PaymentAnswer {
            outcome,
            state,
            poi_transaction_id: text_at(body, &["POIData", "POITransactionID", "TransactionID"]),
            poi_timestamp: text_at(body, &["POIData", "POITransactionID", "TimeStamp"]),
            sale_transaction_id: text_at(body, &["SaleData", "SaleTransactionID", "TransactionID"]),
            authorized_amount,
            currency: text_at(result, &["AmountsResp", "Currency"]),
            masked_pan,
            brand: text_at(card, &["PaymentBrand"]),
            approval_code: text_at(result, &["PaymentAcquirerData", "ApprovalCode"]),
        }
    }
}

/// A `TransactionStatusResponse`: the status query's own outcome and, when found, the payment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusAnswer {
    pub outcome: Outcome,
    pub payment: Option<PaymentAnswer>,
}

/// What the status query settles about an unclear payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Settled {
    /// The payment's final state.
    Payment(PaymentState),
    /// Still running on the terminal: ask again in a few seconds.
    InProgress,
    /// The terminal never got it (NotFound): nothing was charged.
    NeverArrived,
    /// The status query itself failed (e.g. Busy): the outcome is still unknown.
    Unknown,
}

impl StatusAnswer {
    pub fn from_body(body: &Value) -> StatusAnswer {
        let payment = body["RepeatedMessageResponse"]["RepeatedResponseMessageBody"]
            .get("PaymentResponse")
            .map(PaymentAnswer::from_body);
        StatusAnswer {
            outcome: Outcome::of_body(body),
            payment,
        }
    }

    pub fn settled(&self) -> Settled {
        match (
            self.outcome.is_success(),
            self.outcome.condition(),
            &self.payment,
        ) {
            (true, _, Some(p)) => Settled::Payment(p.state),
            (false, Some("InProgress"), _) => Settled::InProgress,
            (false, Some("NotFound"), _) => Settled::NeverArrived,
            _ => Settled::Unknown,
        }
    }
}

/// A `ReversalResponse`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReversalAnswer {
    pub outcome: Outcome,
    pub reversal_id: Option<String>,
    pub reversed_amount: Option<f64>,
}

impl ReversalAnswer {
    pub fn from_body(body: &Value) -> ReversalAnswer {
        ReversalAnswer {
            outcome: Outcome::of_body(body),
            reversal_id: text_at(body, &["POIData", "POITransactionID", "TransactionID"]),
            reversed_amount: body["ReversedAmount"].as_f64(),
        }
    }
}

/// A `LoginResponse`: the terminal's clock is compared with this computer's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoginAnswer {
    pub outcome: Outcome,
    pub terminal_time: Option<String>,
    /// Terminal clock minus this computer's clock, in seconds (positive: the terminal is ahead).
    pub clock_skew_secs: Option<i64>,
    pub global_status: Option<String>,
}

impl LoginAnswer {
    pub fn from_body(body: &Value, now: time::OffsetDateTime) -> LoginAnswer {
        let terminal_time = text_at(body, &["POISystemData", "DateTime"]);
        let clock_skew_secs = terminal_time.as_deref().and_then(|t| {
            let t = time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
                .ok()?;
            Some((t - now).whole_seconds())
        });
        LoginAnswer {
            outcome: Outcome::of_body(body),
            terminal_time,
            clock_skew_secs,
            global_status: text_at(body, &["POISystemData", "POIStatus", "GlobalStatus"]),
        }
    }
}

/// A `DiagnosisResponse`.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosisAnswer {
    pub outcome: Outcome,
    pub diagnosis: Diagnosis,
}

impl DiagnosisAnswer {
    pub fn from_body(body: &Value) -> DiagnosisAnswer {
        DiagnosisAnswer {
            outcome: Outcome::of_body(body),
            diagnosis: Diagnosis::from_body(body),
        }
    }
}

/// A body made safe to show or store (for captures and `--format json`).
pub fn shown(body: &Value) -> Value {
    mask_value(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outcome_decodes_and_masks_the_additional_response() {
        let o = Outcome::of_body(
            &json!({"Response": {"Result": "Failure", "ErrorCondition": "Refusal",
            "AdditionalResponse": "refusalReason=51&message=Declined+by+host&pan=6212345678901234567"}}),
        );
        assert_eq!(o.field("refusalReason"), Some("51"));
        assert_eq!(o.field("message"), Some("Declined by host"));
        assert!(!o
            .additional
            .as_deref()
            .unwrap()
            .contains("6212345678901234567"));
        assert!(o.meaning().en.contains("Refusal"));
        assert_eq!(url_decode("%zz%41+"), "%zzA ");
    }

    #[test]
    fn payment_states() {
        let approved = json!({"Response": {"Result": "Success"}, "PaymentResult": {"AmountsResp": {"AuthorizedAmount": 1.5},
            "PaymentInstrumentData": {"CardData": {"MaskedPan": "4111111111111111"}}}});
        let a = PaymentAnswer::from_body(&approved);
        assert_eq!(a.state, PaymentState::Approved);
        assert_eq!(
            a.masked_pan.as_deref(),
            Some(mask_pan("4111111111111111").as_str())
        );
        let reversed = json!({"Response": {"Result": "Failure", "ErrorCondition": "DeviceOut"},
            "PaymentResult": {"AmountsResp": {"AuthorizedAmount": 1.5}}});
        assert_eq!(
            PaymentAnswer::from_body(&reversed).state,
            PaymentState::ApprovedThenReversed
        );
        let declined = json!({"Response": {"Result": "Failure", "ErrorCondition": "Refusal"}});
        assert_eq!(
            PaymentAnswer::from_body(&declined).state,
            PaymentState::Declined
        );
        let busy = json!({"Response": {"Result": "Failure", "ErrorCondition": "Busy"}});
        assert_eq!(PaymentAnswer::from_body(&busy).state, PaymentState::Failed);
        assert_eq!(
            PaymentAnswer::from_body(&Value::Null).state,
            PaymentState::Failed
        );
    }

    #[test]
    fn status_settles() {
        let s = StatusAnswer::from_body(
            &json!({"Response": {"Result": "Failure", "ErrorCondition": "InProgress"}}),
        );
        assert_eq!(s.settled(), Settled::InProgress);
        let s = StatusAnswer::from_body(
            &json!({"Response": {"Result": "Failure", "ErrorCondition": "NotFound"}}),
        );
        assert_eq!(s.settled(), Settled::NeverArrived);
        let s = StatusAnswer::from_body(
            &json!({"Response": {"Result": "Success"}, "RepeatedMessageResponse":
            {"RepeatedResponseMessageBody": {"PaymentResponse": {"Response": {"Result": "Success"}}}}}),
        );
        assert_eq!(s.settled(), Settled::Payment(PaymentState::Approved));
    }

    #[test]
    fn login_measures_the_clock_skew() {
        let now = time::macros::datetime!(2026-01-01 12:00:00 UTC);
        let l = LoginAnswer::from_body(
            &json!({"Response": {"Result": "Success"}, "POISystemData": {"DateTime": "2026-01-01T15:00:00Z"}}),
            now,
        );
        assert_eq!(l.clock_skew_secs, Some(3 * 3600));
    }
}
