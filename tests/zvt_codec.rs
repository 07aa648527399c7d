//! ZVT codec: every vector of docs/protocols/zvt.md §11, round trips of every message type,
//! redaction of card data, and "never panics" on arbitrary input.

use posdiag::i18n::Lang;
use posdiag::proto::zvt::apdu::{Apdu, ApduAssembler};
use posdiag::proto::zvt::bmp::{parse_bmps, Bmp};
use posdiag::proto::zvt::codes::TerminalStatus;
use posdiag::proto::zvt::crc::{crc16_kermit, frame_crc};
use posdiag::proto::zvt::device::{DeviceState, LockBit, TerminalDiagnostics, TerminalLocks};
use posdiag::proto::zvt::explain::{explain, Transport};
use posdiag::proto::zvt::fingerprint::fingerprint;
use posdiag::proto::zvt::frame::{
    decode_serial_frame, encode_serial_frame, inspect_serial_frame, SerialDeframer, SerialEvent,
};
use posdiag::proto::zvt::message::*;
use posdiag::proto::zvt::redact::{redact_apdu, redact_serial_frame};
use posdiag::proto::zvt::summary::summarize;
use posdiag::proto::zvt::tlv::{encode_tlv_list, parse_tlv_list, Tlv};
use posdiag::proto::zvt::values::{Password, ZvtDate, ZvtTime};
use proptest::prelude::*;

fn h(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(clean).expect("test hex")
}

/// Hex, then ASCII text, then hex… in one vector.
fn parts(p: &[&[u8]]) -> Vec<u8> {
    p.concat()
}

fn pt(apdu_bytes: &[u8], ctx: Option<CommandCode>) -> PtMessage {
    decode_pt_message(&Apdu::decode(apdu_bytes).unwrap(), ctx).unwrap()
}

fn ecr(apdu_bytes: &[u8]) -> EcrMessage {
    decode_ecr_message(&Apdu::decode(apdu_bytes).unwrap()).unwrap()
}

fn pw(d: &str) -> Password {
    Password::from_digits(d).unwrap()
}

// ---------------------------------------------------------------- §11.1 serial frames

#[test]
fn crc_check_value() {
    assert_eq!(crc16_kermit(b"123456789"), 0x2189);
}

/// (frame, APDU) of §11.1; each CRC must reproduce and each frame must re-encode byte for byte.
const SERIAL_VECTORS: &[(&str, &str)] = &[
    ("10 02 06 0F 0B F0 F0 F7 32 2E 31 34 2E 31 35 00 10 03 B1 11", "06 0F 0B F0 F0 F7 32 2E 31 34 2E 31 35 00"),
    (
        "10 02 06 D1 17 40 2A 20 2A 20 20 48 84 6E 64 6C 65 72 62 65 6C 65 67 20 20 2A 20 2A 10 03 1C 81",
        "06 D1 17 40 2A 20 2A 20 20 48 84 6E 64 6C 65 72 62 65 6C 65 67 20 20 2A 20 2A",
    ),
    ("10 02 80 00 00 10 03 F5 1F", "80 00 00"),
    (
        "10 02 06 00 10 10 00 00 00 BE 09 78 03 01 06 06 26 04 0A 02 06 D3 10 03 D7 DE",
        "06 00 10 00 00 00 BE 09 78 03 01 06 06 26 04 0A 02 06 D3",
    ),
    ("10 02 05 01 00 10 03 10 06", "05 01 00"),
    ("10 02 06 00 06 12 34 56 DE 09 78 10 03 2C 28", "06 00 06 12 34 56 DE 09 78"),
    ("10 02 06 B0 00 10 03 43 F3", "06 B0 00"),
    ("10 02 06 50 03 12 34 56 10 03 C4 AF", "06 50 03 12 34 56"),
];

#[test]
fn serial_vectors_crc_and_framing() {
    for (frame, apdu) in SERIAL_VECTORS {
        let (frame, apdu) = (h(frame), h(apdu));
        let parts = inspect_serial_frame(&frame).unwrap();
        assert!(parts.crc_ok(), "CRC of {frame:02X?}");
        let tail = &frame[frame.len() - 2..];
        assert_eq!(frame_crc(&apdu).to_le_bytes(), tail);
        assert_eq!(decode_serial_frame(&frame).unwrap(), apdu);
        assert_eq!(encode_serial_frame(&apdu), frame);
        // Byte by byte through the incremental deframer.
        let mut d = SerialDeframer::new();
        let events: Vec<_> = frame.iter().flat_map(|b| d.push(&[*b])).collect();
        assert_eq!(
            events,
            vec![SerialEvent::Frame {
                apdu: apdu.clone(),
                raw: frame.clone()
            }]
        );
    }
}

#[test]
fn print_line_trace_with_both_acks() {
    // PT frame → ECR 06; ECR 80 00 00 → PT 06, as one stream seen from the ECR side.
    let mut stream = h(SERIAL_VECTORS[1].0);
    stream.push(0x06);
    let mut d = SerialDeframer::new();
    let events = d.push(&stream);
    let SerialEvent::Frame { apdu, .. } = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(events[1], SerialEvent::Ack);
    match pt(apdu, None) {
        PtMessage::PrintLine(p) => {
            assert_eq!(p.attribute, 0x40);
            assert_eq!(p.text, "* *  Händlerbeleg  * *");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        encode_serial_frame(&EcrMessage::Ack.encode().unwrap()),
        h("10 02 80 00 00 10 03 F5 1F")
    );
}

#[test]
fn serial_registration_with_doubled_length_byte() {
    let apdu = decode_serial_frame(&h(SERIAL_VECTORS[3].0)).unwrap();
    let EcrMessage::Registration(r) = ecr(&apdu) else {
        panic!()
    };
    assert_eq!(r.password, pw("000000"));
    assert_eq!(r.config_byte, 0xBE);
    assert_eq!(r.currency, Some(978));
    assert_eq!(r.service_byte, Some(0x01));
    let tlv = r.tlv.unwrap();
    assert_eq!(tlv[0].tag, 0x26);
    assert_eq!(tlv[0].children, vec![Tlv::new(0x0A, vec![0x06, 0xD3])]);
}

#[test]
fn serial_status_enquiry_completion() {
    let apdu = decode_serial_frame(&h(SERIAL_VECTORS[0].0)).unwrap();
    let expected = StatusEnquiryCompletion {
        sw_version: Some("2.14.15".into()),
        terminal_status: TerminalStatus::Ready,
        tlv: None,
    };
    assert_eq!(
        pt(&apdu, Some(CommandCode::StatusEnquiry)),
        PtMessage::StatusEnquiryCompletion(expected.clone())
    );
    // Without context the generic parse fails and the Status-Enquiry layout is used.
    assert_eq!(
        pt(&apdu, None),
        PtMessage::StatusEnquiryCompletion(expected)
    );
}

#[test]
fn serial_short_commands() {
    assert_eq!(
        ecr(&h("05 01 00")),
        EcrMessage::StatusEnquiry(StatusEnquiry::default())
    );
    assert_eq!(
        ecr(&h("06 B0 00")),
        EcrMessage::Abort(AbortCommand::default())
    );
    assert_eq!(
        ecr(&h("06 50 03 12 34 56")),
        EcrMessage::EndOfDay(EndOfDay {
            password: pw("123456"),
            tlv: None
        })
    );
}

// ---------------------------------------------------------------- §11.2 APDUs

#[test]
fn registration_and_its_completion() {
    let reg = Registration {
        password: pw("123456"),
        config_byte: 0xDE,
        currency: Some(978),
        service_byte: None,
        tlv: None,
    };
    assert_eq!(
        EcrMessage::Registration(reg.clone()).encode().unwrap(),
        h("06 00 06 12 34 56 DE 09 78")
    );
    assert_eq!(
        ecr(&h("06 00 06 12 34 56 DE 09 78")),
        EcrMessage::Registration(reg)
    );
    let done = h("06 0F 0A 19 10 29 52 52 35 35 49 09 78");
    let PtMessage::Completion(c) = pt(&done, Some(CommandCode::Registration)) else {
        panic!()
    };
    assert_eq!(c.status_byte, Some(0x10));
    assert_eq!(c.tid.as_deref(), Some("52523535"));
    assert_eq!(c.currency, Some(978));
    assert_eq!(PtMessage::Completion(c).encode().unwrap(), done);
}

#[test]
fn intermediate_status_please_wait() {
    let PtMessage::IntermediateStatus(i) = pt(&h("04 FF 01 17"), None) else {
        panic!()
    };
    assert_eq!(i.code, 0x17);
    assert_eq!(i.info().text.en, "please wait");
    assert_eq!(i.timeout_min, None);
}

fn status_information_vector() -> Vec<u8> {
    parts(&[
        &h("04 0F 5A 27 00 04 00 00 00 00 25 00 49 09 78 0C 22 55 58 0D 04 05"),
        &h("22 F0 F8 55 98 83 EE EE EE 80 74 87 02 31 3B"),
        b"00429163",
        &h("0B 00 09 75 19 60 29 52 52 35 35 0E 24 05 8A 06 8C 01 8B F1 F1"),
        b"MasterCard\0",
        b"\x2A804011926      ",
    ])
}

#[test]
fn status_information_mastercard() {
    let bytes = status_information_vector();
    assert_eq!(bytes.len(), 3 + 0x5A);
    let PtMessage::StatusInformation(s) = pt(&bytes, Some(CommandCode::Authorisation)) else {
        panic!()
    };
    assert_eq!(s.result_code, Some(0));
    assert_eq!(s.amount_minor, Some(2500));
    assert_eq!(s.amount_text().as_deref(), Some("25.00 EUR"));
    assert_eq!(
        s.time,
        Some(ZvtTime {
            hour: 22,
            minute: 55,
            second: 58
        })
    );
    assert_eq!(
        s.date,
        Some(ZvtDate {
            year: None,
            month: 4,
            day: 5
        })
    );
    assert_eq!(s.pan_masked.as_deref(), Some("559883******8074"));
    assert_eq!(s.receipt_no.as_deref(), Some("0231"));
    assert_eq!(s.aid.as_deref(), Some("00429163"));
    assert_eq!(s.trace.as_deref(), Some("000975"));
    assert_eq!(s.payment_type, Some(0x60));
    assert_eq!(s.tid.as_deref(), Some("52523535"));
    assert_eq!(s.expiry_text().as_deref(), Some("05/24"));
    assert_eq!(s.card_type, Some(6));
    assert_eq!(s.network_card_type, Some(1));
    assert_eq!(s.card_name.as_deref(), Some("MasterCard"));
    assert_eq!(s.vu_number.as_deref(), Some("804011926"));
    assert!(s.other_bmps.is_empty());
    assert!(s.result().is_success());
    // Re-encoding reproduces the terminal's bytes (same order, masked PAN as sent).
    assert_eq!(PtMessage::StatusInformation(s).encode().unwrap(), bytes);
}

#[test]
fn abort_with_receipt_number_and_vendor_text() {
    let PtMessage::Abort(a) = pt(&h("06 1E 04 B8 87 FF FF"), None) else {
        panic!()
    };
    assert_eq!(a.result_code, 0xB8);
    assert_eq!(a.receipt_no.as_deref(), Some("FFFF"));
    assert_eq!(
        PtMessage::Abort(a).encode().unwrap(),
        h("06 1E 04 B8 87 FF FF")
    );

    let bytes = parts(&[
        &h("06 1E 2E 6C 06 2B 1F 16 05 FF 00 00 14 41 1F 17 20"),
        b"Abbruch durch externes Kommando!",
    ]);
    let PtMessage::Abort(a) = pt(&bytes, None) else {
        panic!()
    };
    assert_eq!(a.result().text.en, "abort via timeout or abort key");
    assert_eq!(
        a.vendor_error(),
        (
            Some("FF00001441".into()),
            Some("Abbruch durch externes Kommando!".into())
        )
    );
}

fn sw40() -> &'static [u8] {
    b"GER-APP-v2.0.9;cS02.01.01-10.10-2-2;CC26"
}

fn status_enquiry_tlv_vector() -> Vec<u8> {
    parts(&[
        &h("06 0F 89 F0 F4 F0"),
        sw40(),
        &h("00 06 5B 1F 44 04 52 52 35 35 E4 43 1F 40 0A"),
        b"cVEND plug",
        &h("1F 41 28"),
        sw40(),
        &h("1F 42 04 12 34 56 78 1F 43 01 00 34 0D 1F 0E 04 20 23 04 05 1F 0F 03 22 56 55"),
    ])
}

#[test]
fn status_enquiry_completion_with_device_info() {
    let bytes = status_enquiry_tlv_vector();
    assert_eq!(bytes.len(), 3 + 0x89);
    let PtMessage::StatusEnquiryCompletion(s) = pt(&bytes, Some(CommandCode::StatusEnquiry)) else {
        panic!()
    };
    assert_eq!(
        s.sw_version.as_deref(),
        Some("GER-APP-v2.0.9;cS02.01.01-10.10-2-2;CC26")
    );
    assert_eq!(s.terminal_status, TerminalStatus::Ready);
    let d = s.diagnostics();
    assert_eq!(d.tid.as_deref(), Some("52523535"));
    assert_eq!(d.device_name.as_deref(), Some("cVEND plug"));
    assert_eq!(d.serial_number.as_deref(), Some("12345678"));
    assert_eq!(d.device_state, Some(DeviceState::Ready));
    assert_eq!(d.date_time.unwrap().to_string(), "2023-04-05 22:56:55");
    assert_eq!(
        PtMessage::StatusEnquiryCompletion(s).encode().unwrap(),
        bytes
    );
    // Without context, too.
    assert!(matches!(
        pt(&bytes, None),
        PtMessage::StatusEnquiryCompletion(_)
    ));
}

fn print_text_block_vector() -> Vec<u8> {
    let mut lines = Vec::new();
    for i in 0..34 {
        let text = format!("{:<30}", format!("Zeile {i:02} Kundenbeleg"));
        lines.push(Tlv::new(0x07, text.into_bytes()));
    }
    lines.push(Tlv::new(0x07, b"*** Danke ***   ".to_vec()));
    lines.push(Tlv::new(0x09, vec![0x81]));
    let block = vec![
        Tlv::new(0x1F07, vec![0x02]),
        Tlv::constructed(0x25, lines).unwrap(),
    ];
    let bytes = PtMessage::PrintTextBlock(PrintTextBlock { tlv: block })
        .encode()
        .unwrap();
    assert_eq!(
        &bytes[..18],
        &h("06 D3 FF 61 04 06 82 04 5D 1F 07 01 02 25 82 04 55 07")[..]
    );
    bytes
}

#[test]
fn print_text_block_extended_length() {
    let bytes = print_text_block_vector();
    let mut asm = ApduAssembler::new();
    asm.push(&bytes[..1024]);
    assert_eq!(asm.pop().unwrap(), None);
    asm.push(&bytes[1024..]);
    let apdu = asm.pop().unwrap().unwrap();
    let PtMessage::PrintTextBlock(p) = decode_pt_message(&apdu, None).unwrap() else {
        panic!()
    };
    assert_eq!(p.receipt_type(), Some(2));
    assert_eq!(p.lines().len(), 35);
    assert_eq!(p.lines()[34], "*** Danke ***   ");
}

#[test]
fn diagnosis_status_enquiry_and_payment_commands() {
    let diag = EcrMessage::Diagnosis(Diagnosis {
        kind: DiagnosisKind::Line,
    });
    assert_eq!(diag.encode().unwrap(), h("06 70 05 06 03 1B 01 01"));
    assert_eq!(ecr(&h("06 70 05 06 03 1B 01 01")), diag);
    assert_eq!(
        ecr(&h("06 70 00")),
        EcrMessage::Diagnosis(Diagnosis {
            kind: DiagnosisKind::Extended
        })
    );

    let se = EcrMessage::StatusEnquiry(StatusEnquiry {
        password: Some(pw("123456")),
        service_byte: Some(0),
        tlv: None,
    });
    assert_eq!(se.encode().unwrap(), h("05 01 05 12 34 56 03 00"));
    assert_eq!(ecr(&h("05 01 05 12 34 56 03 00")), se);

    let pay = EcrMessage::Authorisation(Authorisation {
        amount_minor: Some(123),
        currency: Some(978),
        payment_type: Some(0x00),
        ..Default::default()
    });
    assert_eq!(
        pay.encode().unwrap(),
        h("06 01 0C 04 00 00 00 00 01 23 49 09 78 19 00")
    );
    assert_eq!(ecr(&h("06 01 0C 04 00 00 00 00 01 23 49 09 78 19 00")), pay);
}

fn full_registration_vector() -> Vec<u8> {
    let mut v = h("06 00 63 00 00 00 FE 09 78 03 00 06 59 10 02 16 02 12 01 40 1A 02 10 00 26 28");
    for cmd in [
        "040F", "060F", "061E", "04FF", "06D1", "06D3", "0401", "040E", "06E0", "06E1",
    ] {
        v.extend(h(&format!("0A02{cmd}")));
    }
    v.extend(h("14 01 FF 27 03 14 01 FF 40 1A"));
    v.extend([0x5A; 26]);
    v
}

#[test]
fn registration_with_full_tlv() {
    let bytes = full_registration_vector();
    assert_eq!(bytes.len(), 3 + 0x63);
    let EcrMessage::Registration(r) = ecr(&bytes) else {
        panic!()
    };
    assert_eq!(r.config_byte, 0xFE);
    assert_eq!(r.service_byte, Some(0));
    let tlv = r.tlv.as_ref().unwrap();
    let max_apdu = tlv.iter().find(|t| t.tag == 0x1A).unwrap();
    assert_eq!(max_apdu.value, [0x10, 0x00]);
    let permitted = tlv.iter().find(|t| t.tag == 0x26).unwrap();
    assert_eq!(permitted.children.len(), 10);
    assert_eq!(permitted.children[0].value, [0x04, 0x0F]);
    assert_eq!(EcrMessage::Registration(r).encode().unwrap(), bytes);
}

#[test]
fn completion_echoing_charset() {
    let bytes = h("06 0F 11 19 00 29 52 00 12 33 49 09 78 06 05 27 03 14 01 FF");
    let PtMessage::Completion(c) = pt(&bytes, Some(CommandCode::Registration)) else {
        panic!()
    };
    assert_eq!(c.tid.as_deref(), Some("52001233"));
    let tlv = c.tlv.as_ref().unwrap();
    assert_eq!(tlv[0].tag, 0x27);
    assert_eq!(tlv[0].children, vec![Tlv::new(0x14, vec![0xFF])]);
    assert_eq!(PtMessage::Completion(c).encode().unwrap(), bytes);
}

#[test]
fn status_information_aborted_by_customer_and_system_error_text() {
    let bytes = parts(&[
        &h("04 0F 1E 27 6C 29 29 00 10 06 3C F0 F1 F9"),
        b"Abbruch durch Kunde",
    ]);
    let PtMessage::StatusInformation(s) = pt(&bytes, None) else {
        panic!()
    };
    assert_eq!(s.result_code, Some(0x6C));
    assert_eq!(s.tid.as_deref(), Some("29001006"));
    assert_eq!(s.additional_text.as_deref(), Some("Abbruch durch Kunde"));

    let bytes = parts(&[&h("04 0F 13 27 FF 3C F0 F1 F3"), b"Betrag falsch"]);
    let PtMessage::StatusInformation(s) = pt(&bytes, None) else {
        panic!()
    };
    assert_eq!(
        s.result().text.en,
        "system error: read TLV 1F16 (code) / 1F17 (text)"
    );
    assert_eq!(s.additional_text.as_deref(), Some("Betrag falsch"));
}

#[test]
fn intermediate_status_with_display_text() {
    let bytes = parts(&[
        &h("04 FF 2E 0A 01 06 2A 24 28 07 26"),
        b"Karte vorhalten\neinstecken/durchziehen",
    ]);
    let PtMessage::IntermediateStatus(i) = pt(&bytes, Some(CommandCode::Authorisation)) else {
        panic!()
    };
    assert_eq!(i.code, 0x0A);
    assert_eq!(i.info().text.en, "insert card");
    assert_eq!(i.timeout_min, Some(1));
    assert_eq!(
        i.display_lines(),
        vec!["Karte vorhalten\neinstecken/durchziehen".to_string()]
    );
    assert_eq!(PtMessage::IntermediateStatus(i).encode().unwrap(), bytes);
}

#[test]
fn acknowledgements() {
    for ok in ["80 00 00", "84 00 00", "84 00"] {
        assert_eq!(pt(&h(ok), None), PtMessage::Ack, "{ok}");
    }
    assert_eq!(
        pt(&h("84 6B 00"), None),
        PtMessage::NegativeAck {
            result_code: 0x6B,
            data: vec![]
        }
    );
    assert_eq!(
        pt(&h("84 9D 07 04 00 00 00 00 10 00"), None),
        PtMessage::NegativeAck {
            result_code: 0x9D,
            data: h("04 00 00 00 00 10 00")
        }
    );
    assert_eq!(
        ecr(&h("84 CC 00")),
        EcrMessage::NegativeAck { result_code: 0xCC }
    );
}

// ---------------------------------------------------------------- round trips

fn diagnostics_tlv() -> Vec<Tlv> {
    TerminalDiagnostics {
        tid: Some("52523535".into()),
        device_name: Some("Simulated PT".into()),
        sw_version: Some("posdiag-sim 1.0".into()),
        serial_number: Some("00012345".into()),
        device_state: Some(DeviceState::NoKeysLoaded),
        key_generation: Some("03".into()),
        locks: Some(TerminalLocks::from_bits(&[
            LockBit::Printer,
            LockBit::LowBattery,
        ])),
        date_time: Some(posdiag::proto::zvt::values::ZvtDateTime {
            date: ZvtDate {
                year: Some(2024),
                month: 2,
                day: 29,
            },
            time: ZvtTime {
                hour: 23,
                minute: 59,
                second: 1,
            },
        }),
        reboot_time: None,
    }
    .to_tlv()
    .unwrap()
}

fn every_ecr_message() -> Vec<EcrMessage> {
    let tlv = Some(vec![Tlv::new(0x1F1F, vec![])]);
    vec![
        EcrMessage::StatusEnquiry(StatusEnquiry::default()),
        EcrMessage::StatusEnquiry(StatusEnquiry {
            password: Some(pw("000000")),
            service_byte: Some(0x04),
            tlv: None,
        }),
        EcrMessage::StatusEnquiry(StatusEnquiry {
            password: Some(pw("123456")),
            service_byte: None,
            tlv: tlv.clone(),
        }),
        EcrMessage::Registration(Registration {
            password: pw("000000"),
            config_byte: 0x86,
            ..Default::default()
        }),
        EcrMessage::Registration(Registration {
            password: pw("123456"),
            config_byte: 0xBE,
            currency: Some(978),
            service_byte: Some(1),
            tlv: Some(vec![Tlv::constructed(
                0x26,
                vec![Tlv::new(0x0A, vec![0x06, 0xD3])],
            )
            .unwrap()]),
        }),
        EcrMessage::Diagnosis(Diagnosis {
            kind: DiagnosisKind::Extended,
        }),
        EcrMessage::Diagnosis(Diagnosis {
            kind: DiagnosisKind::Ep2Configuration,
        }),
        EcrMessage::ReadCard(ReadCard::default()),
        EcrMessage::ReadCard(ReadCard {
            timeout_s: Some(30),
            card_type: Some(0x10),
            dialog_control: Some(1),
            tlv: tlv.clone(),
        }),
        EcrMessage::PrintSystemConfiguration,
        EcrMessage::Abort(AbortCommand::default()),
        EcrMessage::Abort(AbortCommand {
            card_output_direction: Some(1),
            card_reader_activation: Some(0xFF),
        }),
        EcrMessage::LogOff,
        EcrMessage::Authorisation(Authorisation {
            amount_minor: Some(999_999_999_999),
            currency: Some(756),
            payment_type: Some(0x40),
            timeout_s: Some(60),
            max_status_infos: Some(5),
            card_type: Some(6),
            tlv: tlv.clone(),
            other_bmps: vec![Bmp::new(0x05, vec![3])],
        }),
        EcrMessage::EndOfDay(EndOfDay {
            password: pw("123456"),
            tlv: None,
        }),
        EcrMessage::EndOfDay(EndOfDay {
            password: pw("123456"),
            tlv: tlv.clone(),
        }),
        EcrMessage::RepeatReceipt(RepeatReceipt {
            password: pw("000000"),
            service_byte: Some(3),
            tlv: None,
        }),
        EcrMessage::Reversal(Reversal {
            password: pw("123456"),
            receipt_no: Some(231),
            tlv: None,
            other_bmps: vec![],
        }),
        EcrMessage::Reversal(Reversal {
            password: pw("123456"),
            receipt_no: Some(9999),
            tlv: tlv.clone(),
            other_bmps: vec![Bmp::new(0x04, vec![0, 0, 0, 0, 0x25, 0])],
        }),
        EcrMessage::Selftest,
        EcrMessage::Initialisation {
            password: pw("000000"),
        },
        EcrMessage::SendTurnoverTotals {
            password: pw("000000"),
        },
        EcrMessage::SetDateTimeInPt(SetDateTimeInPt {
            password: pw("000000"),
            date: ZvtDate {
                year: Some(2025),
                month: 12,
                day: 31,
            },
            time: ZvtTime {
                hour: 8,
                minute: 5,
                second: 0,
            },
        }),
        EcrMessage::Ack,
        EcrMessage::NegativeAck { result_code: 0xCC },
        EcrMessage::Other(Apdu::new(0x08, 0x11, h("06 05 2D 03 1D 01 03"))),
    ]
}

fn every_pt_message() -> Vec<PtMessage> {
    let tlv = Some(vec![
        Tlv::new(0x1F16, vec![1, 2]),
        Tlv::new(0x1F17, b"Fehler".to_vec()),
    ]);
    vec![
        PtMessage::Ack,
        PtMessage::NegativeAck {
            result_code: 0x83,
            data: vec![],
        },
        PtMessage::Completion(Completion::default()),
        PtMessage::Completion(Completion {
            result_code: Some(0),
            time: Some(ZvtTime {
                hour: 12,
                minute: 0,
                second: 59,
            }),
            date: Some(ZvtDate {
                year: Some(2024),
                month: 1,
                day: 2,
            }),
            status_byte: Some(0x02),
            tid: Some("29001006".into()),
            currency: Some(978),
            tlv: tlv.clone(),
            other_bmps: vec![Bmp::new(0x87, vec![0x00, 0x12])],
        }),
        PtMessage::StatusEnquiryCompletion(StatusEnquiryCompletion {
            sw_version: None,
            terminal_status: TerminalStatus::ReconciliationRequired,
            tlv: None,
        }),
        PtMessage::StatusEnquiryCompletion(StatusEnquiryCompletion {
            sw_version: Some("1.0".into()),
            terminal_status: TerminalStatus::CardReaderNotAnswering,
            tlv: Some(diagnostics_tlv()),
        }),
        PtMessage::StatusEnquiryCompletion(StatusEnquiryCompletion {
            sw_version: None,
            terminal_status: TerminalStatus::Other(0x77),
            tlv: Some(vec![]),
        }),
        PtMessage::Abort(Abort {
            result_code: 0x6C,
            ..Default::default()
        }),
        PtMessage::Abort(Abort {
            result_code: 0x6F,
            currency: Some(978),
            receipt_no: Some("0042".into()),
            tlv: tlv.clone(),
            other_bmps: vec![],
        }),
        PtMessage::StatusInformation(Box::new(StatusInformation {
            result_code: Some(0x05),
            amount_minor: Some(1),
            currency: Some(978),
            pan_masked: Some("622588*****4567".into()),
            card_name: Some("girocard".into()),
            vu_number: Some("123".into()),
            additional_text: Some("Händler".into()),
            result_code_as: Some(0x05),
            original_trace: Some("000001".into()),
            turnover_no: Some("000002".into()),
            card_sequence_no: Some("0001".into()),
            tlv: tlv.clone(),
            other_bmps: vec![Bmp::new(0x9A, vec![1, 2, 3])],
            ..Default::default()
        })),
        PtMessage::IntermediateStatus(IntermediateStatus {
            code: 0x0E,
            timeout_min: None,
            tlv: None,
        }),
        PtMessage::IntermediateStatus(IntermediateStatus {
            code: 0x0A,
            timeout_min: Some(99),
            tlv: None,
        }),
        PtMessage::PrintLine(PrintLine {
            attribute: 0x40,
            text: "Kundenbeleg Größe".into(),
        }),
        PtMessage::PrintLine(PrintLine {
            attribute: 0xFF,
            text: "\u{1}".into(),
        }),
        PtMessage::PrintTextBlock(PrintTextBlock {
            tlv: vec![Tlv::new(0x14, vec![0xFF])],
        }),
        PtMessage::SetDateTimeInEcr(SetDateTimeInEcr {
            date: ZvtDate {
                year: Some(2023),
                month: 4,
                day: 5,
            },
            time: ZvtTime {
                hour: 22,
                minute: 56,
                second: 55,
            },
        }),
        PtMessage::Other(Apdu::new(0x04, 0x0E, vec![1, 2, 3])),
    ]
}

fn context_for(m: &PtMessage) -> Option<CommandCode> {
    match m {
        PtMessage::StatusEnquiryCompletion(_) => Some(CommandCode::StatusEnquiry),
        _ => None,
    }
}

#[test]
fn every_ecr_message_round_trips() {
    for m in every_ecr_message() {
        let bytes = m.encode().unwrap();
        let apdu = Apdu::decode(&bytes).unwrap();
        assert_eq!(decode_ecr_message(&apdu).unwrap(), m, "{bytes:02X?}");
        let framed = encode_serial_frame(&bytes);
        assert_eq!(decode_serial_frame(&framed).unwrap(), bytes);
        assert!(!summarize(&apdu, None).is_empty());
        explain(&framed).unwrap();
    }
}

#[test]
fn every_pt_message_round_trips() {
    for m in every_pt_message() {
        let bytes = m.encode().unwrap();
        let apdu = Apdu::decode(&bytes).unwrap();
        assert_eq!(
            decode_pt_message(&apdu, context_for(&m)).unwrap(),
            m,
            "{bytes:02X?}"
        );
        assert!(!summarize(&apdu, context_for(&m)).is_empty());
        explain(&bytes).unwrap();
    }
}

#[test]
fn encoding_refuses_what_does_not_fit() {
    let se = EcrMessage::StatusEnquiry(StatusEnquiry {
        password: None,
        service_byte: Some(4),
        tlv: None,
    });
    assert!(se.encode().is_err());
    let rc = EcrMessage::ReadCard(ReadCard {
        card_type: Some(1),
        ..Default::default()
    });
    assert!(rc.encode().is_err());
    let rev = EcrMessage::Reversal(Reversal {
        receipt_no: Some(10_000),
        ..Default::default()
    });
    assert!(rev.encode().is_err());
    assert!(Password::from_digits("12345").is_err());
}

// ---------------------------------------------------------------- redaction

const TEST_PAN: &str = "5598831234568074";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn status_information_with_full_pan_is_masked() {
    let si = PtMessage::StatusInformation(Box::new(StatusInformation {
        result_code: Some(0),
        amount_minor: Some(2500),
        currency: Some(978),
        other_bmps: vec![],
        ..Default::default()
    }));
    // The typed API never holds a full PAN, so add it as a raw BMP, as a careless PT would.
    let mut bytes = si.encode().unwrap();
    bytes.extend(h(&format!("22 F0 F8 {TEST_PAN}")));
    bytes[2] += 11;
    let red = redact_apdu(&bytes);
    assert_eq!(red.len(), bytes.len());
    assert!(!contains(&red, &h("12 34 56")), "{red:02X?}");
    assert!(contains(&red, &h("55 98 83 EE EE EE 80 74")));
    // Still decodes, with the PAN masked.
    let PtMessage::StatusInformation(s) = pt(&red, None) else {
        panic!()
    };
    assert_eq!(s.pan_masked.as_deref(), Some("559883******8074"));
    // Summary and explanation of the clear bytes show no middle digits either.
    let line = summarize(&Apdu::decode(&bytes).unwrap(), None);
    assert!(
        !line.contains("123456") && line.contains("559883******8074"),
        "{line}"
    );
    let text = explain(&bytes).unwrap().to_lines(Lang::En).join("\n");
    assert!(!text.contains("123456"), "{text}");
    // The same on the serial line: re-framed with a correct CRC.
    let framed = redact_serial_frame(&encode_serial_frame(&bytes));
    assert_eq!(decode_serial_frame(&framed).unwrap(), red);
}

#[test]
fn read_card_reply_track_data_is_gone() {
    // Track 2 "5598831234568074D25121010000000000" as BCD with D separator, LLVAR.
    let track2 = h("55 98 83 12 34 56 80 74 D2 51 21 01 00 00 00 00 00");
    let mut data = h("27 00");
    data.extend(h(&format!("23 F1 F7 {}", hex::encode(&track2))));
    data.extend(h("2D F0 F8"));
    data.extend(b"B5598831");
    data.extend(h("06 0C 57 0A 55 98 83 12 34 56 80 74 D2 51"));
    let apdu = Apdu::new(0x04, 0x0F, data).encode().unwrap();
    let red = redact_apdu(&apdu);
    assert_eq!(red.len(), apdu.len());
    for secret in [
        &h("98 83 12")[..],
        &h("34 56 80")[..],
        &h("D2 51 21")[..],
        b"5598831",
    ] {
        assert!(!contains(&red, secret), "{secret:02X?} left in {red:02X?}");
    }
    let PtMessage::StatusInformation(s) = pt(&red, Some(CommandCode::ReadCard)) else {
        panic!()
    };
    assert!(s.has_card_data());
    assert!(!format!("{s:?}").contains("5598"));
    let framed = redact_serial_frame(&encode_serial_frame(&apdu));
    assert!(!contains(&framed, &h("34 56 80")));
}

#[test]
fn redaction_keeps_clean_messages_and_wipes_the_unparsable() {
    for (frame, apdu) in SERIAL_VECTORS {
        let mut apdu = h(apdu);
        // Passwords are secrets: the 3 bytes after the header of 06 00 / 06 50 become EE.
        if matches!(apdu[..2], [0x06, 0x00] | [0x06, 0x50]) {
            apdu[3..6].fill(0xEE);
        }
        assert_eq!(redact_serial_frame(&h(frame)), encode_serial_frame(&apdu));
    }
    let vector = status_information_vector();
    assert_eq!(redact_apdu(&vector), vector);
    // A PAN after an unknown BMP cannot be located: everything from the unknown BMP is wiped.
    let bad = parts(&[&h("04 0F 0E 27 00 50 22 F0 F8"), &h(TEST_PAN), &h("00")]);
    let red = redact_apdu(&bad);
    assert_eq!(&red[..5], &bad[..5]);
    assert!(red[5..].iter().all(|&b| b == 0));
    // A frame seen without its start still loses its content.
    let frame = encode_serial_frame(&parts(&[&h("04 0F 0B 22 F0 F8"), &h(TEST_PAN)]));
    let tail = redact_serial_frame(&frame[4..]);
    assert!(!contains(&tail, &h("12 34 56")));
}

// ---------------------------------------------------------------- explain, summary, fingerprint

#[test]
fn explain_serial_frame_and_bad_crc() {
    let ex = explain(&h(SERIAL_VECTORS[0].0)).unwrap();
    assert_eq!(ex.transport, Transport::SerialFrame);
    assert!(ex.crc.as_ref().unwrap().ok);
    let lines = ex.to_lines(Lang::En).join("\n");
    assert!(lines.contains("06 0F Completion"), "{lines}");
    assert!(lines.contains("\"2.14.15\""), "{lines}");
    assert!(lines.contains("00 — PT ready"), "{lines}");

    let mut bad = h(SERIAL_VECTORS[5].0);
    let last = bad.len() - 1;
    bad[last] ^= 0x01;
    let ex = explain(&bad).unwrap();
    let crc = ex.crc.clone().unwrap();
    assert!(!crc.ok);
    assert_eq!((crc.expected, crc.got), (0x282C, 0x292C));
    assert!(ex.to_lines(Lang::En)[0].contains("expected 0x282C, got 0x292C"));
    assert!(ex.to_lines(Lang::Zh)[0].contains("CRC 错误"));
    let json = serde_json::to_string(&ex).unwrap();
    assert!(json.contains("\"tag\":\"CFG\""), "{json}");
}

#[test]
fn explain_tree_of_status_enquiry_tlv() {
    let ex = explain(&status_enquiry_tlv_vector()).unwrap();
    let lines = ex.to_lines(Lang::En).join("\n");
    for want in [
        "TLV E4 device information",
        "TLV 1F40 device name: \"cVEND plug\"",
        "TLV 1F43 device state: 00 — ready",
        "TLV 1F0F time: 22:56:55",
    ] {
        assert!(lines.contains(want), "missing {want} in\n{lines}");
    }
    assert!(ex.to_lines(Lang::Zh).join("\n").contains("设备信息"));
}

#[test]
fn explain_ack_nak_and_errors() {
    assert_eq!(explain(&[0x06]).unwrap().transport, Transport::Ack);
    assert_eq!(explain(&[0x15]).unwrap().transport, Transport::Nak);
    let e = explain(&h("04 0F 05 27 00 22 3A F1")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "offset 6: BMP 0x22 LLVAR length byte 0x3A is not Fx"
    );
    assert!(explain(&[]).is_err());
    assert!(explain(&h("10 02 06 B0")).is_err());
}

#[test]
fn summaries() {
    let a = |s: &str| Apdu::decode(&h(s)).unwrap();
    assert_eq!(
        summarize(&a("05 01 05 12 34 56 03 04"), None),
        "05 01 Status-Enquiry: svc=04"
    );
    assert_eq!(
        summarize(
            &a("06 0F 0B F0 F0 F7 32 2E 31 34 2E 31 35 00"),
            Some(CommandCode::StatusEnquiry)
        ),
        "06 0F Completion: status 00 PT ready, SW 2.14.15"
    );
    let si = summarize(&Apdu::decode(&status_information_vector()).unwrap(), None);
    assert_eq!(si, "04 0F Status-Information: rc 00 no error, 25.00 EUR, PAN 559883******8074, MasterCard, receipt 0231");
    assert_eq!(
        summarize(&a("06 1E 01 6C"), None),
        "06 1E Abort: rc 6C abort via timeout or abort key"
    );
}

#[test]
fn fingerprints() {
    let mut yomani = h("00 00 00 3E");
    yomani.extend(b"VER|APP 3.1|MODEL Yomani 2|SN 1234|");
    let f = fingerprint(&yomani);
    assert!(!f.is_zvt());
    assert!(f.description.en.starts_with("this is not ZVT"));
    assert!(fingerprint(&h(SERIAL_VECTORS[2].0)).is_zvt());
    assert!(fingerprint(&[0xF0, 0x00, 0xFF, 0x80, 0xFE, 0x00]).likely_baud_mismatch);
}

// ---------------------------------------------------------------- never panics

fn zvt_like() -> impl Strategy<Value = Vec<u8>> {
    let codes = prop::sample::select(vec![
        [0x04u8, 0x0F],
        [0x04, 0xFF],
        [0x04, 0x01],
        [0x05, 0x01],
        [0x06, 0x00],
        [0x06, 0x01],
        [0x06, 0x0F],
        [0x06, 0x1E],
        [0x06, 0x20],
        [0x06, 0x30],
        [0x06, 0x50],
        [0x06, 0x70],
        [0x06, 0x91],
        [0x06, 0x93],
        [0x06, 0xB0],
        [0x06, 0xC0],
        [0x06, 0xD1],
        [0x06, 0xD3],
        [0x80, 0x00],
        [0x84, 0x6B],
        [0x08, 0x11],
    ]);
    let field = prop::sample::select(vec![
        vec![
            0x22, 0xF0, 0xF8, 0x55, 0x98, 0x83, 0x12, 0x34, 0x56, 0x80, 0x74,
        ],
        vec![0x23, 0xF0, 0xF2, 0x12, 0x34],
        vec![0x06, 0x03, 0x1F, 0x55, 0x00],
        vec![0x06, 0x05, 0x24, 0x03, 0x07, 0x01, 0x41],
        vec![0x27, 0x6C],
        vec![0x04, 0, 0, 0, 0, 0x12, 0x34],
        vec![0x12, 0x34, 0x56],
        vec![0xF0, 0xF0, 0xF3, 0x31, 0x2E, 0x30],
        vec![0x10, 0x03],
    ]);
    (
        codes,
        prop::collection::vec(
            prop_oneof![field, prop::collection::vec(any::<u8>(), 0..6)],
            0..6,
        ),
    )
        .prop_map(|(code, fields)| {
            let data = fields.concat();
            Apdu::new(code[0], code[1], data).encode().unwrap()
        })
}

/// APDUs whose data is a valid sequence of BMPs, some holding card data.
fn bmp_only_apdu() -> impl Strategy<Value = Vec<u8>> {
    let codes = prop::sample::select(vec![
        [0x04u8, 0x0F],
        [0x06, 0x01],
        [0x06, 0x0F],
        [0x06, 0x31],
        [0x84, 0x9D],
    ]);
    let field = prop::sample::select(vec![
        h("22 F0 F8 55 98 83 12 34 56 80 74"),
        h("22 F1 F0 55 98 83 12 34 56 80 74 12 3F"),
        h("23 F1 F1 55 98 83 12 34 56 80 74 D2 51 21"),
        h("24 F0 F0 F6 55 98 83 12 34 56"),
        parts(&[&h("2D F1 F8"), b"B5598831234568074^"]),
        h("2E F0 F0 F3 D2 51 21"),
        h("A7 F0 F2 D2 51"),
        h("3A 12 34"),
        h("06 0C 57 0A 55 98 83 12 34 56 80 74 D2 51"),
        h("06 0A 5A 08 55 98 83 12 34 56 80 74"),
        h("06 0E E4 0C 1F 55 02 00 00 5A 05 83 12 34 56 80"),
        parts(&[&h("3C F0 F2 F3"), b"Karte 5598831234568074 "]),
        h("27 00"),
        h("04 00 00 00 00 25 00"),
        parts(&[&h("8B F1 F1"), b"MasterCard\0"]),
    ]);
    (codes, prop::collection::vec(field, 0..6)).prop_map(|(code, fields)| {
        let mut data = fields.concat();
        if code == [0x06, 0x31] {
            data.splice(0..0, [0x12, 0x34, 0x56]);
        }
        Apdu::new(code[0], code[1], data).encode().unwrap()
    })
}

fn exercise(bytes: &[u8]) {
    let mut d = SerialDeframer::new();
    for chunk in bytes.chunks(7) {
        let _ = d.push(chunk);
    }
    let _ = d.flush();
    let _ = decode_serial_frame(bytes);
    let _ = inspect_serial_frame(bytes);
    let mut asm = ApduAssembler::with_limit(64);
    asm.push(bytes);
    while let Ok(Some(_)) = asm.pop() {}
    if let Ok(apdu) = Apdu::decode(bytes) {
        for ctx in [
            None,
            Some(CommandCode::StatusEnquiry),
            Some(CommandCode::ReadCard),
        ] {
            let _ = decode_pt_message(&apdu, ctx);
            let _ = summarize(&apdu, ctx);
        }
        let _ = decode_ecr_message(&apdu);
    }
    let _ = parse_bmps(bytes, 0);
    let _ = parse_tlv_list(bytes, 0);
    let _ = explain(bytes);
    let _ = fingerprint(bytes);
    assert_eq!(redact_apdu(bytes).len(), bytes.len());
    let _ = redact_serial_frame(bytes);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        exercise(&bytes);
    }

    #[test]
    fn zvt_like_apdus_never_panic(apdu in zvt_like()) {
        exercise(&apdu);
        exercise(&encode_serial_frame(&apdu));
        let red = redact_apdu(&apdu);
        prop_assert_eq!(red.len(), apdu.len());
    }

    #[test]
    fn any_code_any_data_never_panics(class in any::<u8>(), instr in any::<u8>(), data in prop::collection::vec(any::<u8>(), 0..80)) {
        let apdu = Apdu::new(class, instr, data).encode().unwrap();
        exercise(&apdu);
        exercise(&encode_serial_frame(&apdu));
    }

    #[test]
    fn card_data_never_survives_redaction(apdu in bmp_only_apdu()) {
        for bytes in [redact_apdu(&apdu), redact_serial_frame(&encode_serial_frame(&apdu))] {
            prop_assert!(!contains(&bytes, &h("83 12 34 56 80")), "{:02X?}", apdu);
            prop_assert!(!contains(&bytes, b"1234568074"), "{:02X?}", apdu);
            prop_assert!(!contains(&bytes, &h("D2 51 21")), "{:02X?}", apdu);
        }
    }

    #[test]
    fn frames_survive_any_split(apdu in prop::collection::vec(any::<u8>(), 3..80), cut in 1usize..20) {
        let frame = encode_serial_frame(&apdu);
        let mut d = SerialDeframer::new();
        let events: Vec<_> = frame.chunks(cut).flat_map(|c| d.push(c)).collect();
        prop_assert_eq!(events, vec![SerialEvent::Frame { apdu: apdu.clone(), raw: frame.clone() }]);
    }

    #[test]
    fn tlv_round_trip(tags in prop::collection::vec((prop::sample::select(vec![0x07u32, 0x1F55, 0x1F8000, 0x9F5A, 0x41]), prop::collection::vec(any::<u8>(), 0..300)), 0..5)) {
        let list: Vec<Tlv> = tags.into_iter().map(|(t, v)| Tlv::new(t, v)).collect();
        let bytes = encode_tlv_list(&list).unwrap();
        prop_assert_eq!(parse_tlv_list(&bytes, 0).unwrap(), list);
    }
}
