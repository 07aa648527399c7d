//! A profile TOML as a user writes it (body in app_bodies.rs, shared with `cargo test`).
#![no_main]

#[path = "../../tests/support/leak_oracle.rs"]
mod leak_oracle;
#[allow(dead_code)]
mod app_bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| app_bodies::profile_loader(data));
