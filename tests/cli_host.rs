//! The CLI contract of the host channel: decode iso8583, the network and host checks of the
//! demo, and the simulated acquirer.

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

/// A 0200 sale with an odd-length PAN, a GBK merchant name and field 55 holding the PAN (5A).
fn sale_frame() -> Vec<u8> {
    use posdiag::proto::iso8583::{tlv, Dialect, FieldValue, Message, Mti};
    let mut icc = tlv::encode(0x9F26, &[1, 2, 3, 4, 5, 6, 7, 8]);
    icc.extend(tlv::encode(
        0x5A,
        &[0x62, 0x25, 0x88, 0x01, 0x23, 0x45, 0x67, 0x8F],
    ));
    Message::new(Mti::new("0200").expect("mti"))
        .with(2, FieldValue::digits("622588012345678"))
        .with(3, FieldValue::digits("000000"))
        .with(4, FieldValue::digits("000000001234"))
        .with(11, FieldValue::digits("000123"))
        .with(25, FieldValue::digits("00"))
        .with(41, FieldValue::text("29001006"))
        .with(42, FieldValue::text("898310048990001"))
        .with(43, FieldValue::text("上海测试商户"))
        .with(49, FieldValue::text("156"))
        .with(55, FieldValue::binary(icc))
        .with(60, FieldValue::digits("22000001000600"))
        .encode(&Dialect::cup())
        .expect("encode")
}

#[test]
fn decode_iso8583_json_shape_and_masking() {
    let frame = sale_frame();
    let out = posdiag()
        .args([
            "decode",
            "iso8583",
            &hex::encode(&frame),
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out).to_string();
    assert!(!text.contains("622588012345678"), "full PAN in {text}");
    assert!(
        !text.to_lowercase().contains("622588012345678f"),
        "BCD PAN in {text}"
    );
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(json["mti"], "0200");
    let fields = &json["fields"];
    assert_eq!(fields["2"]["value"], "622588*****5678");
    assert_eq!(fields["41"]["value"], "29001006");
    assert_eq!(fields["41"]["name"]["en"], "terminal ID (TID)");
    assert_eq!(fields["41"]["raw"], "3239303031303036");
    assert!(fields["43"]["value"]
        .as_str()
        .is_some_and(|v| v.starts_with("上海测试商户")));
    assert_eq!(fields["60"]["subfields"]["60.1"]["value"], "22");
    assert_eq!(fields["4"]["value"], "000000001234");
    assert!(fields["55"]["tlv"]["items"].as_array().is_some());
}

#[test]
fn decode_iso8583_retries_without_the_length_prefix() {
    let frame = sale_frame();
    posdiag()
        .args([
            "decode",
            "iso8583",
            &hex::encode(&frame[2..]),
            "--lang",
            "en",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("decoded as: without the length prefix")
                .and(predicate::str::contains("MTI 0200")),
        );
}

#[test]
fn decode_iso8583_with_a_profile_and_from_a_file() {
    let dir = tmp();
    let file = dir.path().join("f.bin");
    std::fs::write(&file, sale_frame()).expect("write");
    posdiag()
        .args(["decode", "iso8583", "--profile", "cup-host", "--file"])
        .arg(&file)
        .args(["--lang", "zh"])
        .assert()
        .success()
        .stdout(predicate::str::contains("受卡机终端标识码"));
    posdiag()
        .args(["decode", "iso8583", "--profile", "zvt-tcp", "00"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no [host] channel"));
}

#[test]
fn decode_iso8583_undecodable_exits_1_without_panic() {
    for input in ["FF FF", "00 05 60 00 03 00", "0002 0200"] {
        let out = posdiag()
            .args(["decode", "iso8583", input])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{input}: {out:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    posdiag()
        .args(["decode", "iso8583", "0G"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a hex digit"));
}

#[test]
fn demo_network_and_host_checks_pass() {
    let dir = tmp();
    let out = posdiag()
        .args([
            "check",
            "--demo",
            "--only",
            "network,host",
            "--format",
            "json",
        ])
        .arg("--capture")
        .arg(dir.path().join("c.jsonl"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let checks = json["checks"].as_array().expect("checks");
    assert_eq!(checks.len(), 7);
    for c in checks {
        assert_eq!(c["status"], "pass", "{c}");
        assert!(["network", "host"].contains(&c["area"].as_str().unwrap_or("")));
    }
    let capture = std::fs::read_to_string(dir.path().join("c.jsonl")).expect("capture");
    assert!(capture.contains("\"channel\":\"host\""));
}

#[test]
fn network_down_ends_within_the_profile_timeout() {
    let started = std::time::Instant::now();
    let out = posdiag()
        .args(["check", "--demo", "--fault", "network.down"])
        .args(["--only", "network,host", "--format", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"network.down\""))
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    // The demo profile's check timeout is 4s: the run itself ends well within it.
    let run_ms = json["duration_ms"].as_u64().expect("duration_ms");
    assert!(run_ms < 4_000, "{run_ms} ms");
    // Wall clock, with process start and the simulator.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn profiles_never_print_the_test_master_key() {
    posdiag()
        .args(["profiles", "show", "demo"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("[host]")
                .and(predicate::str::contains("0123456789ABCDEF").not()),
        );
}

#[test]
fn sim_serves_the_acquirer_on_loopback() {
    use posdiag::proto::iso8583::{decode, Dialect, FieldValue, Message, Mti};
    use std::io::{BufRead, Read, Write};
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("posdiag"))
        .args(["sim", "--host-tcp", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("line");
    let result = std::panic::catch_unwind(|| {
        assert_eq!(line.trim(), format!("host tcp 127.0.0.1:{port}"));
        let d = Dialect::cup();
        let echo = Message::new(Mti::new("0820").expect("mti"))
            .with(11, FieldValue::digits("000001"))
            .with(41, FieldValue::text("29001006"))
            .with(42, FieldValue::text("898310048990001"))
            .with(60, FieldValue::digits("00000001301"))
            .encode(&d)
            .expect("encode");
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
            .expect("timeout");
        s.write_all(&echo).expect("send");
        let mut len = [0u8; 2];
        s.read_exact(&mut len).expect("length");
        let mut body = vec![0u8; usize::from(u16::from_be_bytes(len))];
        s.read_exact(&mut body).expect("body");
        let mut frame = len.to_vec();
        frame.extend(body);
        let reply = decode(&d, &frame).expect("decode");
        assert_eq!(reply.mti.to_string(), "0830");
        assert_eq!(reply.str(39), Some("00"));
        assert_eq!(reply.str(11), Some("000001"));
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
