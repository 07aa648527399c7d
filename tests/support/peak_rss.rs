//! Peak resident memory of one run of the posdiag binary, as `time -v` reports it
//! (`ru_maxrss` from `wait4`), for tests/startup_memory.rs and benches/startup_memory.rs.
//! Linux only.

use std::path::Path;
use std::process::{Command, Stdio};

/// Peak resident memory (kB) of one run of posdiag with `args`, which must succeed; `home`
/// is its HOME and data directory, so it writes nothing of the user's.
#[allow(clippy::zombie_processes)] // reaped by wait4, which std's Child does not know of
pub fn peak_kb(args: &[&str], home: &Path) -> i64 {
    let child = Command::new(env!("CARGO_BIN_EXE_posdiag"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start posdiag");
    let pid = i32::try_from(child.id()).expect("pid");
    let mut status = 0;
    // SAFETY: wait4 on our own child, with valid pointers to a status and a zeroed rusage.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 on posdiag");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "posdiag {args:?} failed (status {status})"
    );
    usage.ru_maxrss
}

/// The median of five runs, so one disturbed run on a shared machine does not decide.
pub fn median_peak_kb(args: &[&str], home: &Path) -> i64 {
    let mut runs: Vec<i64> = (0..5).map(|_| peak_kb(args, home)).collect();
    runs.sort_unstable();
    runs.get(2).copied().unwrap_or_default()
}

/// A CUP sign-on (0800), as hex: a frame `decode iso8583` reads without error.
pub fn sign_on_hex() -> String {
    use posdiag::proto::iso8583::{Dialect, FieldValue, Message, Mti};
    let message = Message::new(Mti::new("0800").expect("mti"))
        .with(11, FieldValue::digits("000001"))
        .with(41, FieldValue::text("29001006"))
        .with(42, FieldValue::text("898310048990001"))
        .with(60, FieldValue::digits("00000001003"));
    hex::encode(message.encode(&Dialect::cup()).expect("encodes"))
}

/// A ZVT Status Enquiry APDU, as bytes.
pub const STATUS_ENQUIRY: [u8; 6] = [0x05, 0x01, 0x03, 0x00, 0x00, 0x00];

/// The decode commands the 2 MB bound is about, each with its input (`frame` is a file
/// holding [`STATUS_ENQUIRY`]).
pub fn decode_commands(frame: &str) -> Vec<(&'static str, Vec<String>)> {
    let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        ("decode zvt", own(&["decode", "zvt", "--file", frame])),
        (
            "decode zvt --format json",
            own(&["decode", "zvt", "--file", frame, "--format", "json"]),
        ),
        (
            "decode iso8583",
            own(&["decode", "iso8583", &sign_on_hex()]),
        ),
        (
            "decode iso8583 --format json",
            own(&["decode", "iso8583", &sign_on_hex(), "--format", "json"]),
        ),
    ]
}
