//! `posdiag identify` against the simulated devices over pty and TCP: it names the protocol
//! and the settings of each, names an unknown banner and silence as such, and changes no
//! device (no journal entry, no receipt, no Concert payment, no nexo payment or login). Plus
//! the CLI's error paths.

use std::time::Duration;

use assert_cmd::Command;
use posdiag::identify::{identify, IdentifyOptions, IdentifyReport, Outcome, Protocol, Target};
use posdiag::proto::zvt::fingerprint::FingerprintKind;
use posdiag::sim::{start_concert, start_nexo, ConcertSimConfig, Fault, NexoSimConfig, SimConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

async fn run(target: Target) -> IdentifyReport {
    identify(&target, &IdentifyOptions::default())
        .await
        .expect("identify runs")
}

fn assert_found(report: &IdentifyReport, protocol: Protocol, settings: &str) {
    assert_eq!(report.protocol, Some(protocol), "{report:#?}");
    assert_eq!(report.settings.as_deref(), Some(settings), "{report:#?}");
    assert!(report.evidence_hex.as_ref().is_some_and(|e| !e.is_empty()));
}

#[tokio::test]
async fn zvt_over_pty_at_9600_8n2_without_changing_the_terminal() {
    let sim = posdiag::sim::start(SimConfig {
        terminal_pty: true,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let before = sim.terminal.state_snapshot();
    let port = sim.terminal_pty.clone().expect("pty");
    let report = run(Target::Serial(port.clone())).await;
    assert_found(&report, Protocol::Zvt, "9600 8N2");
    assert_eq!(
        report.profile.as_deref(),
        Some(format!("posdiag check --profile zvt-serial --serial {port}").as_str())
    );
    // The evidence is a ZVT frame: DLE STX after the ACK.
    assert!(report
        .evidence_hex
        .as_deref()
        .is_some_and(|e| e.starts_with("061002")));
    assert_eq!(sim.terminal.state_snapshot(), before);
    // Every message was confirmed: the terminal is idle and answers again at once (it would
    // still be waiting for an 80 00 00 otherwise).
    let again = run(Target::Serial(port)).await;
    assert_found(&again, Protocol::Zvt, "9600 8N2");
    assert_eq!(sim.terminal.state_snapshot(), before);
}

#[tokio::test]
async fn zvt_over_pty_at_19200_after_noise_at_9600() {
    let sim = posdiag::sim::start(SimConfig {
        terminal_pty: true,
        faults: vec![Fault::parse("link.garbled").expect("fault")],
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let before = sim.terminal.state_snapshot();
    let report = run(Target::Serial(sim.terminal_pty.clone().expect("pty"))).await;
    assert_found(&report, Protocol::Zvt, "19200 8N2");
    assert!(report
        .profile
        .as_deref()
        .is_some_and(|p| p.contains("19200 8N2")));
    // At 9600 the terminal's answer was noise, and it was named so.
    assert!(report.tried.iter().any(|a| a.settings == "9600 8N2"
        && matches!(&a.outcome, Outcome::Unknown { fingerprint } if fingerprint.likely_baud_mismatch)));
    assert_eq!(sim.terminal.state_snapshot(), before);
}

#[tokio::test]
async fn zvt_over_tcp() {
    let sim = posdiag::sim::start(SimConfig {
        terminal_tcp: Some("127.0.0.1:0".to_owned()),
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let before = sim.terminal.state_snapshot();
    let addr = sim.terminal_tcp.expect("tcp").to_string();
    let report = run(Target::Tcp(addr.clone())).await;
    assert_found(&report, Protocol::Zvt, "tcp");
    assert_eq!(
        report.profile.as_deref(),
        Some(format!("posdiag check --profile zvt-tcp --tcp {addr}").as_str())
    );
    assert_eq!(sim.terminal.state_snapshot(), before);
}

#[tokio::test]
async fn concert_over_pty_and_tcp_records_no_payment() {
    let sim = start_concert(ConcertSimConfig {
        pty: true,
        tcp: Some("127.0.0.1:0".to_owned()),
        ..ConcertSimConfig::default()
    })
    .await
    .expect("Concert simulator");
    let report = run(Target::Serial(sim.pty.clone().expect("pty"))).await;
    assert_found(&report, Protocol::Concert, "9600 7E1");
    assert_eq!(report.evidence_hex.as_deref(), Some("06"));
    let port = sim.pty.clone().expect("pty");
    assert_eq!(
        report.profile.as_deref(),
        Some(format!("posdiag check --profile concert-serial --serial {port}").as_str())
    );
    let tcp = run(Target::Tcp(sim.tcp.expect("tcp").to_string())).await;
    assert_found(&tcp, Protocol::Concert, "tcp");
    // Each ENQ opened a session that EOT closed without a request (the simulator counts it a
    // moment after identify returns): no payment recorded.
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while sim.terminal.probes() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(sim.terminal.probes(), 2);
    assert!(sim.terminal.records().is_empty());
}

#[tokio::test]
async fn nexo_over_tcp_by_its_certificate() {
    let sim = start_nexo(NexoSimConfig {
        addr: "127.0.0.1:0".to_owned(),
        key: posdiag::proto::nexo::SecurityKey::new("identify-test-passphrase", "KEY1", 1),
        faults: Vec::new(),
        host_wait: None,
    })
    .await
    .expect("nexo simulator");
    let before = sim.terminal.state_snapshot();
    let addr = sim.addr.to_string();
    let report = run(Target::Tcp(addr.clone())).await;
    assert_found(&report, Protocol::Nexo, "tcp");
    // No payment, reversal or login: the terminal's journal and login state are as before.
    assert_eq!(sim.terminal.state_snapshot(), before);
    let detail = report.detail.clone().expect("detail");
    assert!(detail.en.contains(&sim.common_name), "{detail:?}");
    assert!(detail.en.contains("HTTP answers"), "{detail:?}");
    assert_eq!(
        report.profile.as_deref(),
        Some(format!("posdiag check --profile nexo-local --tcp {addr}").as_str())
    );
}

#[tokio::test]
async fn receipt_printer_over_pty_and_tcp_prints_nothing() {
    let sim = posdiag::sim::start(SimConfig {
        printer_pty: true,
        printer_tcp: Some("127.0.0.1:0".to_owned()),
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let pty = run(Target::Serial(sim.printer_pty.clone().expect("pty"))).await;
    assert_found(&pty, Protocol::Escpos, "9600 8N1");
    let tcp = run(Target::Tcp(sim.printer_tcp.expect("tcp").to_string())).await;
    assert_found(&tcp, Protocol::Escpos, "tcp");
    assert!(tcp
        .profile
        .as_deref()
        .is_some_and(|p| p.contains("escpos-tcp")));
    let printer = sim.printer.as_ref().expect("printer");
    assert_eq!(printer.receipts_printed(), 0);
    assert!(printer.last_receipt().is_none());
}

#[tokio::test]
async fn an_iso8583_host_answers_the_echo_only_when_asked() {
    let sim = posdiag::sim::start(SimConfig {
        host_tcp: Some("127.0.0.1:0".to_owned()),
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let target = Target::Tcp(sim.host_tcp.expect("host").to_string());
    let without = run(target.clone()).await;
    assert_eq!(without.protocol, None, "{without:#?}");
    assert!(!without
        .tried
        .iter()
        .any(|a| a.probe == posdiag::identify::Probe::Iso8583Echo));
    let options = IdentifyOptions {
        iso8583: true,
        ..IdentifyOptions::default()
    };
    let with = identify(&target, &options).await.expect("identify runs");
    assert_found(&with, Protocol::Iso8583, "tcp");
    assert!(with
        .profile
        .as_deref()
        .is_some_and(|p| p.contains("cup-host")));
    // The evidence is the response's type and code, never its fields.
    let evidence = with.evidence_hex.clone().unwrap_or_default();
    let evidence = String::from_utf8(hex::decode(evidence).expect("hex")).expect("text");
    assert!(evidence.starts_with("0830 39="), "{evidence}");
}

/// A server that greets every connection with a banner and answers nothing else.
async fn banner_server(banner: &'static [u8]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                if !banner.is_empty() && s.write_all(banner).await.is_err() {
                    return;
                }
                let mut buf = [0u8; 256];
                while matches!(s.read(&mut buf).await, Ok(n) if n > 0) {}
            });
        }
    });
    addr
}

#[tokio::test]
async fn an_unknown_banner_is_named_as_such() {
    let addr = banner_server(b"VER|APP1.2|").await;
    let report = run(Target::Tcp(addr)).await;
    assert_eq!(report.protocol, None, "{report:#?}");
    let unknown = report.unknown.clone().expect("an unknown answer");
    assert!(
        matches!(&unknown.kind, FingerprintKind::AsciiBanner { text } if text.contains("VER|APP1.2|")),
        "{unknown:?}"
    );
    // Heard while listening, before anything was sent.
    assert!(matches!(
        report.tried.first().map(|a| &a.outcome),
        Some(Outcome::Unknown { .. })
    ));
}

/// A pty device that answers whatever it receives with `banner`.
fn banner_pty(banner: &'static [u8]) -> String {
    let mut pty = posdiag::link::PtyPair::open().expect("pty");
    let path = pty.slave_path().to_owned();
    tokio::spawn(async move {
        let mut buf = [0u8; 256];
        while let Ok(n) = pty.read(&mut buf).await {
            if n > 0 && pty.write_all(banner).await.is_err() {
                return;
            }
        }
    });
    path
}

#[tokio::test]
async fn an_unknown_banner_over_a_pty_is_named_as_such() {
    let report = run(Target::Serial(banner_pty(b"VER|APP1.2|\r\n"))).await;
    assert_eq!(report.protocol, None, "{report:#?}");
    let unknown = report.unknown.clone().expect("an unknown answer");
    assert!(
        matches!(&unknown.kind, FingerprintKind::AsciiBanner { text } if text.contains("VER|APP1.2|")),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn a_silent_terminal_over_a_pty_is_named_silent() {
    let sim = posdiag::sim::start(SimConfig {
        terminal_pty: true,
        faults: vec![Fault::parse("link.silent").expect("fault")],
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let started = std::time::Instant::now();
    let report = run(Target::Serial(sim.terminal_pty.clone().expect("pty"))).await;
    assert_eq!(report.protocol, None, "{report:#?}");
    assert_eq!(report.unknown, None, "{report:#?}");
    assert!(!report.anything_answered());
    // Listen, four printer rates, two Concert framings, two ZVT rates.
    assert_eq!(report.tried.len(), 9, "{report:#?}");
    assert!(started.elapsed() < Duration::from_secs(8));
}

#[tokio::test]
async fn silence_is_named_as_such() {
    let addr = banner_server(b"").await;
    let started = std::time::Instant::now();
    let report = run(Target::Tcp(addr)).await;
    assert_eq!(report.protocol, None);
    assert_eq!(report.unknown, None);
    assert!(!report.anything_answered());
    assert!(report
        .tried
        .iter()
        .all(|a| matches!(a.outcome, Outcome::Silent | Outcome::Closed)));
    assert!(started.elapsed() < Duration::from_secs(10));
}

fn posdiag() -> Command {
    let mut cmd = Command::cargo_bin("posdiag").expect("binary");
    cmd.env("POSDIAG_LOG", "off").arg("--lang").arg("en");
    cmd
}

#[test]
fn cli_bad_tcp_is_a_usage_error_naming_the_argument() {
    let out = posdiag()
        .args(["identify", "--tcp", "127.0.0.1"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--tcp"), "{err}");
    assert!(err.contains("no port"), "{err}");
    let none = posdiag().arg("identify").output().expect("run");
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn cli_missing_serial_port_exits_3() {
    let out = posdiag()
        .args(["identify", "--serial", "/dev/ttyposdiag-missing-42"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/dev/ttyposdiag-missing-42"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[test]
fn cli_refused_tcp_exits_3_naming_the_address() {
    // A port nothing listens on: bind, note the port, close.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .to_string();
    let out = posdiag()
        .args(["identify", "--tcp", &addr])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&addr), "{err}");
    assert!(err.contains("cannot connect"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_json_names_the_printer_and_exits_0_and_silence_exits_1() {
    let sim = posdiag::sim::start(SimConfig {
        printer_tcp: Some("127.0.0.1:0".to_owned()),
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let addr = sim.printer_tcp.expect("tcp").to_string();
    let silent = banner_server(b"").await;
    let (printer, quiet) = tokio::task::spawn_blocking(move || {
        let printer = posdiag()
            .args(["identify", "--tcp", &addr, "--format", "json"])
            .output()
            .expect("run");
        let quiet = posdiag()
            .args(["identify", "--tcp", &silent])
            .output()
            .expect("run");
        (printer, quiet)
    })
    .await
    .expect("join");
    assert_eq!(printer.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&printer.stdout).expect("json");
    assert_eq!(json["protocol"], "escpos");
    assert_eq!(json["settings"], "tcp");
    assert!(json["evidence_hex"].is_string());
    assert!(json["profile"]
        .as_str()
        .is_some_and(|p| p.starts_with("posdiag check --profile escpos-tcp")));
    assert!(json["tried"].as_array().is_some_and(|t| t.len() >= 2));
    assert_eq!(quiet.status.code(), Some(1));
    let text = String::from_utf8_lossy(&quiet.stdout);
    assert!(text.contains("nothing answered"), "{text}");
}
