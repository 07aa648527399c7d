//! `posdiag decode zvt` against frames from real terminals, checked by an independent
//! implementation: the `zvt` crate (EVerest / qwello, crates.io 0.1.0) ships `data/*.blob`,
//! APDUs captured from Feig cVEND terminals over TCP (one bare APDU per file; the name says
//! the direction, `_ecr_pt` / `_pt_ecr`, or the two IP addresses). Every blob must decode
//! without error; then the values posdiag shows are compared with what the crate's own packet
//! types parse. Where the two disagree, the ZVT spec (PA00P015, docs/protocols/zvt.md)
//! decides and the comment next to the assertion says who is wrong and why.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::posdiag;

mod feig_frames;
mod payment_frames;

/// The crate's `data/` folder, found through `cargo metadata` (no registry path is assumed).
fn data_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(find_data_dir).clone()
}

fn find_data_dir() -> PathBuf {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(out.status.success(), "cargo metadata: {out:?}");
    let meta: Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    let manifest = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "zvt" && p["version"] == "0.1.0")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("package zvt 0.1.0 in cargo metadata");
    Path::new(manifest)
        .parent()
        .expect("crate dir")
        .join("data")
}

fn blob(name: &str) -> (PathBuf, Vec<u8>) {
    let path = data_dir().join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (path, bytes)
}

/// Who sent a blob, from its file name. In the file-transfer capture 192.168.0.139 is the ECR
/// (it sends `08 14` Write File) and 192.168.0.59 the terminal (it sends `04 0C`).
fn sender_of(name: &str) -> &'static str {
    if name.contains("_ecr_pt") || name.contains("192.168.0.139_192.168.0.59") {
        "ecr"
    } else {
        // `_pt_ecr`, 192.168.0.59 → .139, and the two named replies of the terminal.
        "pt"
    }
}

/// Every blob the crate ships, with what it is. A new blob fails `every_blob_is_listed`.
const BLOBS: &[(&str, &str)] = &[
    ("1680722649.972316000_ecr_pt.blob", "06 C0 Read Card"),
    (
        "1680728161.963129000_pt_ecr.blob",
        "04 0F Status-Information, contactless TLV",
    ),
    (
        "1680728162.033575000_ecr_pt.blob",
        "06 22 Pre-Authorisation",
    ),
    (
        "1680728162.647465000_pt_ecr.blob",
        "04 FF Intermediate Status",
    ),
    (
        "1680728165.675509000_pt_ecr.blob",
        "04 0F Status-Information, Mastercard",
    ),
    (
        "1680728165.827009000_pt_ecr.blob",
        "06 0F Completion, empty",
    ),
    (
        "1680728213.562478000_ecr_pt.blob",
        "06 25 Pre-Authorisation Reversal",
    ),
    (
        "1680728215.585561000_pt_ecr.blob",
        "06 D3 Print Text-Block, customer receipt",
    ),
    (
        "1680728215.659492000_pt_ecr.blob",
        "04 0F Status-Information with BMP 3C",
    ),
    (
        "1680728219.054216000_pt_ecr.blob",
        "06 0F Status-Enquiry completion with TLV",
    ),
    (
        "1680761818.641601000_pt_ecr.blob",
        "06 0F Registration completion",
    ),
    (
        "1680761818.690979000_ecr_pt.blob",
        "0F A1 Feig cVEND functions",
    ),
    (
        "1680761818.768770000_pt_ecr.blob",
        "06 0F Feig enhanced system information",
    ),
    (
        "1680761828.489701000_pt_ecr.blob",
        "04 0F Status-Information after End-of-Day",
    ),
    ("1681273860.511128000_ecr_pt.blob", "06 00 Registration"),
    ("1681282621.302434000_ecr_pt.blob", "06 50 End-of-Day"),
    (
        "1681455683.221609000_ecr_pt.blob",
        "06 23 Partial Reversal of Pre-Auth",
    ),
    (
        "1682066249.409078000_pt_ecr.blob",
        "04 0F Status-Information, girocard",
    ),
    (
        "1682080275.594788000_192.168.0.139_192.168.0.59.blob",
        "08 14 Feig Write File",
    ),
    (
        "1682080275.777628000_192.168.0.59_192.168.0.139.blob",
        "04 0C Feig Request for Data",
    ),
    (
        "1682080310.907262000_192.168.0.139_192.168.0.59.blob",
        "80 00 Feig file data",
    ),
    (
        "partial_reversal.blob",
        "06 1E Abort with receipt number FFFF",
    ),
    (
        "print_system_configuration_reply.blob",
        "06 D3 Print Text-Block, configuration",
    ),
];

/// Frames PA00P015 does not define, and why posdiag still decodes them: the layouts come from
/// the crate's `src/feig/` (Feig's own manual is not public).
const VENDOR_FRAMES: &[(&str, &str)] = &[
    (
        "1680761818.690979000_ecr_pt.blob",
        "0F A1: class 0F is proprietary; Feig cVEND functions",
    ),
    (
        "1680761818.768770000_pt_ecr.blob",
        "06 0F whose data is fixed-width ASCII, not BMPs: Feig",
    ),
    (
        "1682080275.594788000_192.168.0.139_192.168.0.59.blob",
        "08 14 is 'vendor use'; Feig",
    ),
    (
        "1682080275.777628000_192.168.0.59_192.168.0.139.blob",
        "04 0C: Feig Request for Data",
    ),
    (
        "1682080310.907262000_192.168.0.139_192.168.0.59.blob",
        "80 00 carrying TLV: Feig",
    ),
];

/// `posdiag decode zvt --file F --format json [--from S]`: must exit 0 with a valid result.
fn decode(path: &Path, from: Option<&str>) -> Value {
    let log = tempfile::tempdir().expect("tempdir");
    let mut cmd = posdiag();
    cmd.args(["decode", "zvt", "--format", "json", "--file"])
        .arg(path)
        .arg("--log-file")
        .arg(log.path().join("log.txt"));
    if let Some(f) = from {
        cmd.args(["--from", f]);
    }
    let out = cmd.output().expect("run posdiag");
    assert!(out.status.success(), "{}: {out:?}", path.display());
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["valid"], true, "{}", path.display());
    assert!(
        json["error"].is_null(),
        "{}: {}",
        path.display(),
        json["error"]
    );
    json
}

/// Decodes the blob as sent (with `--from` as its file name says).
fn decoded(name: &str) -> (Vec<u8>, Value) {
    let (path, bytes) = blob(name);
    (bytes, decode(&path, Some(sender_of(name))))
}

fn nodes<'a>(v: &'a Value, tag: &str, out: &mut Vec<&'a Value>) {
    for n in v["fields"]
        .as_array()
        .or_else(|| v["children"].as_array())
        .into_iter()
        .flatten()
    {
        if n["tag"] == tag {
            out.push(n);
        }
        nodes(n, tag, out);
    }
}

/// Every node with `tag` (`BMP 04`, `TLV 1F44`, `PW`), depth first.
fn all<'a>(v: &'a Value, tag: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    nodes(v, tag, &mut out);
    out
}

/// The English value of the first node with `tag`.
fn val(v: &Value, tag: &str) -> String {
    let found = all(v, tag);
    let n = found.first().unwrap_or_else(|| panic!("no {tag} in {v:#}"));
    n["value"]["en"].as_str().unwrap_or_default().to_string()
}

fn has(v: &Value, tag: &str) -> bool {
    !all(v, tag).is_empty()
}

/// The leading number of a value: `0x60 — online` → 0x60, `6 — Mastercard` → 6, `000975` → 975.
fn num(value: &str) -> usize {
    let head = value.split([' ', '—']).next().unwrap_or_default();
    match head.strip_prefix("0x") {
        Some(hex) => usize::from_str_radix(hex, 16).expect(value),
        None => head.parse().expect(value),
    }
}

/// A leading two-digit hex code: `00 — no error` → 0, `B8 — …` → 0xB8.
fn code(value: &str) -> usize {
    usize::from_str_radix(value.get(..2).expect(value), 16).expect(value)
}

fn unquote(value: &str) -> &str {
    value.trim_matches('"')
}

fn amount(minor: usize) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

fn hhmmss(t: usize) -> String {
    format!("{:02}:{:02}:{:02}", t / 10000, t / 100 % 100, t % 100)
}

/// BIN + last four, as posdiag shows a PAN.
fn masked_pan(pan: usize) -> String {
    let s = pan.to_string();
    format!(
        "{}{}{}",
        &s[..6],
        "*".repeat(s.len() - 10),
        &s[s.len() - 4..]
    )
}

#[test]
fn every_blob_is_listed() {
    let mut names: Vec<String> = std::fs::read_dir(data_dir())
        .expect("data dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".blob"))
        .collect();
    names.sort();
    let mut listed: Vec<&str> = BLOBS.iter().map(|b| b.0).collect();
    listed.sort();
    assert_eq!(names, listed);
    assert!(VENDOR_FRAMES.iter().all(|v| listed.contains(&v.0)));
}

#[test]
fn every_blob_decodes_and_the_sender_is_right() {
    for (name, what) in BLOBS {
        let (path, bytes) = blob(name);
        let from = sender_of(name);
        let as_sent = decode(&path, Some(from));
        assert_eq!(as_sent["sender"], from, "{name}");
        assert_eq!(as_sent["sender_source"], "given", "{name}");
        // No part left as "layout unknown" / "not decoded".
        assert!(!has(&as_sent, "DATA"), "{name} ({what}): {as_sent:#}");
        let code = format!("{:02X} {:02X}", bytes[0], bytes[1]);
        assert_eq!(as_sent["code"], code.as_str(), "{name}");
        // Without --from: the code tells, except for 80 00, which both sides send.
        let alone = decode(&path, None);
        if bytes[0] == 0x80 {
            assert!(alone["sender"].is_null(), "{name}");
            assert_eq!(alone["sender_source"], "unknown");
            let dir = alone["direction"]["en"].as_str().unwrap_or_default();
            assert!(dir.contains("--from ecr|pt"), "{dir}");
        } else {
            assert_eq!(alone["sender"], from, "{name}: {}", alone["direction"]);
            assert_eq!(alone["sender_source"], "code");
        }
        assert_eq!(alone["fields"], as_sent["fields"], "{name}");
    }
}

#[test]
fn invalid_input_exits_1_after_explaining() {
    // A Registration frame with one CRC bit flipped.
    let out = posdiag()
        .args([
            "decode",
            "zvt",
            "10 02 06 00 06 12 34 56 DE 09 78 10 03 2C 29",
            "--lang",
            "en",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("CRC mismatch") && s.contains("06 00 Registration"),
        "{s}"
    );
    // A TLV container that does not parse: explained up to there, exit 1, JSON says why.
    let out = posdiag()
        .args([
            "decode",
            "zvt",
            "04 0F 05 06 03 FF 40 12",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["valid"], false);
    assert_eq!(json["code"], "04 0F");
    // Usage errors stay 2.
    posdiag().args(["decode", "zvt", "0G"]).assert().code(2);
}
