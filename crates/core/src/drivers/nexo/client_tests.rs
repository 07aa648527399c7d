//! The client's reading of answers, without a network (the HTTPS path is in
//! tests/nexo_driver.rs).

use std::time::Duration;

use super::*;
use crate::drivers::nexo::Parties;
use crate::proto::nexo::MessageHeader;
use crate::proto::nexo::SecurityKey;

fn client(dir: &std::path::Path) -> NexoClient {
    let cert = rcgen::generate_simple_self_signed(vec!["x.test".to_owned()]).expect("cert");
    let trust = dir.join("trust.pem");
    std::fs::write(&trust, cert.cert.pem()).expect("write");
    NexoClient::new(NexoConfig {
        addr: "192.0.2.1:8443".to_owned(),
        trust_file: trust,
        key: Some(SecurityKey::new("pass", "K", 1)),
        parties: Parties {
            sale_id: "S".to_owned(),
            poi_id: "P-1".to_owned(),
        },
        connect_timeout: Duration::from_secs(1),
        timeout: Duration::from_secs(1),
        payment_timeout: Duration::from_secs(1),
    })
    .expect("client")
}

fn answer_sealed_with(key: &SecurityKey) -> String {
    let header = MessageHeader {
        message_category: "Diagnosis".to_owned(),
        message_type: "Response".to_owned(),
        service_id: Some("1".to_owned()),
        ..MessageHeader::default()
    };
    Message::new(
        Direction::Response,
        header,
        "DiagnosisResponse",
        Value::Null,
    )
    .seal(key, &[7; 16])
    .to_value()
    .to_string()
}

#[test]
fn each_key_problem_gets_its_own_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let c = client(dir.path());
    let other_version = answer_sealed_with(&SecurityKey::new("pass", "K", 2));
    match c.read_answer(200, other_version.as_bytes()) {
        Err(NexoClientError::WrongKeyVersion {
            key_version: 1,
            their_version: 2,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    let other_pass = answer_sealed_with(&SecurityKey::new("other", "K", 1));
    assert!(matches!(
        c.read_answer(200, other_pass.as_bytes()),
        Err(NexoClientError::WrongKey { key_version: 1, .. })
    ));
    let crypto = br#"{"errors":["Nexo Service: crypto error (9)"],"ServiceID":"1"}"#;
    assert!(matches!(
        c.read_answer(401, crypto),
        Err(NexoClientError::WrongKey { .. })
    ));
    let format = br#"{"errors":["message format: card 4111111111111111"]}"#;
    match c.read_answer(400, format) {
        Err(NexoClientError::Http {
            status: 400,
            message,
            ..
        }) => {
            assert!(!message.contains("4111111111111111"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let right = answer_sealed_with(&SecurityKey::new("pass", "K", 1));
    assert!(c
        .read_answer(200, right.as_bytes())
        .expect("opens")
        .is_some());
    assert_eq!(c.read_answer(200, b"").expect("empty"), None);
    assert!(matches!(
        c.read_answer(200, b"<html>"),
        Err(NexoClientError::BadAnswer { .. })
    ));
    assert!(c.next_service_id().len() <= 10);
}
