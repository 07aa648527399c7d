//! Inputs the fuzz targets (fuzz/, docs/fuzzing.md) found, kept as tests so `cargo test`
//! holds the fixes without a nightly toolchain.

use posdiag::proto::iso8583::dialect::{HeaderLayout, HexBytes};
use posdiag::proto::iso8583::{
    decode_partial, redact_message, Dialect, Encoding, FieldOverride, LengthKind, LengthPrefix, Pad,
};
use posdiag::proto::zvt::{redact_apdu, redact_serial_frame, SerialDeframer, SerialEvent};

/// fuzz/artifacts/iso8583_redact/crash-4f45e479…: no length prefix, a TPDU, no header, and
/// field 2 overridden to one fixed BCD digit.
fn one_digit_pan_dialect() -> Dialect {
    let mut d = Dialect::cup();
    d.length_prefix = LengthPrefix::None;
    d.header.length = 0;
    d.header.layout = HeaderLayout::Opaque;
    d.header.value = HexBytes(Vec::new());
    d.fields.push(FieldOverride {
        number: 2,
        encoding: Encoding::Bcd,
        length: LengthKind::Fixed,
        max: 1,
        pad: Pad::Right,
        name_zh: None,
        name_en: None,
    });
    d.validate().expect("a dialect a profile could load");
    d
}

#[test]
fn iso8583_frame_that_does_not_decode_is_hidden_after_its_length() {
    // Found by iso8583_redact as "redacting twice differs": field 56 claims 8011 bytes, so the
    // frame is zero-filled after its bitmap; those zeros decode, and a second pass masks the
    // one-digit "PAN" 0 as F. Not a leak; the fuzz oracle now checks idempotence only for
    // frames that decode. What must hold is that nothing after the structure survives.
    let dialect = one_digit_pan_dialect();
    let input = hex::decode(
        "00346010030000600000000000110000000000000000200000\
         00c18011002001303030303133363236300037320000303139333136393234380000",
    )
    .expect("hex");
    let partial = decode_partial(&dialect, &input);
    assert!(partial.error.is_some());
    let once = redact_message(&dialect, &input);
    assert_eq!(once.len(), input.len());
    // Fails closed: at most the length prefix stays (docs/redaction.md).
    assert!(once[2..].iter().all(|&b| b == 0));
    // The second pass only masks: every byte it changes was already hidden.
    let twice = redact_message(&dialect, &once);
    assert!(once.iter().zip(&twice).all(|(a, b)| a == b || *a == 0));
}

/// The APDUs of the frames (good CRC or not) in serial bytes.
fn frames(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut deframer = SerialDeframer::new();
    let mut events = deframer.push(bytes);
    events.extend(deframer.flush());
    events
        .into_iter()
        .filter_map(|e| match e {
            SerialEvent::Frame { apdu, .. } | SerialEvent::BadCrc { apdu, .. } => Some(apdu),
            _ => None,
        })
        .collect()
}

#[test]
fn zvt_serial_redaction_keeps_every_frame_readable() {
    // Found by zvt_redact as "the length changed" (102 → 99 bytes): redacted serial bytes are
    // re-framed, so DLE stuffing may change the length (documented). What must hold: every
    // frame is still a frame, carrying its redacted APDU, and the APDU form keeps its length.
    let input = hex::decode(
        "0685041e3523000000800000000000101002000000b835b8870000101000a1000000800000000000\
         101002000000b835b8870000101000a1bb0d0d0d0d0d0d0d0d06d10d0d0d0d0d0d0d0dd33800097801\
         efd6ad52100301060626030000002304ff8787ffff",
    )
    .expect("hex");
    let redacted = redact_serial_frame(&input);
    let before: Vec<Vec<u8>> = frames(&input).iter().map(|a| redact_apdu(a)).collect();
    assert!(!before.is_empty(), "the input holds frames");
    assert_eq!(frames(&redacted), before);
    assert_eq!(redact_apdu(&input).len(), input.len());
}

#[test]
fn zvt_serial_redaction_second_pass_only_hides_more() {
    // Found by zvt_redact as "redacting twice differs": a broken frame (`10 02` … `10 00`)
    // among binary noise. Now the noise and the frame are hidden together on the first pass;
    // a second pass may only hide more.
    let input = hex::decode("001a2406781002124035020210002628").expect("hex");
    let once = redact_serial_frame(&input);
    // Binary noise next to a broken frame is hidden whole with it (fails closed).
    assert!(
        once[..14].iter().all(|&b| b == 0),
        "the noise and the broken frame are hidden: {once:02X?}"
    );
    let twice = redact_serial_frame(&once);
    assert_eq!(twice.len(), once.len());
    assert!(once.iter().zip(&twice).all(|(a, b)| a == b || *b == 0));
}

#[test]
fn zvt_tlv_container_that_fails_to_parse_is_hidden_whole() {
    // Found by zvt_redact as "redacting twice differs", and a leak: BMP 06's TLV list holds a
    // tag 57 (track 2 equivalent) that parses, then an element that does not. Only the bytes
    // from the broken element on were hidden, so the track data stayed in clear; a second pass
    // (reading the zeros as valid) then found and hid it.
    let input = hex::decode(
        "06006300000002f680030006590000000000000000000000000000000000000000000000000000ff00\
         00000000000000572b0000000000000000000000000000000000000000000000000000060f01aa0000\
         000000000000000000000010021600ff0000008b003f001002163f3f3f5d12014002101a002628",
    )
    .expect("hex");
    let track = [0x06, 0x0F, 0x01, 0xAA];
    assert!(input.windows(4).any(|w| w == track));
    let once = redact_apdu(&input);
    assert_eq!(once.len(), input.len());
    assert!(
        !once.windows(4).any(|w| w == track),
        "tag 57's value is hidden: {once:02X?}"
    );
    assert_eq!(redact_apdu(&once), once, "redaction is idempotent");
}

#[test]
fn zvt_redaction_second_pass_on_an_ambiguous_layout_only_hides_more() {
    // Found by zvt_redact as "redacting twice differs": 05 10 has two candidate BMP layouts.
    // The first pass follows the one that parses furthest; its zero fill makes the other parse
    // further on the second pass, which then hides `F0 F0` as a broken TLV list. Recorded for
    // the ZVT layout heuristic; what must hold is that the second pass only hides.
    let input = hex::decode("05100f27220602f0f00682050fd031004410030a10030f").expect("hex");
    let once = redact_apdu(&input);
    let twice = redact_apdu(&once);
    assert_eq!(twice.len(), input.len());
    assert!(once.iter().zip(&twice).all(|(a, b)| a == b || *b == 0));
}

/// fuzz/artifacts/iso8583_redact-crash-4b1c6807… (found by CI's short fuzz run): no length
/// prefix, CUP header, ASCII MTI; a message with no fields and 34 bytes after its bitmap. It
/// "decodes" (no error) but is not sound (trailing bytes), so redaction hides it whole, as
/// every view of an unsound frame does: the zeros left do not decode, and must not be asked to.
/// The fuzz target's "still decodes once redacted" holds for sound frames only.
#[test]
fn iso8583_frame_with_trailing_bytes_is_hidden_whole() {
    let mut d = Dialect::cup();
    d.length_prefix = LengthPrefix::None;
    d.tpdu.present = false;
    d.mti = posdiag::proto::iso8583::dialect::MtiEncoding::Ascii;
    d.validate().expect("a dialect a profile could load");
    let bytes = hex::decode(
        "39343839393030303134000000000000000000000000000000000000000000000031350000000000\
         313537104536434643454539",
    )
    .expect("hex");
    let partial = decode_partial(&d, &bytes);
    assert!(partial.error.is_none(), "it decodes");
    assert!(
        !posdiag::proto::iso8583::is_sound(&d, &partial),
        "but is not sound"
    );
    let once = redact_message(&d, &bytes);
    assert_eq!(once.len(), bytes.len());
    assert!(
        once.iter().all(|&b| b == 0),
        "hidden whole: {}",
        hex::encode(&once)
    );
}

#[test]
fn iso8583_second_pass_over_masked_text_only_hides_more() {
    // Found by iso8583_redact (fuzz/seeds/iso8583_redact/crash-0923568f): in a field read as
    // free text, "290010 6898310048990001" is masked to keep a PAN's BIN and last four, and
    // those kept digits next to "290010 6" look like a new PAN to a second pass. The second
    // pass hides that too: more hidden, never less, and no 16-digit run survives either pass.
    let data = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fuzz/seeds/iso8583_redact/crash-0923568f"
    ))
    .expect("seed");
    let (dialect_bytes, frame) = data.split_at(4);
    assert_eq!(dialect_bytes, [0x20, 0, 0, 0]);
    let dialect = fuzz_dialect_0x20();
    let once = redact_message(&dialect, frame);
    let twice = redact_message(&dialect, &once);
    assert_eq!(once.len(), frame.len());
    assert_ne!(once, twice, "the case found: the second pass hides more");
    assert!(once
        .iter()
        .zip(&twice)
        .all(|(a, b)| a == b || *b == b'*' || *b == 0));
    for pass in [&once, &twice] {
        let longest_digits = pass
            .split(|b| !b.is_ascii_digit())
            .map(<[u8]>::len)
            .max()
            .unwrap_or(0);
        assert!(longest_digits < 13, "{}", String::from_utf8_lossy(pass));
    }
}

/// The fuzz targets' dialect for selector byte 0x20 (fuzz/fuzz_targets/common.rs): no length
/// prefix, no TPDU, BCD MTI, no header.
fn fuzz_dialect_0x20() -> Dialect {
    let mut d = Dialect::cup();
    d.length_prefix = LengthPrefix::None;
    d.tpdu.present = false;
    d.header.length = 0;
    d.header.layout = HeaderLayout::Opaque;
    d.header.value = HexBytes(Vec::new());
    d.validate().expect("a dialect a profile could load");
    d
}
