//! nexo (Adyen Terminal API): `posdiag decode nexo` and the nexo client's records, answers and
//! errors, with a real-looking card in the request and the response (PAN, track 2, expiry,
//! card security code) and the shared key's passphrase in play. The PAN shows as BIN + last
//! four at most; the passphrase, track data and security code never show.

use std::time::Duration;

use posdiag::drivers::nexo::{NexoClient, NexoConfig, Parties, PaymentSpec};
use posdiag::proto::nexo::{parse, Category, Envelope, SecurityKey};
use posdiag::sim::{start_nexo, NexoSimConfig, SIM_NEXO_POIID};
use serde_json::json;

use super::posdiag;

const PAN: &str = "4761739001010119";
const TRACK2: &str = "4761739001010119=25122011000012345678";
const CSC: &str = "864";
const PASSPHRASE: &str = "privacy-nexo-passphrase-7f3a";

fn card() -> serde_json::Value {
    json!({
        "PaymentInstrumentType": "Card",
        "CardData": {
            "MaskedPan": PAN,
            "SensitiveCardData": {"PAN": PAN, "ExpiryDate": "2512",
                "TrackData": [{"TrackNumb": 2, "TrackValue": TRACK2}]},
            "CardSecurityCode": {"CSCValue": CSC},
            "TrackData": [{"TrackValue": TRACK2}],
        },
    })
}

/// No full PAN, track 2, security code or passphrase; no digit run longer than BIN + last 4
/// could make (a masked PAN keeps its 6 + 4 digits apart).
fn assert_clean(name: &str, text: &str) {
    assert!(!text.contains(PAN), "{name}: full PAN in {text}");
    assert!(!text.contains("=2512"), "{name}: track 2 in {text}");
    assert!(
        !text.contains("25122011"),
        "{name}: track 2 discretionary data"
    );
    assert!(!text.contains(PASSPHRASE), "{name}: passphrase");
    assert!(
        !text.contains(&format!("\"{CSC}\"")) && !text.contains(&format!(": {CSC}")),
        "{name}: card security code in {text}"
    );
    let longest = text
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(longest <= 10, "{name}: a run of {longest} digits in {text}");
}

fn response() -> String {
    json!({"SaleToPOIResponse": {
        "MessageHeader": {"MessageClass": "Service", "MessageCategory": "Payment", "MessageType": "Response",
            "ServiceID": "77", "SaleID": "ECR", "POIID": SIM_NEXO_POIID},
        "PaymentResponse": {
            "Response": {"Result": "Success", "AdditionalResponse": format!("cardNumber={PAN}&track2={TRACK2}")},
            "PaymentResult": {"PaymentInstrumentData": card()},
            "PaymentReceipt": [{"OutputContent": {"OutputText": [{"Text": format!("CARD {PAN}")}]}}],
        },
    }})
    .to_string()
}

#[test]
fn decode_nexo_never_shows_card_data_or_the_passphrase() {
    let plain = response();
    let key = SecurityKey::new(PASSPHRASE, "PrivKey", 3);
    let Envelope::Plain(m) = parse(plain.as_bytes()).expect("nexo") else {
        panic!("plain")
    };
    let sealed = m.seal(&key, &[5; 16]).to_value().to_string();
    for (name, input, with_key) in [("plain", &plain, false), ("encrypted", &sealed, true)] {
        for format in ["text", "json"] {
            let mut cmd = posdiag();
            cmd.args(["--lang", "en", "decode", "nexo", "--format", format, input]);
            if with_key {
                cmd.args(["--nexo-key-id", "PrivKey", "--nexo-key-version", "3"])
                    .env("POSDIAG_NEXO_PASSPHRASE", PASSPHRASE);
            }
            let out = cmd.output().expect("decode runs");
            assert!(out.status.success(), "{name} {format}: {out:?}");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_clean(&format!("{name} {format} stdout"), &stdout);
            assert_clean(&format!("{name} {format} stderr"), &stderr);
            assert!(
                stdout.contains("476173"),
                "{name} {format}: BIN kept: {stdout}"
            );
        }
    }
}

#[tokio::test]
async fn the_nexo_client_keeps_only_masked_card_data() {
    let key = SecurityKey::new(PASSPHRASE, "PrivKey", 1);
    let sim = start_nexo(NexoSimConfig {
        addr: "127.0.0.1:0".to_owned(),
        key: key.clone(),
        faults: Vec::new(),
        host_wait: None,
    })
    .await
    .expect("sim");
    let config = NexoConfig {
        addr: sim.addr.to_string(),
        trust_file: sim.ca_path.clone(),
        key: Some(key),
        parties: Parties {
            sale_id: "privacy".to_owned(),
            poi_id: SIM_NEXO_POIID.to_owned(),
        },
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(3),
        payment_timeout: Duration::from_secs(3),
    };
    let client = NexoClient::new(config.clone()).expect("client");
    // A payment request carrying the card as a register with its own reader would send it.
    let body = json!({
        "SaleData": {"SaleTransactionID": {"TransactionID": "P1", "TimeStamp": "2026-01-01T00:00:00Z"}},
        "PaymentTransaction": {"AmountsReq": {"Currency": "EUR", "RequestedAmount": 1.0}},
        "PaymentData": {"PaymentInstrumentData": card()},
    });
    let answer = client
        .exchange(Category::Payment, "11", body)
        .await
        .expect("answer");
    let pay = client
        .payment(
            "12",
            &PaymentSpec {
                sale_transaction_id: "P2".to_owned(),
                currency: "EUR".to_owned(),
                amount: 2.0,
            },
        )
        .await
        .expect("payment");
    let log = client.take_log();
    assert_eq!(log.len(), 2);
    let shown = format!(
        "{}\n{pay:?}\n{config:?}",
        serde_json::to_string(&log).expect("json")
    );
    assert_clean("client records", &shown);
    assert!(shown.contains("<hidden>"), "secret fields hidden whole");
    assert!(answer.is_some());
    // A wrong passphrase: the error names the key, never a passphrase.
    let wrong = NexoConfig {
        key: Some(SecurityKey::new("wrong-privacy-passphrase", "PrivKey", 1)),
        ..config
    };
    let err = NexoClient::new(wrong)
        .expect("client")
        .diagnosis()
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains("wrong-privacy-passphrase") && !text.contains(PASSPHRASE),
        "{text}"
    );
}

/// The frames a nexo exchange leaves for the bus and the capture (the masked request and
/// answer, then the capture's own second pass) keep no card data, even when the records
/// reaching them were not masked before.
#[test]
fn nexo_frames_and_their_capture_keep_no_card_data() {
    use posdiag::capture::redact_frame;
    use posdiag::drivers::nexo::frames::exchange_frames;
    use posdiag::drivers::nexo::ExchangeRecord;
    let Envelope::Plain(answer) = parse(response().as_bytes()).expect("nexo") else {
        panic!("plain")
    };
    let record = ExchangeRecord {
        category: "Payment".to_owned(),
        service_id: "77".to_owned(),
        encrypted: true,
        request: json!({"SaleToPOIRequest": {"MessageHeader": {"MessageClass": "Service",
            "MessageCategory": "Payment", "MessageType": "Request", "ServiceID": "77",
            "SaleID": "ECR", "POIID": SIM_NEXO_POIID},
            "PaymentRequest": {"PaymentData": {"PaymentInstrumentData": card()}}}}),
        http_status: Some(200),
        response: Some(answer.to_value()),
    };
    let frames = exchange_frames(&record);
    assert_eq!(frames.len(), 2);
    for f in frames {
        let stored = redact_frame(&f);
        for (name, frame) in [("frame", &f), ("captured frame", &stored)] {
            let text = format!(
                "{} {} {}",
                String::from_utf8_lossy(&frame.raw),
                frame.summary,
                frame.summary_zh.clone().unwrap_or_default()
            );
            assert_clean(name, &text);
        }
    }
}

/// Checks and a payment on a nexo terminal through a profile, the passphrase only in
/// POSDIAG_NEXO_PASSPHRASE: stdout, stderr, the capture, the log file and the report bundle
/// (summary, capture, log, pcap) hold no full card number, no passphrase (as text or hex) and
/// no encrypted blob of the wire.
#[test]
fn checks_and_a_payment_over_nexo_leave_no_card_data_or_passphrase() {
    use crate::support::nexo_sim::NexoSim;
    use posdiag::sim::TEST_CARD_PAN;
    let sim = NexoSim::start(PASSPHRASE, &[]);
    let dir = tempfile::tempdir().expect("tmp");
    let log = dir.path().join("posdiag.log");
    let mut shown = String::new();
    let runs: [(&str, &[&str]); 2] = [
        ("check", &["check", "--format", "json"]),
        (
            "pay",
            &[
                "txn", "pay", "--amount", "12.34", "--yes", "--format", "json",
            ],
        ),
    ];
    let mut files = vec![log.clone()];
    for (name, args) in runs {
        let capture = dir.path().join(format!("{name}.jsonl"));
        let out = posdiag()
            .args(["--lang", "en", "--capture"])
            .arg(&capture)
            .arg("--log-file")
            .arg(&log)
            .args(args)
            .arg("--profile")
            .arg(&sim.profile)
            .env("POSDIAG_NEXO_PASSPHRASE", PASSPHRASE)
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(out.status.success(), "{name}: {stdout}\n{out:?}");
        shown.push_str(&stdout);
        shown.push_str(&String::from_utf8_lossy(&out.stderr));
        let report = dir.path().join(format!("{name}-report"));
        posdiag()
            .arg("report")
            .arg(&capture)
            .arg("-o")
            .arg(&report)
            .arg("--log-file")
            .arg(&log)
            .assert()
            .success();
        files.extend([
            capture,
            report.join("summary.md"),
            report.join("capture.jsonl"),
            report.join("posdiag.log"),
            report.join("posdiag.pcap"),
        ]);
    }
    // The payment was approved and shows the card masked: there was card data to leak.
    assert!(shown.contains("620000******0005"), "{shown}");
    let hex_passphrase = hex::encode(PASSPHRASE);
    let mut texts = vec![("stdout and stderr".to_owned(), shown)];
    for f in &files {
        let bytes = std::fs::read(f).expect("readable");
        let name = f.display().to_string();
        texts.push((format!("{name} (hex)"), hex::encode(&bytes)));
        texts.push((name, String::from_utf8_lossy(&bytes).to_string()));
    }
    // Frames are stored as hex in the capture: read them back as the JSON they are.
    let mut frames = String::new();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "jsonl"))
    {
        let contents = posdiag::capture::read_capture(f).expect("capture");
        for r in &contents.records {
            if let posdiag::capture::CaptureRecord::Frame(frame) = r {
                frames.push_str(&String::from_utf8_lossy(&frame.raw));
            }
        }
    }
    assert!(
        frames.contains("PaymentResponse") && frames.contains("DiagnosisResponse"),
        "the check's and the payment's frames are captured"
    );
    texts.push(("captured frames".to_owned(), frames));
    for (name, text) in &texts {
        let lower = text.to_lowercase();
        assert!(!lower.contains(TEST_CARD_PAN), "{name}: full PAN");
        assert!(!text.contains(PASSPHRASE), "{name}: passphrase");
        assert!(!lower.contains(&hex_passphrase), "{name}: passphrase (hex)");
        assert!(!text.contains("NexoBlob"), "{name}: encrypted blob kept");
    }
}
