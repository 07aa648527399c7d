//! Adyen's own Node library, `@adyen/api-library` (npm, MIT, version pinned in
//! scripts/nexo_peer/package-lock.json), as the independent peer for posdiag's nexo code:
//!
//! - vectors: messages the library encrypts open in posdiag (HMAC verified), and messages
//!   posdiag seals open in the library;
//! - the simulated terminal (`posdiag sim --terminal nexo`) answers the library's
//!   `TerminalLocalAPI` (encrypted, over HTTPS, posdiag's test CA as `certificatePath`, the
//!   library's own certificate-name check) for Diagnosis, Payment, TransactionStatus, Reversal
//!   and Abort, with faults, and refuses a wrong shared key the way a terminal does.
//!
//! The peer comes from `POSDIAG_NODE_PEER` (set by `.ci/run` after `scripts/setup_node.sh`), or
//! `scripts/nexo_peer` after `npm ci` there. Under CI a missing peer fails the test; on a
//! developer machine without it the test says so and passes.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use posdiag::proto::nexo::{self, Envelope, SecurityKey};
use serde_json::{json, Value};

const PASSPHRASE: &str = "posdiag-test-passphrase";
const KEY_ID: &str = "PosdiagTestKey";
const KEY_VERSION: u32 = 3;
const POIID: &str = "P400Plus-275039202";

fn peer() -> Option<PathBuf> {
    let from_env = std::env::var("POSDIAG_NODE_PEER")
        .ok()
        .filter(|p| !p.is_empty());
    let candidates = from_env
        .iter()
        .map(PathBuf::from)
        .chain([PathBuf::from("scripts/nexo_peer")]);
    for dir in candidates {
        if dir.join("node_modules/@adyen/api-library").is_dir() && dir.join("driver.js").is_file() {
            return Some(dir);
        }
    }
    if std::env::var_os("CI").is_some() {
        panic!("the nexo peer is missing: CI must run scripts/setup_node.sh and set POSDIAG_NODE_PEER (see .ci/run)");
    }
    eprintln!(
        "nexo peer not run: export POSDIAG_NODE_PEER=\"$(bash scripts/setup_node.sh | tail -n 1)\""
    );
    None
}

fn key_json(passphrase: &str) -> Value {
    json!({"passphrase": passphrase, "keyIdentifier": KEY_ID, "keyVersion": KEY_VERSION})
}

fn run_peer(peer: &PathBuf, command: &str, job: &Value) -> Value {
    let mut child = Command::new("node")
        .arg(peer.join("driver.js"))
        .arg(command)
        .current_dir(peer)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs (install Node.js 18+)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(job.to_string().as_bytes())
        .expect("job written");
    let out = child.wait_with_output().expect("peer ends");
    assert!(
        out.status.success(),
        "peer {command} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "peer printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn header(category: &str, service_id: &str) -> Value {
    json!({"ProtocolVersion": "3.0", "MessageClass": "Service", "MessageCategory": category,
        "MessageType": "Request", "ServiceID": service_id, "SaleID": "PosdiagECR", "POIID": POIID})
}

fn request(category: &str, service_id: &str, body: Value) -> Value {
    json!({"SaleToPOIRequest": {"MessageHeader": header(category, service_id),
        format!("{category}Request"): body}})
}

fn key() -> SecurityKey {
    SecurityKey::new(PASSPHRASE, KEY_ID, KEY_VERSION)
}

#[test]
fn messages_the_library_encrypts_open_in_posdiag_and_back() {
    let Some(peer) = peer() else { return };
    let plain = request("Payment", "4711", json!({
        "SaleData": {"SaleTransactionID": {"TransactionID": "T-1", "TimeStamp": "2026-12-05T10:00:00Z"}},
        "PaymentTransaction": {"AmountsReq": {"Currency": "EUR", "RequestedAmount": 12.34}}}))
    .to_string();
    let secured = run_peer(
        &peer,
        "encrypt",
        &json!({"key": key_json(PASSPHRASE), "plaintext": plain}),
    );
    let wire = secured.to_string();
    let Envelope::Secured(s) = nexo::parse(wire.as_bytes()).expect("library output parses") else {
        panic!("not secured: {wire}")
    };
    assert_eq!(s.trailer.key_identifier, KEY_ID);
    let opened = s
        .open(&key())
        .expect("posdiag opens what the library sealed");
    let opened_value = opened.to_value();
    let plain_value: Value = serde_json::from_str(&plain).unwrap();
    assert_eq!(opened_value, plain_value);
    // The same blob with a different passphrase: refused, never a panic.
    assert!(s
        .open(&SecurityKey::new("not-it", KEY_ID, KEY_VERSION))
        .is_err());
    // A flipped bit in the HMAC: refused.
    let mut tampered = s.clone();
    tampered.trailer.hmac = tampered.trailer.hmac.replacen(|c: char| c != 'A', "A", 1);
    assert!(tampered.open(&key()).is_err());

    // posdiag seals, the library opens and checks the HMAC.
    let Envelope::Plain(m) = nexo::parse(plain.as_bytes()).unwrap() else {
        panic!("plain")
    };
    let sealed = m.seal(&key(), &[0x5A; 16]).to_value();
    let back = run_peer(
        &peer,
        "decrypt",
        &json!({"key": key_json(PASSPHRASE), "secured": sealed}),
    );
    let back: Value = serde_json::from_str(back["plaintext"].as_str().expect("plaintext")).unwrap();
    assert_eq!(back, plain_value);
}

/// `posdiag sim --terminal nexo` on `ip`:8443, killed when dropped.
struct Sim {
    child: Child,
    ca: String,
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_sim(ip: &str, faults: &[&str]) -> Sim {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_posdiag"));
    cmd.args([
        "sim",
        "--terminal",
        "nexo",
        "--terminal-tcp",
        &format!("{ip}:8443"),
    ])
    .args([
        "--nexo-key-id",
        KEY_ID,
        "--nexo-key-version",
        &KEY_VERSION.to_string(),
    ])
    .args(["--format", "json"])
    .env("POSDIAG_NEXO_PASSPHRASE", PASSPHRASE)
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    for f in faults {
        cmd.args(["--fault", f]);
    }
    let mut child = cmd.spawn().expect("posdiag sim starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("endpoint line");
    let endpoints: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    assert_eq!(endpoints["terminal_url"], format!("https://{ip}:8443/nexo"));
    Sim {
        child,
        ca: endpoints["terminal_ca"]
            .as_str()
            .expect("terminal_ca")
            .to_owned(),
    }
}

fn call(peer: &PathBuf, sim: &Sim, ip: &str, passphrase: &str, req: Value) -> Value {
    run_peer(
        peer,
        "call",
        &json!({"key": key_json(passphrase), "endpoint": format!("https://{ip}"),
        "certificatePath": sim.ca, "request": req}),
    )
}

fn body<'a>(answer: &'a Value, key: &str) -> &'a Value {
    let body = &answer["response"]["SaleToPOIResponse"][key];
    assert!(body.is_object(), "no {key} in {answer}");
    body
}

fn payment_request(service_id: &str, sale_txn: &str) -> Value {
    request(
        "Payment",
        service_id,
        json!({
        "SaleData": {"SaleTransactionID": {"TransactionID": sale_txn, "TimeStamp": "2026-12-05T10:00:00Z"}},
        "PaymentTransaction": {"AmountsReq": {"Currency": "EUR", "RequestedAmount": 12.34}}}),
    )
}

#[test]
fn the_library_drives_the_simulated_terminal_through_a_payment() {
    let Some(peer) = peer() else { return };
    let ip = "127.0.0.3";
    let sim = start_sim(ip, &[]);

    let diag = call(
        &peer,
        &sim,
        ip,
        PASSPHRASE,
        request("Diagnosis", "1001", json!({"HostDiagnosisFlag": true})),
    );
    let d = body(&diag, "DiagnosisResponse");
    assert_eq!(d["Response"]["Result"], "Success", "{diag}");
    assert_eq!(d["POIStatus"]["GlobalStatus"], "OK");
    assert_eq!(d["POIStatus"]["PrinterStatus"], "OK");
    assert_eq!(d["HostStatus"][0]["IsReachableFlag"], true);
    assert_eq!(
        diag["response"]["SaleToPOIResponse"]["MessageHeader"]["ServiceID"],
        "1001"
    );

    let pay = call(
        &peer,
        &sim,
        ip,
        PASSPHRASE,
        payment_request("1002", "T-1002"),
    );
    let p = body(&pay, "PaymentResponse");
    assert_eq!(p["Response"]["Result"], "Success", "{pay}");
    assert_eq!(p["PaymentResult"]["AmountsResp"]["AuthorizedAmount"], 12.34);
    let masked = p["PaymentResult"]["PaymentInstrumentData"]["CardData"]["MaskedPan"]
        .as_str()
        .unwrap();
    assert_eq!(masked, "620000******0005", "BIN + last four only");
    let poi_txn = p["POIData"]["POITransactionID"].clone();

    let status = call(
        &peer,
        &sim,
        ip,
        PASSPHRASE,
        request(
            "TransactionStatus",
            "1003",
            json!({"MessageReference": {"MessageCategory": "Payment", "ServiceID": "1002", "SaleID": "PosdiagECR", "POIID": POIID}}),
        ),
    );
    let s = body(&status, "TransactionStatusResponse");
    assert_eq!(s["Response"]["Result"], "Success", "{status}");
    let repeated = &s["RepeatedMessageResponse"]["RepeatedResponseMessageBody"]["PaymentResponse"];
    assert_eq!(repeated["Response"]["Result"], "Success", "{status}");
    assert_eq!(repeated["POIData"]["POITransactionID"], poi_txn);

    let rev = call(
        &peer,
        &sim,
        ip,
        PASSPHRASE,
        request(
            "Reversal",
            "1004",
            json!({"OriginalPOITransaction": {"POITransactionID": poi_txn}, "ReversalReason": "MerchantCancel"}),
        ),
    );
    let r = body(&rev, "ReversalResponse");
    assert_eq!(r["Response"]["Result"], "Success", "{rev}");
    assert_eq!(r["ReversedAmount"], 12.34);
    // Reversing twice is refused.
    let again = call(
        &peer,
        &sim,
        ip,
        PASSPHRASE,
        request(
            "Reversal",
            "1005",
            json!({"OriginalPOITransaction": {"POITransactionID": poi_txn}, "ReversalReason": "MerchantCancel"}),
        ),
    );
    assert_eq!(
        body(&again, "ReversalResponse")["Response"]["ErrorCondition"],
        "NotAllowed",
        "{again}"
    );

    // Abort: the terminal acknowledges with an empty body, which the library returns as an
    // empty response (no error).
    let abort = run_peer(
        &peer,
        "call",
        &json!({"key": key_json(PASSPHRASE), "endpoint": format!("https://{ip}"),
        "certificatePath": sim.ca, "request": {"SaleToPOIRequest": {"MessageHeader": header("Abort", "1006"),
        "AbortRequest": {"AbortReason": "MerchantAbort", "MessageReference": {"MessageCategory": "Payment",
        "ServiceID": "1002", "SaleID": "PosdiagECR", "POIID": POIID}}}}}),
    );
    assert!(abort.get("error").is_none(), "{abort}");
    assert!(
        abort["response"].get("SaleToPOIResponse").is_none(),
        "{abort}"
    );
}

#[test]
fn faults_show_in_the_diagnosis_and_the_payment() {
    let Some(peer) = peer() else { return };
    let ip = "127.0.0.4";
    let sim = start_sim(
        ip,
        &["printer.paper_out", "network.down", "reader.not_answering"],
    );
    let diag = call(
        &peer,
        &sim,
        ip,
        PASSPHRASE,
        request("Diagnosis", "2001", json!({"HostDiagnosisFlag": true})),
    );
    let d = body(&diag, "DiagnosisResponse");
    assert_eq!(d["POIStatus"]["PrinterStatus"], "PaperEmpty", "{diag}");
    assert_eq!(d["POIStatus"]["CommunicationOKFlag"], false);
    assert_eq!(d["POIStatus"]["CardReaderOKFlag"], false);
    assert_eq!(d["HostStatus"][0]["IsReachableFlag"], false);
    let pay = call(
        &peer,
        &sim,
        ip,
        PASSPHRASE,
        payment_request("2002", "T-2002"),
    );
    assert_eq!(
        body(&pay, "PaymentResponse")["Response"]["ErrorCondition"],
        "UnavailableDevice",
        "{pay}"
    );
    drop(sim);

    let ip = "127.0.0.5";
    let sim = start_sim(ip, &["host.decline=51"]);
    let pay = call(
        &peer,
        &sim,
        ip,
        PASSPHRASE,
        payment_request("3001", "T-3001"),
    );
    let p = body(&pay, "PaymentResponse");
    assert_eq!(p["Response"]["Result"], "Failure", "{pay}");
    assert_eq!(p["Response"]["ErrorCondition"], "Refusal");
    assert!(p["Response"]["AdditionalResponse"]
        .as_str()
        .unwrap()
        .contains("refusalReason=51"));
    // The declined payment is what TransactionStatus reports.
    let status = call(
        &peer,
        &sim,
        ip,
        PASSPHRASE,
        request(
            "TransactionStatus",
            "3002",
            json!({"MessageReference": {"MessageCategory": "Payment", "ServiceID": "3001"}}),
        ),
    );
    let s = body(&status, "TransactionStatusResponse");
    assert_eq!(
        s["RepeatedMessageResponse"]["RepeatedResponseMessageBody"]["PaymentResponse"]["Response"]
            ["ErrorCondition"],
        "Refusal",
        "{status}"
    );
}

#[test]
fn a_wrong_shared_key_gets_the_terminals_crypto_error() {
    let Some(peer) = peer() else { return };
    let ip = "127.0.0.6";
    let sim = start_sim(ip, &[]);
    let answer = call(
        &peer,
        &sim,
        ip,
        "not-the-passphrase",
        request("Diagnosis", "4001", json!({})),
    );
    let error = answer["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {answer}"));
    assert!(error.contains("Nexo Service: crypto error"), "{answer}");
}
