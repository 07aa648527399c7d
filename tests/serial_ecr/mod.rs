//! The serial cash register of `serial_tap.rs` (the `zvt` crate's APDUs in ZVT's serial block
//! protocol, framed with posdiag-proto's encoder) and the pieces around it: a recording relay,
//! a symlink that stands for a port name, the tap process and its JSONL lines.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use posdiag::link::PtyPair;
use posdiag::proto::zvt::{encode_serial_frame, SerialDeframer, SerialEvent};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use zvt::sequences::AuthorizationResponse;
use zvt::{packets, ZvtParser, ZvtSerializer};

use crate::zvt_peer::{bin, Authorization, Kill};

pub type Lines = Arc<Mutex<Vec<serde_json::Value>>>;
pub type Recording = Arc<Mutex<Vec<u8>>>;

/// A cash register speaking ZVT's serial block protocol on a pty master: each block is
/// answered at once with ACK (`06`); the APDUs are the `zvt` crate's.
pub struct Ecr {
    port: PtyPair,
    deframer: SerialDeframer,
    pending: std::collections::VecDeque<SerialEvent>,
    pub sent: Vec<u8>,
    pub received: Vec<u8>,
}

impl Ecr {
    pub fn new(port: PtyPair) -> Self {
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
    pub async fn pay(&mut self, request: &Authorization) -> Vec<AuthorizationResponse> {
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
pub fn relay<R, W>(mut from: R, mut to: W, log: Recording) -> tokio::task::JoinHandle<()>
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
    })
}

/// Points `link` at `target` (replacing it atomically).
pub fn point(link: &Path, target: &str) {
    let tmp = link.with_extension("new");
    let _ = std::fs::remove_file(&tmp);
    std::os::unix::fs::symlink(target, &tmp).expect("symlink");
    std::fs::rename(&tmp, link).expect("repoint");
}

pub fn start_tap(ecr: &Path, terminal: &Path, dir: &Path) -> (Kill, Lines) {
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
pub async fn states(lines: &Lines, needle: &str, n: usize) -> Vec<String> {
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
pub async fn settled(a: impl Fn() -> Vec<u8>, b: impl Fn() -> Vec<u8>) -> (Vec<u8>, Vec<u8>) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (x, y) = (a(), b());
        if x == y || Instant::now() > deadline {
            return (x, y);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn payment_approved(replies: &[AuthorizationResponse]) -> bool {
    matches!(replies.last(), Some(AuthorizationResponse::CompletionData(c)) if c.result_code.unwrap_or(0) == 0)
        && replies.iter().any(|r| {
            matches!(r, AuthorizationResponse::StatusInformation(s) if s.result_code == Some(0))
        })
}
