//! Property tests that search for leaks: arbitrary byte streams with a secret planted at a
//! random offset — a PAN (ASCII digits, BCD, nibble-swapped BCD), track 2, a PIN block —
//! through every decoder (ZVT APDU and serial frame, ISO 8583 in each framing, ESC/POS status)
//! and through the tap's stream decoder in both directions, cut at random places. No output
//! (text in both languages, JSON, redacted raw bytes as hex) may contain the secret.
//!
//! "Contains" for a PAN: any 12 consecutive digits of it, as digits or as hex of its BCD in
//! either nibble order. Twelve is the shortest PAN and the free-text rule's threshold: a
//! shorter run of digits in free text cannot be told from a phone or reference number (and
//! BIN + last 4 never hold 12 consecutive digits of a 16–19-digit PAN).
//! For track 2, its tail after the separator; for a PIN block, its 8 bytes as hex.

use crate::support::leak_oracle::{self, Secret};
use proptest::prelude::*;

fn pan() -> impl Strategy<Value = String> {
    // 16 digits, starting 4/5/6 like real cards; even length keeps BCD whole. No 0 digit, so
    // that a window of the PAN is never the zeros a fill leaves.
    (4u8..=6, proptest::collection::vec(1u8..10, 15)).prop_map(|(first, rest)| {
        std::iter::once(first)
            .chain(rest)
            .map(|d| char::from(b'0' + d))
            .collect()
    })
}

fn secret() -> impl Strategy<Value = Secret> {
    prop_oneof![
        pan().prop_map(Secret::PanAscii),
        pan().prop_map(Secret::PanBcd),
        pan().prop_map(Secret::PanSwapped),
        pan().prop_map(|p| Secret::Track2Ascii(format!("{p}=29122011234567890"))),
        pan().prop_map(|p| Secret::Track2Bcd(format!("{p}=291220112345678"))),
        // A PIN block is enciphered: bytes spread, never the fills redaction writes.
        any::<[u8; 8]>()
            .prop_filter("a PIN block looks random", |b| {
                let distinct: std::collections::BTreeSet<u8> = b.iter().copied().collect();
                distinct.len() >= 6 && !b.iter().any(|x| matches!(x, 0x00 | 0xEE | 0xFF | 0x2A))
            })
            .prop_map(Secret::PinBlock),
    ]
}

/// Bytes around the secret: random, or ZVT/ISO-looking starts that invite a desync.
fn around() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..48),
        Just(vec![0x80, 0x00, 0x06]),
        Just(vec![0x04, 0x0F, 0x0B, 0x22, 0xF0, 0xF8]),
        Just(vec![0x06, 0xD1, 0x14, 0x00]),
        Just(vec![0x10, 0x02, 0x04, 0x0F, 0x0B, 0x22, 0xF0, 0xF8]),
        Just(vec![0x00, 0xC3, 0x40]),
        Just(vec![
            0x00, 0x30, 0x60, 0x00, 0x03, 0x00, 0x00, 0x60, 0x31, 0x00, 0x31, 0x00, 0x00, 0x02,
            0x00
        ]),
        Just(b"0123".to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    #[test]
    fn no_decoder_or_tap_output_contains_a_planted_secret(
        secret in secret(),
        before in around(),
        after in proptest::collection::vec(any::<u8>(), 0..32),
        cuts in proptest::collection::vec(0usize..96, 0..4),
    ) {
        let mut cuts = cuts;
        cuts.sort_unstable();
        leak_oracle::check(&secret, &before, &after, &cuts).map_err(TestCaseError::fail)?;
    }
}

/// Found by the `privacy_oracle` fuzz target: a frame that "decodes" with no error but whose
/// TPDU id is not the dialect's, whose length prefix disagrees and after whose last field 61
/// bytes trail — its TPDU bytes were the PAN. Such a frame is not sound: envelope hidden.
#[test]
fn a_frame_that_decodes_with_a_foreign_tpdu_and_trailing_bytes_shows_no_envelope() {
    let after = hex::decode(
        "20000002c000000000000000000000000000101071553531053239303031000000000000003030310000\
         000000000030010e00300a0000000000000034383939303030310011000000010030",
    )
    .expect("hex");
    let secret = Secret::PanBcd("4761739581515213".into());
    leak_oracle::check(&secret, &[], &after, &[]).unwrap_or_else(|leak| panic!("{leak}"));
}

/// Found by the property test above: a PIN block planted as the text of a ZVT print line
/// (`06 D1`), ending in a line feed. A print line's text is what the terminal prints on the
/// receipt; the explanation shows it as text and as its bytes, and bytes that read as text
/// (line breaks included) cannot be told from a PIN block there. The oracle counts them as
/// text; a PAN in the same place is masked (`tests/privacy/hostile.rs`).
#[test]
fn a_pin_block_that_reads_as_receipt_text_in_a_print_line_is_text() {
    let secret = Secret::PinBlock([0x20, 0x91, 0x20, 0x21, 0x2b, 0x2c, 0x0a, 0x22]);
    let before = [0x06, 0xD1, 0x14, 0x00];
    let after = hex::decode("202020202020202020200a").expect("hex");
    leak_oracle::check(&secret, &before, &after, &[]).unwrap_or_else(|leak| panic!("{leak}"));
}
