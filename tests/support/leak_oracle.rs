//! The leak oracle shared by the property tests (`tests/privacy/props.rs`) and the fuzz target
//! `privacy_oracle` (`fuzz/`): a secret planted in a byte stream, every decoder and the tap's
//! stream decoder run over it, and no output may contain the secret.
//!
//! "Contains" for a PAN: any 12 consecutive digits of it, as digits or as hex of its BCD in
//! either nibble order. Twelve is the shortest PAN and the free-text rule's threshold: a
//! shorter run of digits in free text cannot be told from a phone or reference number (and
//! BIN + last 4 never hold 12 consecutive digits of a 16–19-digit PAN).
//! For track 2, its tail after the separator; for a PIN block, its 8 bytes as hex. Raw-hex
//! outputs are exempt only when the planted bytes are printable text themselves: inside a text
//! field they are text, as the terminal printed it (docs/redaction.md).

#![allow(dead_code)]

use posdiag::drivers::tap::{StreamDecoder, TapProtocol};
use posdiag::event::Direction;
use posdiag::i18n::Lang;
use posdiag::proto::iso8583::dialect::{HeaderLayout, HexBytes, MtiEncoding};
use posdiag::proto::iso8583::{self, Dialect, LengthPrefix};
use posdiag::proto::{escpos, zvt};

/// A secret and how it is written into the stream.
#[derive(Debug, Clone)]
pub enum Secret {
    PanAscii(String),
    PanBcd(String),
    PanSwapped(String),
    Track2Ascii(String),
    Track2Bcd(String),
    PinBlock([u8; 8]),
}

impl Secret {
    pub fn bytes(&self) -> Vec<u8> {
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
    pub fn reads_as_text(&self) -> bool {
        matches!(
            self,
            Secret::PanBcd(_) | Secret::PanSwapped(_) | Secret::Track2Bcd(_) | Secret::PinBlock(_)
        ) && self.bytes().iter().all(|&b| is_text_byte(b))
    }

    /// Strings none of which may appear in any output (lower case).
    pub fn forbidden(&self) -> Vec<String> {
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

/// Consecutive PAN digits that count as showing the PAN.
const WINDOW: usize = 12;

fn windows(pan: &str) -> Vec<String> {
    let mut out = Vec::new();
    for digits in [pan.to_owned(), swap(pan)] {
        for start in 0..=digits.len().saturating_sub(WINDOW) {
            out.push(digits[start..start + WINDOW].to_owned());
        }
    }
    out
}

/// The CUP dialect and the generic framings a profile can configure: length prefix binary,
/// ASCII or none; with and without TPDU and header; BCD or ASCII MTI.
pub fn dialects() -> Vec<Dialect> {
    let cup = Dialect::cup();
    let mut ascii = cup.clone();
    ascii.length_prefix = LengthPrefix::Ascii4;
    let mut none = cup.clone();
    none.length_prefix = LengthPrefix::None;
    let mut generic = cup.clone();
    generic.tpdu.present = false;
    generic.header.length = 0;
    generic.header.layout = HeaderLayout::Opaque;
    generic.header.value = HexBytes(Vec::new());
    generic.mti = MtiEncoding::Ascii;
    let mut generic_ascii = generic.clone();
    generic_ascii.length_prefix = LengthPrefix::Ascii4;
    vec![cup, ascii, none, generic, generic_ascii]
}

pub fn decoder_outputs(bytes: &[u8], cuts: &[usize]) -> Vec<(String, String)> {
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
        let zh = zvt::summarize_text(&apdu, None).zh.into_owned();
        out.push(("zvt summary zh".into(), zh));
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
                if let Some(zh) = &r.summary_zh {
                    out.push(("tap summary zh".into(), zh.clone()));
                }
            }
        }
    }
    out
}

/// In a hex dump, the bytes under `text[at..at + len]` (whole bytes around it) are printable:
/// text a terminal sent as text, shown as the bytes it was.
fn hex_run_is_text(text: &str, at: usize, len: usize) -> bool {
    let start = at - at % 2;
    let end = (at + len).div_ceil(2) * 2;
    text.get(start..end.min(text.len()))
        .and_then(|h| hex::decode(h).ok())
        .is_some_and(|b| b.iter().all(|&x| is_text_byte(x)))
}

/// A byte of printed text: printable, or a line break or tab (a receipt line may end in LF;
/// found by the property test: a PIN block planted in a ZVT print line, ending in `0A`).
fn is_text_byte(b: u8) -> bool {
    (b >= 0x20 && b != 0x7F) || matches!(b, b'\t' | b'\n' | b'\r')
}

/// Plants `secret` between `before` and `after`, runs every decoder with the stream cut at
/// `cuts`, and says which output shows it.
pub fn check(secret: &Secret, before: &[u8], after: &[u8], cuts: &[usize]) -> Result<(), String> {
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
            // Hex of bytes that read as text is text shown as its bytes: allowed in raw dumps,
            // and in explanations when the secret itself reads as text (a print line's text).
            let raw = name.contains("raw") || secret.reads_as_text();
            if lower
                .match_indices(f.as_str())
                .any(|(at, _)| !(raw && hex_run_is_text(&lower, at, f.len())))
            {
                return Err(format!(
                    "{name} shows {f} of {secret:?} in {}:\n{text}",
                    hex::encode(&bytes)
                ));
            }
        }
    }
    Ok(())
}
