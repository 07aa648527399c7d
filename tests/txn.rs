//! Transactions end to end: the simulated terminal pays for real against the simulated
//! acquirer (through the demo's host tap), the model reads both sides back, and the headless
//! `posdiag txn` prints and captures it.

use std::time::Duration;

use posdiag::event::{Channel, Event};
use posdiag::profile::{load_profile, SimulatedLink};
use posdiag::session::{EventBus, Session, SessionConfig, TxnRequest};
use posdiag::sim::Fault;
use posdiag::txn::TransactionRecord;

/// The outcomes: faults, verdict, response code, reversal reason.
type Outcome = (
    &'static [&'static str],
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

const OUTCOMES: [Outcome; 5] = [
    (&[], "APPROVED", Some("00"), None),
    (&["host.decline=51"], "DECLINED", Some("51"), None),
    (&["host.timeout"], "REVERSED", None, Some("98")),
    (
        &["txn.receipt_print_fail"],
        "APPROVED_THEN_REVERSED",
        Some("00"),
        Some("96"),
    ),
    (
        &["host.mac_error"],
        "APPROVED_THEN_REVERSED",
        Some("00"),
        Some("A0"),
    ),
];

/// The demo with its simulator; `tcp` puts the terminal on TCP instead of the pty.
async fn demo(faults: &[&str], tcp: bool, bus: &EventBus) -> Session {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    if tcp {
        profile.simulator.as_mut().expect("simulator").terminal_link = SimulatedLink::Tcp;
    }
    let faults = faults
        .iter()
        .map(|f| Fault::parse(f).expect("fault"))
        .collect();
    let config = SessionConfig {
        profile,
        faults,
        serial: None,
        tcp: None,
    };
    posdiag::session::open(config, bus.clone())
        .await
        .expect("session")
}

async fn pay(session: &Session, amount_minor: u64) -> TransactionRecord {
    let outcome = session
        .run_transaction(TxnRequest::Pay { amount_minor }, None)
        .await
        .expect("runs");
    outcome
        .record
        .clone()
        .unwrap_or_else(|| panic!("no transaction: {outcome:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_five_outcomes_over_both_channels() {
    for (faults, verdict, code, reason) in OUTCOMES {
        let bus = EventBus::new();
        let mut events = bus.subscribe();
        let session = demo(faults, true, &bus).await;
        let r = pay(&session, 1234).await;
        assert_eq!(r.verdict.as_deref(), Some(verdict), "{faults:?}: {r:#?}");
        assert_eq!(r.response_code.as_deref(), code, "{faults:?}");
        assert_eq!(r.reversal_reason.as_deref(), reason, "{faults:?}");
        assert_eq!(r.card.as_deref(), Some("620000******0005"));
        assert!(r.stan.is_some() && r.stan == r.trace, "linked: {r:#?}");
        let mut host_frames = 0;
        while let Ok(e) = events.try_recv() {
            if let Event::Frame(f) = e {
                host_frames += usize::from(f.channel == Channel::Host);
            }
        }
        assert!(host_frames >= 2, "{faults:?}: the host side is on the bus");
        // The terminal prints its slip on the simulated printer: whole when approved, half a
        // slip and no cut when the printer fails.
        let slip = session.simulated_receipt();
        match (verdict, reason) {
            ("APPROVED", _) => assert!(
                slip.as_ref().is_some_and(
                    |r| r.cut && r.lines.iter().any(|l| l.contains("620000******0005"))
                ),
                "{slip:?}"
            ),
            (_, Some("96")) => assert!(slip.as_ref().is_some_and(|r| !r.cut), "{slip:?}"),
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn void_repeat_and_end_of_day_on_the_pty_demo() {
    let bus = EventBus::new();
    let session = demo(&[], false, &bus).await;
    let first = pay(&session, 1000).await;
    assert_eq!(first.verdict.as_deref(), Some("APPROVED"), "{first:#?}");
    let second = pay(&session, 2345).await;
    assert_eq!(second.receipt_no.as_deref(), Some("0002"));
    let receipt_no: u16 = first
        .receipt_no
        .as_deref()
        .and_then(|r| r.parse().ok())
        .expect("receipt number");
    let void = session
        .run_transaction(TxnRequest::Reverse { receipt_no }, None)
        .await
        .expect("runs")
        .record
        .expect("void");
    assert_eq!(void.verdict.as_deref(), Some("APPROVED"), "{void:#?}");
    let repeat = session
        .run_transaction(TxnRequest::RepeatReceipt, None)
        .await
        .expect("runs")
        .record
        .expect("repeat");
    assert_eq!(repeat.verdict.as_deref(), Some("APPROVED"), "{repeat:#?}");
    let eod = session
        .run_transaction(TxnRequest::EndOfDay, None)
        .await
        .expect("runs")
        .record
        .expect("eod");
    assert_eq!(eod.verdict.as_deref(), Some("APPROVED"), "{eod:#?}");
    assert_eq!(eod.amount_minor, Some(2345), "the voided payment is out");
    assert!(eod.totals.is_some());
    assert!(
        eod.banner.en.starts_with("end-of-day done"),
        "{}",
        eod.banner.en
    );
    let abort = session
        .run_transaction(TxnRequest::Abort, None)
        .await
        .expect("runs")
        .record
        .expect("abort");
    assert_eq!(abort.verdict.as_deref(), Some("APPROVED"), "{abort:#?}");
    tokio::time::sleep(Duration::from_millis(10)).await;
}

// --- headless `posdiag txn` -----------------------------------------------------------------

use std::io::{BufRead, BufReader};
use std::process::{Child, Command as StdCommand, Stdio};

use assert_cmd::Command;

fn posdiag() -> Command {
    let mut cmd = crate::support::posdiag();
    cmd.env("POSDIAG_LOG", "debug");
    cmd
}

/// `posdiag txn pay --demo` with `faults`: its JSON, and the capture's transaction records.
fn pay_json(dir: &std::path::Path, faults: &[&str]) -> (serde_json::Value, Vec<serde_json::Value>) {
    let capture = dir.join(format!(
        "{}.jsonl",
        faults.join("_").replace(['.', '='], "-")
    ));
    let mut cmd = posdiag();
    cmd.args([
        "txn", "pay", "--demo", "--amount", "12.34", "--yes", "--format", "json",
    ]);
    for f in faults {
        cmd.args(["--fault", f]);
    }
    let out = cmd
        .arg("--capture")
        .arg(&capture)
        .arg("--log-file")
        .arg(dir.join("log.txt"))
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // The reader takes the 1.2 records (no damage, a transaction record among them).
    let read = posdiag::capture::read_capture(&capture).expect("a capture");
    assert_eq!(read.header.version, posdiag::capture::FORMAT_VERSION);
    assert_eq!(read.damage, None);
    assert!(read
        .records
        .iter()
        .any(|r| matches!(r, posdiag::capture::CaptureRecord::Transaction { .. })));
    let text = std::fs::read_to_string(&capture).expect("capture");
    let records = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "transaction")
        .collect();
    (json, records)
}

#[test]
fn txn_pay_demo_keeps_the_json_contract_and_writes_the_capture() {
    let dir = tempfile::tempdir().expect("tmp");
    for (faults, verdict, code, reason) in OUTCOMES {
        let (json, records) = pay_json(dir.path(), faults);
        let t = &json["transaction"];
        for key in [
            "verdict",
            "response_code",
            "reversal_reason",
            "causes",
            "timeline",
        ] {
            assert!(t.get(key).is_some(), "{faults:?}: no {key} in {t}");
        }
        assert_eq!(t["verdict"], verdict, "{faults:?}");
        assert_eq!(t["response_code"].as_str(), code, "{faults:?}");
        assert_eq!(t["reversal_reason"].as_str(), reason, "{faults:?}");
        assert!(t["timeline"].as_array().is_some_and(|a| a.len() >= 5));
        let last = records.last().expect("a transaction record in the capture");
        assert_eq!(
            last["transaction"]["verdict"], verdict,
            "{faults:?}: capture"
        );
        if faults == ["host.decline=51"] {
            assert_eq!(t["response_class"], "C");
            assert!(t["response_meaning"]["zh"]
                .as_str()
                .is_some_and(|m| m.contains("余额不足")));
            assert!(t["causes"]
                .as_array()
                .is_some_and(|c| c.contains(&"host.decline".into())));
        }
    }
}

#[test]
fn a_real_terminal_needs_yes_and_never_gets_a_card_number() {
    let dir = tempfile::tempdir().expect("tmp");
    posdiag()
        .args([
            "txn",
            "pay",
            "--profile",
            "zvt-tcp",
            "--tcp",
            "127.0.0.1:9",
            "--amount",
            "1.00",
        ])
        .arg("--log-file")
        .arg(dir.path().join("log.txt"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--yes"))
        .stderr(predicates::str::contains("PAYMENT of 1.00"));
    posdiag()
        .args([
            "txn",
            "pay",
            "--profile",
            "zvt-tcp",
            "--tcp",
            "127.0.0.1:9",
            "--amount",
            "1.00",
        ])
        .args(["--yes", "--card", "6212345678901234"])
        .arg("--log-file")
        .arg(dir.path().join("log.txt"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("simulator only"));
    posdiag()
        .args(["txn", "pay", "--demo", "--yes"])
        .arg("--log-file")
        .arg(dir.path().join("log.txt"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--amount"));
}

#[test]
fn a_synthetic_card_never_appears_in_full() {
    let dir = tempfile::tempdir().expect("tmp");
    let pan = "6212345678901234";
    let capture = dir.path().join("c.jsonl");
    let log = dir.path().join("log.txt");
    let mut shown = Vec::new();
    for format in ["text", "json"] {
        let out = posdiag()
            .args([
                "txn", "pay", "--demo", "--amount", "3.21", "--yes", "--card", pan,
            ])
            .args(["--format", format, "--capture"])
            .arg(&capture)
            .arg("--log-file")
            .arg(&log)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        shown.extend(out.stdout);
        shown.extend(out.stderr);
    }
    let shown = String::from_utf8_lossy(&shown).into_owned();
    assert!(
        shown.contains("621234******1234"),
        "the masked card is shown: {shown}"
    );
    let ascii_hex = hex::encode(pan.as_bytes());
    let files = [
        ("output", shown),
        (
            "capture",
            std::fs::read_to_string(&capture).expect("capture"),
        ),
        ("log", std::fs::read_to_string(&log).expect("log")),
    ];
    for (name, text) in files {
        let lower = text.to_ascii_lowercase();
        // Digits, their BCD form (the same hex digits) and their ASCII form in hex.
        for needle in [pan, ascii_hex.as_str(), "621234567890"] {
            assert!(!lower.contains(needle), "{name} holds {needle}");
        }
    }
}

/// Kills a child process when dropped.
struct Kill(Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_listening(port: u16) {
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listens on {port}");
}

#[test]
fn tap_jsonl_reports_the_transactions_it_sees() {
    let (terminal, host, tap_port) = (free_port(), free_port(), free_port());
    let dir = tempfile::tempdir().expect("tmp");
    let bin = env!("CARGO_BIN_EXE_posdiag");
    let _sim = Kill(
        StdCommand::new(bin)
            .args(["sim", "--terminal-tcp", &format!("127.0.0.1:{terminal}")])
            .args(["--host-tcp", &format!("127.0.0.1:{host}")])
            .args(["--terminal-host", &format!("127.0.0.1:{tap_port}")])
            .arg("--log-file")
            .arg(dir.path().join("sim.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sim"),
    );
    wait_listening(terminal);
    let mut tap = Kill(
        StdCommand::new(bin)
            .args(["tap", "--protocol", "iso8583", "--format", "jsonl"])
            .args(["--listen", &format!("127.0.0.1:{tap_port}")])
            .args(["--upstream", &format!("127.0.0.1:{host}")])
            .arg("--capture")
            .arg(dir.path().join("tap.jsonl"))
            .arg("--log-file")
            .arg(dir.path().join("tap.log"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("tap"),
    );
    wait_listening(tap_port);
    posdiag()
        .args([
            "txn",
            "pay",
            "--profile",
            "zvt-tcp",
            "--tcp",
            &format!("127.0.0.1:{terminal}"),
        ])
        .args(["--amount", "7.00", "--yes", "--capture"])
        .arg(dir.path().join("t.jsonl"))
        .arg("--log-file")
        .arg(dir.path().join("t.log"))
        .assert()
        .success();
    // The tap's lines, read on a thread so a tap that never reports fails the test (after
    // 30 s) instead of hanging it.
    let stdout = tap.0.stdout.take().expect("stdout");
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    let transaction = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no transaction line from the tap in 30 s: {seen:#?}"));
        let v: serde_json::Value = serde_json::from_str(&line).expect("jsonl");
        if v["type"] == "transaction" {
            break v;
        }
        seen.push(line);
    };
    assert_eq!(transaction["transaction"]["amount_minor"], 700);
    assert_eq!(
        transaction["transaction"]["verdict"].as_str(),
        Some("APPROVED")
    );
}

// --- a thousand payments ----------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_payments_through_the_tap_stay_right_and_bounded() {
    use posdiag::proto::iso8583::Dialect;
    use posdiag::txn::{judge, TrackerConfig, TxnTracker, TxnVerdict};

    const PAYMENTS: u64 = 1_000;
    let bus = EventBus::new();
    let mut events = bus.subscribe();
    let session = demo(&[], true, &bus).await;
    let config = TrackerConfig {
        max_transactions: 200,
        max_frames: 32,
        ..TrackerConfig::default()
    };
    let feeder = tokio::spawn(async move {
        let mut tracker = TxnTracker::with_config(Dialect::cup(), config);
        let mut host_frames = 0u64;
        while let Some(e) = events.recv().await {
            if let Event::Frame(f) = e {
                host_frames += u64::from(f.channel == Channel::Host);
                tracker.feed(&f);
            }
        }
        (tracker, host_frames)
    });
    for i in 0..PAYMENTS {
        let r = pay(&session, 100 + i).await;
        assert_eq!(
            r.verdict.as_deref(),
            Some("APPROVED"),
            "payment {i}: {r:#?}"
        );
        assert_eq!(r.stan, Some(format!("{:06}", i + 1)), "payment {i}");
    }
    drop(session);
    bus.close();
    let (tracker, host_frames) = feeder.await.expect("feeder");
    assert!(
        host_frames >= 2 * PAYMENTS,
        "every 0200 and 0210 went through the tap"
    );
    assert_eq!(tracker.len(), 200, "only the newest are kept");
    assert_eq!(tracker.evicted(), PAYMENTS - 200);
    for (k, t) in tracker.transactions().enumerate() {
        let n = PAYMENTS - 200 + u64::try_from(k).expect("index");
        assert_eq!(judge(t), Some(TxnVerdict::Approved), "#{}", t.id);
        assert_eq!(t.amount_minor, Some(100 + n), "in order");
        assert_eq!(t.trace(), Some(format!("{:06}", n + 1).as_str()));
        assert!(t.frames.len() <= 32 && t.steps.len() <= config.max_steps);
        assert_eq!(t.duplicate_of, None);
    }
}
