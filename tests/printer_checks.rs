//! The printer checks against the simulated ESC/POS printer, over TCP (a network printer on
//! 9100) and over a pty (a serial printer, the real serial code path): all pass without
//! faults, each `printer.*` fault fails the check of its part naming the fault's cause id
//! (paper near end only warns), silence ends within the timeout, and the test print and
//! recovery work end to end. Last, python-escpos as an independent client (when available).

use std::time::{Duration, Instant};

use posdiag::checks::{Area, CheckResult, CheckStatus};
use posdiag::drivers::escpos::{Confirmation, PrinterChannelError};
use posdiag::event::{Channel, Direction};
use posdiag::profile::{load_profile, SimulatedLink};
use posdiag::proto::escpos::commands::Recovery;
use posdiag::proto::escpos::receipt::{TEST_CHINESE_LINE, TEST_FOUR_BYTE_LINE};
use posdiag::proto::escpos::Problem;
use posdiag::session::{EventBus, Session, SessionConfig};
use posdiag::sim::Fault;

use crate::support::by_id;

async fn open(link: SimulatedLink, faults: &[&str]) -> Session {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    let sim = profile.simulator.as_mut().expect("simulator");
    sim.printer_link = link;
    // The terminal over TCP keeps these runs independent of the pty baud gate.
    sim.terminal_link = SimulatedLink::Tcp;
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
    posdiag::session::open(config, EventBus::new())
        .await
        .expect("session")
}

async fn run(link: SimulatedLink, faults: &[&str]) -> Vec<CheckResult> {
    open(link, faults)
        .await
        .run_checks(&[Area::Printer], None)
        .await
        .0
}

fn assert_all_pass(results: &[CheckResult]) {
    assert_eq!(results.len(), 9, "{results:#?}");
    for r in results {
        assert_eq!(r.area, Area::Printer);
        assert_eq!(r.status, CheckStatus::Pass, "{} did not pass: {r:#?}", r.id);
        assert!(r.causes.is_empty(), "{} names causes: {:?}", r.id, r.causes);
    }
    let link = by_id(results, "printer.link");
    assert!(link
        .frames
        .iter()
        .all(|f| f.channel == Channel::Printer && !f.error));
    assert_eq!(
        link.frames
            .iter()
            .filter(|f| f.direction == Direction::Rx)
            .count(),
        4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_printer_checks_pass_over_tcp() {
    assert_all_pass(&run(SimulatedLink::Tcp, &[]).await);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_printer_checks_pass_over_pty() {
    let results = run(SimulatedLink::Pty, &[]).await;
    assert_all_pass(&results);
    let link = by_id(&results, "printer.link");
    assert!(link.summary.en.contains("/dev/"), "{}", link.summary.en);
}

/// (fault, the check that must fail)
const FAULTS: &[(&str, &str)] = &[
    ("printer.paper_out", "printer.paper"),
    ("printer.paper_out", "printer.online"),
    ("printer.cover_open", "printer.cover"),
    ("printer.cover_open", "printer.online"),
    ("printer.cutter_error", "printer.cutter"),
    ("printer.overheat", "printer.head"),
    ("printer.offline", "printer.online"),
    ("printer.paper_jam", "printer.errors"),
    ("printer.unrecoverable_error", "printer.errors"),
    ("printer.no_reply", "printer.link"),
    ("terminal.printer_not_ready", "printer.terminal"),
];

async fn fault_fails_its_check(link: SimulatedLink) {
    for (fault, check) in FAULTS {
        let results = run(link, &[fault]).await;
        let r = by_id(&results, check);
        assert_eq!(r.status, CheckStatus::Fail, "{fault}: {r:#?}");
        assert!(
            r.causes.iter().any(|c| c == fault),
            "{fault}: causes {:?}",
            r.causes
        );
        if *fault != "printer.no_reply" && *fault != "terminal.printer_not_ready" {
            assert!(
                r.evidence.iter().any(|e| e.label.en == "status bytes"),
                "{fault}: {r:#?}"
            );
        }
        // The fault is named only where it belongs.
        for other in &results {
            for cause in &other.causes {
                assert_eq!(cause, fault, "{fault}: {} names {cause}", other.id);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_fails_its_check_over_tcp() {
    fault_fails_its_check(SimulatedLink::Tcp).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_fails_its_check_over_pty() {
    fault_fails_its_check(SimulatedLink::Pty).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paper_near_end_warns_and_the_run_passes() {
    for link in [SimulatedLink::Tcp, SimulatedLink::Pty] {
        if cfg!(not(unix)) && link == SimulatedLink::Pty {
            continue;
        }
        let results = run(link, &["printer.paper_near_end"]).await;
        let paper = by_id(&results, "printer.paper");
        assert_eq!(paper.status, CheckStatus::Warn, "{paper:#?}");
        assert_eq!(paper.causes, vec!["printer.paper_near_end".to_owned()]);
        assert!(
            paper.summary.en.contains("Replace the roll"),
            "{}",
            paper.summary.en
        );
        assert!(results.iter().all(|r| r.status <= CheckStatus::Warn));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_reply_ends_within_the_timeout() {
    let started = Instant::now();
    let results = run(SimulatedLink::Tcp, &["printer.no_reply"]).await;
    // The demo's status timeout is 1s; nothing may wait for the 4s check timeout.
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    let link = by_id(&results, "printer.link");
    assert_eq!(link.causes, vec!["printer.no_reply".to_owned()]);
    for id in ["printer.online", "printer.paper"] {
        assert_eq!(by_id(&results, id).status, CheckStatus::Error, "{id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_names_the_link_cause() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let (profile, _) = load_profile("escpos-tcp").expect("profile");
    let config = SessionConfig {
        profile,
        faults: Vec::new(),
        serial: None,
        tcp: Some(format!("127.0.0.1:{port}")),
    };
    let session = posdiag::session::open(config, EventBus::new())
        .await
        .expect("session");
    let (results, _) = session.run_checks(&[], None).await;
    assert_eq!(results.len(), 8, "no terminal, so no printer.terminal");
    let link = by_id(&results, "printer.link");
    assert_eq!(link.status, CheckStatus::Fail);
    assert_eq!(link.causes, vec!["link.tcp_unreachable".to_owned()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_print_comes_out_as_gb18030_text() {
    for link in [SimulatedLink::Tcp, SimulatedLink::Pty] {
        if cfg!(not(unix)) && link == SimulatedLink::Pty {
            continue;
        }
        let session = open(link, &[]).await;
        let printer = session.printer().expect("printer channel");
        let record = printer
            .test_print(Confirmation::given_by_operator(), "posdiag 2026-01-01")
            .await
            .expect("test print");
        assert!(record.read.after.problems().is_empty());
        assert!(record
            .frames
            .iter()
            .any(|f| f.direction == Direction::Tx && f.summary.starts_with("test print")));
        // The status read after the print has answered, so the receipt was processed.
        let receipt = session.simulated_receipt().expect("receipt");
        assert!(receipt.cut);
        for line in [TEST_CHINESE_LINE, TEST_FOUR_BYTE_LINE, "posdiag 2026-01-01"] {
            assert!(
                receipt.lines.iter().any(|l| l == line),
                "{line}: {receipt:#?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_print_is_refused_while_out_of_paper() {
    let session = open(SimulatedLink::Tcp, &["printer.paper_out"]).await;
    let printer = session.printer().expect("printer channel");
    let failure = printer
        .test_print(Confirmation::given_by_operator(), "x")
        .await
        .expect_err("refused");
    match failure.error {
        PrinterChannelError::NotReady { problems } => {
            assert_eq!(problems, vec![Problem::PaperOut])
        }
        other => panic!("{other}"),
    }
    assert!(session.simulated_receipt().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_clears_a_cutter_error_and_the_recheck_passes() {
    let session = open(SimulatedLink::Tcp, &["printer.cutter_error"]).await;
    let printer = session.printer().expect("printer channel");
    let before = printer.status().await.expect("status");
    assert_eq!(before.read.problems(), vec![Problem::CutterError]);
    let after = printer
        .recover(Confirmation::given_by_operator(), Recovery::ClearBuffers)
        .await
        .expect("recovery");
    assert!(after.read.problems().is_empty(), "{:#?}", after.read);
    assert!(after.frames.iter().any(|f| f.raw == [0x10, 0x05, 0x02]));
    let (results, _) = session.run_checks(&[Area::Printer], None).await;
    assert_eq!(by_id(&results, "printer.cutter").status, CheckStatus::Pass);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_frames_snapshot() {
    let results = run(SimulatedLink::Tcp, &["printer.paper_out"]).await;
    let frames: Vec<String> = by_id(&results, "printer.link")
        .frames
        .iter()
        .map(|f| {
            format!(
                "{} {:<8} {}{}",
                f.direction.arrow(),
                hex::encode_upper(&f.raw),
                f.summary,
                if f.error { "  [error]" } else { "" }
            )
        })
        .collect();
    insta::assert_snapshot!(frames.join("\n"));
}

/// python-escpos (PyPI) queries the simulated printer and must report the online and paper
/// states each fault stands for. Runs when `POSDIAG_PYTHON` names a Python with
/// python-escpos (`scripts/setup_python.sh`; .ci/run sets it); under CI it must be set.
#[test]
fn python_escpos_agrees_with_the_simulated_printer() {
    let python = match std::env::var("POSDIAG_PYTHON") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the python-escpos oracle: run scripts/setup_python.sh and set POSDIAG_PYTHON"
            );
            eprintln!("skipped: POSDIAG_PYTHON is not set (run scripts/setup_python.sh)");
            return;
        }
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/escpos_oracle.py");
    let out = std::process::Command::new(&python)
        .arg(script)
        .arg("--posdiag")
        .arg(env!("CARGO_BIN_EXE_posdiag"))
        .output()
        .expect("run the oracle script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "python-escpos disagrees:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("printer.paper_out"), "{stdout}");
    println!("{stdout}");
}

/// A network printer that closes the connection after each answer (as some do when idle, or
/// after a power cycle): the channel says the link was lost, reconnects and reads again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_is_reopened_and_the_read_repeated() {
    use std::sync::{Arc, Mutex};

    use posdiag::drivers::escpos::{
        ClientTimeouts, PrinterChannel, PrinterEndpoint, PrinterTiming,
    };
    use posdiag::event::LinkState;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = [0u8; 12];
            if stream.read_exact(&mut request).await.is_ok() {
                let _ = stream.write_all(&[0x12, 0x12, 0x12, 0x12]).await;
            }
            // Closing the connection: the next read must come through a new one.
        }
    });
    let states = Arc::new(Mutex::new(Vec::new()));
    let seen = states.clone();
    let channel = PrinterChannel::new(
        PrinterEndpoint::Tcp(addr),
        PrinterTiming {
            client: ClientTimeouts {
                status: Duration::from_secs(1),
                id: Duration::from_millis(500),
                drain_quiet: Duration::from_millis(50),
            },
            connect: Duration::from_secs(2),
        },
        std::sync::Arc::new(|_| {}),
        std::sync::Arc::new(move |s| seen.lock().unwrap().push(s)),
    );
    for _ in 0..3 {
        let record = channel.status().await.expect("status");
        assert!(record.read.complete());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let states = states.lock().unwrap();
    assert!(
        states.iter().any(|s| matches!(s, LinkState::Lost { .. })),
        "{states:?}"
    );
    assert!(matches!(states.last(), Some(LinkState::Connected { .. })));
}
