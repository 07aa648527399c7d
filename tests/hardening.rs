//! Issue 16, part 0: inputs found by probing — extreme times and sizes in captures, fault values
//! past any calendar, megabytes to decode, closed pipes, bad addresses, odd hex, a BOM, a file
//! where a folder should be, RUST_LOG. Each is a value the tool reports or a usage error, never
//! a panic.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use pcap_file::pcap::PcapReader;
use posdiag::capture::read_capture;
use posdiag::i18n::{Lang, Text};
use posdiag::tui::{AppState, ReplayRecord, ReplaySource, Tab, UiConfig, UiMode};
use predicates::prelude::*;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn posdiag() -> Command {
    let mut cmd = crate::support::posdiag();
    cmd.env_remove("RUST_LOG").env_remove("POSDIAG_LOG");
    cmd
}

/// A demo check run's capture (terminal, printer and host frames).
fn demo_capture(dir: &Path) -> PathBuf {
    let path = dir.join("demo.jsonl");
    posdiag()
        .args(["check", "--demo", "--capture"])
        .arg(&path)
        .arg("--log-file")
        .arg(dir.join("log.txt"))
        .assert()
        .success();
    path
}

/// The capture at `from` with `edit` applied to every JSON line (header first).
fn edited(from: &Path, to: &Path, mut edit: impl FnMut(usize, &mut serde_json::Value)) -> PathBuf {
    let text = std::fs::read_to_string(from).expect("capture");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let mut value: serde_json::Value = serde_json::from_str(line).expect("json line");
        edit(i, &mut value);
        out.push_str(&value.to_string());
        out.push('\n');
    }
    std::fs::write(to, out).expect("write");
    to.to_owned()
}

fn is_frame(v: &serde_json::Value) -> bool {
    v["type"] == "frame"
}

/// `report` on `capture`: exit 0, a summary.md, and a pcap a parser reads to the end.
fn report_ok(capture: &Path, out: &Path) -> (String, usize) {
    let assert = posdiag()
        .arg("report")
        .arg(capture)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let summary = std::fs::read_to_string(out.join("summary.md")).expect("summary.md");
    let pcap = std::fs::File::open(out.join("posdiag.pcap")).expect("pcap");
    let mut reader = PcapReader::new(pcap).expect("pcap header");
    let mut packets = 0;
    while let Some(packet) = reader.next_packet() {
        let packet = packet.expect("readable packet");
        assert!(packet.data.len() <= 65_535, "{}", packet.data.len());
        packets += 1;
    }
    (summary, packets)
}

/// Every tab of the replay of `capture`, rendered: none may panic.
fn replay_every_tab(capture: &Path) -> String {
    let contents = read_capture(capture).expect("capture");
    let records: Vec<ReplayRecord> = contents
        .records
        .iter()
        .filter_map(|r| {
            r.to_event().map(|event| ReplayRecord {
                time: r.time(),
                event,
            })
        })
        .collect();
    let config = UiConfig::new(Lang::En, UiMode::Replay, Text::same("extreme"));
    let source = ReplaySource {
        start: Some(contents.header.created),
        ..ReplaySource::default()
    };
    let state = AppState::replay(config, Vec::new(), records, source);
    let mut screens = String::new();
    for tab in [
        Tab::Connect,
        Tab::Checks,
        Tab::Transactions,
        Tab::Guide,
        Tab::Log,
    ] {
        let mut state = state.clone();
        state.set_tab(tab);
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
        terminal
            .draw(|f| posdiag::tui::render(f, &state))
            .expect("draw");
        for cell in terminal.backend().buffer().content() {
            screens.push_str(cell.symbol());
        }
    }
    screens
}

/// The replay command gets as far as the terminal (none in a test) without panicking.
fn replay_opens(capture: &Path) {
    let out = posdiag()
        .arg("replay")
        .arg(capture)
        .write_stdin("")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}

#[test]
fn capture_times_past_year_9999_are_reported_not_panics() {
    let dir = tempfile::tempdir().expect("tmp");
    let demo = demo_capture(dir.path());
    // Year ~9.5 million: past what a calendar date can show.
    let far_ms: u64 = 300_000_000_000_000_000;
    let created = edited(&demo, &dir.path().join("created.jsonl"), |i, v| {
        if i == 0 {
            v["created"] = far_ms.into();
        }
    });
    let (summary, _) = report_ok(&created, &dir.path().join("r1"));
    assert!(
        summary.contains(&format!("unix time {far_ms} ms (outside years 0–9999)")),
        "{summary}"
    );
    replay_opens(&created);
    replay_every_tab(&created);

    let frames = edited(&demo, &dir.path().join("frames.jsonl"), |_, v| {
        if is_frame(v) {
            v["time"] = u64::MAX.into();
        }
    });
    let (summary, packets) = report_ok(&frames, &dir.path().join("r2"));
    assert!(packets > 0);
    assert!(
        summary.contains("with a time before 1970 or after 2106"),
        "{summary}"
    );
    replay_opens(&frames);
    let screens = replay_every_tab(&frames);
    assert!(screens.contains("--:--:--.---"), "the log shows no clock");
}

#[test]
fn frame_times_past_2106_are_clamped_in_the_pcap_and_said() {
    let dir = tempfile::tempdir().expect("tmp");
    let demo = demo_capture(dir.path());
    let capture = edited(&demo, &dir.path().join("2106.jsonl"), |_, v| {
        if is_frame(v) {
            v["time"] = ((1u64 << 32) + 5).saturating_mul(1000).into();
        }
    });
    let (summary, packets) = report_ok(&capture, &dir.path().join("r"));
    assert!(packets > 0);
    assert!(summary.contains("frame(s) with a time"), "{summary}");
}

#[test]
fn a_frame_too_big_for_ipv4_is_split_in_the_pcap_and_said() {
    let dir = tempfile::tempdir().expect("tmp");
    let demo = demo_capture(dir.path());
    let (_, before) = report_ok(&demo, &dir.path().join("r0"));
    let mut done = false;
    let capture = edited(&demo, &dir.path().join("big.jsonl"), |_, v| {
        if is_frame(v) && v["channel"] == "host" && !done {
            v["raw"] = "ab".repeat(65_534).into();
            done = true;
        }
    });
    assert!(done, "the demo capture has host frames");
    let (summary, after) = report_ok(&capture, &dir.path().join("r"));
    assert_eq!(after, before + 1, "one frame, two segments");
    assert!(
        summary.contains("1 frame(s) longer than one IPv4 packet"),
        "{summary}"
    );
}

#[test]
fn a_capture_with_a_utf8_bom_is_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let demo = demo_capture(dir.path());
    let bom = dir.path().join("bom.jsonl");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(std::fs::read(&demo).expect("read"));
    std::fs::write(&bom, bytes).expect("write");
    let contents = read_capture(&bom).expect("a BOM is not damage");
    assert!(contents.damage.is_none());
    report_ok(&bom, &dir.path().join("r"));
}

#[test]
fn clock_skew_past_any_calendar_is_a_usage_error() {
    posdiag()
        .args(["check", "--demo", "--fault", "clock.wrong=99999999999999h"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("99999999999999h")
                .and(predicate::str::contains("-100y to 100y"))
                .and(predicate::str::contains("panicked").not()),
        );
}

#[test]
fn decode_escpos_of_a_megabyte_is_linear_and_folds_runs() {
    let dir = tempfile::tempdir().expect("tmp");
    let zeros = dir.path().join("zeros.bin");
    std::fs::write(&zeros, vec![0u8; 1 << 20]).expect("write");
    let started = std::time::Instant::now();
    let out = posdiag()
        .args(["decode", "escpos", "--file"])
        .arg(&zeros)
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().count() < 100, "{} lines", text.lines().count());
    assert!(text.contains("×1048576"), "{text}");
    // Was 22.8 s and 7.8 GB; a debug build on a busy machine still stays far below.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

/// Runs `args` with stdout a pipe whose reader is already gone.
/// A pipe whose reading end is already closed, so the program's first write fails whatever
/// the timing (closing it after the start raced a fast first write, seen in CI).
#[cfg(unix)]
fn closed_pipe() -> Stdio {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    // SAFETY: pipe writes two new descriptors into the array.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
    // SAFETY: both descriptors were just made and nothing else owns them.
    let (reader, writer) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(reader);
    Stdio::from(writer)
}

/// Elsewhere the reading end is closed right after the start.
#[cfg(not(unix))]
fn closed_pipe() -> Stdio {
    Stdio::piped()
}

fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("posdiag"))
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("POSDIAG_LOG")
        .stdout(closed_pipe())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    #[cfg(not(unix))]
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read");
    let status = child.wait().expect("wait");
    std::process::Output {
        status,
        stdout: Vec::new(),
        stderr: stderr.into_bytes(),
    }
}

#[test]
fn a_closed_stdout_ends_quietly_with_exit_0() {
    let dir = tempfile::tempdir().expect("tmp");
    let noise = dir.path().join("noise.bin");
    // Bytes that fit no pattern twice in a row: a long tree.
    let bytes: Vec<u8> = (0..20_000u32).map(|i| (i * 7 + i / 256) as u8).collect();
    std::fs::write(&noise, bytes).expect("write");
    let noise = noise.to_string_lossy().into_owned();
    let capture = demo_capture(dir.path());
    let capture = capture.to_string_lossy().into_owned();
    let out_dir = dir.path().join("r").to_string_lossy().into_owned();
    for args in [
        vec!["decode", "escpos", "--file", &noise],
        vec!["decode", "escpos", "--format", "json", "--file", &noise],
        vec!["decode", "iso8583", "--file", &noise],
        vec![
            "decode",
            "zvt",
            "10 02 06 0F 0B F0 F0 F7 32 2E 31 34 2E 31 35 00 10 03 B1 11",
        ],
        vec!["profiles", "list"],
        vec!["profiles", "show", "demo"],
        vec!["ports"],
        vec!["guide", "--symptom", "payment_failed"],
        vec!["report", &capture, "-o", &out_dir],
        vec!["check", "--demo", "--only", "printer"],
    ] {
        let out = with_closed_stdout(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn bad_tcp_addresses_are_usage_errors_naming_the_argument() {
    for (addr, says) in [
        ("127.0.0.1:99999", "'99999' is not a TCP port"),
        ("", "empty"),
        ("127.0.0.1:0", "port 0"),
    ] {
        posdiag()
            .args(["check", "--profile", "zvt-tcp", "--tcp", addr])
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("--tcp")
                    .and(predicate::str::contains(says))
                    .and(predicate::str::contains("could not connect").not()),
            );
    }
}

#[test]
fn hex_digits_are_never_joined_across_separators() {
    let out = posdiag()
        .args(["decode", "escpos", "--format", "json", "10 0 2"])
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["input"], "100002");
    posdiag()
        .args(["decode", "escpos", "10 002"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'002'").and(predicate::str::contains("odd number")));
}

#[test]
fn a_capture_path_under_a_regular_file_names_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("afile");
    std::fs::write(&file, "not a folder").expect("write");
    posdiag()
        .args(["check", "--demo", "--capture"])
        .arg(file.join("c.jsonl"))
        .arg("--log-file")
        .arg(dir.path().join("log.txt"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("afile' is a file, not a folder")
                .and(predicate::str::contains("--capture FILE")),
        );
    posdiag()
        .args(["decode", "zvt", "06 D1 00", "--log-file"])
        .arg(file.join("posdiag.log"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("afile' is a file, not a folder"));
}

#[test]
fn rust_log_sets_the_log_level() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = |var: &str, value: &str, log: &str| {
        let log = dir.path().join(log);
        posdiag()
            .env(var, value)
            .args(["check", "--demo", "--capture"])
            .arg(dir.path().join("c.jsonl"))
            .arg("--log-file")
            .arg(&log)
            .assert()
            .success();
        std::fs::read_to_string(&log).unwrap_or_default()
    };
    let debug = run("RUST_LOG", "debug", "debug.log");
    assert!(debug.contains(" DEBUG "), "{debug}");
    let warn = run("RUST_LOG", "warn", "warn.log");
    assert!(!warn.contains(" INFO "), "{warn}");
    // POSDIAG_LOG stays an alias.
    let alias = run("POSDIAG_LOG", "debug", "alias.log");
    assert!(alias.contains(" DEBUG "), "{alias}");
    posdiag()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("RUST_LOG").and(predicate::str::contains("POSDIAG_LOG")));
}
