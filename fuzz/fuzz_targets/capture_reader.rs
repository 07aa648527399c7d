//! A capture file as a user hands it over (body in app_bodies.rs, shared with `cargo test`).
#![no_main]

#[path = "../../tests/support/leak_oracle.rs"]
mod leak_oracle;
#[allow(dead_code)]
mod app_bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| app_bodies::capture_reader(data));
