//! ESC/POS status codec: the worked examples of docs/protocols/escpos.md, round trips through the
//! simulator encoders, fixed-bit rejection, the reply reader on mixed streams, the GB18030 test
//! receipt, and "never panics" properties.

use posdiag::i18n::Lang;
use posdiag::proto::escpos::commands::{self, DrawerPin, Recovery};
use posdiag::proto::escpos::encode::{
    encode_asb, encode_eot, encode_gs_r, encode_id, encode_reply,
};
use posdiag::proto::escpos::receipt::{test_receipt, Receipt, TEST_CHINESE_LINE};
use posdiag::proto::escpos::*;
use proptest::prelude::*;

const EOT1: Query = Query::RealTime(EotQuery::PrinterStatus);
const EOT2: Query = Query::RealTime(EotQuery::OfflineCause);
const EOT3: Query = Query::RealTime(EotQuery::ErrorCause);
const EOT4: Query = Query::RealTime(EotQuery::PaperSensor);
const GSR1: Query = Query::TransmitStatus(GsRQuery::Paper);
const ASB: Query = Query::AutoStatusBack(AsbTriggers::STANDARD);

fn decode(query: Query, bytes: &[u8]) -> Reply {
    decode_reply(query, bytes).unwrap_or_else(|e| panic!("{}: {}", query.code(), e))
}

fn condition_of(replies: &[(Query, &[u8])]) -> PrinterCondition {
    let replies: Vec<Reply> = replies.iter().map(|(q, b)| decode(*q, b)).collect();
    PrinterCondition::from_replies(&replies)
}

fn preset(faults: &[&str]) -> PrinterCondition {
    faults.iter().fold(PrinterCondition::all_clear(), |c, f| {
        c.with_fault(f).expect("printer fault id")
    })
}

// ---- §1 fixed bits ---------------------------------------------------------------------

#[test]
fn fixed_bit_table_of_section_1() {
    let eot = FixedBits::new(0x93, 0x12);
    assert_eq!(eot.pattern(), "0xx1xx10");
    for b in [0x12, 0x16, 0x1A, 0x1E, 0x32, 0x52, 0x72, 0x7E] {
        assert!(eot.matches(b), "{b:02X}");
        assert!(decode_byte(EOT1, b).is_ok());
    }
    // ASB first byte, GS r / GS I bytes and XON/XOFF never pass the DLE EOT test.
    for b in [0x10, 0x14, 0x38, 0x00, 0x03, 0x0F, 0x2E, 0x11, 0x13] {
        assert!(!eot.matches(b), "{b:02X}");
        assert!(decode_byte(EOT1, b).is_err(), "{b:02X}");
    }
    for b in [0x00, 0x03, 0x0C, 0x0F, 0x2E, 0x2B] {
        assert!(decode_byte(GSR1, b).is_ok());
        assert!(decode_byte(Query::PrinterId(IdQuery::ModelId), b).is_ok());
    }
    for b in [0x10, 0x12, 0x11, 0x13, 0x80] {
        assert!(decode_byte(GSR1, b).is_err(), "{b:02X}");
    }
}

#[test]
fn every_byte_is_accepted_exactly_when_its_fixed_bits_match() {
    for q in Query::all() {
        let ReplyShape::Byte(fixed) = q.shape() else {
            continue;
        };
        for b in 0..=255u8 {
            let result = decode_byte(q, b);
            assert_eq!(result.is_ok(), fixed.matches(b), "{} {b:02X}", q.code());
            if let Err(e) = result {
                assert_eq!(
                    e,
                    EscPosDecodeError::InvalidStatusByte {
                        offset: 0,
                        byte: b,
                        mask: fixed.mask,
                        expected: fixed.value,
                        query: q,
                        index: 0
                    }
                );
                assert!(!e.text().is_incomplete());
            }
        }
    }
}

#[test]
fn fixed_bit_violations_name_byte_mask_and_query() {
    let err = decode_reply(EOT1, &[0x92]).unwrap_err();
    assert_eq!(
        err,
        EscPosDecodeError::InvalidStatusByte {
            offset: 0,
            byte: 0x92,
            mask: 0x93,
            expected: 0x12,
            query: EOT1,
            index: 0
        }
    );
    assert!(err.to_string().contains("0x92"));
    assert!(err.to_string().contains("0xx1xx10"));
    assert!(err.text().zh.contains("固定位"));
    // ASB byte 3 with bit 4 set.
    let err = decode_reply(ASB, &[0x10, 0x00, 0x13, 0x00]).unwrap_err();
    assert!(matches!(
        err,
        EscPosDecodeError::InvalidStatusByte {
            offset: 2,
            index: 2,
            byte: 0x13,
            mask: 0x90,
            expected: 0x00,
            ..
        }
    ));
    assert!(err.to_string().contains("byte 3"));
    // ASB first byte with bit 1 set is a DLE EOT reply, not ASB.
    assert!(decode_reply(ASB, &[0x12, 0, 0, 0]).is_err());
}

// ---- §2 DLE EOT -----------------------------------------------------------------------

#[test]
fn dle_eot_bits_of_section_2() {
    let Reply::PrinterStatus(s) = decode(EOT1, &[0x16]) else {
        panic!()
    };
    assert!(s.drawer_pin3_high() && !s.offline());
    let Reply::PrinterStatus(s) = decode(EOT1, &[0x7A]) else {
        panic!()
    };
    assert!(s.offline() && s.waiting_online_recovery() && s.feed_button_pressed());

    let Reply::OfflineCause(c) = decode(EOT2, &[0x16]) else {
        panic!()
    };
    assert!(c.cover_open() && !c.stopped_by_paper_end());
    let Reply::OfflineCause(c) = decode(EOT2, &[0x32]) else {
        panic!()
    };
    assert!(c.stopped_by_paper_end());
    let Reply::OfflineCause(c) = decode(EOT2, &[0x5A]) else {
        panic!()
    };
    assert!(c.error_occurred() && c.paper_fed_by_button());

    let Reply::ErrorCause(e) = decode(EOT3, &[0x1A]) else {
        panic!()
    };
    assert!(e.autocutter_error() && !e.unrecoverable_error());
    let Reply::ErrorCause(e) = decode(EOT3, &[0x32]) else {
        panic!()
    };
    assert!(e.unrecoverable_error());
    let Reply::ErrorCause(e) = decode(EOT3, &[0x52]) else {
        panic!()
    };
    assert!(e.auto_recoverable_error());
    let Reply::ErrorCause(e) = decode(EOT3, &[0x16]) else {
        panic!()
    };
    assert!(e.recoverable_error());

    let Reply::PaperSensor(p) = decode(EOT4, &[0x1E]) else {
        panic!()
    };
    assert_eq!(
        (p.near_end(), p.paper_end()),
        (BitState::Set, BitState::Clear)
    );
    let Reply::PaperSensor(p) = decode(EOT4, &[0x7E]) else {
        panic!()
    };
    assert_eq!(
        (p.near_end(), p.paper_end()),
        (BitState::Set, BitState::Set)
    );
    let Reply::PaperSensor(p) = decode(EOT4, &[0x16]) else {
        panic!()
    };
    assert_eq!(p.near_end(), BitState::Partial);
}

#[test]
fn ink_and_peeler_forms_of_section_2_5() {
    let Reply::InkB(i) = decode(Query::RealTime(EotQuery::InkB), &[0x3E]) else {
        panic!()
    };
    assert!(i.ink_near_end() && i.ink_end() && i.cartridge_missing());
    let Reply::InkA(i) = decode(Query::RealTime(EotQuery::InkA), &[0x52]) else {
        panic!()
    };
    assert!(i.cleaning() && !i.ink_end());
    let Reply::Peeler(p) = decode(Query::RealTime(EotQuery::Peeler), &[0x36]) else {
        panic!()
    };
    assert!(p.waiting_label_removal() && p.no_paper_in_peeler());
}

/// §2.6: expected replies per printer state, EOT1–4 and GS r 1 (`None` = not answered/held).
#[test]
fn state_table_of_section_2_6_encodes_and_decodes() {
    type Row = (
        &'static [&'static str],
        [Option<u8>; 4],
        Option<u8>,
        &'static [Problem],
    );
    let rows: [Row; 8] = [
        (&[], [Some(0x12); 4], Some(0x00), &[]),
        (
            &["printer.paper_near_end"],
            [Some(0x12), Some(0x12), Some(0x12), Some(0x1E)],
            Some(0x03),
            &[Problem::PaperNearEnd],
        ),
        (
            &["printer.paper_out"],
            [Some(0x1A), Some(0x32), Some(0x12), Some(0x7E)],
            None,
            &[Problem::PaperOut],
        ),
        (
            &["printer.cover_open"],
            [Some(0x1A), Some(0x16), Some(0x12), Some(0x12)],
            None,
            &[Problem::CoverOpen],
        ),
        (
            &["printer.offline"],
            [Some(0x1A), Some(0x12), Some(0x12), Some(0x12)],
            None,
            &[Problem::Offline],
        ),
        (
            &["printer.cutter_error"],
            [Some(0x1A), Some(0x52), Some(0x1A), None],
            None,
            &[Problem::CutterError],
        ),
        (
            &["printer.overheat"],
            [None, None, Some(0x52), None],
            None,
            &[Problem::Overheat],
        ),
        (
            &["printer.unrecoverable_error"],
            [Some(0x1A), Some(0x52), Some(0x32), None],
            None,
            &[Problem::UnrecoverableError],
        ),
    ];
    let eots = [
        EotQuery::PrinterStatus,
        EotQuery::OfflineCause,
        EotQuery::ErrorCause,
        EotQuery::PaperSensor,
    ];
    for (faults, eot, gsr1, problems) in rows {
        let c = preset(faults);
        for (q, want) in eots.iter().zip(eot) {
            if let Some(want) = want {
                assert_eq!(encode_eot(&c, *q), Some(want), "{faults:?} {q:?}");
            }
        }
        assert_eq!(encode_gs_r(&c, GsRQuery::Paper), gsr1, "{faults:?}");
        assert_eq!(c.problems(), problems, "{faults:?}");
        // Decoding the bytes of the row gives back the same problems.
        let bytes: Vec<(Query, Vec<u8>)> = eots
            .iter()
            .map(|q| (Query::RealTime(*q), vec![encode_eot(&c, *q).unwrap()]))
            .collect();
        let refs: Vec<(Query, &[u8])> = bytes.iter().map(|(q, b)| (*q, b.as_slice())).collect();
        assert_eq!(condition_of(&refs).problems(), problems, "{faults:?}");
    }
    // Idle Epson TM with pin 3 HIGH answers 16: not "drawer open" by itself.
    let c = condition_of(&[(EOT1, &[0x16])]);
    assert_eq!(c.drawer_pin3_high, Some(true));
    assert_eq!(c.drawer_open(DrawerOpenLevel::Low), Some(false));
    assert_eq!(c.offline, Some(false));
}

#[test]
fn paper_falls_back_to_eot2_without_eot4() {
    let c = condition_of(&[(EOT1, &[0x1A]), (EOT2, &[0x32])]);
    assert_eq!(c.paper_out, Some(true));
    assert_eq!(c.problems(), vec![Problem::PaperOut]);
    // Nothing received says nothing: never OK.
    let none = PrinterCondition::from_replies(&[]);
    assert_eq!(none.paper_out, None);
    assert_eq!(none.summary().en, "no status information");
}

/// python-escpos `paper_status()` and `is_online()` (§12) agree with the decoder.
#[test]
fn python_escpos_cross_check() {
    for b in [0x12u8, 0x1E, 0x72, 0x7E] {
        let python = if b & 0x72 == 0x72 {
            0
        } else if b & 0x1E == 0x1E {
            1
        } else {
            2
        };
        let c = condition_of(&[(EOT4, &[b])]);
        let ours = match (c.paper_out, c.paper_near_end) {
            (Some(true), _) => 0,
            (_, Some(true)) => 1,
            _ => 2,
        };
        assert_eq!(ours, python, "{b:02X}");
    }
    for b in [0x12u8, 0x16, 0x1A] {
        let c = condition_of(&[(EOT1, &[b])]);
        assert_eq!(c.offline == Some(false), b & 0x08 == 0);
    }
}

// ---- §3–§9 requests ---------------------------------------------------------------------

#[test]
fn request_bytes_of_the_reference() {
    for (q, n) in [(EOT1, 1u8), (EOT2, 2), (EOT3, 3), (EOT4, 4)] {
        // Exactly three bytes, no stray NUL (docs/protocols/escpos.md §9 step 8).
        assert_eq!(commands::request(q), vec![0x10, 0x04, n]);
    }
    assert_eq!(
        commands::request(Query::RealTime(EotQuery::InkA)),
        vec![0x10, 0x04, 0x07, 0x01]
    );
    assert_eq!(commands::gs_a(AsbTriggers::STANDARD), [0x1D, 0x61, 0x0F]);
    assert_eq!(commands::ASB_OFF, [0x1D, 0x61, 0x00]);
    assert_eq!(commands::gs_r(GsRQuery::Paper), [0x1D, 0x72, 0x01]);
    assert_eq!(commands::gs_i(IdQuery::FontLanguage), [0x1D, 0x49, 69]);
    assert_eq!(
        commands::dle_enq(Recovery::RestartFromErrorLine),
        [0x10, 0x05, 0x01]
    );
    assert_eq!(
        commands::dle_enq(Recovery::ClearBuffers),
        [0x10, 0x05, 0x02]
    );
    assert_eq!(
        commands::dle_dc4_pulse(DrawerPin::Pin2, 1),
        Ok([0x10, 0x14, 0x01, 0x00, 0x01])
    );
    assert_eq!(
        commands::dle_dc4_pulse(DrawerPin::Pin5, 8),
        Ok([0x10, 0x14, 0x01, 0x01, 0x08])
    );
    assert!(commands::dle_dc4_pulse(DrawerPin::Pin2, 9).is_err());
    assert_eq!(commands::INITIALISE, [0x1B, 0x40]);
    assert_eq!(commands::SELECT_CHINESE_MODE, [0x1C, 0x26]);
    assert_eq!(commands::CANCEL_CHINESE_MODE, [0x1C, 0x2E]);
}

// ---- §5 ASB, §6 GS r, §7 GS I -----------------------------------------------------------

#[test]
fn asb_examples_of_section_5() {
    let c = condition_of(&[(ASB, &[0x10, 0x00, 0x00, 0x00])]);
    assert_eq!(
        c,
        PrinterCondition {
            stopped_by_paper_end: None,
            error_occurred: None,
            ..PrinterCondition::all_clear()
        }
    );
    let c = condition_of(&[(ASB, &[0x10, 0x00, 0x03, 0x00])]);
    assert_eq!(c.problems(), vec![Problem::PaperNearEnd]);
    let c = condition_of(&[(ASB, &[0x38, 0x00, 0x03, 0x00])]);
    assert_eq!(
        (c.offline, c.cover_open, c.paper_near_end),
        (Some(true), Some(true), Some(true))
    );
    assert_eq!(
        c.problems(),
        vec![Problem::CoverOpen, Problem::PaperNearEnd]
    );
    let c = condition_of(&[(ASB, &[0x14, 0x00, 0x00, 0x00])]);
    assert_eq!(c.drawer_pin3_high, Some(true));
    // ASB byte 3 0x0C = paper end; byte 2 bit 3 = cutter, bit 6 = auto-recoverable.
    let c = condition_of(&[(ASB, &[0x18, 0x48, 0x0C, 0x00])]);
    assert_eq!(
        (c.paper_out, c.cutter_error, c.auto_recoverable_error),
        (Some(true), Some(true), Some(true))
    );
}

#[test]
fn dle_eot_wins_over_asb_and_gs_r() {
    // A lagging ASB says near end; the real-time EOT4 says adequate.
    let c = condition_of(&[
        (EOT4, &[0x12]),
        (ASB, &[0x10, 0x00, 0x03, 0x00]),
        (GSR1, &[0x03]),
    ]);
    assert_eq!(c.paper_near_end, Some(false));
}

#[test]
fn gs_r_examples_of_section_6() {
    assert_eq!(condition_of(&[(GSR1, &[0x00])]).paper_out, Some(false));
    let clone_out = condition_of(&[(GSR1, &[0x0F])]);
    assert_eq!(
        (clone_out.paper_out, clone_out.paper_near_end),
        (Some(true), Some(true))
    );
    let drawer = condition_of(&[(Query::TransmitStatus(GsRQuery::Drawer), &[0x01])]);
    assert_eq!(drawer.drawer_pin3_high, Some(true));
}

#[test]
fn gs_i_examples_of_section_7() {
    let Reply::Id(IdReply::Model { value }) = decode(Query::PrinterId(IdQuery::ModelId), &[0x2E])
    else {
        panic!()
    };
    assert_eq!(value.known_model(), Some("Epson TM-T90"));
    let Reply::Id(IdReply::Model { value }) = decode(Query::PrinterId(IdQuery::ModelId), &[0x2B])
    else {
        panic!()
    };
    assert_eq!(value.known_model(), Some("Epson TM-J2000"));
    let Reply::Id(IdReply::Type { value }) = decode(Query::PrinterId(IdQuery::TypeId), &[0x03])
    else {
        panic!()
    };
    assert!(value.two_byte_characters() && value.autocutter() && !value.dm_d_connected());

    let maker = decode(Query::PrinterId(IdQuery::Maker), b"\x5FEPSON\x00");
    let lang = decode(
        Query::PrinterId(IdQuery::FontLanguage),
        b"\x5FCHINA GB18030\x00",
    );
    let ids: Vec<&IdReply> = [&maker, &lang]
        .into_iter()
        .filter_map(Reply::as_id)
        .collect();
    let identity = PrinterIdentity::from_replies(ids);
    assert_eq!(identity.maker.as_deref(), Some("EPSON"));
    assert_eq!(
        identity.font_language_kind(),
        Some(FontLanguage::ChinaGb18030)
    );
    assert!(decode_reply(Query::PrinterId(IdQuery::Maker), b"\x5FEPSON").is_err());
}

// ---- simulator encoders ⇄ decoders --------------------------------------------------------

fn all_conditions() -> impl Iterator<Item = PrinterCondition> {
    (0u32..1 << 14).map(|bits| {
        let b = |i: u32| Some(bits & (1 << i) != 0);
        PrinterCondition {
            offline: b(0),
            drawer_pin3_high: b(1),
            waiting_online_recovery: b(2),
            feed_button_pressed: b(3),
            cover_open: b(4),
            paper_fed_by_button: b(5),
            stopped_by_paper_end: b(6),
            error_occurred: b(7),
            recoverable_error: b(8),
            cutter_error: b(9),
            unrecoverable_error: b(10),
            auto_recoverable_error: b(11),
            paper_near_end: b(12),
            paper_out: b(13),
        }
    })
}

#[test]
fn every_condition_round_trips_through_its_replies() {
    let identity = PrinterIdentity::default();
    let queries = [
        EOT1,
        EOT2,
        EOT3,
        EOT4,
        ASB,
        GSR1,
        Query::TransmitStatus(GsRQuery::Drawer),
    ];
    for c in all_conditions() {
        let replies: Vec<Reply> = queries
            .iter()
            .filter_map(|q| encode_reply(&c, &identity, *q).map(|bytes| decode(*q, &bytes)))
            .collect();
        assert_eq!(PrinterCondition::from_replies(&replies), c);
        // ASB alone carries everything except the two EOT2-only items.
        let asb = decode(ASB, &encode_asb(&c));
        let from_asb = PrinterCondition::from_replies([&asb]);
        assert_eq!(
            from_asb,
            PrinterCondition {
                stopped_by_paper_end: None,
                error_occurred: None,
                ..c
            },
        );
        // GS r is held while offline.
        assert_eq!(
            encode_gs_r(&c, GsRQuery::Paper).is_none(),
            c.offline == Some(true)
        );
    }
}

#[test]
fn every_valid_eot_byte_re_encodes_to_itself() {
    for q in [
        EotQuery::PrinterStatus,
        EotQuery::OfflineCause,
        EotQuery::ErrorCause,
        EotQuery::PaperSensor,
    ] {
        for b in 0..=255u8 {
            let Ok(reply) = decode_byte(Query::RealTime(q), b) else {
                continue;
            };
            let c = PrinterCondition::from_replies([&reply]);
            let pairs_whole = !matches!(&reply, Reply::PaperSensor(p)
                if p.near_end() == BitState::Partial || p.paper_end() == BitState::Partial);
            if pairs_whole {
                assert_eq!(encode_eot(&c, q), Some(b), "{q:?} {b:02X}");
            }
        }
    }
}

#[test]
fn identity_round_trips_through_gs_i() {
    let identity = PrinterIdentity {
        model_id: Some(0x2E),
        type_id: Some(0x03),
        firmware_id: Some(0x41),
        firmware_version: Some("30.01 ESC/POS".into()),
        maker: Some("EPSON".into()),
        model_name: Some("TM-T88V 打印机".into()),
        serial_number: Some("X5K0123456".into()),
        font_language: Some("CHINA GB18030".into()),
    };
    let online = PrinterCondition::all_clear();
    let mut replies = Vec::new();
    for q in IdQuery::ALL {
        let bytes = encode_reply(&online, &identity, Query::PrinterId(q)).expect("answered online");
        replies.push(decode(Query::PrinterId(q), &bytes));
    }
    let back = PrinterIdentity::from_replies(replies.iter().filter_map(Reply::as_id));
    assert_eq!(back, identity);
    // Held while offline.
    let offline = preset(&["printer.offline"]);
    assert_eq!(
        encode_reply(&offline, &identity, Query::PrinterId(IdQuery::Maker)),
        None
    );
    assert_eq!(encode_id(&PrinterIdentity::default(), IdQuery::Maker), None);
}

// ---- stream reader ------------------------------------------------------------------------

fn feed_one_by_one(reader: &mut ReplyReader, bytes: &[u8]) -> Vec<StreamItem> {
    let mut items = Vec::new();
    for b in bytes {
        reader.push(&[*b]);
        items.extend(reader.items());
    }
    items.extend(reader.flush());
    items
}

#[test]
fn interleaving_example_of_section_1() {
    // After a cover is closed: ASB (near end) followed by a held GS r 1 reply.
    let mut reader = ReplyReader::new(FlowControl::XonXoff);
    reader.expect(GSR1);
    let items = feed_one_by_one(&mut reader, &[0x10, 0x00, 0x03, 0x00, 0x03]);
    assert_eq!(items.len(), 2, "{items:?}");
    let StreamItem::UnsolicitedAsb { offset: 0, status } = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(status.near_end(), BitState::Set);
    let StreamItem::Reply {
        offset: 4,
        query: GSR1,
        reply: Reply::TransmitPaper(p),
    } = &items[1]
    else {
        panic!("{items:?}")
    };
    assert_eq!(p.near_end(), BitState::Set);
}

#[test]
fn mixed_stream_with_xon_xoff_stale_bytes_and_asb() {
    let mut reader = ReplyReader::new(FlowControl::XonXoff);
    // Drain first: a stale reply and an unsolicited ASB from DIP SW 2-1.
    reader.push(&[0x12, 0x14, 0x00, 0x00, 0x00]);
    let drained = reader.flush();
    assert!(matches!(
        drained[0],
        StreamItem::Stale {
            offset: 0,
            byte: 0x12
        }
    ));
    assert!(matches!(
        drained[1],
        StreamItem::UnsolicitedAsb { offset: 1, .. }
    ));
    assert_eq!(drained.len(), 2);

    for q in [EOT1, EOT2, EOT3, EOT4] {
        reader.expect(q);
    }
    // XON, EOT1 = 1A, ASB with an XOFF inside, EOT2 = 16, XON, EOT3 = 12, EOT4 = 12.
    let stream = [
        0x11, 0x1A, 0x38, 0x00, 0x13, 0x00, 0x00, 0x16, 0x11, 0x12, 0x12,
    ];
    let items = feed_one_by_one(&mut reader, &stream);
    let kinds: Vec<String> = items
        .iter()
        .map(|i| match i {
            StreamItem::Reply { offset, query, .. } => format!("{offset}:{}", query.code()),
            StreamItem::UnsolicitedAsb { offset, .. } => format!("{offset}:asb"),
            StreamItem::FlowControl { offset, byte } => format!("{offset}:flow{byte:02x}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "5:flow11",
            "6:eot1",
            "7:asb",
            "9:flow13",
            "12:eot2",
            "13:flow11",
            "14:eot3",
            "15:eot4"
        ]
    );
    let replies: Vec<Reply> = items
        .into_iter()
        .filter_map(|i| match i {
            StreamItem::Reply { reply, .. } => Some(reply),
            _ => None,
        })
        .collect();
    assert_eq!(
        PrinterCondition::from_replies(&replies).problems(),
        vec![Problem::CoverOpen]
    );
}

#[test]
fn real_time_reply_overtakes_gs_r_and_garbage_is_named() {
    let mut reader = ReplyReader::new(FlowControl::XonXoff);
    reader.expect(GSR1);
    reader.expect(EOT1);
    reader.push(&[0x12, 0x00]);
    let items = reader.items();
    assert!(matches!(items[0], StreamItem::Reply { query: EOT1, .. }));
    assert!(matches!(items[1], StreamItem::Reply { query: GSR1, .. }));

    // Wrong baud rate: a byte failing every pattern is the oldest query's invalid reply.
    reader.expect(EOT1);
    reader.expect(EOT2);
    reader.push(&[0xFF]);
    let items = reader.flush();
    match &items[0] {
        StreamItem::InvalidReply {
            offset: 2,
            query: EOT1,
            error,
            ..
        } => {
            assert!(matches!(
                error,
                EscPosDecodeError::InvalidStatusByte {
                    offset: 2,
                    byte: 0xFF,
                    ..
                }
            ));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(items[1], StreamItem::NoReply { query: EOT2 });
    assert_eq!(reader.outstanding().count(), 0);
}

#[test]
fn asb_waits_for_its_fourth_byte_and_answers_gs_a() {
    let mut reader = ReplyReader::new(FlowControl::XonXoff);
    reader.expect(ASB);
    reader.push(&[0x10, 0x00, 0x03]);
    assert_eq!(reader.next_item(), None);
    assert_eq!(reader.pending_bytes(), 3);
    reader.push(&[0x00]);
    assert!(matches!(
        reader.next_item(),
        Some(StreamItem::Reply {
            query: ASB,
            reply: Reply::Asb(_),
            ..
        })
    ));
}

#[test]
fn asb_first_byte_followed_by_many_xoffs_is_not_held_forever() {
    let mut reader = ReplyReader::new(FlowControl::XonXoff);
    reader.push(&[0x10, 0x13, 0x13, 0x13, 0x13]);
    let items = reader.items();
    assert!(
        matches!(
            items[0],
            StreamItem::Stale {
                offset: 0,
                byte: 0x10
            }
        ),
        "{items:?}"
    );
    assert_eq!(items.len(), 5);
    assert_eq!(reader.pending_bytes(), 0);
}

#[test]
fn text_reply_split_across_reads_and_unterminated() {
    let maker = Query::PrinterId(IdQuery::Maker);
    let mut reader = ReplyReader::new(FlowControl::XonXoff);
    reader.expect(maker);
    let items = feed_one_by_one(&mut reader, b"\x5FEPS\x13ON\x00");
    assert!(
        matches!(items[0], StreamItem::Reply { offset: 0, query, .. } if query == maker),
        "{items:?}"
    );
    assert!(matches!(
        items[1],
        StreamItem::FlowControl {
            offset: 4,
            byte: 0x13
        }
    ));
    let StreamItem::Reply {
        reply: Reply::Id(IdReply::Text { value, .. }),
        ..
    } = &items[0]
    else {
        panic!()
    };
    assert_eq!(value.text, "EPSON");

    reader.expect(maker);
    reader.push(b"\x5FEPS");
    let items = reader.flush();
    assert!(matches!(
        &items[0],
        StreamItem::InvalidReply {
            error: EscPosDecodeError::UnterminatedId { offset: 8, .. },
            ..
        }
    ));
}

#[test]
fn without_flow_control_xon_is_an_ordinary_byte() {
    let mut reader = ReplyReader::new(FlowControl::None);
    reader.expect(EOT1);
    reader.push(&[0x11]);
    assert!(matches!(reader.flush()[0], StreamItem::InvalidReply { .. }));
}

// ---- §10 GB18030 test receipt -------------------------------------------------------------

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[test]
fn test_receipt_has_gb18030_chinese_after_fs_amp() {
    let bytes = test_receipt("2024-05-01 12:00");
    assert_eq!(&bytes[..2], &[0x1B, 0x40]);
    // 打印机测试 in GB18030.
    let chinese = [0xB4, 0xF2, 0xD3, 0xA1, 0xBB, 0xFA, 0xB2, 0xE2, 0xCA, 0xD4];
    let at = find(&bytes, &chinese).expect("Chinese line");
    let fs_amp = find(&bytes, &[0x1C, 0x26]).expect("FS &");
    assert!(fs_amp < at);
    // ¥ is the 4-byte code 81 30 84 36 (§10).
    assert!(find(&bytes, &[0x81, 0x30, 0x84, 0x36]).is_some());
    assert!(find(&bytes, b"posdiag test print\n").is_some());
    assert!(find(&bytes, b"2024-05-01 12:00\n").is_some());
    assert!(bytes.ends_with(&[0x1D, 0x56, 0x42, 0x00]));
    assert!(
        !bytes.windows(3).any(|w| w[0] == 0x10 && w[1] == 0x04),
        "no DLE EOT inside data"
    );
    let (line, _, _) = encoding_rs::GB18030.encode(TEST_CHINESE_LINE);
    assert!(find(&bytes, &line).is_some());
}

#[test]
fn code_page_line_cancels_chinese_mode_first() {
    let mut r = Receipt::new();
    r.line("收银").code_page_line(16, &[0xE9]).line("结算");
    let b = r.bytes();
    let fs_dot = find(b, &[0x1C, 0x2E]).expect("FS .");
    let esc_t = find(b, &[0x1B, b't', 16, 0xE9]).expect("ESC t 16 é");
    assert!(fs_dot < esc_t);
    assert_eq!(b.windows(2).filter(|w| *w == [0x1C, 0x26]).count(), 2);
}

// ---- explain -----------------------------------------------------------------------------

#[test]
fn explain_with_query() {
    let e = explain_hex("1A", Some(EOT1)).unwrap();
    assert_eq!(e.condition.offline, Some(true));
    assert_eq!(e.problems, vec![Problem::Offline]);
    let en = e.to_lines(Lang::En).join("\n");
    assert!(en.contains("offline"), "{en}");
    assert!(en.contains("bit 3"), "{en}");
    let zh = e.to_lines(Lang::Zh).join("\n");
    assert!(zh.contains("脱机"), "{zh}");
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["query"], "eot1");
    assert_eq!(json["input"], "1a");

    let err = explain_hex("11 1E", Some(GSR1)).unwrap_err();
    assert!(matches!(
        err,
        EscPosDecodeError::InvalidStatusByte {
            offset: 1,
            byte: 0x1E,
            ..
        }
    ));
    assert_eq!(explain(&[], None).unwrap_err(), EscPosDecodeError::Empty);
    assert!(matches!(
        explain_hex("11 13", Some(EOT1)),
        Err(EscPosDecodeError::NoReply { len: 2, .. })
    ));
    assert!(matches!(
        explain_hex("12 zz", None),
        Err(EscPosDecodeError::InvalidHex { position: 3, .. })
    ));

    let lang = explain_hex(
        "5F 43 48 49 4E 41 20 47 42 31 38 30 33 30 00",
        Some(Query::PrinterId(IdQuery::FontLanguage)),
    )
    .unwrap();
    assert!(lang.summary.en.contains("CHINA GB18030"));
    assert!(lang.to_lines(Lang::En).join("\n").contains("GB18030 bytes"));
}

#[test]
fn explain_without_query_tries_asb_and_every_query() {
    let e = explain_hex("10 00 03 00 03", None).unwrap();
    assert_eq!(e.nodes().count(), 2);
    assert_eq!(e.problems, vec![Problem::PaperNearEnd]);
    let lines = e.to_lines(Lang::En).join("\n");
    assert!(lines.contains("Automatic Status Back"), "{lines}");
    assert!(lines.contains("fits: gsr1"), "{lines}");
    assert!(lines.contains("fails fixed bits 0xx1xx10"), "{lines}");

    let e = explain_hex("FF", None).unwrap();
    assert!(e.to_lines(Lang::En).join("\n").contains("wrong baud rate"));

    // A GS I text block nobody asked for is still recognised by its framing.
    let e = explain_hex("5F 45 50 53 4F 4E 00", None).unwrap();
    assert_eq!(e.nodes().count(), 1);
    assert!(e.to_lines(Lang::En).join("\n").contains("\"EPSON\""));

    // A captured request is recognised as such.
    let e = explain_hex("10 04 01", None).unwrap();
    assert_eq!(e.requests.len(), 1);
    assert!(e
        .to_lines(Lang::En)
        .join("\n")
        .contains("DLE EOT 1 printer status"));
}

#[test]
fn explain_folds_a_run_of_one_stray_byte() {
    // Issue 16: 1 MiB of padding was 17 lines per byte; a run is one node now, and the reader
    // settles a megabyte in linear time.
    let mut bytes = vec![0x00; 1 << 20];
    bytes.extend_from_slice(&[0x12, 0xFF, 0xFF]);
    let started = std::time::Instant::now();
    let e = explain(&bytes, None).unwrap();
    let nodes: Vec<ExplainNode> = e.nodes().collect();
    assert_eq!(
        nodes.len(),
        3,
        "{:?}",
        nodes.iter().map(|n| &n.label).collect::<Vec<_>>()
    );
    assert!(
        nodes[0].label.en.contains("×1048576"),
        "{:?}",
        nodes[0].label
    );
    assert!(
        nodes[0].label.en.contains("offsets 0–1048575"),
        "{:?}",
        nodes[0].label
    );
    assert!(nodes[2].label.en.contains("×2"), "{:?}", nodes[2].label);
    nodes.iter().for_each(assert_bilingual);
    let lines = e.to_lines(Lang::En);
    assert!(lines.len() < 100, "{}", lines.len());
    let mut written = Vec::new();
    e.write_lines(Lang::En, &mut written).unwrap();
    assert_eq!(String::from_utf8(written).unwrap(), lines.join("\n") + "\n");
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["nodes"].as_array().map(Vec::len), Some(3));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

fn assert_bilingual(node: &ExplainNode) {
    assert!(!node.label.is_incomplete(), "{node:?}");
    assert!(!node.value.is_incomplete(), "{node:?}");
    node.children.iter().for_each(assert_bilingual);
}

#[test]
fn every_explanation_node_is_bilingual() {
    for q in Query::all().into_iter().map(Some).chain([None]) {
        for input in [
            "12",
            "1A 16 52 7E",
            "10 00 03 00",
            "38 48 0C 00",
            "00",
            "2E",
            "5F 45 50 53 4F 4E 00",
        ] {
            if let Ok(e) = explain_hex(input, q) {
                assert!(!e.summary.is_incomplete());
                e.nodes().for_each(|n| assert_bilingual(&n));
            }
        }
    }
}

// ---- never panics --------------------------------------------------------------------------

fn any_query() -> impl Strategy<Value = Query> {
    let all = Query::all();
    (0..all.len()).prop_map(move |i| all[i])
}

proptest! {
    #[test]
    fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..120), q in any_query()) {
        let _ = decode_reply(q, &bytes);
        if let Some(b) = bytes.first() {
            let _ = decode_byte(q, *b);
        }
        let _ = AsbStatus::decode(&bytes);
        let _ = posdiag::proto::escpos::identity::parse_id_block(IdQuery::Maker, &bytes);
        let _ = commands::parse_requests(&bytes);
    }

    #[test]
    fn explain_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..120), q in proptest::option::of(any_query())) {
        if let Ok(e) = explain(&bytes, q) {
            let _ = e.to_lines(Lang::Zh);
            let _ = e.to_lines(Lang::En);
            prop_assert!(serde_json::to_string(&e).is_ok());
        }
    }

    #[test]
    fn parse_hex_never_panics(text in "\\PC{0,60}") {
        let _ = parse_hex(&text);
    }

    #[test]
    fn reader_is_the_same_however_bytes_are_split(
        bytes in proptest::collection::vec(prop_oneof![any::<u8>(), Just(0x10u8), Just(0x5F), Just(0x00), Just(0x11), Just(0x13), Just(0x12)], 0..80),
        queries in proptest::collection::vec(any_query(), 0..6),
        cuts in proptest::collection::vec(0usize..80, 0..10),
    ) {
        let mut whole = ReplyReader::new(FlowControl::XonXoff);
        let mut split = ReplyReader::new(FlowControl::XonXoff);
        for q in &queries {
            whole.expect(*q);
            split.expect(*q);
        }
        whole.push(&bytes);
        let expected = whole.flush();

        let mut cuts: Vec<usize> = cuts.into_iter().filter(|c| *c <= bytes.len()).collect();
        cuts.sort_unstable();
        let mut got = Vec::new();
        let mut from = 0;
        for c in cuts.into_iter().chain([bytes.len()]) {
            split.push(&bytes[from..c.max(from)]);
            from = c.max(from);
            got.extend(split.items());
        }
        got.extend(split.flush());
        prop_assert!(serde_json::to_string(&got).is_ok());
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn receipt_lines_never_panic_and_stay_printable(text in "\\PC{0,40}") {
        let mut r = Receipt::new();
        r.line(&text);
        // Only ESC @ and possibly FS & before the text: no other control byte sneaks in.
        let body = &r.bytes()[2..];
        let body = body.strip_prefix(&[0x1C, 0x26][..]).unwrap_or(body);
        prop_assert!(body[..body.len() - 1].iter().all(|b| *b >= 0x20 && *b != 0x7F));
    }

    #[test]
    fn identity_text_round_trips(text in "[ -~\u{4e00}-\u{9fa5}]{0,60}") {
        let identity = PrinterIdentity { maker: Some(text.clone()), ..Default::default() };
        let bytes = encode_id(&identity, IdQuery::Maker).unwrap();
        prop_assert!(bytes.len() <= 99);
        let Reply::Id(IdReply::Text { value, .. }) = decode(Query::PrinterId(IdQuery::Maker), &bytes) else {
            return Err(TestCaseError::fail("not a text reply"));
        };
        prop_assert!(text.starts_with(&value.text));
    }
}
