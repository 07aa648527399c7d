//! posdiag's integration tests: one test binary, one module per file of this folder.
//!
//! One binary rather than one per file because each binary links the whole program (forty
//! links made up a large part of a clean test build), and because `cargo test` runs binaries
//! one after another: most of these tests wait on sockets, ptys and child processes, and in
//! one binary the waits of different files overlap instead of adding up.
//! Run one file's tests with `cargo test --test integration <file>::`.

// Shared pieces: helpers, and the two independent ZVT peers (the `zvt` crate's cash register
// over TCP and over a serial line).
mod serial_ecr;
mod support;
#[allow(dead_code)]
mod zvt_peer;

mod cli;
mod cli_capture_errors;
mod cli_host;
mod cli_link_errors;
mod concert_checks;
mod concert_cli;
mod concert_peer;
mod demo_pace;
mod demo_repair;
mod demo_story;
mod escpos_codec;
mod fuzz_app_targets;
mod fuzz_regressions;
mod guide;
mod guide_agreement;
mod hardening;
mod host_checks;
mod identify;
mod iso8583_codec;
mod iso8583_oracle;
mod link;
mod nexo_cli;
mod nexo_driver;
mod nexo_peer;
mod nexo_terminal;
mod printer_checks;
mod privacy;
mod replay_report;
mod report;
mod serial_tap;
mod serial_tap_concert;
mod startup_memory;
mod tap;
mod tap_load;
mod terminal_checks;
mod terminal_commands;
mod txn;
mod zh_output;
mod zvt_codec;
mod zvt_peer_ecr;
mod zvt_real_frames;
