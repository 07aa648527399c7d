//! A profile TOML as a user writes it: parsed and validated, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag::profile::parse_profile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse_profile(&text, "fuzz.toml");
});
