//! Unit tests of the decode explanation: who sent it, invalid input, vendor TLVs.

use super::explain::{explain, explain_from, SenderSource};
use super::message::Sender;
use crate::i18n::Lang;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s.replace(' ', "")).unwrap()
}

fn text(bytes: &[u8], from: Option<Sender>) -> String {
    explain_from(bytes, from)
        .unwrap()
        .to_lines(Lang::En)
        .join("\n")
}

#[test]
fn the_sender_comes_from_the_code_or_from_the_caller() {
    // 04 0C is the Feig terminal asking for file data: PT → ECR, not "unknown command".
    let ex = explain(&h("04 0C 0D 06 0B 2D 09 1D 01 23 1E 04 00 00 FD E8")).unwrap();
    assert_eq!(
        (ex.sender, ex.sender_source),
        (Some(Sender::Pt), SenderSource::Code)
    );
    assert!(ex.to_lines(Lang::En)[0].starts_with("04 0C Request for Data"));
    // Both sides send 80 00: unknown unless the caller says.
    let ack = h("80 00 00");
    let ex = explain(&ack).unwrap();
    assert_eq!((ex.sender, ex.sender_source), (None, SenderSource::Unknown));
    assert!(text(&ack, None).contains("sender unknown"));
    assert!(text(&ack, Some(Sender::Ecr)).contains("(ECR → PT, as given by --from)"));
    let ex = explain_from(&ack, Some(Sender::Pt)).unwrap();
    assert_eq!(
        (ex.sender, ex.sender_source),
        (Some(Sender::Pt), SenderSource::Given)
    );
    // The two-byte form of the acknowledgement.
    let ex = explain(&h("84 00")).unwrap();
    assert_eq!(ex.name.unwrap().en, "Positive acknowledgement");
    assert!(explain(&h("07 07")).is_err());
    // A code ZVT does not define is unknown too; one that contradicts --from gets a note.
    assert_eq!(explain(&h("07 07 00")).unwrap().sender, None);
    let t = text(&h("05 01 00"), Some(Sender::Pt));
    assert!(t.contains("05 01 is normally sent by the ECR"), "{t}");
}

#[test]
fn invalid_input_is_explained_as_far_as_it_goes() {
    // CRC flipped: explained, valid false, no decode error.
    let ex = explain_from(&h("10 02 06 B0 00 10 03 43 F4"), None).unwrap();
    assert!(!ex.valid && ex.error.is_none());
    assert_eq!(ex.code.as_deref(), Some("06 B0"));
    // Cut short: the code and name are still there.
    let ex = explain_from(&h("06 0F 05 27"), None).unwrap();
    assert!(!ex.valid && ex.error.is_some());
    assert_eq!(ex.name.unwrap().en, "Completion");
    assert!(explain(&h("06 0F 05 27")).is_err());
    // A TLV container that does not parse in a message posdiag has no type for.
    let ex = explain_from(&h("08 13 05 06 03 FF 40 12"), None).unwrap();
    assert!(!ex.valid, "{:?}", ex.notes);
    let lines = ex.to_lines(Lang::En).join("\n");
    assert!(lines.contains("TLV FF40 value needs 18 bytes"), "{lines}");
}

#[test]
fn tlv_integers_and_the_feig_host_configuration() {
    let t = text(&h("04 0F 08 8A FF 06 04 41 02 00 2E"), None);
    assert!(t.contains("TLV 41 ZVT card-type ID: 46 — Maestro"), "{t}");
    let t = text(&h("04 0F 08 8A FF 06 04 41 02 00 05"), None);
    assert!(t.contains("TLV 41 ZVT card-type ID: 5 — girocard"), "{t}");
    let t = text(&h("0813140612e410ff4003123456ff4107d5b7136976c101"), None);
    assert!(t.contains("host 213.183.19.105 port 30401"), "{t}");
    assert!(
        t.contains("TLV FF40 password (Feig): [3 bytes masked]  [FF4003EEEEEE]"),
        "{t}"
    );
    for digits in ["1234", "2345", "3456"] {
        assert!(!t.contains(digits), "{t}");
    }
}

#[test]
fn log_summary_of_the_feig_system_information() {
    let apdu =
        super::apdu::Apdu::decode(b"\x06\x0f\x2517FD1E3CGER-APP-v2.0.9   5252353524.4").unwrap();
    assert_eq!(
        super::summary::summarize(&apdu, None),
        "06 0F Completion: Feig system information: device 17FD1E3C, SW GER-APP-v2.0.9, \
         TID 52523535, 24.4 °C"
    );
}
