//! What the simulated terminal answers to administrative commands, and that posdiag's own
//! decoder reads it.

use super::*;
use crate::proto::zvt::values::Password;
use posdiag_core::cause;

fn refusal_bytes(reply: Reply) -> Vec<u8> {
    match reply {
        Reply::Refuse(m) => m.encode().expect("encodes"),
        Reply::Run(seq) => panic!("not refused: {seq:?}"),
    }
}

#[tokio::test]
async fn a_command_the_terminal_does_not_offer_is_84_83_00() {
    let sim = TerminalSim::new(Vec::new());
    for code in [[0x06, 0x03], [0x06, 0x31], [0x08, 0x11], [0x0F, 0x10]] {
        let apdu = Apdu::new(code[0], code[1], Vec::new());
        let reply = answer(&sim, &EcrMessage::Other(apdu)).await;
        assert_eq!(refusal_bytes(reply), [0x84, 0x83, 0x00], "{code:02X?}");
    }
}

#[tokio::test]
async fn status_enquiry_without_version_keeps_the_field_empty() {
    let sim = TerminalSim::new(Vec::new());
    let q = StatusEnquiry {
        password: Some(Password([0x12, 0x34, 0x56])),
        service_byte: Some(0x02),
        tlv: None,
    };
    let Reply::Run(seq) = answer(&sim, &EcrMessage::StatusEnquiry(q)).await else {
        panic!("refused");
    };
    let bytes = seq[0].encode().expect("encodes");
    assert_eq!(bytes, [0x06, 0x0F, 0x04, 0xF0, 0xF0, 0xF0, 0x00]);
}

/// posdiag's own decoder reads what the simulated terminal says, without context.
#[tokio::test]
async fn posdiag_reads_the_refusal_and_the_empty_version() {
    use crate::proto::zvt::{decode_pt_message, summarize};
    let sim = TerminalSim::new(Vec::new());
    let eur = Registration {
        password: Password([0, 0, 0]),
        config_byte: 0xDE,
        currency: Some(978),
        ..Registration::default()
    };
    let bytes = refusal_bytes(answer(&sim, &EcrMessage::Registration(eur)).await);
    assert_eq!(bytes, [0x84, 0x1E, 0x03, 0x6F, 0x01, 0x56]);
    let apdu = Apdu::decode(&bytes).expect("apdu");
    let line = summarize(&apdu, None);
    assert!(line.contains("6F") && line.contains("CNY"), "{line}");

    let empty = Apdu::decode(&[0x06, 0x0F, 0x04, 0xF0, 0xF0, 0xF0, 0xC2]).expect("apdu");
    match decode_pt_message(&empty, None) {
        Ok(PtMessage::StatusEnquiryCompletion(c)) => {
            assert_eq!(c.sw_version.as_deref(), Some(""));
            assert_eq!(c.terminal_status.to_byte(), 0xC2);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn set_terminal_id_waits_for_an_empty_batch() {
    let sim = TerminalSim::new(Vec::new());
    sim.desk().journal(|j| {
        j.add(crate::journal::Entry {
            receipt_no: 1,
            trace: 1,
            amount_minor: 100,
            card_masked: "620000******0005".into(),
            rrn: String::new(),
            auth_code: String::new(),
            time: SystemTime::UNIX_EPOCH,
            voids: None,
            voided: false,
        })
    });
    let set = Apdu::new(
        0x06,
        0x1B,
        vec![0x12, 0x34, 0x56, 0x29, 0x29, 0x00, 0x10, 0x07],
    );
    let Reply::Run(seq) = answer(&sim, &EcrMessage::Other(set.clone())).await else {
        panic!("refused");
    };
    assert!(matches!(&seq[..], [PtMessage::Abort(a)] if a.result_code == 0xF0));
    sim.desk().journal(crate::journal::Journal::close_batch);
    answer(&sim, &EcrMessage::Other(set)).await;
    assert_eq!(sim.tid(), "29001007");
}

#[tokio::test]
async fn set_date_time_puts_a_wrong_clock_right() {
    let faults = crate::parse_faults(&["clock.wrong=3h".to_owned()]).expect("fault");
    let sim = TerminalSim::new(faults);
    let off = |sim: &TerminalSim| {
        let c = sim.clock();
        let shown = local_time(c.date, c.time).expect("valid clock");
        match shown.duration_since(SystemTime::now()) {
            Ok(d) => d,
            Err(e) => e.duration(),
        }
    };
    assert!(off(&sim) > std::time::Duration::from_secs(3 * 3600 - 60));
    let now = {
        let sim_now = TerminalSim::new(Vec::new());
        sim_now.clock()
    };
    let set = SetDateTimeInPt {
        password: Password([0, 0, 0]),
        date: now.date,
        time: now.time,
    };
    answer(&sim, &EcrMessage::SetDateTimeInPt(set)).await;
    assert!(!sim.has(cause!("clock.wrong")));
    assert!(
        off(&sim) < std::time::Duration::from_secs(60),
        "{:?}",
        off(&sim)
    );
}
