//! Privacy, in every output (docs/redaction.md):
//! - here: a demo session that reads the synthetic test card and signs on at the simulated
//!   acquirer leaves no full PAN, no track 2, no PIN block and no key in the capture, the log
//!   file, the report bundle or its pcap — searched as digits and in their BCD form;
//! - `nexo`: decode nexo, the nexo client's records, the frames it leaves for the capture, and
//!   checks and a payment on a nexo terminal through a profile (capture, log, report);
//! - `hostile`: decode and tap output for hostile and broken input (the probe cases);
//! - `props`: property tests that plant secrets in arbitrary streams through every decoder and
//!   the tap's stream decoder (the oracle in `tests/support/leak_oracle.rs`, shared with the
//!   `privacy_oracle` fuzz target).

mod hostile;
mod nexo;
mod props;

use assert_cmd::Command;
use posdiag::capture::{read_capture, CaptureRecord};
use posdiag::event::Channel;
use posdiag::proto::iso8583::{decode, Dialect};
use posdiag::sim::TEST_CARD_PAN;

fn posdiag() -> Command {
    let mut cmd = crate::support::posdiag();
    cmd.env("POSDIAG_LOG", "trace");
    cmd
}

/// Every way the test card could leak: its digits (ASCII), its BCD bytes (hex of the packed
/// digits is the same string), and track 2 as the simulator sends it (PAN, separator D or =,
/// expiry 2912).
fn assert_no_card_data(name: &str, text: &str) {
    let lower = text.to_lowercase();
    assert!(!lower.contains(TEST_CARD_PAN), "{name}: full PAN");
    for track2 in ["d2912", "=2912"] {
        assert!(!lower.contains(track2), "{name}: track 2 ({track2})");
    }
}

#[test]
fn no_card_data_or_keys_in_capture_log_report_or_pcap() {
    let dir = tempfile::tempdir().expect("tmp");
    let capture = dir.path().join("session.jsonl");
    let log = dir.path().join("posdiag.log");
    let out = posdiag()
        .args(["check", "--demo", "--format", "json", "--capture"])
        .arg(&capture)
        .arg("--log-file")
        .arg(&log)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report = dir.path().join("report");
    posdiag()
        .arg("report")
        .arg(&capture)
        .arg("-o")
        .arg(&report)
        .arg("--log-file")
        .arg(&log)
        .assert()
        .success();

    // The card was read (the check passed and shows the masked number): there was card data
    // to leak.
    let stdout = String::from_utf8_lossy(&out).to_string();
    assert!(
        stdout.contains("620000******0005"),
        "the card-read test must have run"
    );
    assert_no_card_data("stdout", &stdout);

    for file in [
        capture.clone(),
        log.clone(),
        report.join("summary.md"),
        report.join("capture.jsonl"),
        report.join("posdiag.log"),
    ] {
        let text = std::fs::read_to_string(&file).expect("readable");
        assert_no_card_data(&file.display().to_string(), &text);
    }
    let pcap = std::fs::read(report.join("posdiag.pcap")).expect("pcap");
    assert_no_card_data("pcap (hex)", &hex::encode(&pcap));
    assert_no_card_data("pcap (bytes)", &String::from_utf8_lossy(&pcap));

    // Keys: the sign-on answer (0810) carries working keys in field 62; in the capture every
    // byte of it is overwritten, and no PIN block (field 52) survives either.
    let contents = read_capture(&capture).expect("capture");
    let dialect = Dialect::cup();
    let mut key_fields = 0;
    for record in &contents.records {
        let CaptureRecord::Frame(frame) = record else {
            continue;
        };
        if frame.channel != Channel::Host {
            continue;
        }
        let Ok(message) = decode(&dialect, &frame.raw) else {
            continue;
        };
        for field in [52u8, 62] {
            if let Some(f) = message.field(field) {
                let bytes = frame.raw.get(f.data.clone()).expect("in range");
                if field == 62 && message.mti.to_string() == "0810" {
                    key_fields += 1;
                }
                let first = bytes.first().copied().unwrap_or(0);
                assert!(
                    bytes.iter().all(|b| *b == first),
                    "field {field} of {} is not overwritten: {}",
                    message.mti,
                    hex::encode(bytes)
                );
            }
        }
    }
    assert!(
        key_fields > 0,
        "the demo's sign-on must have returned working keys"
    );
}

/// A synthetic card typed with `--card` for a payment: the capture, the log, the report bundle
/// and its pcap hold at most its BIN and last four, in no form (digits, BCD, hex of BCD).
#[test]
fn a_synthetic_card_never_appears_in_full() {
    // Digits chosen so that no masked form can contain the middle: 6212 3456 7890 1234 567.
    let card = "6212345678901234567";
    let middle = &card[6..15];
    let dir = tempfile::tempdir().expect("tmp");
    let capture = dir.path().join("pay.jsonl");
    let log = dir.path().join("posdiag.log");
    let out = posdiag()
        .args([
            "txn", "pay", "--demo", "--amount", "12.34", "--yes", "--card", card,
        ])
        .args(["--format", "json", "--capture"])
        .arg(&capture)
        .arg("--log-file")
        .arg(&log)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report = dir.path().join("report");
    posdiag()
        .arg("report")
        .arg(&capture)
        .arg("-o")
        .arg(&report)
        .arg("--log-file")
        .arg(&log)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out).to_string();
    assert!(
        stdout.contains("621234"),
        "the masked card is shown: {stdout}"
    );
    let mut texts = vec![("stdout".to_owned(), stdout)];
    for file in [
        capture,
        log,
        report.join("summary.md"),
        report.join("capture.jsonl"),
    ] {
        texts.push((
            file.display().to_string(),
            std::fs::read_to_string(&file).expect("read"),
        ));
    }
    let pcap = std::fs::read(report.join("posdiag.pcap")).expect("pcap");
    texts.push(("pcap (hex)".to_owned(), hex::encode(&pcap)));
    for (name, text) in texts {
        let lower = text.to_lowercase();
        assert!(!lower.contains(card), "{name}: full card number");
        assert!(!lower.contains(middle), "{name}: the middle digits");
        // BCD, both nibble alignments of the middle digits.
        assert!(!lower.contains("345678901"), "{name}: BCD middle");
        assert!(!lower.contains("456789012"), "{name}: BCD middle (shifted)");
    }
}
