//! The independent cash register of `zvt_peer_ecr.rs`: the `zvt` crate's packets and
//! sequences, the packets it lacks (declared with its own derive macro), and the posdiag
//! processes (simulator, tap) it talks to.

// The crate's derive macro names `zvt_builder`; the `zvt` crate re-exports all of it.
use zvt as zvt_builder;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use zvt::sequences::{self, AuthorizationResponse, Sequence};
use zvt::{encoding, length, packets, Zvt, ZvtParser, ZvtSerializer};

pub const PASSWORD: usize = 123_456;
pub const CNY: usize = 156;
pub const EUR: usize = 978;
pub const TID: usize = 29_001_006;

/// `06 01` Authorisation.
#[derive(Debug, PartialEq, Zvt)]
#[zvt_control_field(class = 0x06, instr = 0x01)]
pub struct Authorization {
    #[zvt_bmp(number = 0x04, length = length::Fixed<6>, encoding = encoding::Bcd)]
    pub amount: Option<usize>,
    #[zvt_bmp(number = 0x49, length = length::Fixed<2>, encoding = encoding::Bcd)]
    pub currency: Option<usize>,
    #[zvt_bmp(number = 0x19)]
    pub payment_type: Option<u8>,
}

/// `06 30` Reversal of a receipt.
#[derive(Debug, PartialEq, Zvt)]
#[zvt_control_field(class = 0x06, instr = 0x30)]
pub struct Reversal {
    #[zvt_bmp(length = length::Fixed<3>, encoding = encoding::Bcd)]
    pub password: usize,
    #[zvt_bmp(number = 0x87, length = length::Fixed<2>, encoding = encoding::Bcd)]
    pub receipt_no: Option<usize>,
}

/// `06 24` Book Total of a reservation.
#[derive(Debug, PartialEq, Zvt)]
#[zvt_control_field(class = 0x06, instr = 0x24)]
pub struct BookTotal {
    #[zvt_bmp(number = 0x87, length = length::Fixed<2>, encoding = encoding::Bcd)]
    pub receipt_no: Option<usize>,
    #[zvt_bmp(number = 0x04, length = length::Fixed<6>, encoding = encoding::Bcd)]
    pub amount: Option<usize>,
    #[zvt_bmp(number = 0x49, length = length::Fixed<2>, encoding = encoding::Bcd)]
    pub currency: Option<usize>,
}

/// `06 B0` Abort from the cash register.
#[derive(Debug, PartialEq, Zvt)]
#[zvt_control_field(class = 0x06, instr = 0xB0)]
pub struct EcrAbort {}

pub struct Kill(pub Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_posdiag")
}

pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

pub fn wait_listening(port: u16) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listens on {port}");
}

/// `posdiag sim --terminal-tcp 127.0.0.1:0 --format json [--fault F]…`: the process and the
/// terminal's address, read from its JSON endpoint line.
pub fn start_sim(faults: &[&str]) -> (Kill, String) {
    let mut cmd = Command::new(bin());
    cmd.args(["sim", "--terminal-tcp", "127.0.0.1:0", "--format", "json"]);
    for f in faults {
        cmd.args(["--fault", f]);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sim");
    let stdout = child.stdout.take().expect("stdout");
    let sim = Kill(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("endpoints");
    let v: serde_json::Value = serde_json::from_str(&line).expect("json endpoints");
    assert!(v["host_tcp"].is_string(), "a terminal brings its host: {v}");
    let addr = v["terminal_tcp"].as_str().expect("terminal_tcp").to_owned();
    (sim, addr)
}

/// `posdiag tap --protocol zvt --format jsonl` in front of `upstream`: the process, its port,
/// and every JSONL line it prints.
pub fn start_tap(upstream: &str, dir: &Path) -> (Kill, u16, Arc<Mutex<Vec<serde_json::Value>>>) {
    let port = free_port();
    let mut child = Command::new(bin())
        .args(["tap", "--protocol", "zvt", "--format", "jsonl"])
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--upstream",
            upstream,
        ])
        .arg("--capture")
        .arg(dir.join("tap.jsonl"))
        .arg("--log-file")
        .arg(dir.join("tap.log"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tap");
    let stdout = child.stdout.take().expect("stdout");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str(&line) {
                sink.lock().expect("lines").push(v);
            }
        }
    });
    let tap = Kill(child);
    wait_listening(port);
    (tap, port, lines)
}

/// Runs a crate sequence to its end; every reply must parse with the crate.
pub async fn run<S>(input: &S::Input, socket: &mut TcpStream) -> Vec<S::Output>
where
    S: Sequence,
    S::Input: ZvtSerializer + Send + Sync,
    encoding::Default: encoding::Encoding<S::Input>,
{
    let mut stream = S::into_stream(input, socket);
    let mut out = Vec::new();
    while let Some(reply) = stream.next().await {
        out.push(reply.unwrap_or_else(|e| panic!("a reply the crate cannot parse: {e:#}")));
    }
    out
}

/// A payment-like sequence (`06 01`, `06 30`, `06 24`) with the crate's Authorization
/// response enum: acknowledged, then every message parsed and acknowledged to the end.
pub async fn run_payment<P>(request: &P, socket: &mut TcpStream) -> Vec<AuthorizationResponse>
where
    P: ZvtSerializer + Sync + Send,
    encoding::Default: encoding::Encoding<P>,
{
    let mut src = Pin::new(socket);
    sequences::write_with_ack_async(request, &mut src)
        .await
        .expect("acknowledged");
    let mut out = Vec::new();
    loop {
        let bytes = sequences::read_packet_async(&mut src).await.expect("reply");
        let reply = AuthorizationResponse::zvt_parse(&bytes)
            .unwrap_or_else(|e| panic!("{e}: {}", hex::encode_upper(&bytes)));
        src.write_all(&packets::Ack {}.zvt_serialize())
            .await
            .expect("ack");
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

/// Sends raw `request` and returns the terminal's first reply, raw.
pub async fn raw_reply(request: &[u8], socket: &mut TcpStream) -> Vec<u8> {
    socket.write_all(request).await.expect("send");
    let mut src = Pin::new(socket);
    sequences::read_packet_async(&mut src).await.expect("reply")
}

/// Status-Enquiry with `service_byte`: the completion parsed as the crate's Status-Enquiry
/// completion (`ReceiptPrintoutCompletion`: SW version, terminal status, TLV).
pub async fn status(
    socket: &mut TcpStream,
    service_byte: Option<u8>,
) -> packets::ReceiptPrintoutCompletion {
    let request = packets::StatusEnquiry {
        password: service_byte.map(|_| PASSWORD),
        service_byte,
        tlv: None,
    };
    let mut src = Pin::new(socket);
    sequences::write_with_ack_async(&request, &mut src)
        .await
        .expect("acknowledged");
    let bytes = sequences::read_packet_async(&mut src)
        .await
        .expect("completion");
    src.write_all(&packets::Ack {}.zvt_serialize())
        .await
        .expect("ack");
    packets::ReceiptPrintoutCompletion::zvt_deserialize(&bytes)
        .unwrap_or_else(|e| {
            panic!(
                "service byte {service_byte:?}: {e}: {}",
                hex::encode_upper(&bytes)
            )
        })
        .0
}

pub fn status_info(replies: &[AuthorizationResponse]) -> &packets::StatusInformation {
    replies
        .iter()
        .find_map(|r| match r {
            AuthorizationResponse::StatusInformation(s) => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no status information in {replies:?}"))
}

pub fn completed(replies: &[AuthorizationResponse]) -> bool {
    matches!(replies.last(), Some(AuthorizationResponse::CompletionData(c)) if c.result_code.unwrap_or(0) == 0)
}

/// The tap's transaction lines, once `n` have come (or after 10 s).
pub fn transactions(lines: &Mutex<Vec<serde_json::Value>>, n: usize) -> Vec<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found: Vec<serde_json::Value> = lines
            .lock()
            .expect("lines")
            .iter()
            .filter(|v| v["type"] == "transaction")
            .map(|v| v["transaction"].clone())
            .collect();
        if found.len() >= n || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The simulated terminal behind a tap, and a cash register's connection to the tap.
pub async fn through_tap(
    dir: &Path,
) -> (Kill, Kill, TcpStream, Arc<Mutex<Vec<serde_json::Value>>>) {
    let (sim, terminal) = start_sim(&[]);
    let (tap, tap_port, lines) = start_tap(&terminal, dir);
    let ecr = TcpStream::connect(("127.0.0.1", tap_port))
        .await
        .expect("tap");
    (sim, tap, ecr, lines)
}
