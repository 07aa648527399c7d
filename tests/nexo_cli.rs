//! `posdiag decode nexo` and the `posdiag sim --terminal nexo` arguments, end to end through
//! the binary (the independent peer is in nexo_peer.rs).

use assert_cmd::Command;
use posdiag::proto::nexo::{parse, Envelope, SecurityKey};
use predicates::str::contains;

const PAYMENT: &str = r#"{"SaleToPOIResponse":{"MessageHeader":{"MessageClass":"Service","MessageCategory":"Payment",
 "MessageType":"Response","ServiceID":"42","SaleID":"ECR","POIID":"P400Plus-1"},"PaymentResponse":{
 "Response":{"Result":"Failure","ErrorCondition":"Refusal","AdditionalResponse":"refusalReason=51&pan=6200000000000005"},
 "PaymentResult":{"PaymentInstrumentData":{"CardData":{"MaskedPan":"620000 **** 0005",
 "SensitiveCardData":{"PAN":"6200000000000005","ExpiryDate":"1230"}}}}}}}"#;

fn posdiag() -> Command {
    let mut c = Command::cargo_bin("posdiag").expect("binary");
    c.env_remove("POSDIAG_NEXO_PASSPHRASE")
        .args(["--lang", "en"]);
    c
}

#[test]
fn decode_explains_a_plain_response_and_masks_the_card() {
    let out = posdiag()
        .args(["decode", "nexo", PAYMENT])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("ErrorCondition Refusal: refused by the host or the card"),
        "{text}"
    );
    assert!(text.contains("refusalReason=51"), "{text}");
    assert!(!text.contains("6200000000000005"), "{text}");
    assert!(
        !text.contains("1230"),
        "sensitive card data hidden whole: {text}"
    );
    Command::cargo_bin("posdiag")
        .expect("binary")
        .args(["--lang", "zh", "decode", "nexo", PAYMENT])
        .assert()
        .success()
        .stdout(contains("被主机或卡拒绝"));
}

#[test]
fn decode_opens_an_encrypted_message_only_with_the_right_key() {
    let key = SecurityKey::new("decode-pass", "K1", 2);
    let Envelope::Plain(m) = parse(PAYMENT.as_bytes()).unwrap() else {
        panic!("plain")
    };
    let wire = m.seal(&key, &[1; 16]).to_value().to_string();
    // Without a key: says it is encrypted and how to open it.
    posdiag()
        .args(["decode", "nexo", &wire])
        .assert()
        .success()
        .stdout(contains("key K1 version 2"));
    posdiag()
        .args([
            "decode",
            "nexo",
            &wire,
            "--nexo-key-id",
            "K1",
            "--nexo-key-version",
            "2",
        ])
        .env("POSDIAG_NEXO_PASSPHRASE", "decode-pass")
        .assert()
        .success()
        .stdout(contains("(decrypted)"))
        .stdout(contains("Refusal"));
    posdiag()
        .args([
            "decode",
            "nexo",
            &wire,
            "--nexo-key-id",
            "K1",
            "--nexo-key-version",
            "2",
        ])
        .env("POSDIAG_NEXO_PASSPHRASE", "wrong")
        .assert()
        .code(1)
        .stderr(contains("cannot decrypt"));
    // Key id given without the passphrase: a usage error naming the variable.
    posdiag()
        .args([
            "decode",
            "nexo",
            &wire,
            "--nexo-key-id",
            "K1",
            "--nexo-key-version",
            "2",
        ])
        .assert()
        .code(2)
        .stderr(contains("POSDIAG_NEXO_PASSPHRASE"));
    posdiag()
        .args(["decode", "nexo", "{\"x\":1}"])
        .assert()
        .code(1)
        .stderr(contains("not a nexo message"));
}

#[test]
fn sim_nexo_needs_the_shared_key() {
    posdiag()
        .args(["sim", "--terminal", "nexo", "--terminal-tcp", "127.0.0.1:0"])
        .assert()
        .code(2)
        .stderr(contains("--nexo-key-id"));
    posdiag()
        .args([
            "sim",
            "--terminal",
            "nexo",
            "--terminal-tcp",
            "10.0.0.1:8443",
            "--nexo-key-id",
            "K",
            "--nexo-key-version",
            "1",
        ])
        .env("POSDIAG_NEXO_PASSPHRASE", "p")
        .assert()
        .code(2)
        .stderr(contains("loopback"));
}

use crate::support::nexo_sim;

/// A profile pointing at a nexo terminal whose shared key differs from ours (the passphrase in
/// POSDIAG_NEXO_PASSPHRASE is wrong): `check` and `txn pay` stop with one line naming the key
/// identifier and version, exit 3, and print no report (never a JSON stack); no passphrase in
/// any output. With the right passphrase the same profile checks clean.
#[test]
fn a_wrong_passphrase_is_one_line_naming_the_key_exit_3() {
    const RIGHT: &str = "the-terminals-passphrase-4d1e";
    const WRONG: &str = "a-mistyped-passphrase-88c0";
    let sim = nexo_sim::NexoSim::start(RIGHT, &[]);
    let dir = tempfile::tempdir().expect("tmp");
    let runs: [&[&str]; 2] = [
        &["check", "--format", "json"],
        &[
            "txn", "pay", "--amount", "1.00", "--yes", "--format", "json",
        ],
    ];
    for args in runs {
        let out = posdiag()
            .arg("--capture")
            .arg(dir.path().join("c.jsonl"))
            .args(args)
            .arg("--profile")
            .arg(&sim.profile)
            .env("POSDIAG_NEXO_PASSPHRASE", WRONG)
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stdout}\n{stderr}");
        assert!(stdout.trim().is_empty(), "{args:?}: no report: {stdout}");
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{args:?}: one line: {stderr}");
        let line = lines[0];
        assert!(
            line.contains(nexo_sim::KEY_ID) && line.contains("version 7"),
            "{args:?}: names the key: {line}"
        );
        assert!(!line.contains('{'), "{args:?}: no JSON: {line}");
        for secret in [RIGHT, WRONG] {
            assert!(!stderr.contains(secret), "{args:?}: passphrase shown");
        }
    }
    // Without the variable at all: what to set, exit 2 (usage).
    posdiag()
        .args(["check", "--profile"])
        .arg(&sim.profile)
        .assert()
        .code(2)
        .stderr(contains("POSDIAG_NEXO_PASSPHRASE"));
    // The right passphrase: the same profile checks clean.
    posdiag()
        .arg("--capture")
        .arg(dir.path().join("ok.jsonl"))
        .args(["check", "--format", "json", "--profile"])
        .arg(&sim.profile)
        .env("POSDIAG_NEXO_PASSPHRASE", RIGHT)
        .assert()
        .success()
        .stdout(contains("\"link.terminal\""));
}
