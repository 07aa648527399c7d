//! pyTeliumManager (PyPI, MIT, pinned in scripts/setup_python.sh) as an independent Ingenico
//! Concert cash register driving posdiag's simulated Concert terminal over a pty, the serial
//! path a real Telium's USB port takes: a payment approved, one rejected (`host.decline`), one
//! not verified (`host.timeout`), in the full and the short answer form — asserted as the
//! library reads them — and a presence probe that changes nothing on the terminal.
//!
//! The interpreter comes from `POSDIAG_PYTHON` (set by `.ci/run` after
//! `scripts/setup_python.sh`). Under CI a missing interpreter fails the test; on a developer
//! machine without it the test says so and passes. The TCP test below needs no Python.

use std::process::Command;
use std::time::Duration;

use posdiag::proto::concert::{decode_frame, Answer, Request, ResultCode, ACK, ENQ, EOT, ETX, STX};
use posdiag::sim::{parse_faults, start_concert, ConcertSimConfig, ConcertSimHandle};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SCRIPT: &str = "tests/concert_peer/pay.py";

fn python() -> Option<String> {
    match std::env::var("POSDIAG_PYTHON") {
        Ok(p) if !p.is_empty() => Some(p),
        _ if std::env::var_os("CI").is_some() => panic!(
            "POSDIAG_PYTHON is not set: CI must run scripts/setup_python.sh first (see .ci/run)"
        ),
        _ => {
            eprintln!(
                "pyTeliumManager peer not run: set POSDIAG_PYTHON=$(scripts/setup_python.sh)"
            );
            None
        }
    }
}

async fn sim(faults: &[&str], pty: bool) -> ConcertSimHandle {
    let faults: Vec<String> = faults.iter().map(|f| (*f).to_owned()).collect();
    start_concert(ConcertSimConfig {
        faults: parse_faults(&faults).expect("faults"),
        tcp: (!pty).then(|| "127.0.0.1:0".to_owned()),
        pty,
    })
    .await
    .expect("simulated Concert terminal")
}

/// Runs the peer against the pty (off the runtime's threads: the simulator runs on them).
async fn peer(python: &str, port: &str, mode: &str) -> Value {
    let (python, port, arg) = (python.to_owned(), port.to_owned(), mode.to_owned());
    let out = tokio::task::spawn_blocking(move || {
        Command::new(&python)
            .args([SCRIPT, &port, &arg, "12.5"])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {python}: {e}"))
    })
    .await
    .expect("peer thread");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "pyTeliumManager {mode} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pytelium_reads_approved_rejected_and_not_verified_over_a_pty() {
    let Some(python) = python() else { return };

    // Approved, full answer: the card as the library identifies it, the terminal's id.
    let approved = sim(&[], true).await;
    let pty = approved.pty.clone().expect("pty");
    let got = peer(&python, &pty, "full").await;
    assert_eq!(got["probe_ok"], true, "{got}");
    assert_eq!(got["accepted"], true, "{got}");
    let a = &got["answer"];
    assert_eq!(a["has_succeeded"], true, "{got}");
    assert_eq!(a["transaction_result"], 0, "{got}");
    assert_eq!(a["amount"], 12.5, "{got}");
    assert_eq!(a["currency_numeric"], "978", "{got}");
    assert_eq!(a["pos_number"], "01", "{got}");
    assert_eq!(a["repport_len"], 55, "{got}");
    assert_eq!(a["card_type"], "UnionPay", "{got}");
    assert!(
        a["card_masked"]
            .as_str()
            .is_some_and(|m| m.ends_with("0005")),
        "{got}"
    );
    assert_eq!(a["transaction_id"], "0000000001", "{got}");
    let records = approved.terminal.records();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].request.amount_cents, 1250);
    // The peer's is_ok() probe came first and changed nothing.
    assert_eq!(approved.terminal.probes(), 1);

    // Rejected, both forms.
    let rejected = sim(&["host.decline=05"], true).await;
    let pty = rejected.pty.clone().expect("pty");
    for form in ["full", "short"] {
        let got = peer(&python, &pty, form).await;
        let a = &got["answer"];
        assert_eq!(a["has_succeeded"], false, "{form}: {got}");
        assert_eq!(a["transaction_result"], 7, "{form}: {got}");
        assert_eq!(a["amount"], 12.5, "{form}: {got}");
        let len = if form == "full" { 55 } else { 0 };
        assert_eq!(a["repport_len"], len, "{form}: {got}");
    }
    assert_eq!(rejected.terminal.records().len(), 2);

    // Not verified: the authorisation never came back.
    let unverified = sim(&["host.timeout"], true).await;
    let pty = unverified.pty.clone().expect("pty");
    let got = peer(&python, &pty, "short").await;
    let a = &got["answer"];
    assert_eq!(a["has_succeeded"], false, "{got}");
    assert_eq!(a["transaction_result"], 9, "{got}");
    assert_eq!(a["transaction_id"], "          ", "{got}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_changes_nothing_and_a_silent_terminal_fails_it() {
    let Some(python) = python() else { return };
    let quiet = sim(&[], true).await;
    let got = peer(&python, quiet.pty.as_deref().expect("pty"), "probe").await;
    assert_eq!(got["probe_ok"], true, "{got}");
    assert!(quiet.terminal.records().is_empty());
    assert_eq!(quiet.terminal.probes(), 1);

    let silent = sim(&["link.silent"], true).await;
    let got = peer(&python, silent.pty.as_deref().expect("pty"), "probe").await;
    assert_eq!(got["probe_ok"], false, "{got}");
    assert!(silent.terminal.records().is_empty());
}

async fn read_exact_within(stream: &mut tokio::net::TcpStream, n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    tokio::time::timeout(Duration::from_secs(5), stream.read_exact(&mut buf))
        .await
        .expect("the terminal answers in time")
        .expect("read");
    buf
}

/// The same exchange by hand over TCP, byte by byte, with a NAK the terminal must answer by
/// sending its answer again.
#[tokio::test]
async fn the_exchange_over_tcp_byte_by_byte() {
    let handle = sim(&["host.decline=51"], false).await;
    let mut s = tokio::net::TcpStream::connect(handle.tcp.expect("tcp"))
        .await
        .expect("connect");
    s.write_all(&[ENQ]).await.unwrap();
    assert_eq!(read_exact_within(&mut s, 1).await, [ACK]);
    // A request with a broken LRC is refused with NAK, then the good one is taken.
    let good = Request::card_debit(7, 4200, "978").to_frame().unwrap();
    let mut bad = good.clone();
    *bad.last_mut().unwrap() ^= 1;
    s.write_all(&bad).await.unwrap();
    assert_eq!(read_exact_within(&mut s, 1).await, [0x15]);
    s.write_all(&good).await.unwrap();
    assert_eq!(read_exact_within(&mut s, 1).await, [ACK]);
    s.write_all(&[EOT]).await.unwrap();
    // The terminal's session.
    assert_eq!(read_exact_within(&mut s, 1).await, [ENQ]);
    s.write_all(&[ACK]).await.unwrap();
    let frame = read_exact_within(&mut s, 83).await;
    assert_eq!((frame[0], frame[81]), (STX, ETX));
    s.write_all(&[0x15]).await.unwrap();
    assert_eq!(
        read_exact_within(&mut s, 83).await,
        frame,
        "sent again after NAK"
    );
    s.write_all(&[ACK]).await.unwrap();
    assert_eq!(read_exact_within(&mut s, 1).await, [EOT]);
    let answer = Answer::decode_body(decode_frame(&frame).unwrap()).unwrap();
    assert_eq!(answer.result, ResultCode::REJECTED);
    assert_eq!(answer.pos, "07");
    assert_eq!(answer.amount_cents, 4200);
    assert_eq!(handle.terminal.records().len(), 1);
}
