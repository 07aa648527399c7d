//! `posdiag decode concert` and `posdiag sim --terminal concert`, end to end through the binary
//! (the independent peer is in concert_peer.rs).

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use assert_cmd::Command;
use posdiag::proto::concert::encode_frame;

fn posdiag() -> Command {
    let mut c = Command::cargo_bin("posdiag").expect("binary");
    c.args(["--lang", "en"]);
    c
}

/// ENQ ACK, the terminal's full answer (approved, CUP test card with its expiry), ACK EOT.
fn exchange_hex() -> String {
    let rep = format!("{:<55}", "6200000000000005 3012");
    let body = format!("010000012501{rep}9780000000042");
    let mut bytes = vec![0x05, 0x06];
    bytes.extend(encode_frame(body.as_bytes()));
    bytes.extend([0x06, 0x04]);
    hex::encode(bytes)
}

#[test]
fn decode_explains_an_answer_and_masks_the_card() {
    let out = posdiag()
        .args(["decode", "concert", &exchange_hex()])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("terminal answer (full, LRC OK)"), "{text}");
    assert!(text.contains("result 0 approved (paid)"), "{text}");
    assert!(text.contains("amount 12.50 EUR"), "{text}");
    assert!(text.contains("620000******0005 (+4 hidden)"), "{text}");
    assert!(!text.contains("6200000000000005"), "{text}");
    assert!(!text.contains("3012"), "the expiry is hidden: {text}");

    let out = Command::cargo_bin("posdiag")
        .expect("binary")
        .args([
            "--lang",
            "zh",
            "decode",
            "concert",
            "--format",
            "json",
            &exchange_hex(),
        ])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("json");
    assert_eq!(json["valid"], true);
    assert_eq!(json["items"][2]["kind"], "answer");
    assert_eq!(json["items"][2]["outcome"], "approved");
    assert!(!json.to_string().contains("6200000000000005"));
}

#[test]
fn a_broken_frame_exits_1_and_says_why() {
    // pyTeliumManager's request with its LRC changed.
    let bad = "02303130303030313235303131303937382020202020202020202041303130423031300300";
    let out = posdiag().args(["decode", "concert", bad]).assert().code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("request (protocol E+, ! LRC)"), "{text}");
    posdiag()
        .args(["decode", "concert", "41 42 43"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("3 bytes that are not Concert"));
}

#[test]
fn sim_serves_concert_and_names_its_endpoints() {
    let bin = assert_cmd::cargo::cargo_bin("posdiag");
    let mut child = std::process::Command::new(bin)
        .args([
            "sim",
            "--terminal",
            "concert",
            "--terminal-pty",
            "--terminal-tcp",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .take(2)
        .map(|l| l.expect("line"))
        .collect();
    child.kill().expect("kill");
    let _ = child.wait();
    assert!(
        lines[0].starts_with("terminal concert tcp 127.0.0.1:"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("terminal concert pty /dev/"),
        "{lines:?}"
    );

    posdiag()
        .args(["sim", "--terminal", "concert", "--printer-pty"])
        .assert()
        .code(2);
}
