//! pyiso8583 (PyPI, MIT) as an independent oracle for the CUP codec, both ways, for every MTI
//! the simulated acquirer uses, with odd-length PANs, GBK merchant names, track 2 and field 55:
//!
//! - frames posdiag builds (requests here, responses from the simulated acquirer) decode the
//!   same in pyiso8583 and re-encode byte for byte there;
//! - frames pyiso8583 encodes from its own documents decode the same in posdiag and re-encode
//!   byte for byte here.
//!
//! The interpreter comes from `POSDIAG_PYTHON` (set by `.ci/run` after
//! `scripts/setup_python.sh`). Under CI a missing interpreter fails the test; on a
//! developer machine without it the test says so and passes.

use std::path::Path;
use std::process::Command;

use posdiag::proto::iso8583::keys::{open_key_block, KeyMode, MasterKey};
use posdiag::proto::iso8583::mac::sign;
use posdiag::proto::iso8583::{
    decode, tlv, DecodedMessage, Dialect, FieldValue, MacKey, Message, Mti,
};
use posdiag::sim::{AcquirerSim, SIM_MASTER_KEY};
use serde_json::{json, Value};

const SCRIPT: &str = "scripts/pyiso8583_oracle.py";

fn python() -> Option<String> {
    match std::env::var("POSDIAG_PYTHON") {
        Ok(p) if !p.is_empty() => Some(p),
        _ if std::env::var_os("CI").is_some() => panic!(
            "POSDIAG_PYTHON is not set: CI must run scripts/setup_python.sh first (see .ci/run)"
        ),
        _ => {
            eprintln!("pyiso8583 oracle not run: set POSDIAG_PYTHON=$(scripts/setup_python.sh)");
            None
        }
    }
}

fn run_script(python: &str, mode: &str, file: &Path) -> String {
    let out = Command::new(python)
        .arg(SCRIPT)
        .arg(mode)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "pyiso8583 {mode} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn mti(s: &str) -> Mti {
    Mti::new(s).unwrap_or_else(|| panic!("{s}"))
}

/// A field value as pyiso8583 writes it.
fn as_pyiso(value: &FieldValue) -> String {
    match value {
        FieldValue::Digits(s) => s.replace('=', "D"),
        FieldValue::Text(s) => s.clone(),
        FieldValue::Binary(b) => hex::encode_upper(b),
    }
}

fn header_hex(m: &DecodedMessage) -> String {
    let tpdu = m
        .envelope
        .tpdu
        .as_ref()
        .map(|(t, _)| hex::encode_upper(t.to_bytes()))
        .unwrap_or_default();
    let header = m
        .envelope
        .header
        .as_ref()
        .map(|(h, _)| hex::encode_upper(h))
        .unwrap_or_default();
    format!("{tpdu}{header}")
}

fn described(name: &str, frame: &[u8]) -> Value {
    let m = decode(&Dialect::cup(), frame).unwrap_or_else(|e| panic!("{name}: {e}"));
    let fields: serde_json::Map<String, Value> = m
        .fields
        .iter()
        .map(|f| (f.number.to_string(), Value::String(as_pyiso(&f.value))))
        .collect();
    json!({
        "name": name,
        "frame": hex::encode_upper(frame),
        "mti": m.mti.to_string(),
        "header": header_hex(&m),
        "fields": fields,
    })
}

fn icc() -> Vec<u8> {
    let mut d = tlv::encode(0x9F26, &[0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
    d.extend(tlv::encode(0x9F27, &[0x80]));
    d.extend(tlv::encode(
        0x5A,
        &[0x62, 0x25, 0x88, 0x01, 0x23, 0x45, 0x67, 0x89, 0x1F],
    ));
    d.extend(tlv::encode(0x9F02, &[0, 0, 0, 0, 0x12, 0x34]));
    d
}

fn base(kind: &str, stan: &str) -> Message {
    Message::new(mti(kind))
        .with(11, FieldValue::digits(stan))
        .with(41, FieldValue::text("29001006"))
        .with(42, FieldValue::text("898310048990001"))
}

/// Requests through the simulated acquirer: every MTI pair it answers, signed where CUP signs.
fn posdiag_frames() -> Vec<Value> {
    let d = Dialect::cup();
    let sim = AcquirerSim::new(Vec::new());
    let mut out = Vec::new();
    let mut exchange = |name: &str, request: Vec<u8>| -> Vec<u8> {
        let response = sim
            .respond(&request)
            .unwrap_or_else(|| panic!("{name}: no response"));
        out.push(described(&format!("{name} request"), &request));
        out.push(described(&format!("{name} response"), &response));
        response
    };

    let sign_on = base("0800", "000101")
        .with(60, FieldValue::digits("00000001003"))
        .with(63, FieldValue::text("001"));
    let reply = exchange("sign-on", sign_on.encode(&d).expect("0800"));
    let reply = decode(&d, &reply).expect("0810");
    let block = match reply.field(62).map(|f| &f.value) {
        Some(FieldValue::Binary(b)) => b.clone(),
        other => panic!("no key block: {other:?}"),
    };
    let master = MasterKey::from_hex(SIM_MASTER_KEY).expect("master key");
    let mak: MacKey = open_key_block(&block, KeyMode::Double, Some(&master))
        .expect("keys")
        .mak
        .expect("MAC key");

    let echo = base("0820", "000102").with(60, FieldValue::digits("00000001301"));
    exchange("echo", sign(&echo, &d, &mak).expect("0820"));

    let sale = base("0200", "000103")
        .with(2, FieldValue::digits("62258801234567891"))
        .with(3, FieldValue::digits("000000"))
        .with(4, FieldValue::digits("000000012345"))
        .with(14, FieldValue::digits("2912"))
        .with(22, FieldValue::digits("051"))
        .with(23, FieldValue::digits("001"))
        .with(25, FieldValue::digits("00"))
        .with(26, FieldValue::digits("12"))
        .with(35, FieldValue::digits("62258801234567891=29121011234"))
        .with(43, FieldValue::text("上海浦东测试商户"))
        .with(49, FieldValue::text("156"))
        .with(52, FieldValue::binary([1, 2, 3, 4, 5, 6, 7, 8]))
        .with(53, FieldValue::digits("2600000000000000"))
        .with(55, FieldValue::binary(icc()))
        .with(60, FieldValue::digits("22000001000500"));
    exchange("sale", sign(&sale, &d, &mak).expect("0200"));

    let void = base("0200", "000104")
        .with(2, FieldValue::digits("62258801234567891"))
        .with(3, FieldValue::digits("200000"))
        .with(4, FieldValue::digits("000000012345"))
        .with(25, FieldValue::digits("00"))
        .with(49, FieldValue::text("156"))
        .with(60, FieldValue::digits("23000001000500"))
        .with(61, FieldValue::digits("000001000103"));
    exchange("void", sign(&void, &d, &mak).expect("void"));

    let balance = base("0200", "000105")
        .with(2, FieldValue::digits("6212345678901234567"))
        .with(3, FieldValue::digits("310000"))
        .with(25, FieldValue::digits("00"))
        .with(49, FieldValue::text("156"))
        .with(60, FieldValue::digits("01000001"));
    exchange(
        "balance inquiry",
        sign(&balance, &d, &mak).expect("balance"),
    );

    let reversal = base("0400", "000106")
        .with(2, FieldValue::digits("6212345678901234567"))
        .with(3, FieldValue::digits("000000"))
        .with(4, FieldValue::digits("000000004200"))
        .with(22, FieldValue::digits("051"))
        .with(25, FieldValue::digits("00"))
        .with(39, FieldValue::text("98"))
        .with(49, FieldValue::text("156"))
        .with(55, FieldValue::binary(icc()))
        .with(60, FieldValue::digits("22000001"));
    exchange("reversal", sign(&reversal, &d, &mak).expect("0400"));

    let totals = format!("{:012}{:03}{:015}0{}0", 12345, 1, 0, "0".repeat(30));
    let settlement = base("0500", "000107")
        .with(48, FieldValue::digits(totals))
        .with(49, FieldValue::text("156"))
        .with(60, FieldValue::digits("00000001201"));
    exchange("settlement", sign(&settlement, &d, &mak).expect("0500"));

    let upload = base("0320", "000108")
        .with(48, FieldValue::digits("0001"))
        .with(60, FieldValue::digits("00000001207"));
    exchange("batch upload", sign(&upload, &d, &mak).expect("0320"));
    out
}

#[test]
fn posdiag_frames_decode_the_same_in_pyiso8583() {
    let Some(python) = python() else { return };
    let frames = posdiag_frames();
    let mtis: Vec<&str> = frames.iter().filter_map(|f| f["mti"].as_str()).collect();
    for m in [
        "0800", "0810", "0820", "0830", "0200", "0210", "0400", "0410", "0500", "0510", "0320",
        "0330",
    ] {
        assert!(mtis.contains(&m), "{m} missing: {mtis:?}");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("posdiag.json");
    std::fs::write(&file, serde_json::to_string_pretty(&frames).expect("json")).expect("write");
    let report = run_script(&python, "check", &file);
    assert!(report.contains(", 0 mismatches"), "{report}");
    assert!(
        report.contains(&format!("checked {} messages", frames.len())),
        "{report}"
    );
}

#[test]
fn pyiso8583_frames_decode_the_same_in_posdiag() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("pyiso8583.json");
    run_script(&python, "encode", &file);
    let text = std::fs::read_to_string(&file).expect("read");
    let messages: Vec<Value> = serde_json::from_str(&text).expect("json");
    assert!(messages.len() >= 12, "{}", messages.len());
    let d = Dialect::cup();
    let mut problems = Vec::new();
    for m in &messages {
        let name = m["name"].as_str().unwrap_or("?");
        let frame = hex::decode(m["frame"].as_str().unwrap_or_default()).expect("hex");
        let decoded = match decode(&d, &frame) {
            Ok(x) => x,
            Err(e) => {
                problems.push(format!("{name}: posdiag cannot decode: {e}"));
                continue;
            }
        };
        if decoded.mti.to_string() != m["mti"].as_str().unwrap_or_default() {
            problems.push(format!("{name}: MTI {}", decoded.mti));
        }
        if header_hex(&decoded) != m["header"].as_str().unwrap_or_default() {
            problems.push(format!("{name}: header {}", header_hex(&decoded)));
        }
        let expected = m["fields"].as_object().cloned().unwrap_or_default();
        for f in &decoded.fields {
            let n = f.number;
            let got = as_pyiso(&f.value);
            match expected.get(&n.to_string()).and_then(Value::as_str) {
                None => problems.push(format!(
                    "{name}: posdiag found field {n} pyiso8583 did not write"
                )),
                Some(want) if want.eq_ignore_ascii_case(&got) => {}
                Some(want) => problems.push(format!(
                    "{name}: field {n}: posdiag {got:?}, pyiso8583 {want:?}"
                )),
            }
        }
        for n in expected.keys() {
            if !decoded.fields.iter().any(|f| f.number.to_string() == *n) {
                problems.push(format!("{name}: field {n} missing in posdiag's decode"));
            }
        }
        let again = decoded
            .to_message()
            .encode_with(&d, &decoded.envelope.to_envelope())
            .map_err(|e| e.to_string());
        if again.as_deref() != Ok(frame.as_slice()) {
            problems.push(format!(
                "{name}: posdiag re-encodes to different bytes: {again:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
