//! The bodies of the whole-program fuzz targets (capture_reader, profile_loader,
//! privacy_oracle), shared with tests/fuzz_app_targets.rs: libFuzzer drives them with coverage
//! guidance (`bash scripts/fuzz.sh`), and `cargo test` runs the same code over the committed
//! seeds and their mutations on every CI run, without building the whole program a second
//! time with coverage instrumentation.
//!
//! The includer declares the leak oracle as `leak_oracle` beside this module.

use std::path::Path;

use super::leak_oracle::{self, Secret};

/// A capture file as a user hands it over: the reader, then what `report` and `replay` do
/// with the records (events, pcap).
pub fn capture_reader(data: &[u8]) {
    let Ok(contents) = posdiag::capture::parse_capture(data, Path::new("fuzz.jsonl")) else {
        return;
    };
    for record in &contents.records {
        let _ = record.time();
        let _ = record.to_event();
    }
    let _ = posdiag::localtime::local(contents.header.created);
    let _ = posdiag::report::write_pcap(&contents.records, std::io::sink());
}

/// A profile TOML as a user writes it: parsed and validated, never a panic.
pub fn profile_loader(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = posdiag::profile::parse_profile(&text, "fuzz.toml");
}

/// Synthetic secrets with no 0 digit and no fill-like byte, so that nothing redaction writes
/// can look like them.
const PAN: &str = "4761739581515213";
const PIN_BLOCK: [u8; 8] = [0x3C, 0x9A, 0x51, 0xD7, 0x18, 0x6E, 0xB3, 0x42];

/// The leak oracle: the input chooses a secret (a PAN as ASCII, BCD or nibble-swapped BCD, a
/// track 2, a PIN block), where it goes and how the stream is cut; the rest of the input
/// surrounds it. Every decoder and the tap's stream decoder run over it, and no output may
/// show the secret. Err names the leak.
pub fn privacy_oracle(data: &[u8]) -> Result<(), String> {
    let [kind, at, cut, rest @ ..] = data else {
        return Ok(());
    };
    let secret = match kind % 6 {
        0 => Secret::PanAscii(PAN.into()),
        1 => Secret::PanBcd(PAN.into()),
        2 => Secret::PanSwapped(PAN.into()),
        3 => Secret::Track2Ascii(format!("{PAN}=29122011234567890")),
        4 => Secret::Track2Bcd(format!("{PAN}=291220112345678")),
        _ => Secret::PinBlock(PIN_BLOCK),
    };
    let split = usize::from(*at).min(rest.len());
    let (before, after) = rest.split_at(split);
    let cuts = [usize::from(*cut)];
    leak_oracle::check(&secret, before, after, &cuts)
}
