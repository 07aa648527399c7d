//! The leak oracle with coverage guidance: the input chooses a secret (a PAN as ASCII, BCD or
//! nibble-swapped BCD, a track 2, a PIN block), where it goes and how the stream is cut; the
//! rest of the input surrounds it. Every decoder and the tap's stream decoder run over it, and
//! no output may show the secret (tests/support/leak_oracle.rs, shared with the property tests).
#![no_main]

#[path = "../../tests/support/leak_oracle.rs"]
mod leak_oracle;

use leak_oracle::Secret;
use libfuzzer_sys::fuzz_target;

/// Synthetic secrets with no 0 digit and no fill-like byte, so that nothing redaction writes
/// can look like them.
const PAN: &str = "4761739581515213";
const PIN_BLOCK: [u8; 8] = [0x3C, 0x9A, 0x51, 0xD7, 0x18, 0x6E, 0xB3, 0x42];

fuzz_target!(|data: &[u8]| {
    let [kind, at, cut, rest @ ..] = data else {
        return;
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
    if let Err(leak) = leak_oracle::check(&secret, before, after, &cuts) {
        panic!("{leak}");
    }
});
