//! The simulated nexo terminal's answers, without HTTP (the HTTPS path and the independent
//! peer are in tests/nexo_peer.rs).

use serde_json::{json, Value};

use super::*;
use crate::proto::nexo::{parse, Envelope, SecurityKey};

fn key() -> SecurityKey {
    SecurityKey::new("sim-pass", "SimKey", 1)
}

fn request(category: &str, service: &str, body: Value) -> Message {
    let header = serde_json::from_value(
        json!({"MessageClass": "Service", "MessageCategory": category,
        "MessageType": "Request", "ServiceID": service, "SaleID": "ECR", "POIID": SIM_NEXO_POIID}),
    )
    .unwrap();
    Message::new(
        Direction::Request,
        header,
        &format!("{category}Request"),
        body,
    )
}

fn plain_answer(t: &NexoTerminal, m: &Message) -> Message {
    let a = t.handle(m.to_json().as_bytes());
    assert_eq!(a.status, 200, "{}", a.body);
    match parse(a.body.as_bytes()).unwrap() {
        Envelope::Plain(m) => m,
        Envelope::Secured(_) => panic!("a plain request gets a plain answer"),
    }
}

#[test]
fn encrypted_request_gets_an_encrypted_answer_with_the_same_service_id() {
    let t = NexoTerminal::new(key(), vec![]);
    let m = request("Diagnosis", "77", json!({}));
    let a = t.handle(m.seal(&key(), &[3; 16]).to_value().to_string().as_bytes());
    assert_eq!(a.status, 200);
    let Envelope::Secured(s) = parse(a.body.as_bytes()).unwrap() else {
        panic!("secured")
    };
    let reply = s.open(&key()).unwrap();
    assert_eq!(reply.header.service_id.as_deref(), Some("77"));
    assert_eq!(reply.header.message_type, "Response");
    assert_eq!(reply.body["POIStatus"]["GlobalStatus"], "OK");
    assert!(
        reply.body.get("HostStatus").is_none(),
        "only with HostDiagnosisFlag"
    );
}

#[test]
fn wrong_key_and_garbage_get_errors_not_panics() {
    let t = NexoTerminal::new(key(), vec![]);
    let other = SecurityKey::new("other", "SimKey", 1);
    let a = t.handle(
        request("Payment", "1", json!({}))
            .seal(&other, &[0; 16])
            .to_value()
            .to_string()
            .as_bytes(),
    );
    assert_eq!(a.status, 401);
    assert!(a.body.contains("crypto error"));
    for junk in [
        &b""[..],
        b"{",
        b"[1]",
        b"{\"SaleToPOIResponse\":{\"MessageHeader\":{}}}",
        &[0xff, 0xfe],
    ] {
        assert_eq!(t.handle(junk).status, 400, "{junk:?}");
    }
}

#[test]
fn receipt_print_failure_reverses_the_payment_and_status_says_so() {
    let t = NexoTerminal::new(key(), vec![Fault::TxnReceiptPrintFail]);
    let pay = plain_answer(
        &t,
        &request(
            "Payment",
            "5",
            json!({"PaymentTransaction": {"AmountsReq": {"Currency": "EUR", "RequestedAmount": 1}}}),
        ),
    );
    assert_eq!(pay.body["Response"]["ErrorCondition"], "DeviceOut");
    let status = plain_answer(
        &t,
        &request(
            "TransactionStatus",
            "6",
            json!({"MessageReference": {"ServiceID": "5"}}),
        ),
    );
    let repeated =
        &status.body["RepeatedMessageResponse"]["RepeatedResponseMessageBody"]["PaymentResponse"];
    assert_eq!(repeated["Response"]["Result"], "Failure");
    let unknown = plain_answer(
        &t,
        &request(
            "TransactionStatus",
            "7",
            json!({"MessageReference": {"ServiceID": "nope"}}),
        ),
    );
    assert_eq!(unknown.body["Response"]["ErrorCondition"], "NotFound");
}

#[test]
fn abort_is_an_empty_ok_and_unknown_services_are_refused() {
    let t = NexoTerminal::new(key(), vec![]);
    let a = t.handle(
        request("Abort", "9", json!({"AbortReason": "MerchantAbort"}))
            .to_json()
            .as_bytes(),
    );
    assert_eq!((a.status, a.body.as_str()), (200, ""));
    let m = request("CardAcquisition", "10", json!({}));
    let reply = plain_answer(&t, &m);
    assert_eq!(reply.body_key.as_deref(), Some("CardAcquisitionResponse"));
    assert_eq!(
        reply.body["Response"]["ErrorCondition"],
        "UnavailableService"
    );
}

#[test]
fn the_state_snapshot_sees_a_payment_and_not_a_diagnosis() {
    let t = NexoTerminal::new(key(), vec![]);
    let before = t.state_snapshot();
    plain_answer(&t, &request("Diagnosis", "20", json!({})));
    assert_eq!(t.state_snapshot(), before, "a diagnosis changes nothing");
    plain_answer(
        &t,
        &request(
            "Payment",
            "21",
            json!({"PaymentTransaction": {"AmountsReq": {"Currency": "EUR", "RequestedAmount": 1}}}),
        ),
    );
    assert_ne!(t.state_snapshot(), before, "a payment is in the journal");
}
