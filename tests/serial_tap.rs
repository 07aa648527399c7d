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

#[allow(dead_code)]
mod zvt_peer;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use posdiag::capture::{read_capture, CaptureRecord};
use posdiag::event::{Direction, LinkState};
use posdiag::link::{open_serial, PtyPair, SerialSettings};
use posdiag::proto::zvt::{encode_serial_frame, SerialDeframer, SerialEvent};
use posdiag::sim::SimConfig;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use zvt::sequences::AuthorizationResponse;
use zvt::{packets, ZvtParser, ZvtSerializer};
use zvt_peer::{bin, Authorization, Kill, CNY};

type Lines = Arc<Mutex<Vec<serde_json::Value>>>;
type Recording = Arc<Mutex<Vec<u8>>>;

/// A cash register speaking ZVT's serial block protocol on a pty master: each block is
/// answered at once with ACK (`06`); the APDUs are the `zvt` crate's.
struct Ecr {
    port: PtyPair,
    deframer: SerialDeframer,
    pending: std::collections::VecDeque<SerialEvent>,
    sent: Vec<u8>,
    received: Vec<u8>,
}

impl Ecr {
    fn new(port: PtyPair) -> Self {
        Ecr {
            port,
            deframer: SerialDeframer::new(),
            pending: Default::default(),
            sent: Vec::new(),
            received: Vec::new(),
        }
    }

    async fn write(&mut self, bytes: &[u8]) {
        self.port.write_all(bytes).await.expect("ECR write");
        self.sent.extend_from_slice(bytes);
    }

    async fn next_event(&mut self) -> SerialEvent {
        let mut buf = [0u8; 1024];
        loop {
            if let Some(e) = self.pending.pop_front() {
                return e;
            }
            let n = tokio::time::timeout(Duration::from_secs(10), self.port.read(&mut buf))
                .await
                .expect("the terminal answers through the tap within 10 s")
                .expect("ECR read");
            self.received.extend_from_slice(&buf[..n]);
            self.pending.extend(self.deframer.push(&buf[..n]));
        }
    }

    /// Sends one APDU as a block and waits for the block ACK.
    async fn send_block(&mut self, apdu: &[u8]) {
        self.write(&encode_serial_frame(apdu)).await;
        match self.next_event().await {
            SerialEvent::Ack => {}
            other => panic!("expected the block ACK, got {other:?}"),
        }
    }

    /// The next APDU from the terminal, block-acknowledged.
    async fn receive(&mut self) -> Vec<u8> {
        match self.next_event().await {
            SerialEvent::Frame { apdu, .. } => {
                self.write(&[0x06]).await;
                apdu
            }
            other => panic!("expected a frame, got {other:?}"),
        }
    }

    /// A payment (`06 01`): the terminal's acknowledgement, then each message parsed with the
    /// crate and confirmed with `80 00 00`, to the completion or abort.
    async fn pay(&mut self, request: &Authorization) -> Vec<AuthorizationResponse> {
        self.send_block(&request.zvt_serialize()).await;
        assert_eq!(self.receive().await, [0x80, 0x00, 0x00], "command accepted");
        let mut out = Vec::new();
        loop {
            let apdu = self.receive().await;
            let reply = AuthorizationResponse::zvt_parse(&apdu)
                .unwrap_or_else(|e| panic!("{e}: {}", hex::encode_upper(&apdu)));
            self.send_block(&packets::Ack {}.zvt_serialize()).await;
            let end = matches!(
                reply,
                AuthorizationResponse::CompletionData(_) | AuthorizationResponse::Abort(_)
            );
            out.push(reply);
            if end {
                return out;
            }
        }
    }
}

/// Copies `from` to `to`, recording every byte passed.
fn relay<R, W>(mut from: R, mut to: W, log: Recording)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    tokio::spawn(async move {
        let mut buf = [0u8; 1024];
        while let Ok(n) = from.read(&mut buf).await {
            if n == 0 || to.write_all(&buf[..n]).await.is_err() {
                break;
            }
            log.lock().expect("log").extend_from_slice(&buf[..n]);
        }
    });
}

/// Points `link` at `target` (replacing it atomically).
fn point(link: &Path, target: &str) {
    let tmp = link.with_extension("new");
    let _ = std::fs::remove_file(&tmp);
    std::os::unix::fs::symlink(target, &tmp).expect("symlink");
    std::fs::rename(&tmp, link).expect("repoint");
}

fn start_tap(ecr: &Path, terminal: &Path, dir: &Path) -> (Kill, Lines) {
    let mut child = Command::new(bin())
        .args(["tap", "--protocol", "zvt", "--format", "jsonl"])
        .arg("--serial-ecr")
        .arg(ecr)
        .arg("--serial-terminal")
        .arg(terminal)
        .arg("--capture")
        .arg(dir.join("tap.jsonl"))
        .arg("--log-file")
        .arg(dir.join("tap.log"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tap");
    let stdout = child.stdout.take().expect("stdout");
    let lines: Lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str(&line) {
                sink.lock().expect("lines").push(v);
            }
        }
    });
    (Kill(child), lines)
}

/// Waits (up to 10 s) for `n` state lines containing `needle`; returns them.
async fn states(lines: &Lines, needle: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found: Vec<String> = lines
            .lock()
            .expect("lines")
            .iter()
            .filter(|v| v["type"] == "state")
            .filter_map(|v| v["text"].as_str().map(str::to_owned))
            .filter(|t| t.contains(needle))
            .collect();
        if found.len() >= n || Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits (up to 5 s) until both recordings agree, then returns them.
async fn settled(a: impl Fn() -> Vec<u8>, b: impl Fn() -> Vec<u8>) -> (Vec<u8>, Vec<u8>) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (x, y) = (a(), b());
        if x == y || Instant::now() > deadline {
            return (x, y);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn payment_approved(replies: &[AuthorizationResponse]) -> bool {
    matches!(replies.last(), Some(AuthorizationResponse::CompletionData(c)) if c.result_code.unwrap_or(0) == 0)
        && replies.iter().any(|r| {
            matches!(r, AuthorizationResponse::StatusInformation(s) if s.result_code == Some(0))
        })
}

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
    relay(t_read, s_write, to_terminal.clone());
    relay(s_read, t_write, from_terminal.clone());

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
