//! The checks against a Concert terminal: `concert-serial` over a pty to posdiag's simulated
//! Telium terminal (and the same profile with `--tcp`). Concert's only read-only exchange is
//! ENQ → ACK (then EOT), so the link and the terminal's state pass on it, every area Concert
//! cannot report is skipped as such (never a pass), no payment is recorded, and a silent line
//! is named silent. Payments are refused with a message: posdiag does not run them over Concert.

use crate::support::by_id;
use crate::terminal_checks::TERMINAL_AREAS;
use assert_cmd::Command;
use posdiag::checks::{Area, CheckResult, CheckStatus};
use posdiag::link::PtyPair;
use posdiag::profile::load_profile;
use posdiag::session::{CommandEnd, EventBus, Session, SessionConfig, TerminalCommand};
use posdiag::sim::{start_concert, ConcertSimConfig};

async fn open(serial: Option<String>, tcp: Option<String>) -> Session {
    let (profile, _) = load_profile("concert-serial").expect("concert-serial profile");
    let config = SessionConfig {
        profile,
        faults: Vec::new(),
        serial,
        tcp,
    };
    posdiag::session::open(config, EventBus::new())
        .await
        .expect("session")
}

async fn run(serial: Option<String>, tcp: Option<String>) -> Vec<CheckResult> {
    let session = open(serial, tcp).await;
    session.run_checks(&TERMINAL_AREAS, None).await.0
}

fn assert_present(results: &[CheckResult]) {
    let link = by_id(results, "link.terminal");
    assert_eq!(link.status, CheckStatus::Pass, "{link:#?}");
    assert!(link.summary.en.contains("Concert"), "{link:#?}");
    let raw: Vec<&[u8]> = link.frames.iter().map(|f| f.raw.as_slice()).collect();
    assert_eq!(raw, [&[0x05][..], &[0x06], &[0x04]], "ENQ, ACK, EOT");
    for r in results.iter().filter(|r| r.id != "link.terminal") {
        // The terminal's state is read from the handshake; nothing else is a pass.
        let expected = if r.area == Area::Terminal && r.status == CheckStatus::Pass {
            CheckStatus::Pass
        } else {
            CheckStatus::Skip
        };
        assert_eq!(r.status, expected, "{} : {r:#?}", r.id);
        assert!(r.causes.is_empty(), "{r:#?}");
    }
    assert!(
        results
            .iter()
            .any(|r| r.area == Area::Terminal && r.status == CheckStatus::Pass),
        "{results:#?}"
    );
    assert!(
        results
            .iter()
            .filter(|r| r.status == CheckStatus::Skip)
            .count()
            >= 4,
        "{results:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_present_terminal_passes_link_and_state_over_pty_and_tcp_and_records_no_payment() {
    let sim = start_concert(ConcertSimConfig {
        pty: true,
        tcp: Some("127.0.0.1:0".to_owned()),
        ..ConcertSimConfig::default()
    })
    .await
    .expect("Concert simulator");
    assert_present(&run(sim.pty.clone(), None).await);
    let addr = sim.tcp.expect("tcp").to_string();
    assert_present(&run(None, Some(addr)).await);
    // The TUI's command menu is ZVT's: on a Concert terminal nothing is sent, and it says why.
    let session = open(sim.pty.clone(), None).await;
    let outcome = session
        .run_terminal_command(TerminalCommand::StatusEnquiry)
        .await;
    assert_eq!(
        outcome.end,
        CommandEnd::NotZvt {
            protocol: "Concert"
        }
    );
    assert!(
        outcome.summary().en.contains("nothing was sent"),
        "{outcome:?}"
    );
    assert!(sim.terminal.records().is_empty(), "a check made a payment");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_line_is_named_silent() {
    let pair = PtyPair::open().expect("pty");
    let results = run(Some(pair.slave_path().to_owned()), None).await;
    let link = by_id(&results, "link.terminal");
    assert_eq!(link.status, CheckStatus::Fail, "{link:#?}");
    assert_eq!(link.causes, ["link.silent"], "{link:#?}");
    assert_eq!(link.frames.len(), 1, "the ENQ sent: {link:#?}");
}

/// A terminal that answers ENQ with NAK (busy) over TCP: the link passes (it answered in
/// Concert), its state warns `terminal.busy` with what to do, and nothing is called silent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_terminal_passes_the_link_and_warns_on_its_state() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut b = [0u8; 1];
                while s.read_exact(&mut b).await.is_ok() {
                    if b == [0x05] && s.write_all(&[0x15]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    let results = run(None, Some(addr)).await;
    let link = by_id(&results, "link.terminal");
    assert_eq!(link.status, CheckStatus::Pass, "{link:#?}");
    let state = by_id(&results, "terminal.status");
    assert_eq!(state.status, CheckStatus::Warn, "{state:#?}");
    assert_eq!(state.causes, ["terminal.busy"], "{state:#?}");
}

#[test]
fn a_payment_over_concert_is_refused_with_what_to_do_instead() {
    let out = Command::cargo_bin("posdiag")
        .expect("binary")
        .args([
            "txn",
            "pay",
            "--amount",
            "1.00",
            "--profile",
            "concert-serial",
        ])
        .args(["--serial", "/dev/null", "--yes"])
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("does not run transactions over Concert"),
        "{stderr}"
    );
    assert!(
        stderr.contains("posdiag tap --protocol concert"),
        "{stderr}"
    );
}
