//! ISO 8583 CUP POS codec: the reference's worked examples and MAC vectors, round trips for
//! every message type of docs/protocols/iso8583-cup.md §2, redaction, and property tests (never
//! panics, valid messages round-trip). All card data is synthetic (Luhn-valid test PANs, fake
//! keys).

use posdiag::i18n::Lang;
use posdiag::proto::iso8583::codes::{self, PosClass};
use posdiag::proto::iso8583::mac::{self, MacAlgorithm, MacKey};
use posdiag::proto::iso8583::tlv;
use posdiag::proto::iso8583::{
    decode, decode_partial, explain, frame_length, redact_message, sensitive_spans, summarize,
    summary_line, CupHeader, DecodeError, Dialect, Envelope, FieldValue, FrameLength, Message, Mti,
    Part, ProcessingRequirement, TransactionKind,
};
use proptest::prelude::*;

const PAN19: &str = "6214831234567890125";
const PAN17: &str = "62258801234567899";
const PIN_BLOCK: [u8; 8] = [0x3A, 0x7C, 0x11, 0x92, 0xE4, 0x05, 0xB6, 0xD8];

fn mti(s: &str) -> Mti {
    Mti::new(s).unwrap_or_else(|| panic!("bad MTI {s}"))
}

fn d(s: &str) -> FieldValue {
    FieldValue::digits(s)
}

fn t(s: &str) -> FieldValue {
    FieldValue::text(s)
}

fn icc_data(with_card_data: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let tags: &[(u32, &[u8])] = &[
        (0x9F26, &[0x1F, 0x2E, 0x3D, 0x4C, 0x5B, 0x6A, 0x79, 0x88]),
        (0x9F27, &[0x80]),
        (0x9F10, &[0x07, 0x01, 0x01, 0x03, 0xA0, 0x00, 0x00, 0x01]),
        (0x9F37, &[0xA5, 0x5A, 0x3C, 0xC3]),
        (0x9F36, &[0x00, 0x2A]),
        (0x95, &[0x00, 0x00, 0x04, 0x80, 0x00]),
        (0x9A, &[0x25, 0x06, 0x30]),
        (0x9C, &[0x00]),
        (0x9F02, &[0x00, 0x00, 0x00, 0x00, 0x12, 0x34]),
        (0x5F2A, &[0x01, 0x56]),
        (0x82, &[0x7C, 0x00]),
        (0x9F1A, &[0x01, 0x56]),
        (0x9F03, &[0; 6]),
        (0x9F33, &[0xE0, 0xE1, 0xC8]),
        (0x9F34, &[0x42, 0x03, 0x00]),
        (0x9F35, &[0x22]),
        (0x9F1E, b"TERM0001"),
        (0x84, &[0xA0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x01]),
        (0x9F09, &[0x00, 0x30]),
        (0x9F41, &[0x00, 0x00, 0x01, 0x23]),
        (0x5F34, &[0x01]),
    ];
    for (tag, value) in tags {
        out.extend(tlv::encode(*tag, value));
    }
    if with_card_data {
        // 5A: PAN19 in cn format (F padded); 57: track 2 equivalent (D separator, F padded)
        out.extend(tlv::encode(
            0x5A,
            &hex::decode(format!("{PAN19}F")).unwrap_or_default(),
        ));
        out.extend(tlv::encode(
            0x57,
            &hex::decode(format!("{PAN19}D25122011234567F")).unwrap_or_default(),
        ));
    }
    out
}

fn sale_request(pan: &str) -> Message {
    Message::new(mti("0200"))
        .with(2, d(pan))
        .with(3, d("000000"))
        .with(4, d("000000001234"))
        .with(11, d("000123"))
        .with(14, d("2512"))
        .with(22, d("051"))
        .with(23, d("001"))
        .with(25, d("00"))
        .with(26, d("12"))
        .with(35, d(&format!("{pan}=2512201123456")))
        .with(41, t("12345678"))
        .with(42, t("102030405060708"))
        .with(49, t("156"))
        .with(52, FieldValue::binary(PIN_BLOCK))
        .with(53, d("2600000000000000"))
        .with(55, FieldValue::binary(icc_data(false)))
        .with(60, d("22000024000600"))
}

fn sale_response(pan: &str, code: &str) -> Message {
    Message::new(mti("0210"))
        .with(2, d(pan))
        .with(3, d("000000"))
        .with(4, d("000000001234"))
        .with(11, d("000123"))
        .with(12, d("153012"))
        .with(13, d("0630"))
        .with(14, d("2512"))
        .with(15, d("0630"))
        .with(25, d("00"))
        .with(32, d("03090000"))
        .with(37, t("153012000123"))
        .with(38, t("A1B2C3"))
        .with(39, t(code))
        .with(41, t("12345678"))
        .with(42, t("102030405060708"))
        .with(43, t(&format!("{:<36}", "测试商户")))
        .with(44, t("0309       4843       "))
        .with(49, t("156"))
        .with(55, FieldValue::binary(icc_data(false)))
        .with(60, d("22000024000600"))
        .with(63, t("CUP"))
}

fn sign_on(network: &str) -> Message {
    Message::new(mti("0800"))
        .with(11, d("000001"))
        .with(41, t("12345678"))
        .with(42, t("102030405060708"))
        .with(60, d(&format!("00000024{network}")))
        .with(62, FieldValue::binary(b"Sequence No12345678".to_vec()))
        .with(63, t("001"))
}

fn sign_on_response(network: &str, key_bytes: usize) -> Message {
    let keys: Vec<u8> = (0..key_bytes)
        .map(|i| (i as u8).wrapping_mul(37) ^ 0x5A)
        .collect();
    Message::new(mti("0810"))
        .with(11, d("000001"))
        .with(12, d("090000"))
        .with(13, d("0630"))
        .with(37, t("090000000001"))
        .with(39, t("00"))
        .with(41, t("12345678"))
        .with(42, t("102030405060708"))
        .with(60, d(&format!("00000025{network}")))
        .with(62, FieldValue::binary(keys))
}

fn reversal(pan: &str, reason: &str) -> Message {
    let mut m = sale_request(pan).with(39, t(reason));
    m.mti = mti("0400");
    m.fields.remove(&52);
    m
}

fn roundtrip(dialect: &Dialect, m: &Message) -> Vec<u8> {
    let bytes = m
        .encode(dialect)
        .unwrap_or_else(|e| panic!("encode {}: {e}", m.mti));
    let decoded = decode(dialect, &bytes).unwrap_or_else(|e| panic!("decode {}: {e}", m.mti));
    assert_eq!(&decoded.to_message(), m, "round trip of {}", m.mti);
    assert!(decoded.warnings.is_empty(), "{:?}", decoded.warnings);
    let again = decoded.to_message().encode(dialect).unwrap_or_default();
    assert_eq!(again, bytes, "re-encode of {}", m.mti);
    bytes
}

// ---------------------------------------------------------------- examples of the docs (§1, §3)

#[test]
fn length_prefix_examples() {
    let cup = Dialect::cup();
    // "a 0200 starting 01 AA (426 bytes follow); a sign-on starting 00 63 (99 follow)"
    assert_eq!(
        frame_length(&cup, &[0x01, 0xAA]),
        FrameLength::Incomplete { needed: 428 }
    );
    let mut signon = vec![0x00, 0x63];
    signon.resize(101, 0);
    assert_eq!(frame_length(&cup, &signon), FrameLength::Complete(101));
}

#[test]
fn framing_tpdu_header_mti_bitmap() {
    let cup = Dialect::cup();
    let bytes = roundtrip(&cup, &sign_on("003"));
    let len = u16::from_be_bytes([bytes[0], bytes[1]]);
    assert_eq!(
        usize::from(len),
        bytes.len() - 2,
        "length counts every byte after itself"
    );
    assert_eq!(
        &bytes[2..7],
        &[0x60, 0x00, 0x03, 0x00, 0x00],
        "TPDU 60 0003 0000"
    );
    assert_eq!(
        &bytes[7..13],
        &[0x60, 0x31, 0x00, 0x31, 0x00, 0x00],
        "CUP header"
    );
    assert_eq!(&bytes[13..15], &[0x08, 0x00], "BCD MTI");
    // fields 11, 41, 42, 60, 62, 63 → primary bitmap only
    assert_eq!(hex::encode_upper(&bytes[15..23]), "0020000000C00016");
}

#[test]
fn headers_seen_on_the_wire_decode() {
    for (raw, class, version, sub) in [
        ("603100311003", "60", "31", "311003"),
        ("603100310730", "60", "31", "310730"),
        ("603200320501", "60", "32", "320501"),
        ("603100310100", "60", "31", "310100"),
        ("60310031FFF1", "60", "31", "31FFF1"),
        ("613200320001", "61", "32", "320001"),
    ] {
        let bytes = hex::decode(raw).unwrap_or_default();
        let h = CupHeader::from_bytes(&bytes).unwrap_or_else(|| panic!("{raw}"));
        assert_eq!(h.application_class(), class, "{raw}");
        assert_eq!(h.software_version(), version, "{raw}");
        assert_eq!(h.terminal_status(), 0, "{raw}");
        assert_eq!(
            h.processing_requirement(),
            ProcessingRequirement::None,
            "{raw}"
        );
        assert_eq!(h.sub_version(), sub, "{raw}");
    }
}

#[test]
fn bitmap_of_the_mac_vector_message() {
    // The §5 MAB `0200 702406C020C19A31` is the MTI and bitmap of a CUP IC sale with fields
    // 2 3 4 11 14 22 23 25 26 35 41 42 48 49 52 53 55 59 60 64.
    let m = sale_request(PAN19)
        .with(48, d("0000"))
        .with(59, t("A2001"))
        .with(64, FieldValue::binary([0u8; 8]));
    let body = m.encode_body(&Dialect::cup()).unwrap_or_default();
    assert_eq!(hex::encode_upper(&body[..10]), "0200702406C020C19A31");
}

#[test]
fn field_encodings_from_the_reference() {
    let cup = Dialect::cup();
    let m = sale_request(PAN19);
    let bytes = m.encode(&cup).unwrap_or_default();
    let dm = decode(&cup, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let raw = |n: u8| {
        let f = dm.field(n).unwrap_or_else(|| panic!("field {n}"));
        hex::encode_upper(&bytes[f.span.clone()])
    };
    // 2: 1-byte BCD digit count, odd length right-padded with 0
    assert_eq!(raw(2), format!("19{PAN19}0"));
    assert_eq!(raw(3), "000000");
    assert_eq!(raw(4), "000000001234");
    // 22: left-aligned, right pad (`071` style); 23: right-aligned, left pad
    assert_eq!(raw(22), "0510");
    assert_eq!(raw(23), "0001");
    // 35: z LLVAR, separator as nibble D
    // odd length (33 digits): right pad nibble 0
    assert_eq!(raw(35), format!("33{PAN19}D25122011234560"));
    assert_eq!(raw(41), hex::encode_upper("12345678"));
    // 60: LLLVAR BCD digits `22 000024 000 6 00`
    assert_eq!(raw(60), "001422000024000600");
    assert_eq!(raw(52), hex::encode_upper(PIN_BLOCK));
    let f55 = dm.field(55).map(|f| f.length).unwrap_or_default();
    assert_eq!(&raw(55)[..4], format!("{f55:04}"));

    let resp = sale_response(PAN17, "00").encode(&cup).unwrap_or_default();
    let dr = decode(&cup, &resp).unwrap_or_else(|e| panic!("{e}"));
    // 43: GBK, space padded to 40 bytes
    let f43 = dr
        .field(43)
        .map(|f| resp[f.data.clone()].to_vec())
        .unwrap_or_default();
    assert_eq!(f43.len(), 40);
    assert_eq!(&f43[..8], &[0xB2, 0xE2, 0xCA, 0xD4, 0xC9, 0xCC, 0xBB, 0xA7]);
    assert_eq!(dr.str(43).map(str::trim_end), Some("测试商户"));
    // 44: 44.1 issuer ID + 44.2 acquirer ID
    let ex = explain(&cup, &resp);
    let json = serde_json::to_value(&ex).unwrap_or_default();
    assert_eq!(
        json["fields"]["44"]["subfields"]["44.1"]["value"],
        "0309       "
    );
    assert_eq!(
        json["fields"]["44"]["subfields"]["44.2"]["value"],
        "4843       "
    );
    assert_eq!(json["fields"]["43"]["value"], format!("{:<36}", "测试商户"));
}

#[test]
fn cup_ecb_mac_goes_into_field_64_as_ascii() {
    let key = MacKey::from_hex("0123456789ABCDEF").unwrap_or_else(|e| panic!("{e}"));
    let mab = hex::decode("0200702406C020C19A31").unwrap_or_default();
    let mac = mac::compute(MacAlgorithm::CupEcb, &key, &mab).unwrap_or_default();
    assert_eq!(mac, [0x44, 0x30, 0x32, 0x31, 0x36, 0x41, 0x31, 0x42]);
    let k2 = MacKey::from_hex("0123456789ABCDEFFEDCBA9876543210").unwrap_or_else(|e| panic!("{e}"));
    let x919 = mac::compute(MacAlgorithm::X919, &k2, &mab).unwrap_or_default();
    assert_eq!(hex::encode_upper(x919), "D52DA796BD156E8B");
    let x99 = mac::compute(MacAlgorithm::X99, &key, &mab).unwrap_or_default();
    assert_eq!(hex::encode_upper(x99), "F98E0B5C50B84469");
}

#[test]
fn signed_frames_verify_and_tampering_is_caught() {
    for (alg, k) in [
        (MacAlgorithm::CupEcb, "0123456789ABCDEF"),
        (MacAlgorithm::CupEcb, "0123456789ABCDEFFEDCBA9876543210"),
        (MacAlgorithm::X99, "0123456789ABCDEF"),
        (MacAlgorithm::X919, "0123456789ABCDEFFEDCBA9876543210"),
    ] {
        let mut dialect = Dialect::cup();
        dialect.mac = alg;
        let key = MacKey::from_hex(k).unwrap_or_else(|e| panic!("{e}"));
        let frame =
            mac::sign(&sale_request(PAN19), &dialect, &key).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            mac::verify_frame(&dialect, &key, &frame),
            Ok(true),
            "{alg:?}"
        );
        // The MAB starts at the MTI: changing the TPDU or header does not break the MAC.
        let mut other_tpdu = frame.clone();
        other_tpdu[4] = 0x06;
        assert_eq!(mac::verify_frame(&dialect, &key, &other_tpdu), Ok(true));
        // Changing the amount does.
        let dm = decode(&dialect, &frame).unwrap_or_else(|e| panic!("{e}"));
        let amount_at = dm.field(4).map(|f| f.data.end - 1).unwrap_or_default();
        let mut tampered = frame.clone();
        tampered[amount_at] ^= 0x01;
        assert_eq!(
            mac::verify_frame(&dialect, &key, &tampered),
            Ok(false),
            "{alg:?}"
        );
    }
    let cup = Dialect::cup();
    let key = MacKey::from_hex("0123456789ABCDEF").unwrap_or_else(|e| panic!("{e}"));
    let unsigned = sale_request(PAN19).encode(&cup).unwrap_or_default();
    assert_eq!(
        mac::verify_frame(&cup, &key, &unsigned),
        Err(mac::MacError::NoMacField)
    );
}

// ---------------------------------------------------------------- response codes (§6)

#[test]
fn response_code_examples() {
    let c = codes::lookup("51");
    assert_eq!(
        (c.meaning.zh.as_ref(), c.meaning.en.as_ref()),
        ("余额不足", "insufficient funds")
    );
    assert_eq!(c.class, Some(PosClass::C));
    assert_eq!(codes::lookup("98").class, Some(PosClass::E));
    assert_eq!(codes::lookup("A0").class, Some(PosClass::B));
    assert_eq!(codes::lookup("99").class, Some(PosClass::B));
    assert_eq!(codes::lookup("77").class, Some(PosClass::D));
    assert_eq!(codes::lookup("97").class, Some(PosClass::D));
    assert_eq!(codes::lookup("00").class, Some(PosClass::A));
    for code in codes::SUCCESS_CODES {
        assert!(codes::lookup(code).success);
    }
    assert!(!codes::lookup("05").success);
    let unknown = codes::lookup("QQ");
    assert!(!unknown.known && !unknown.success);
    assert_eq!(unknown.class, None);
    assert!(unknown.meaning.zh.starts_with("交易失败"));
}

#[test]
fn response_in_explain_and_summary() {
    let cup = Dialect::cup();
    let frame = sale_response(PAN17, "51").encode(&cup).unwrap_or_default();
    let json = serde_json::to_value(explain(&cup, &frame)).unwrap_or_default();
    assert_eq!(json["mti"], "0210");
    assert_eq!(json["response_code"]["code"], "51");
    assert_eq!(json["response_code"]["class"], "C");
    assert_eq!(json["response_code"]["success"], false);
    assert_eq!(json["response_code"]["meaning"]["en"], "insufficient funds");
    let dm = decode(&cup, &frame).unwrap_or_else(|e| panic!("{e}"));
    let line = summary_line(&dm);
    assert!(
        line.starts_with("0210 39=51 余额不足/insufficient funds (C)"),
        "{line}"
    );
    assert!(line.contains("622588*******7899"), "{line}");

    let req = sale_request(PAN19).encode(&cup).unwrap_or_default();
    let dm = decode(&cup, &req).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        summary_line(&dm),
        "0200 sale 12.34 PAN 621483*********0125 STAN 000123"
    );
    assert_eq!(
        summarize(&cup, &req).zh,
        "0200 消费 12.34 卡号 621483*********0125 流水 000123"
    );
}

#[test]
fn re_sign_on_requirement_is_surfaced() {
    let cup = Dialect::cup();
    let mut envelope = Envelope::from_dialect(&cup);
    let mut header = envelope.cup_header().unwrap_or(CupHeader([0; 6]));
    header.set_processing_requirement(ProcessingRequirement::ReSignOn);
    envelope.header = header.0.to_vec();
    let frame = sale_response(PAN17, "A0")
        .encode_with(&cup, &envelope)
        .unwrap_or_default();
    let dm = decode(&cup, &frame).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        dm.processing_requirement(),
        Some(ProcessingRequirement::ReSignOn)
    );
    let json = serde_json::to_value(explain(&cup, &frame)).unwrap_or_default();
    assert_eq!(json["header"]["processing_requirement"]["code"], "3");
    assert_eq!(
        json["header"]["processing_requirement"]["meaning"]["zh"],
        "重新签到"
    );
    assert!(summary_line(&dm).contains("header=3 重新签到/re-sign-on requested"));
}

// ---------------------------------------------------------------- round trips (§2)

#[test]
fn every_message_type_round_trips() {
    let cup = Dialect::cup();
    let cases: Vec<(Message, TransactionKind)> = vec![
        (sign_on("001"), TransactionKind::SignOn),
        (sign_on("003"), TransactionKind::SignOn),
        (sign_on("004"), TransactionKind::SignOn),
        (sign_on_response("001", 24), TransactionKind::SignOn),
        (sign_on_response("003", 40), TransactionKind::SignOn),
        (sign_on_response("004", 60), TransactionKind::SignOn),
        (
            Message::new(mti("0820"))
                .with(11, d("000002"))
                .with(41, t("12345678"))
                .with(42, t("102030405060708"))
                .with(60, d("00000024002")),
            TransactionKind::SignOff,
        ),
        (
            Message::new(mti("0830"))
                .with(11, d("000002"))
                .with(39, t("00"))
                .with(41, t("12345678"))
                .with(42, t("102030405060708"))
                .with(60, d("00000024002")),
            TransactionKind::SignOff,
        ),
        (sale_request(PAN19), TransactionKind::Sale),
        (sale_request(PAN17), TransactionKind::Sale),
        (sale_response(PAN19, "00"), TransactionKind::Sale),
        (sale_response(PAN17, "51"), TransactionKind::Sale),
        (
            sale_request(PAN17)
                .with(3, d("200000"))
                .with(37, t("153012000123"))
                .with(60, d("23000024000600"))
                .with(61, d("0000240001230630")),
            TransactionKind::SaleVoid,
        ),
        (
            sale_response(PAN17, "00")
                .with(3, d("200000"))
                .with(60, d("23000024")),
            TransactionKind::SaleVoid,
        ),
        (reversal(PAN19, "98"), TransactionKind::Reversal),
        (reversal(PAN17, "96"), TransactionKind::Reversal),
        (
            Message::new(mti("0410"))
                .with(2, d(PAN19))
                .with(3, d("000000"))
                .with(4, d("000000001234"))
                .with(11, d("000123"))
                .with(39, t("00"))
                .with(41, t("12345678"))
                .with(42, t("102030405060708"))
                .with(60, d("22000024")),
            TransactionKind::Reversal,
        ),
        (
            sale_request(PAN19)
                .with(3, d("310000"))
                .with(60, d("01000024000600")),
            TransactionKind::BalanceInquiry,
        ),
        (
            sale_response(PAN19, "00")
                .with(3, d("310000"))
                .with(54, t("1002156C000000123456"))
                .with(60, d("01000024")),
            TransactionKind::BalanceInquiry,
        ),
        (
            Message::new(mti("0500"))
                .with(11, d("000200"))
                .with(41, t("12345678"))
                .with(42, t("102030405060708"))
                .with(
                    48,
                    d(&[
                        "000000012345",
                        "001",
                        "000000000000",
                        "000",
                        "0",
                        "000000000000",
                        "000",
                        "000000000000",
                        "000",
                        "0",
                    ]
                    .concat()),
                )
                .with(49, t("156"))
                .with(60, d("00000024201"))
                .with(63, t("001")),
            TransactionKind::Settlement,
        ),
        (
            Message::new(mti("0510"))
                .with(11, d("000200"))
                .with(15, d("0630"))
                .with(39, t("00"))
                .with(41, t("12345678"))
                .with(42, t("102030405060708"))
                .with(
                    48,
                    d(&[
                        "000000012345",
                        "001",
                        "000000000000",
                        "000",
                        "1",
                        "000000000000",
                        "000",
                        "000000000000",
                        "000",
                        "1",
                    ]
                    .concat()),
                )
                .with(60, d("00000024201")),
            TransactionKind::Settlement,
        ),
        (
            Message::new(mti("0320"))
                .with(11, d("000201"))
                .with(41, t("12345678"))
                .with(42, t("102030405060708"))
                .with(48, d("0001"))
                .with(60, d("00000024207")),
            TransactionKind::BatchUpload,
        ),
        (
            Message::new(mti("0330"))
                .with(11, d("000201"))
                .with(39, t("00"))
                .with(41, t("12345678"))
                .with(42, t("102030405060708"))
                .with(60, d("00000024207")),
            TransactionKind::BatchUpload,
        ),
    ];
    for (m, kind) in cases {
        let bytes = roundtrip(&cup, &m);
        let dm = decode(&cup, &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(dm.transaction(), kind, "{}", m.mti);
    }
}

#[test]
fn sign_on_keys_show_only_kcv() {
    let cup = Dialect::cup();
    let frame = sign_on_response("003", 40).encode(&cup).unwrap_or_default();
    let dm = decode(&cup, &frame).unwrap_or_else(|e| panic!("{e}"));
    let keys = dm
        .field(62)
        .map(|f| frame[f.data.clone()].to_vec())
        .unwrap_or_default();
    let ex = explain(&cup, &frame);
    let json = serde_json::to_string(&ex).unwrap_or_default();
    let key_hex = hex::encode_upper(&keys[..16]);
    assert!(!json.contains(&key_hex), "key bytes leaked: {json}");
    let value = serde_json::to_value(&ex).unwrap_or_default();
    assert_eq!(value["fields"]["62"]["value"], "***(40 bytes)");
    let kcv = hex::encode_upper(&keys[16..20]);
    assert_eq!(
        value["fields"]["62"]["subfields"]["62.1"]["value"],
        format!("***(16 bytes) KCV {kcv}")
    );
    let redacted = redact_message(&cup, &frame);
    assert!(!redacted.windows(16).any(|w| w == &keys[..16]));
    assert_eq!(
        summary_line(&dm),
        "0810 sign-on 60.3=003 39=00 承兑或交易成功/approved (A) STAN 000001"
    );
    // the request's 62 (terminal info) is not secret
    let req = sign_on("003").encode(&cup).unwrap_or_default();
    let json = serde_json::to_value(explain(&cup, &req)).unwrap_or_default();
    assert_eq!(
        json["fields"]["62"]["subfields"]["62.text"]["value"],
        "Sequence No12345678"
    );
    assert_eq!(
        json["fields"]["60"]["subfields"]["60.3"]["meaning"]["en"],
        "sign-on, double-length keys (3DES)"
    );
}

// ---------------------------------------------------------------- explain contract

#[test]
fn explain_json_contract() {
    let cup = Dialect::cup();
    let frame = sale_request(PAN19).encode(&cup).unwrap_or_default();
    let json = serde_json::to_value(explain(&cup, &frame)).unwrap_or_default();
    assert_eq!(json["mti"], "0200");
    assert_eq!(json["transaction"], "sale");
    assert_eq!(json["tpdu"]["destination"], "0003");
    assert_eq!(json["fields"]["3"]["value"], "000000");
    assert_eq!(json["fields"]["3"]["name"]["zh"], "交易处理码");
    assert_eq!(json["fields"]["3"]["name"]["en"], "processing code");
    assert_eq!(json["fields"]["3"]["raw"], "000000");
    assert_eq!(json["fields"]["41"]["value"], "12345678");
    assert_eq!(json["fields"]["2"]["value"], "621483*********0125");
    assert_eq!(json["fields"]["60"]["subfields"]["60.1"]["value"], "22");
    assert_eq!(
        json["fields"]["60"]["subfields"]["60.1"]["meaning"]["en"],
        "sale"
    );
    assert_eq!(json["fields"]["60"]["subfields"]["60.2"]["value"], "000024");
    assert_eq!(
        json["fields"]["53"]["subfields"]["53.1"]["meaning"]["en"],
        "ANSI X9.8 with PAN"
    );
    let tlv = &json["fields"]["55"]["tlv"]["items"];
    assert_eq!(tlv[0]["tag"], "9F26");
    assert_eq!(tlv[0]["name"]["en"], "application cryptogram (ARQC)");
    assert_eq!(tlv[0]["value"], "1F2E3D4C5B6A7988");
    assert!(json["response_code"].is_null());
    assert!(json["error"].is_null());
    let lines = explain(&cup, &frame).to_lines(Lang::Zh);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("60.1 交易类型码: 22 (消费)")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("9F26 应用密文 (ARQC)")),
        "{lines:#?}"
    );
    let en = explain(&cup, &frame).to_lines(Lang::En);
    assert!(
        en.iter().any(|l| l.starts_with("MTI 0200 — sale")),
        "{en:#?}"
    );
}

// ---------------------------------------------------------------- errors

#[test]
fn errors_name_field_and_offset() {
    let cup = Dialect::cup();
    let frame = sale_request(PAN19).encode(&cup).unwrap_or_default();
    let dm = decode(&cup, &frame).unwrap_or_else(|e| panic!("{e}"));
    let f35 = dm.field(35).map(|f| f.span.clone()).unwrap_or_default();
    // cut inside field 35 (and fix the length prefix so only the field is short)
    let mut cut = frame[..f35.start + 3].to_vec();
    let n = (cut.len() - 2) as u16;
    cut[..2].copy_from_slice(&n.to_be_bytes());
    let err = decode(&cup, &cut).err();
    assert_eq!(
        err,
        Some(DecodeError::Truncated {
            part: Part::Field(35),
            offset: f35.start + 1,
            needed: 17,
            available: 2,
        })
    );
    let text = err.map(|e| e.text()).unwrap_or_default();
    assert!(
        text.en.contains("field 35") && text.zh.contains("域 35"),
        "{text:?}"
    );

    // a field without spec
    let mut undefined = frame.clone();
    undefined[15] |= 0x80 >> 4; // bit 5
    assert!(matches!(
        decode(&cup, &undefined),
        Err(DecodeError::UndefinedField { field: 5, .. })
    ));

    // explain says where it stopped, and fails closed: a frame that did not decode shows
    // its envelope and MTI, no field (docs/redaction.md)
    let json = serde_json::to_value(explain(&cup, &cut)).unwrap_or_default();
    assert_eq!(json["error"]["field"], 35);
    assert_eq!(json["error"]["offset"], f35.start + 1);
    assert_eq!(json["mti"], "0200");
    assert_eq!(json["fields"], serde_json::json!({}));
    assert!(json["bitmap"].is_null());
}

#[test]
fn wrong_lengths_are_warned() {
    let cup = Dialect::cup();
    let mut frame = sign_on("001").encode(&cup).unwrap_or_default();
    frame.extend([0xAB, 0xCD]);
    let dm = decode(&cup, &frame).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dm.warnings.len(), 2, "{:?}", dm.warnings);
}

#[test]
fn dialect_overrides_change_the_wire() {
    let mut dialect: Dialect = toml::from_str(
        r#"
        length_prefix = "ascii4"
        [tpdu]
        present = false
        [header]
        length = 0
        layout = "opaque"
        value = ""
        [[fields]]
        number = 63
        encoding = "binary"
        length = "lllvar"
        max = 163
        name_zh = "国密数据"
        name_en = "SM data"
        "#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dialect.validate(), Ok(()));
    let m = Message::new(mti("0800"))
        .with(11, d("000001"))
        .with(41, t("12345678"))
        .with(63, FieldValue::binary(b"SM016\x01\x02\x03".to_vec()));
    let bytes = roundtrip(&dialect, &m);
    assert_eq!(&bytes[..4], format!("{:04}", bytes.len() - 4).as_bytes());
    assert_eq!(&bytes[4..6], &[0x08, 0x00]);
    let json = serde_json::to_value(explain(&dialect, &bytes)).unwrap_or_default();
    assert_eq!(json["fields"]["63"]["name"]["en"], "SM data");
    dialect.fields.clear();
    assert!(
        m.encode(&dialect).is_err(),
        "binary value no longer fits a GBK field"
    );
}

// ---------------------------------------------------------------- redaction (§10)

fn bcd(digits: &str, pad_left: bool) -> Vec<u8> {
    let mut s = digits.to_string();
    if s.len() % 2 == 1 {
        if pad_left {
            s.insert(0, '0');
        } else {
            s.push('0');
        }
    }
    hex::decode(s).unwrap_or_default()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

fn assert_no_card_data(bytes: &[u8], pan: &str) {
    let middle = &pan[6..pan.len() - 4];
    assert!(!contains(bytes, pan.as_bytes()), "ASCII PAN found");
    assert!(
        !contains(bytes, middle.as_bytes()),
        "ASCII PAN middle found"
    );
    for pad_left in [false, true] {
        assert!(!contains(bytes, &bcd(pan, pad_left)), "BCD PAN found");
    }
    // middle digits packed at either nibble alignment
    for skip in 0..2 {
        let shifted = &pan[6 + skip..pan.len() - 4];
        let even = &shifted[..shifted.len() / 2 * 2];
        assert!(!contains(bytes, &bcd(even, false)), "BCD PAN middle found");
    }
    assert!(!contains(bytes, &PIN_BLOCK), "PIN block found");
}

#[test]
fn redaction_removes_pan_track_and_pin() {
    let cup = Dialect::cup();
    for pan in [PAN19, PAN17] {
        let m = sale_request(pan).with(55, FieldValue::binary(icc_data(true)));
        let frame = m.encode(&cup).unwrap_or_default();
        assert!(
            contains(&frame, &bcd(pan, false)),
            "test needs the PAN in the frame"
        );
        let redacted = redact_message(&cup, &frame);
        assert_eq!(redacted.len(), frame.len());
        assert_no_card_data(&redacted, pan);
        // still decodes, same structure, masked PAN keeps BIN and last four
        let dm = decode(&cup, &redacted).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(dm.fields.len(), m.fields.len());
        let shown = dm.field(2).map(|f| f.display()).unwrap_or_default();
        assert_eq!(&shown[..6], &pan[..6]);
        assert_eq!(&shown[shown.len() - 4..], &pan[pan.len() - 4..]);
        // the views hold no card data either, from raw or redacted bytes
        for bytes in [&frame, &redacted] {
            let json = serde_json::to_string(&explain(&cup, bytes)).unwrap_or_default();
            assert_no_card_data(json.as_bytes(), pan);
            assert!(
                !json.contains(&hex::encode_upper(bcd(pan, false))),
                "hex PAN in JSON"
            );
            let track_hex = format!("{pan}D2512");
            assert!(!json.contains(&track_hex), "hex track in JSON");
            assert!(
                !json.contains(&hex::encode_upper(PIN_BLOCK)),
                "PIN block hex in JSON"
            );
            let lines = explain(&cup, bytes).to_lines(Lang::En).join("\n");
            assert_no_card_data(lines.as_bytes(), pan);
            assert!(!lines.contains(&track_hex));
            let decoded = decode(&cup, bytes).unwrap_or_else(|e| panic!("{e}"));
            let debug = format!("{decoded:?} {:?}", decoded.to_message());
            assert_no_card_data(debug.as_bytes(), pan);
            assert_no_card_data(summary_line(&decoded).as_bytes(), pan);
        }
        let dm = decode(&cup, &frame).unwrap_or_else(|e| panic!("{e}"));
        let spans = sensitive_spans(&dm, &frame);
        // 2, 35, 52 and 5A + 57 inside 55
        assert_eq!(spans.len(), 5, "{spans:?}");
    }
}

#[test]
fn unparsable_messages_are_redacted_conservatively() {
    let cup = Dialect::cup();
    let frame = sale_request(PAN19).encode(&cup).unwrap_or_default();
    let mut broken = frame.clone();
    // field 2's length says 99 digits: more than its maximum of 19
    let at = 2 + 5 + 6 + 2 + 8;
    broken[at] = 0x99;
    assert!(decode(&cup, &broken).is_err());
    let redacted = redact_message(&cup, &broken);
    assert_eq!(redacted.len(), broken.len());
    // Fails closed: only the length prefix stays; a TPDU, header or bitmap of a frame that
    // does not decode may be card data of a stream out of step.
    assert_eq!(&redacted[..2], &broken[..2], "length prefix kept");
    assert!(redacted[2..].iter().all(|b| *b == 0));
    assert_no_card_data(&redacted, PAN19);
    // and frames that stop before the bitmap keep only their length prefix too
    let short = &frame[..16];
    let redacted = redact_message(&cup, short);
    assert_eq!(&redacted[..2], &short[..2]);
    assert!(redacted[2..].iter().all(|b| *b == 0));
}

// ---------------------------------------------------------------- property tests

fn field_strategy(number: u8) -> BoxedStrategy<FieldValue> {
    let spec = Dialect::cup()
        .field_spec(number)
        .unwrap_or_else(|| panic!("no spec {number}"));
    use posdiag::proto::iso8583::{Encoding, LengthKind};
    let max = usize::from(spec.max);
    let len = match spec.length {
        LengthKind::Fixed => (max..=max).boxed(),
        _ => (0..=max.min(60)).boxed(),
    };
    match spec.encoding {
        Encoding::Bcd => len
            .prop_flat_map(|n| proptest::collection::vec(0u8..10, n))
            .prop_map(|v| FieldValue::Digits(v.iter().map(|d| char::from(b'0' + d)).collect()))
            .boxed(),
        Encoding::Track => len
            .prop_flat_map(|n| proptest::collection::vec(0u8..11, n))
            .prop_map(|v| {
                FieldValue::Digits(
                    v.iter()
                        .map(|d| if *d == 10 { '=' } else { char::from(b'0' + d) })
                        .collect(),
                )
            })
            .boxed(),
        Encoding::Ascii => len
            .prop_flat_map(|n| proptest::collection::vec(0x20u8..0x7F, n))
            .prop_map(|v| FieldValue::Text(v.into_iter().map(char::from).collect()))
            .boxed(),
        Encoding::Gbk => {
            let is_fixed = spec.length == LengthKind::Fixed;
            proptest::collection::vec(
                prop_oneof![
                    Just("测"),
                    Just("试"),
                    Just("商"),
                    Just("户"),
                    Just("a"),
                    Just(" "),
                    Just("9")
                ],
                0..=(max / 2).min(20),
            )
            .prop_map(move |parts| {
                let mut s: String = parts.concat();
                if is_fixed {
                    let bytes = encoding_rs::GBK.encode(&s).0.len();
                    s.extend(std::iter::repeat_n(' ', max.saturating_sub(bytes)));
                }
                FieldValue::Text(s)
            })
            .boxed()
        }
        Encoding::Binary => len
            .prop_flat_map(|n| proptest::collection::vec(any::<u8>(), n))
            .prop_map(FieldValue::Binary)
            .boxed(),
    }
}

fn message_strategy() -> impl Strategy<Value = Message> {
    let numbers: Vec<u8> = posdiag::proto::iso8583::fields::CUP_FIELDS
        .iter()
        .map(|f| f.number)
        .collect();
    let mtis = prop_oneof![
        Just("0100"),
        Just("0110"),
        Just("0200"),
        Just("0210"),
        Just("0220"),
        Just("0230"),
        Just("0320"),
        Just("0330"),
        Just("0400"),
        Just("0410"),
        Just("0500"),
        Just("0510"),
        Just("0800"),
        Just("0810"),
        Just("0820"),
        Just("0830"),
    ];
    let fields: Vec<BoxedStrategy<Option<(u8, FieldValue)>>> = numbers
        .into_iter()
        .map(|n| proptest::option::of(field_strategy(n).prop_map(move |v| (n, v))).boxed())
        .collect();
    (mtis, fields).prop_map(|(m, fs)| {
        let mut msg = Message::new(mti(m));
        for (n, v) in fs.into_iter().flatten() {
            msg.set(n, v);
        }
        msg
    })
}

/// ASCII length, no TPDU, a monitor block, an opaque header, ASCII MTI and a secondary field.
fn other_dialect() -> Dialect {
    toml::from_str(
        r#"
        length_prefix = "ascii4"
        monitor_block_len = 3
        mti = "ascii"
        [tpdu]
        present = false
        [header]
        length = 2
        layout = "opaque"
        value = "0102"
        [[fields]]
        number = 100
        encoding = "track"
        length = "llvar"
        max = 11
        "#,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        for dialect in [Dialect::cup(), other_dialect()] {
            let _ = decode(&dialect, &bytes);
            let ex = explain(&dialect, &bytes);
            let _ = ex.to_lines(Lang::Zh);
            let _ = serde_json::to_string(&ex);
            let _ = summarize(&dialect, &bytes);
            prop_assert_eq!(redact_message(&dialect, &bytes).len(), bytes.len());
            let _ = frame_length(&dialect, &bytes);
        }
    }

    #[test]
    fn arbitrary_bodies_behind_a_valid_envelope_never_panic(
        bitmap in any::<[u8; 16]>(),
        body in proptest::collection::vec(any::<u8>(), 0..400),
    ) {
        let cup = Dialect::cup();
        let mut inner = vec![0x60, 0x00, 0x03, 0x00, 0x00, 0x60, 0x31, 0x00, 0x31, 0x00, 0x00, 0x02, 0x10];
        inner.extend(bitmap);
        inner.extend(body);
        let mut frame = (inner.len() as u16).to_be_bytes().to_vec();
        frame.extend(inner);
        let partial = decode_partial(&cup, &frame);
        let _ = explain(&cup, &frame).to_lines(Lang::En);
        let _ = summarize(&cup, &frame);
        let redacted = redact_message(&cup, &frame);
        prop_assert_eq!(redacted.len(), frame.len());
        if let (Some(m), None) = (&partial.message, &partial.error) {
            // a frame that decodes also decodes after redaction, with the same fields
            let again = decode(&cup, &redacted);
            prop_assert!(again.is_ok());
            let n = again.map(|d| d.fields.len()).unwrap_or_default();
            prop_assert_eq!(n, m.fields.len());
        }
    }

    #[test]
    fn valid_messages_round_trip(m in message_strategy()) {
        let cup = Dialect::cup();
        let bytes = m.encode(&cup);
        prop_assert!(bytes.is_ok(), "{:?}", bytes);
        let bytes = bytes.unwrap_or_default();
        let decoded = decode(&cup, &bytes);
        prop_assert!(decoded.is_ok(), "{:?}", decoded.err());
        let decoded = decoded.unwrap_or_else(|_| unreachable!());
        prop_assert_eq!(&decoded.to_message(), &m);
        prop_assert_eq!(decoded.to_message().encode(&cup).unwrap_or_default(), bytes.clone());
        let redacted = redact_message(&cup, &bytes);
        prop_assert_eq!(redacted.len(), bytes.len());
        prop_assert!(decode(&cup, &redacted).is_ok());
    }
}

#[test]
fn secondary_bitmap_and_ascii_framing_round_trip() {
    let dialect = other_dialect();
    assert_eq!(dialect.validate(), Ok(()));
    let m = Message::new(mti("0200"))
        .with(3, d("000000"))
        .with(100, d("12345678901"));
    let bytes = roundtrip(&dialect, &m);
    // "NNNN" + 3-byte monitor block + 2-byte header + ASCII MTI + 16-byte bitmap
    assert_eq!(&bytes[4..7], &[0, 0, 0]);
    assert_eq!(&bytes[7..9], &[1, 2]);
    assert_eq!(&bytes[9..13], b"0200");
    assert_eq!(
        bytes[13] & 0xA0,
        0xA0,
        "bit 1 (secondary bitmap) and bit 3 set"
    );
    assert_eq!(&bytes[29..32], &[0, 0, 0], "field 3");
    assert_eq!(bytes[32], 0x11, "field 100: 11 digits, BCD length");
}
