//! The realistic CUP messages the benchmarks share: a 0200 IC sale (track 2, PIN block,
//! field 55, MAC) and its 0210.

use posdiag::proto::iso8583::{tlv, FieldValue, Message, Mti};

fn mti(s: &str) -> Mti {
    Mti::new(s).unwrap_or_else(|| panic!("{s}"))
}

fn icc() -> Vec<u8> {
    let tags: [(u32, &[u8]); 15] = [
        (0x9F26, &[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]),
        (0x9F27, &[0x80]),
        (
            0x9F10,
            &[0x07, 0x01, 0x01, 0x03, 0xA0, 0x00, 0x00, 0x01, 0x0A, 0x01],
        ),
        (0x9F37, &[0x12, 0x34, 0x56, 0x78]),
        (0x9F36, &[0x00, 0x2A]),
        (0x95, &[0x00, 0x00, 0x00, 0x08, 0x00]),
        (0x9A, &[0x26, 0x03, 0x01]),
        (0x9C, &[0x00]),
        (0x9F02, &[0x00, 0x00, 0x00, 0x01, 0x23, 0x45]),
        (0x5F2A, &[0x01, 0x56]),
        (0x82, &[0x7C, 0x00]),
        (0x9F1A, &[0x01, 0x56]),
        (0x9F03, &[0, 0, 0, 0, 0, 0]),
        (0x9F33, &[0xE0, 0xE1, 0xC8]),
        (0x9F34, &[0x42, 0x03, 0x00]),
    ];
    tags.iter().flat_map(|(t, v)| tlv::encode(*t, v)).collect()
}

pub fn sale() -> Message {
    Message::new(mti("0200"))
        .with(2, FieldValue::digits("6225880123456789012"))
        .with(3, FieldValue::digits("000000"))
        .with(4, FieldValue::digits("000000012345"))
        .with(11, FieldValue::digits("000123"))
        .with(14, FieldValue::digits("2912"))
        .with(22, FieldValue::digits("051"))
        .with(23, FieldValue::digits("001"))
        .with(25, FieldValue::digits("00"))
        .with(26, FieldValue::digits("12"))
        .with(35, FieldValue::digits("6225880123456789012=29121011234567"))
        .with(41, FieldValue::text("29001006"))
        .with(42, FieldValue::text("898310048990001"))
        .with(49, FieldValue::text("156"))
        .with(52, FieldValue::binary([1, 2, 3, 4, 5, 6, 7, 8]))
        .with(53, FieldValue::digits("2600000000000000"))
        .with(55, FieldValue::binary(icc()))
        .with(60, FieldValue::digits("22000001000500"))
        .with(64, FieldValue::binary(*b"8F651B26"))
}

pub fn sale_response() -> Message {
    Message::new(mti("0210"))
        .with(2, FieldValue::digits("6225880123456789012"))
        .with(3, FieldValue::digits("000000"))
        .with(4, FieldValue::digits("000000012345"))
        .with(11, FieldValue::digits("000123"))
        .with(12, FieldValue::digits("101530"))
        .with(13, FieldValue::digits("0301"))
        .with(14, FieldValue::digits("2912"))
        .with(15, FieldValue::digits("0301"))
        .with(25, FieldValue::digits("00"))
        .with(32, FieldValue::digits("48430000"))
        .with(37, FieldValue::text("000000000042"))
        .with(38, FieldValue::text("123456"))
        .with(39, FieldValue::text("00"))
        .with(41, FieldValue::text("29001006"))
        .with(42, FieldValue::text("898310048990001"))
        .with(44, FieldValue::text("0309       4843       "))
        .with(49, FieldValue::text("156"))
        .with(
            55,
            FieldValue::binary(tlv::encode(0x91, &[1, 2, 3, 4, 5, 6, 7, 8, 0x30, 0x30])),
        )
        .with(60, FieldValue::digits("22000001000500"))
        .with(64, FieldValue::binary(*b"D0216A1B"))
}
