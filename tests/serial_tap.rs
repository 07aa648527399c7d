//! `posdiag tap --serial-ecr … --serial-terminal …` (the real binary) between an independent
//! cash register and posdiag's simulated ZVT terminal, over pseudo-terminals:
//!
//! ```text
//! ECR (this test: the `zvt` crate's APDUs, DLE-framed)
//!   ⇄ pty E master │ pty E slave, reached through the symlink `ecr` ⇄ posdiag tap
//!   ⇄ pty T slave, through the symlink `terminal` │ pty T master
//!   ⇄ recording relay (this test) ⇄ simulated terminal's own pty (9600 8N2)
//! ```
//!
//! What is compared: every byte the ECR wrote to pty E against every byte the relay read from
//! pty T (what the tap passed on towards the terminal), and every byte the simulated terminal
//! sent against every byte the ECR read from pty E. Both recordings are made outside posdiag.
//!
//! Pulling a side: the ECR's pty pair is dropped (master closed: the tap's slave reads EIO, the
//! pts path disappears), then a new pair is made and the `ecr` symlink repointed to its slave:
//! the same port name comes back, as a re-plugged adapter does.

use crate::{serial_ecr, zvt_peer};

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use posdiag::capture::{read_capture, CaptureRecord};
use posdiag::event::{Direction, LinkState};
use posdiag::link::{open_serial, PtyPair, SerialSettings};
use posdiag::sim::SimConfig;
use serial_ecr::*;
use zvt_peer::{bin, Authorization, CNY};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zvt_payment_through_the_serial_tap_unchanged_and_a_pulled_ecr_side_comes_back() {
    let dir = tempfile::tempdir().expect("tmp");
    let sim = posdiag::sim::start(SimConfig {
        terminal_pty: true,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let sim_port = sim.terminal_pty.clone().expect("terminal pty");

    // Terminal side: the tap opens pty T's slave; the relay joins T's master to the simulator.
    let t = PtyPair::open().expect("pty T");
    let terminal_link: PathBuf = dir.path().join("terminal");
    point(&terminal_link, t.slave_path());
    let sim_link =
        open_serial(&SerialSettings::parse(&sim_port, "9600 8N2").expect("settings")).expect("sim");
    let to_terminal: Recording = Arc::default();
    let from_terminal: Recording = Arc::default();
    let (t_read, t_write) = tokio::io::split(t);
    let (s_read, s_write) = tokio::io::split(sim_link);
    let _to = relay(t_read, s_write, to_terminal.clone());
    let _from = relay(s_read, t_write, from_terminal.clone());

    // ECR side.
    let e = PtyPair::open().expect("pty E");
    let ecr_link = dir.path().join("ecr");
    point(&ecr_link, e.slave_path());
    let (mut tap, lines) = start_tap(&ecr_link, &terminal_link, dir.path());
    assert_eq!(states(&lines, "open", 2).await.len(), 2, "{lines:?}");
    let mut ecr = Ecr::new(e);

    // A payment of 12.34 CNY: approved, as the crate reads it.
    let pay = Authorization {
        amount: Some(1234),
        currency: Some(CNY),
        payment_type: Some(0x40),
    };
    let replies = ecr.pay(&pay).await;
    assert!(payment_approved(&replies), "{replies:?}");

    // Every byte unchanged, both ways.
    let sent = ecr.sent.clone();
    let (ecr_sent, terminal_got) =
        settled(|| sent.clone(), || to_terminal.lock().expect("log").clone()).await;
    assert!(ecr_sent.len() > 20, "{}", hex::encode_upper(&ecr_sent));
    assert_eq!(
        hex::encode_upper(&ecr_sent),
        hex::encode_upper(&terminal_got),
        "ECR → terminal"
    );
    let received = ecr.received.clone();
    let (terminal_sent, ecr_got) = settled(
        || from_terminal.lock().expect("log").clone(),
        || received.clone(),
    )
    .await;
    assert!(terminal_sent.len() > 20);
    assert_eq!(
        hex::encode_upper(&terminal_sent),
        hex::encode_upper(&ecr_got),
        "terminal → ECR"
    );

    // The payment's transaction and its verdict in the tap's output.
    let txns = zvt_peer::transactions(&lines, 1);
    let paid = txns
        .iter()
        .find(|t| t["kind"] == "payment")
        .unwrap_or_else(|| panic!("no payment in {txns:#?}"));
    assert_eq!(paid["verdict"], "APPROVED", "{paid:#?}");
    assert_eq!(paid["amount"], "12.34 CNY");

    // Pull the ECR side: its pty goes away. The tap says so and keeps the terminal side.
    drop(ecr);
    let lost = states(&lines, "ECR side lost", 1).await;
    assert_eq!(lost.len(), 1, "{:#?}", lines.lock().expect("lines"));
    assert!(
        lost[0].contains(ecr_link.to_str().expect("utf-8")),
        "{lost:?}"
    );
    let terminal_lost = lines.lock().expect("lines").iter().any(|v| {
        v["text"]
            .as_str()
            .is_some_and(|t| t.contains("terminal side lost"))
    });
    assert!(!terminal_lost, "the terminal side stays open");

    // Plug it back in: the same port name, a new device behind it.
    let e2 = PtyPair::open().expect("pty E2");
    point(&ecr_link, e2.slave_path());
    let back = states(&lines, "ECR side back", 1).await;
    assert_eq!(back.len(), 1, "{:#?}", lines.lock().expect("lines"));
    let mut ecr = Ecr::new(e2);
    let replies = ecr
        .pay(&Authorization {
            amount: Some(500),
            ..pay
        })
        .await;
    assert!(
        payment_approved(&replies),
        "after the reconnect: {replies:?}"
    );
    let txns = zvt_peer::transactions(&lines, 2);
    let second = txns
        .iter()
        .find(|t| t["kind"] == "payment" && t["amount"] == "5.00 CNY")
        .unwrap_or_else(|| panic!("no second payment in {txns:#?}"));
    assert_eq!(second["verdict"], "APPROVED");

    // Stopped as a user does (Ctrl-C): the capture holds both payments' frames and the
    // ECR side's loss and return.
    let stopped = Command::new("kill")
        .args(["-INT", &tap.0.id().to_string()])
        .status()
        .expect("kill");
    assert!(stopped.success());
    let _ = tokio::task::spawn_blocking(move || tap.0.wait()).await;
    let capture = read_capture(&dir.path().join("tap.jsonl")).expect("capture");
    let requests = capture
        .records
        .iter()
        .filter(|r| {
            matches!(r, CaptureRecord::Frame(f)
                if f.direction == Direction::Tx && f.raw.starts_with(&[0x06, 0x01]))
        })
        .count();
    assert_eq!(requests, 2, "both payment requests are in the capture");
    let lost = capture.records.iter().any(
        |r| matches!(r, CaptureRecord::Link { state: LinkState::Lost { reason, .. }, .. } if reason.starts_with("ECR side")),
    );
    assert!(lost, "the ECR side's loss is in the capture");
}

/// Joins a new pty's master to the simulated terminal's port; returns the pty's slave path and
/// the two relay tasks (aborting them closes the pty: the terminal side is pulled).
fn terminal_behind_pty(sim_port: &str) -> (String, [tokio::task::JoinHandle<()>; 2]) {
    let t = PtyPair::open().expect("pty T");
    let path = t.slave_path().to_owned();
    let sim =
        open_serial(&SerialSettings::parse(sim_port, "9600 8N2").expect("settings")).expect("sim");
    let (t_read, t_write) = tokio::io::split(t);
    let (s_read, s_write) = tokio::io::split(sim);
    let tasks = [
        relay(t_read, s_write, Arc::default()),
        relay(s_read, t_write, Arc::default()),
    ];
    (path, tasks)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pulled_terminal_side_is_reported_and_comes_back_while_the_ecr_side_stays() {
    let dir = tempfile::tempdir().expect("tmp");
    let sim = posdiag::sim::start(SimConfig {
        terminal_pty: true,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let sim_port = sim.terminal_pty.clone().expect("terminal pty");
    let terminal_link = dir.path().join("terminal");
    let (path, relays) = terminal_behind_pty(&sim_port);
    point(&terminal_link, &path);
    let e = PtyPair::open().expect("pty E");
    let ecr_link = dir.path().join("ecr");
    point(&ecr_link, e.slave_path());
    let (_tap, lines) = start_tap(&ecr_link, &terminal_link, dir.path());
    assert_eq!(states(&lines, "open", 2).await.len(), 2, "{lines:?}");
    let mut ecr = Ecr::new(e);
    let pay = Authorization {
        amount: Some(700),
        currency: Some(CNY),
        payment_type: Some(0x40),
    };
    assert!(payment_approved(&ecr.pay(&pay).await));

    // Pull the terminal side: its pty closes.
    for task in relays {
        task.abort();
        let _ = task.await;
    }
    let lost = states(&lines, "terminal side lost", 1).await;
    assert_eq!(lost.len(), 1, "{:#?}", lines.lock().expect("lines"));
    // Plug it back in under the same name.
    let (path, _relays) = terminal_behind_pty(&sim_port);
    point(&terminal_link, &path);
    assert_eq!(states(&lines, "terminal side back", 1).await.len(), 1);
    // The ECR side was never lost, and the same ECR connection pays again.
    let ecr_lost = lines.lock().expect("lines").iter().any(|v| {
        v["text"]
            .as_str()
            .is_some_and(|t| t.contains("ECR side lost"))
    });
    assert!(!ecr_lost);
    assert!(
        payment_approved(&ecr.pay(&pay).await),
        "after the reconnect"
    );
    let txns = zvt_peer::transactions(&lines, 2);
    // One line per change of outcome: count transactions, not lines.
    let approved: std::collections::BTreeSet<u64> = txns
        .iter()
        .filter(|t| t["kind"] == "payment" && t["verdict"] == "APPROVED")
        .filter_map(|t| t["id"].as_u64())
        .collect();
    assert_eq!(approved.len(), 2, "{txns:#?}");
}

#[test]
fn a_port_that_does_not_exist_is_named_with_exit_3() {
    let out = Command::new(bin())
        .args(["tap", "--protocol", "zvt", "--format", "jsonl"])
        .args([
            "--serial-ecr",
            "/dev/nonexistent",
            "--serial-terminal",
            "/dev/null",
        ])
        .output()
        .expect("tap");
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("/dev/nonexistent"), "{err}");
    assert!(out.stdout.is_empty());
}
