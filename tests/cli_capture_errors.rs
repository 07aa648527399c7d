//! A capture that cannot be written is an error, never "capture saved".
//!
//! - At the start (`/dev/full` fails the header's write, as a full disk does): nothing runs,
//!   exit 2, one line naming the file and what to do.
//! - Part-way: the capture is a FIFO whose reader takes the header line and leaves, so every
//!   later write fails ("broken pipe"), as a removed USB stick or a full disk would. The run's
//!   results are still printed, the exit code says something failed, and stderr names the
//!   file and why.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::thread::JoinHandle;

use assert_cmd::Command;
use predicates::prelude::*;

fn posdiag() -> Command {
    let mut cmd = crate::support::posdiag();
    cmd.env("POSDIAG_LOG", "off");
    cmd
}

/// A FIFO at `dir/capture.jsonl` and a reader that reads up to the end of the first line (the
/// capture header) and closes its end.
fn fifo_that_takes_the_header(dir: &Path) -> (PathBuf, JoinHandle<Vec<u8>>) {
    let path = dir.join("capture.jsonl");
    let made = StdCommand::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo");
    assert!(made.success(), "mkfifo failed");
    let reader_path = path.clone();
    let reader = std::thread::spawn(move || {
        let mut file = std::fs::File::open(reader_path).expect("open fifo");
        let mut got = Vec::new();
        let mut byte = [0u8; 1];
        while !got.contains(&b'\n') {
            match file.read(&mut byte) {
                Ok(1) => got.push(byte[0]),
                _ => break,
            }
        }
        got
    });
    (path, reader)
}

#[test]
fn a_capture_that_cannot_be_started_stops_the_run_with_one_line() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: /dev/full is not on this system");
        return;
    }
    posdiag()
        .args(["check", "--demo", "--capture", "/dev/full"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot write capture file '/dev/full'",
        ))
        .stderr(predicate::str::contains("os error 28").count(1));
}

#[test]
fn checks_whose_capture_breaks_print_their_results_and_fail_naming_the_capture() {
    let dir = tempfile::tempdir().expect("tmp");
    let (path, reader) = fifo_that_takes_the_header(dir.path());
    posdiag()
        .args(["check", "--demo", "--format", "json", "--capture"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"checks\""))
        .stdout(predicate::str::contains("\"result\": \"pass\""))
        .stderr(predicate::str::contains("capture.jsonl' is incomplete"))
        .stderr(predicate::str::contains(
            "the records before the failure are kept",
        ))
        .stderr(predicate::str::contains("capture saved").not());
    let header = reader.join().expect("reader");
    assert!(String::from_utf8_lossy(&header).contains("posdiag-capture"));
}

#[test]
fn a_payment_whose_capture_breaks_is_reported_and_so_is_the_capture() {
    let dir = tempfile::tempdir().expect("tmp");
    let (path, reader) = fifo_that_takes_the_header(dir.path());
    posdiag()
        .args([
            "--lang", "zh", "txn", "pay", "--demo", "--amount", "1.00", "--yes",
        ])
        .args(["--format", "json", "--capture"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("APPROVED"))
        .stderr(predicate::str::contains("不完整"));
    reader.join().expect("reader");
}

/// A capture written to the end has the end record; without it (the last line cut, as a
/// disk that filled at a line's boundary leaves it) the report says it is incomplete.
#[test]
fn a_capture_cut_at_a_line_boundary_is_reported_incomplete() {
    let dir = tempfile::tempdir().expect("tmp");
    let capture = dir.path().join("c.jsonl");
    posdiag()
        .args(["check", "--demo", "--capture"])
        .arg(&capture)
        .assert()
        .code(0);
    let text = std::fs::read_to_string(&capture).expect("capture");
    let last = text.lines().last().expect("lines");
    assert!(last.contains("\"type\":\"end\""), "{last}");
    posdiag()
        .args(["report"])
        .arg(&capture)
        .arg("-o")
        .arg(dir.path().join("whole"))
        .assert()
        .success()
        .stderr(predicate::str::contains("incomplete").not());
    let cut: String = text
        .lines()
        .take(text.lines().count() - 1)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&capture, cut).expect("write");
    posdiag()
        .args(["report"])
        .arg(&capture)
        .arg("-o")
        .arg(dir.path().join("cut"))
        .assert()
        .success()
        .stderr(predicate::str::contains("the capture is incomplete"));
    let summary = std::fs::read_to_string(dir.path().join("cut/summary.md")).expect("summary");
    assert!(summary.contains("The capture is incomplete"), "{summary}");
}
