//! The leak oracle with coverage guidance (body in app_bodies.rs, shared with `cargo test`;
//! the oracle itself in tests/support/leak_oracle.rs, shared with the property tests).
#![no_main]

#[path = "../../tests/support/leak_oracle.rs"]
mod leak_oracle;
#[allow(dead_code)]
mod app_bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(leak) = app_bodies::privacy_oracle(data) {
        panic!("{leak}");
    }
});
