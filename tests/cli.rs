//! The CLI contract: exit codes, error messages that say what to do, captures without card data.

use assert_cmd::Command;
use predicates::prelude::*;

fn posdiag() -> Command {
    let mut cmd = crate::support::posdiag();
    cmd.env("POSDIAG_LOG", "debug");
    cmd
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

#[test]
fn demo_check_passes_as_json() {
    let dir = tmp();
    let out = posdiag()
        .args(["check", "--demo", "--format", "json", "--capture"])
        .arg(dir.path().join("c.jsonl"))
        .arg("--log-file")
        .arg(dir.path().join("log.txt"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let checks = json["checks"].as_array().expect("checks");
    let ids: Vec<&str> = checks.iter().filter_map(|c| c["id"].as_str()).collect();
    for id in [
        "link.terminal",
        "keys.state",
        "printer.paper",
        "printer.terminal",
        "network.tcp",
        "host.echo",
    ] {
        assert!(ids.contains(&id), "{id} missing in {ids:?}");
    }
    for c in checks {
        assert_eq!(c["status"], "pass", "{c}");
        for key in ["id", "area", "summary", "evidence", "duration_ms", "causes"] {
            assert!(c.get(key).is_some(), "missing {key} in {c}");
        }
    }
    assert!(json["duration_ms"].as_u64().is_some());
}

#[test]
fn a_fault_exits_1_and_names_its_cause() {
    posdiag()
        .args([
            "check",
            "--demo",
            "--fault",
            "power.low_voltage",
            "--format",
            "json",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"power.low_voltage\""));
}

#[test]
fn link_silent_ends_within_the_profile_timeout() {
    let started = std::time::Instant::now();
    posdiag()
        .args(["check", "--demo", "--fault", "link.silent"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("link.silent"));
    // The demo profile's check timeout is 4s; allow for process start and the simulator.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn unknown_fault_is_a_usage_error_listing_the_known_ones() {
    posdiag()
        .args(["check", "--demo", "--fault", "printer.on_fire"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown fault 'printer.on_fire'")
                .and(predicate::str::contains("reader.not_answering")),
        );
}

#[test]
fn unknown_profile_lists_the_available_ones() {
    posdiag()
        .args(["check", "--profile", "nope"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no profile named 'nope'")
                .and(predicate::str::contains("zvt-tcp")),
        );
}

#[test]
fn missing_serial_port_exits_3_and_lists_ports() {
    posdiag()
        .args([
            "check",
            "--profile",
            "zvt-serial",
            "--serial",
            "/dev/ttyPOSDIAG_NOPE",
        ])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("link.port_not_found"))
        .stderr(predicate::str::contains("/dev/ttyPOSDIAG_NOPE"));
}

#[test]
fn refused_tcp_exits_3() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    posdiag()
        .args(["check", "--profile", "zvt-tcp", "--tcp"])
        .arg(format!("127.0.0.1:{port}"))
        .assert()
        .code(3)
        .stdout(predicate::str::contains("link.tcp_unreachable"));
}

#[test]
fn serial_profile_without_port_says_what_to_do() {
    posdiag()
        .args(["check", "--profile", "zvt-serial"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--serial PORT"));
}

#[test]
fn profile_with_unknown_key_has_line_and_column() {
    let dir = tmp();
    let file = dir.path().join("p.toml");
    std::fs::write(
        &file,
        "name = \"p\"\ndescription = { zh = \"测试\", en = \"test\" }\n[terminal]\nprotocol = \"zvt\"\ntcp = \"127.0.0.1:20007\"\nbaud_rate = 9600\n",
    )
    .expect("write");
    posdiag()
        .args(["profiles", "check"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(":6:1").and(predicate::str::contains("baud_rate")));
}

#[test]
fn profiles_list_and_show() {
    posdiag()
        .args(["profiles", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("zvt-serial").and(predicate::str::contains("demo")));
    posdiag()
        .args(["profiles", "show", "zvt-serial"])
        .assert()
        .success()
        .stdout(predicate::str::contains("stop_bits = 2"));
}

#[test]
fn decode_zvt_serial_frame_checks_the_crc() {
    posdiag()
        .args([
            "decode",
            "zvt",
            "10 02 06 0F 0B F0 F0 F7 32 2E 31 34 2E 31 35 00 10 03 B1 11",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("2.14.15"));
}

#[test]
fn decode_bad_hex_is_a_usage_error() {
    posdiag()
        .args(["decode", "zvt", "10 02 0G"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a hex digit"));
    posdiag()
        .args(["decode", "zvt", "10 02 020"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("odd number"));
}

#[test]
fn decode_never_panics_on_corrupt_frames() {
    for input in [
        "10 02 06",
        "10 02 06 0F FF FF 10 03 00 00",
        "FF",
        "06 0F 05 F1",
    ] {
        let out = posdiag()
            .args(["decode", "zvt", input])
            .output()
            .expect("run");
        assert!(
            out.status.code().is_some_and(|c| c <= 2),
            "{input}: {out:?}"
        );
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{input}"
        );
    }
}

#[test]
fn sim_refuses_non_loopback() {
    posdiag()
        .args(["sim", "--terminal-tcp", "0.0.0.0:0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("loopback"));
}

#[test]
fn capture_and_log_never_hold_the_full_test_pan() {
    let dir = tmp();
    let capture = dir.path().join("c.jsonl");
    let log = dir.path().join("log.txt");
    let out = posdiag()
        .args(["check", "--demo", "--format", "json", "--capture"])
        .arg(&capture)
        .arg("--log-file")
        .arg(&log)
        .assert()
        .success()
        .get_output()
        .clone();
    let capture_text = std::fs::read_to_string(&capture).expect("capture");
    let first = capture_text.lines().next().expect("header");
    assert!(first.contains("\"format\":\"posdiag-capture\""), "{first}");
    assert!(capture_text.contains("\"type\":\"frame\""));
    assert!(capture_text.contains("\"type\":\"check\""));
    let pan = posdiag::sim::TEST_CARD_PAN;
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    for (name, text) in [
        ("capture", capture_text.to_lowercase()),
        ("log", log_text.to_lowercase()),
        (
            "stdout",
            String::from_utf8_lossy(&out.stdout).to_lowercase(),
        ),
    ] {
        assert!(!text.contains(pan), "{name} holds the full PAN");
        // Track 2 as the simulator sends it: PAN, separator D, expiry.
        assert!(!text.contains("d2912"), "{name} holds track-2 data");
    }
    assert!(
        capture_text.contains("620000"),
        "the masked PAN (BIN) should be there"
    );
}

#[test]
fn demo_printer_faults_set_the_exit_code() {
    posdiag()
        .args(["check", "--demo", "--only", "printer", "--format", "json"])
        .args(["--fault", "printer.cover_open"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"printer.cover_open\""));
    // Near end is a warning: the run passes and still names the cause.
    posdiag()
        .args(["check", "--demo", "--only", "printer", "--format", "json"])
        .args(["--fault", "printer.paper_near_end"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"printer.paper_near_end\"")
                .and(predicate::str::contains("\"warn\"")),
        );
}

#[test]
fn printer_no_reply_ends_within_the_timeout() {
    let started = std::time::Instant::now();
    posdiag()
        .args([
            "check",
            "--demo",
            "--only",
            "printer",
            "--fault",
            "printer.no_reply",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("printer.no_reply"));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
}

/// `--tcp` targets the profile's only channel: here the printer of `escpos-tcp`, served by
/// `posdiag sim --printer-tcp`.
#[test]
fn escpos_tcp_profile_checks_a_printer_at_tcp() {
    use std::io::BufRead;
    let mut sim = std::process::Command::new(assert_cmd::cargo::cargo_bin("posdiag"))
        .args([
            "sim",
            "--printer-tcp",
            "127.0.0.1:0",
            "--fault",
            "printer.paper_out",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("sim");
    let mut line = String::new();
    std::io::BufReader::new(sim.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("endpoint line");
    let addr = line
        .trim()
        .strip_prefix("printer tcp ")
        .unwrap_or_else(|| panic!("unexpected sim output '{line}'"))
        .to_owned();
    let result = posdiag()
        .args([
            "check",
            "--profile",
            "escpos-tcp",
            "--tcp",
            &addr,
            "--only",
            "printer",
        ])
        .args(["--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let _ = sim.kill();
    let _ = sim.wait();
    let json: serde_json::Value = serde_json::from_slice(&result).expect("json");
    let paper = json["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "printer.paper")
        .expect("printer.paper")
        .clone();
    assert_eq!(paper["status"], "fail", "{paper}");
    assert_eq!(paper["causes"][0], "printer.paper_out");
}

#[test]
fn decode_escpos_explains_status_bytes() {
    posdiag()
        .args(["decode", "escpos", "7E", "--query", "eot4", "--lang", "en"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("roll end: no paper")
                .and(predicate::str::contains("printer.paper_out")),
        );
    let out = posdiag()
        .args(["decode", "escpos", "10 00 03 00", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(
        json["problems"][0]["id"], "printer.paper_near_end",
        "{json}"
    );
    // A byte failing the fixed bits of the named reply is an error, not a status.
    posdiag()
        .args(["decode", "escpos", "00", "--query", "eot1", "--lang", "en"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("0xx1xx10"));
    posdiag()
        .args(["decode", "escpos", "12", "--query", "eot9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("eot1"));
}

#[test]
fn replay_refuses_what_it_cannot_read_with_exit_2() {
    let dir = tmp();
    let newer = dir.path().join("newer.jsonl");
    std::fs::write(
        &newer,
        "{\"format\":\"posdiag-capture\",\"version\":\"2.0\",\"created\":0,\"posdiag_version\":\"9.0.0\",\"os\":\"linux\",\"profile\":\"demo\",\"target\":\"-\"}\n",
    )
    .expect("write");
    posdiag()
        .args(["replay"])
        .arg(&newer)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("format version 2.0")
                .and(predicate::str::contains("update posdiag")),
        );

    let not_a_capture = dir.path().join("notes.txt");
    std::fs::write(&not_a_capture, "hello\n").expect("write");
    posdiag()
        .args(["replay"])
        .arg(&not_a_capture)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a posdiag capture"));

    posdiag()
        .args(["replay"])
        .arg(dir.path().join("missing.jsonl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read capture"));
}
