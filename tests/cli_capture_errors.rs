//! A capture that cannot be written to the end is an error, not "capture saved": the run's
//! results are still printed, the exit code says something failed, and stderr names the file
//! and why. `/dev/full` accepts the open and fails every write with "no space left", as a full
//! disk does.

use assert_cmd::Command;
use predicates::prelude::*;

const FULL: &str = "/dev/full";

fn posdiag() -> Command {
    let mut cmd = Command::cargo_bin("posdiag").expect("binary");
    cmd.env_remove("LANG")
        .env_remove("LC_ALL")
        .env("POSDIAG_LOG", "off");
    cmd
}

fn full_disk_here() -> bool {
    let here = std::path::Path::new(FULL).exists();
    if !here {
        eprintln!("skipped: {FULL} is not on this system");
    }
    here
}

#[test]
fn checks_on_a_full_disk_print_their_results_and_fail_naming_the_capture() {
    if !full_disk_here() {
        return;
    }
    posdiag()
        .args(["check", "--demo", "--format", "json", "--capture", FULL])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"checks\""))
        .stderr(predicate::str::contains(
            "the capture '/dev/full' is incomplete",
        ))
        .stderr(predicate::str::contains("No space left"))
        .stderr(predicate::str::contains("capture saved").not());
}

#[test]
fn a_payment_on_a_full_disk_is_reported_and_the_capture_failure_too() {
    if !full_disk_here() {
        return;
    }
    posdiag()
        .args([
            "txn", "pay", "--demo", "--amount", "1.00", "--yes", "--format", "json",
        ])
        .args(["--capture", FULL])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("APPROVED"))
        .stderr(predicate::str::contains("is incomplete"));
}

#[test]
fn the_capture_failure_is_said_in_chinese_too() {
    if !full_disk_here() {
        return;
    }
    posdiag()
        .args(["--lang", "zh", "check", "--demo", "--capture", FULL])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("不完整"));
}
