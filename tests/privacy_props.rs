//! Property tests that search for leaks: arbitrary byte streams with a secret planted at a
//! random offset — a PAN (ASCII digits, BCD, nibble-swapped BCD), track 2, a PIN block —
//! through every decoder (ZVT APDU and serial frame, ISO 8583 in each framing, ESC/POS status)
//! and through the tap's stream decoder in both directions, cut at random places. No output
//! (text in both languages, JSON, redacted raw bytes as hex) may contain the secret.
//!
//! "Contains" for a PAN: any 10 consecutive digits of it, as digits or as hex of its BCD in
//! either nibble order (BIN + last 4 never hold 10 consecutive digits of a 16–19-digit PAN).
//! For track 2, its tail after the separator; for a PIN block, its 8 bytes as hex.

use posdiag::drivers::tap::{StreamDecoder, TapProtocol};
use posdiag::event::Direction;
use posdiag::i18n::Lang;
use posdiag::proto::iso8583::{self, Dialect, LengthPrefix};
use posdiag::proto::{escpos, zvt};
use proptest::prelude::*;

/// A secret and how it is written into the stream.
#[derive(Debug, Clone)]
enum Secret {
    PanAscii(String),
    PanBcd(String),
    PanSwapped(String),
    Track2Ascii(String),
    Track2Bcd(String),
    PinBlock([u8; 8]),
}

impl Secret {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Secret::PanAscii(p) => p.as_bytes().to_vec(),
            Secret::PanBcd(p) => hex::decode(p).unwrap_or_default(),
            Secret::PanSwapped(p) => hex::decode(swap(p)).unwrap_or_default(),
            Secret::Track2Ascii(t) => t.as_bytes().to_vec(),
            Secret::Track2Bcd(t) => hex::decode(t.replace('=', "D")).unwrap_or_default(),
            Secret::PinBlock(b) => b.to_vec(),
        }
    }

    /// True when the secret's bytes also read as printable text: placed in a text field they
    /// are text, and its raw bytes (shown as hex) are what the terminal printed.
    fn reads_as_text(&self) -> bool {
        matches!(
            self,
            Secret::PanBcd(_) | Secret::PanSwapped(_) | Secret::Track2Bcd(_) | Secret::PinBlock(_)
        ) && self.bytes().iter().all(|&b| b >= 0x20 && b != 0x7F)
    }

    /// Strings none of which may appear in any output (lower case).
    fn forbidden(&self) -> Vec<String> {
        match self {
            Secret::PanAscii(p) | Secret::PanBcd(p) | Secret::PanSwapped(p) => windows(p),
            Secret::Track2Ascii(t) | Secret::Track2Bcd(t) => {
                let tail = t.split('=').nth(1).unwrap_or_default();
                let mut out = windows(t.split('=').next().unwrap_or_default());
                out.push(tail.to_owned());
                out.push(format!("d{tail}"));
                out
            }
            Secret::PinBlock(b) => vec![hex::encode(b)],
        }
    }
}

fn swap(digits: &str) -> String {
    digits
        .as_bytes()
        .chunks(2)
        .flat_map(|p| p.iter().rev().map(|&b| char::from(b)))
        .collect()
}

fn windows(pan: &str) -> Vec<String> {
    let mut out = Vec::new();
    for digits in [pan.to_owned(), swap(pan)] {
        for start in 0..=digits.len().saturating_sub(10) {
            out.push(digits[start..start + 10].to_owned());
        }
    }
    out
}

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

fn dialects() -> Vec<Dialect> {
    let cup = Dialect::cup();
    let mut ascii = cup.clone();
    ascii.length_prefix = LengthPrefix::Ascii4;
    let mut none = cup.clone();
    none.length_prefix = LengthPrefix::None;
    vec![cup, ascii, none]
}

/// Everything every decoder says about `bytes`, as text.
fn decoder_outputs(bytes: &[u8], cuts: &[usize]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    match zvt::explain(bytes) {
        Ok(ex) => {
            for lang in [Lang::En, Lang::Zh] {
                out.push(("zvt explain".into(), ex.to_lines(lang).join("\n")));
            }
            out.push((
                "zvt explain json".into(),
                serde_json::to_string(&ex).unwrap_or_default(),
            ));
        }
        Err(e) => out.push((
            "zvt error".into(),
            format!("{} / {}", e.text().en, e.text().zh),
        )),
    }
    out.push((
        "zvt redact apdu (raw)".into(),
        hex::encode(zvt::redact_apdu(bytes)),
    ));
    out.push((
        "zvt redact serial (raw)".into(),
        hex::encode(zvt::redact_serial_frame(bytes)),
    ));
    if let Ok(apdu) = zvt::Apdu::decode(&zvt::redact_apdu(bytes)) {
        out.push(("zvt summary".into(), zvt::summarize(&apdu, None)));
    }
    for d in dialects() {
        let ex = iso8583::explain(&d, bytes);
        for lang in [Lang::En, Lang::Zh] {
            out.push(("iso explain".into(), ex.to_lines(lang).join("\n")));
        }
        out.push((
            "iso explain json".into(),
            serde_json::to_string(&ex).unwrap_or_default(),
        ));
        out.push((
            "iso redact (raw)".into(),
            hex::encode(iso8583::redact_message(&d, bytes)),
        ));
    }
    if let Ok(ex) = escpos::explain(bytes, None) {
        for lang in [Lang::En, Lang::Zh] {
            out.push(("escpos explain".into(), ex.to_lines(lang).join("\n")));
        }
        // `input` echoes the caller's own bytes back (its BCD and ASCII digit runs masked);
        // everything the decoder says about them is checked.
        let mut json = serde_json::to_value(&ex).unwrap_or_default();
        if let Some(obj) = json.as_object_mut() {
            obj.remove("input");
        }
        out.push(("escpos json".into(), json.to_string()));
    }
    let mut protocols = vec![TapProtocol::Zvt];
    protocols.extend(
        dialects()
            .into_iter()
            .map(|d| TapProtocol::Iso8583(Box::new(d))),
    );
    for protocol in protocols {
        for direction in [Direction::Tx, Direction::Rx] {
            let mut dec = StreamDecoder::new(protocol.clone(), direction);
            let mut records = Vec::new();
            let mut at = 0;
            for &cut in cuts.iter().chain(std::iter::once(&bytes.len())) {
                let cut = cut.clamp(at, bytes.len());
                records.extend(dec.push(bytes.get(at..cut).unwrap_or_default()));
                at = cut;
            }
            records.extend(dec.finish());
            for r in records {
                out.push((
                    "tap record (raw)".into(),
                    serde_json::to_string(&r).unwrap_or_default(),
                ));
                out.push(("tap summary".into(), r.summary.clone()));
            }
        }
    }
    out
}

fn check(
    secret: &Secret,
    before: &[u8],
    after: &[u8],
    cuts: &[usize],
) -> Result<(), TestCaseError> {
    let mut bytes = before.to_vec();
    bytes.extend(secret.bytes());
    bytes.extend(after);
    let forbidden = secret.forbidden();
    for (name, text) in decoder_outputs(&bytes, cuts) {
        if secret.reads_as_text() && name.contains("raw") {
            continue;
        }
        let lower = text.to_lowercase();
        for f in &forbidden {
            prop_assert!(
                !lower.contains(f.as_str()),
                "{} shows {} of {:?} in {}:\n{}",
                name,
                f,
                secret,
                hex::encode(&bytes),
                text
            );
        }
    }
    Ok(())
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
        check(&secret, &before, &after, &cuts)?;
    }
}
