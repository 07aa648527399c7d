//! `posdiag report`: the bundle holds a summary, the capture, the log and a pcap that a pcap
//! parser reads back as TCP segments carrying the capture's (redacted) APDUs.

use etherparse::{SlicedPacket, TransportSlice};
use pcap_file::pcap::PcapReader;
use predicates::prelude::*;

use crate::support::posdiag;

fn check(dir: &std::path::Path, link: &str, faults: &[&str]) -> std::path::PathBuf {
    let capture = dir.join(format!("{link}.jsonl"));
    let mut cmd = posdiag();
    cmd.args(["check", "--demo", "--capture"])
        .arg(&capture)
        .arg("--log-file")
        .arg(dir.join("log.txt"));
    for f in faults {
        cmd.args(["--fault", f]);
    }
    let _ = cmd.assert();
    capture
}

fn tcp_payloads(pcap: &std::path::Path) -> Vec<(u16, u16, Vec<u8>)> {
    let file = std::fs::File::open(pcap).expect("pcap");
    let mut reader = PcapReader::new(file).expect("pcap header");
    let mut out = Vec::new();
    while let Some(packet) = reader.next_packet() {
        let packet = packet.expect("packet");
        let sliced = SlicedPacket::from_ethernet(&packet.data).expect("ethernet");
        match sliced.transport {
            Some(TransportSlice::Tcp(tcp)) => out.push((
                tcp.source_port(),
                tcp.destination_port(),
                tcp.payload().to_vec(),
            )),
            other => panic!("not TCP: {other:?}"),
        }
    }
    out
}

#[test]
fn bundle_has_summary_capture_log_and_a_readable_pcap() {
    let dir = tempfile::tempdir().expect("tmp");
    let capture = check(dir.path(), "serial", &["reader.unreadable"]);
    let out = dir.path().join("bundle");
    posdiag()
        .arg("report")
        .arg(&capture)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    for name in ["summary.md", "capture.jsonl", "posdiag.log", "posdiag.pcap"] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let summary = std::fs::read_to_string(out.join("summary.md")).expect("summary");
    assert!(summary.contains("reader.unreadable"), "{summary}");
    assert!(
        summary.contains("29001006"),
        "terminal id in the summary: {summary}"
    );
    let payloads = tcp_payloads(&out.join("posdiag.pcap"));
    // Serial ZVT is written as its APDUs on port 20007, both ways.
    assert!(payloads
        .iter()
        .any(|(_, dport, p)| *dport == 20007 && p.starts_with(&[0x05, 0x01])));
    assert!(payloads
        .iter()
        .any(|(sport, _, p)| *sport == 20007 && p.starts_with(&[0x06, 0x0F])));
    assert!(
        payloads
            .iter()
            .all(|(_, _, p)| !p.starts_with(&[0x10, 0x02])),
        "DLE framing removed"
    );
    // The read-card test ran: nothing of the test card beyond BIN and last four.
    let all: Vec<u8> = payloads.iter().flat_map(|(_, _, p)| p.clone()).collect();
    let hex = hex::encode(&all);
    assert!(
        !hex.contains(posdiag::sim::TEST_CARD_PAN),
        "BCD PAN in the pcap"
    );
}

#[test]
fn a_damaged_capture_is_reported_up_to_the_damage() {
    let dir = tempfile::tempdir().expect("tmp");
    let capture = check(dir.path(), "serial", &[]);
    let mut text = std::fs::read_to_string(&capture).expect("capture");
    let mut cut = text.len() * 2 / 3;
    // The capture holds Chinese text: cut on a character boundary, as a crash would not,
    // but `String` needs it (the reader's handling of a broken line is what is tested).
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text.push_str("\n{\"type\":\"frame\",\"broken");
    std::fs::write(&capture, text).expect("write");
    posdiag()
        .arg("report")
        .arg(&capture)
        .arg("-o")
        .arg(dir.path().join("b"))
        .assert()
        .success()
        .stderr(predicates::str::contains("damaged at line"));
}

#[test]
fn newer_major_version_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tmp");
    let capture = dir.path().join("future.jsonl");
    std::fs::write(
        &capture,
        "{\"format\":\"posdiag-capture\",\"version\":\"2.0\",\"created\":0,\"posdiag_version\":\"9\",\"os\":\"x\",\"profile\":\"p\",\"target\":\"t\"}\n",
    )
    .expect("write");
    posdiag()
        .arg("report")
        .arg(&capture)
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains("format version 2.0")
                .and(predicates::str::contains("update posdiag")),
        );
}

#[test]
fn not_a_capture_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("x.jsonl");
    std::fs::write(&file, "hello\n").expect("write");
    posdiag()
        .arg("report")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a posdiag capture"));
}

#[test]
fn the_log_holds_only_this_sessions_lines() {
    let dir = tempfile::tempdir().expect("tmp");
    let log = dir.path().join("log.txt");
    // Every run appends to the same log: one before this session, one long after it.
    std::fs::write(
        &log,
        "2020-01-01T00:00:00.000000Z  INFO posdiag::cli: an older run\n",
    )
    .expect("write");
    let capture = check(dir.path(), "serial", &[]);
    let mut text = std::fs::read_to_string(&log).expect("log");
    text.push_str("2099-01-01T00:00:00.000000Z  INFO posdiag::cli: a later run\n");
    std::fs::write(&log, text).expect("write");

    let out = dir.path().join("bundle");
    posdiag()
        .arg("report")
        .arg(&capture)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let copied = std::fs::read_to_string(out.join("posdiag.log")).expect("log copied");
    assert!(copied.contains("posdiag started"), "{copied}");
    assert!(!copied.contains("older run"), "{copied}");
    assert!(!copied.contains("later run"), "{copied}");
    let summary = std::fs::read_to_string(out.join("summary.md")).expect("summary");
    let title = summary.lines().next().unwrap_or_default();
    assert!(title.starts_with("# posdiag report — demo ("), "{title}");
    assert!(!title.contains("(-)"), "{title}");
    assert!(
        summary.contains("the tracing log of this session ("),
        "{summary}"
    );
}
