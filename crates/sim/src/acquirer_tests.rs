//! Tests of the simulated acquirer.

use super::*;

fn msg(mti: &str, stan: &str) -> Message {
    Message::new(crate::proto::iso8583::Mti::new(mti).expect("mti"))
        .with(11, FieldValue::digits(stan))
        .with(41, FieldValue::text("29001006"))
        .with(42, FieldValue::text("898310048990001"))
}

fn ask(sim: &AcquirerSim, m: &Message) -> DecodedMessage {
    let frame = m.encode(sim.dialect()).expect("encode");
    let reply = sim.respond(&frame).expect("a response");
    decode(sim.dialect(), &reply).expect("decodable response")
}

fn sale(stan: &str) -> Message {
    msg("0200", stan)
        .with(3, FieldValue::digits("000000"))
        .with(4, FieldValue::digits("000000001000"))
        .with(60, FieldValue::digits("22000001"))
}

#[test]
fn ledger_behaves_like_a_host() {
    let sim = AcquirerSim::new(Vec::new());
    let on = ask(
        &sim,
        &msg("0800", "000001").with(60, FieldValue::digits("00000001004")),
    );
    assert_eq!(on.str(39), Some("00"));
    assert_eq!(on.field(62).map(|f| f.length), Some(60));
    assert_eq!(ask(&sim, &sale("000002")).str(39), Some("00"));
    assert_eq!(
        ask(&sim, &sale("000002")).str(39),
        Some("94"),
        "same STAN twice"
    );
    let void = msg("0200", "000003")
        .with(3, FieldValue::digits("200000"))
        .with(4, FieldValue::digits("000000001000"))
        .with(60, FieldValue::digits("23000001"))
        .with(61, FieldValue::digits("000001000002"));
    assert_eq!(ask(&sim, &void).str(39), Some("00"));
    assert_eq!(
        ask(&sim, &void.clone().with(11, FieldValue::digits("000004"))).str(39),
        Some("25")
    );
    let reversal = msg("0400", "000099")
        .with(3, FieldValue::digits("000000"))
        .with(60, FieldValue::digits("22000001"));
    assert_eq!(ask(&sim, &reversal).str(39), Some("25"), "never seen");
    assert_eq!(ask(&sim, &sale("000005")).str(39), Some("00"));
    let totals = format!("{:012}{:03}{:015}0{}0", 1000, 1, 0, "0".repeat(30));
    let settle = msg("0500", "000006")
        .with(48, FieldValue::digits(totals))
        .with(60, FieldValue::digits("00000001201"));
    let reply = ask(&sim, &settle);
    assert_eq!(
        reply.str(48).and_then(|s| s.get(30..31)),
        Some("1"),
        "balanced"
    );
    let balance = msg("0200", "000007")
        .with(3, FieldValue::digits("310000"))
        .with(60, FieldValue::digits("01000001"));
    assert_eq!(ask(&sim, &balance).str(54), Some(BALANCE));
}

#[test]
fn faults_shape_the_answers() {
    let sim = AcquirerSim::new(vec![
        Fault::HostResignOn,
        Fault::HostDecline { code: "51".into() },
    ]);
    let r = ask(&sim, &sale("000010"));
    assert_eq!(r.str(39), Some("51"));
    assert_eq!(
        r.processing_requirement(),
        Some(ProcessingRequirement::ReSignOn)
    );
    let silent = AcquirerSim::new(vec![Fault::HostTimeout]);
    let frame = sale("000011").encode(silent.dialect()).expect("encode");
    assert!(silent.respond(&frame).is_none());
}

proptest::proptest! {
    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
        let _ = AcquirerSim::new(Vec::new()).respond(&bytes);
    }

    #[test]
    fn mutated_frames_never_panic(at in 0usize..200, byte in proptest::prelude::any::<u8>()) {
        let sim = AcquirerSim::new(Vec::new());
        let mut frame = sale("000012").encode(sim.dialect()).expect("encode");
        let i = at % frame.len().max(1);
        if let Some(b) = frame.get_mut(i) {
            *b = byte;
        }
        let _ = sim.respond(&frame);
    }
}
