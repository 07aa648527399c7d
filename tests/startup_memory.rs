//! Start-up memory: `posdiag decode zvt` (every command but `--version` starts the file
//! logger) allocates within 2 MB of `posdiag --version`. The log writer's default buffer of
//! 128,000 lines alone cost 4.8 MB of it before the first line (measured; issue 16: ~6 MB).
//! Peak RSS also counts the executable's pages a command touches (file-backed, shared: ~2.4 MB
//! more for a decode than for `--version`, measured), so the test reads the anonymous part.
//!
//! Linux only (/proc, `wait4`); elsewhere the test says it is skipped.

use std::process::{Command, Stdio};

/// Peak resident memory (kB) of one run of posdiag with `args`, which must succeed.
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)] // reaped by wait4, which std's Child does not know of
fn peak_kb(args: &[&str], dir: &std::path::Path) -> i64 {
    let child = Command::new(env!("CARGO_BIN_EXE_posdiag"))
        .args(args)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir)
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
#[cfg(target_os = "linux")]
fn median_peak_kb(args: &[&str], dir: &std::path::Path) -> i64 {
    let mut runs: Vec<i64> = (0..5).map(|_| peak_kb(args, dir)).collect();
    runs.sort_unstable();
    runs[2]
}

/// A line of /proc/PID/status in kB.
#[cfg(target_os = "linux")]
fn status_kb(pid: u32, key: &str) -> i64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let line = status.lines().find(|l| l.starts_with(key)).expect(key);
    line.split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .expect("kB")
}

/// `decode zvt --file FIFO` waits on the FIFO after its logger started (its worker thread
/// running, its buffer allocated): its memory is read then, split into anonymous (what the
/// process allocated) and file-backed (the executable's pages it has touched, shared).
#[cfg(target_os = "linux")]
#[test]
fn decode_allocates_within_2_mb_of_version() {
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
    std::fs::write(&fifo, [0x05, 0x01, 0x03, 0x00, 0x00, 0x00]).expect("feed the FIFO");
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
fn decode_allocates_within_2_mb_of_version() {
    eprintln!("skipped: the memory comparison reads /proc and wait4's rusage, Linux only");
}
