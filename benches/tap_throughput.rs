//! Forwarding throughput of `posdiag tap` against peers on the same loopback path, as ratios:
//! valid 232-byte CUP 0200 frames (2-byte length prefix) sent one way as fast as the sender
//! can write, through
//! - the tap in-process (posdiag-core's proxy, ISO 8583, frames counted by a cheap sink),
//! - a plain relay written with `tokio::io::copy_bidirectional` (same runtime),
//! - the `posdiag tap` binary (`--format jsonl` to /dev/null, capture to a temp dir),
//! - `socat` when it is installed (compared with the binary: both are separate processes),
//!
//! to a sink that reads and counts. Each path runs several rounds, interleaved, and the median
//! is printed. Run with `cargo bench --bench tap_throughput`; `POSDIAG_BENCH_MS=300` shortens
//! each round (default 1,000 ms), `POSDIAG_BENCH_ROUNDS` sets the rounds (default 3).

#[path = "support/cup_messages.rs"]
#[allow(dead_code)] // the 0210 is for the codec bench
mod cup_messages;
#[path = "support/median.rs"]
mod median;

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use median::median;
use posdiag::drivers::tap::{self, TapConfig, TapProtocol, TapStats};
use posdiag::proto::iso8583::Dialect;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Frames per write: the sender writes ~58 KiB at a time, frames cut anywhere by TCP.
const FRAMES_PER_WRITE: usize = 256;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The sink: accepts one connection at a time, reads to EOF, returns the bytes counted.
async fn sink() -> (SocketAddr, tokio::sync::mpsc::Receiver<u64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind sink");
    let addr = listener.local_addr().expect("sink addr");
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tokio::spawn(async move {
        let mut buf = vec![0u8; 256 * 1024];
        while let Ok((mut s, _)) = listener.accept().await {
            let mut n = 0u64;
            while let Ok(k) = s.read(&mut buf).await {
                if k == 0 {
                    break;
                }
                n += k as u64;
            }
            let _ = tx.send(n).await;
        }
    });
    (addr, rx)
}

/// Sends `payload` to `front` for about `budget`, closes, and waits until the sink has read
/// everything. Returns MB/s (10^6 bytes) over the whole transfer.
async fn round(
    front: SocketAddr,
    payload: &[u8],
    budget: Duration,
    done: &mut tokio::sync::mpsc::Receiver<u64>,
) -> f64 {
    let started = Instant::now();
    let mut s = connect(front).await;
    let mut sent = 0u64;
    while started.elapsed() < budget {
        s.write_all(payload).await.expect("send");
        sent += payload.len() as u64;
    }
    s.shutdown().await.expect("close");
    let got = tokio::time::timeout(Duration::from_secs(120), done.recv())
        .await
        .expect("the sink finished within 2 minutes")
        .expect("sink alive");
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(got, sent, "every byte sent reached the sink");
    drop(s);
    got as f64 / secs / 1e6
}

async fn connect(addr: SocketAddr) -> TcpStream {
    for _ in 0..200 {
        if let Ok(s) = TcpStream::connect(addr).await {
            let _ = s.set_nodelay(true);
            return s;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("nothing listens on {addr}");
}

/// A plain relay: one `copy_bidirectional` per connection.
async fn relay(upstream: SocketAddr) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
    let addr = listener.local_addr().expect("relay addr");
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut up = TcpStream::connect(upstream).await.expect("relay upstream");
                let _ = tokio::io::copy_bidirectional(&mut client, &mut up).await;
            });
        }
    });
    addr
}

/// The tap in-process; the frame sink only counts.
async fn tap_in_process(
    upstream: SocketAddr,
    frames: Arc<AtomicU64>,
) -> (SocketAddr, Arc<TapStats>) {
    let config = TapConfig {
        protocol: TapProtocol::Iso8583(Box::new(Dialect::cup())),
        listen: "127.0.0.1:0".into(),
        upstream: upstream.to_string(),
        allow_remote: false,
        connect_timeout: Duration::from_secs(5),
        decode_inline: false,
        limits: tap::TapLimits::default(),
    };
    let listener = tap::bind(&config).await.expect("bind tap");
    let addr = listener.local_addr().expect("tap addr");
    let stats = Arc::new(TapStats::default());
    let on_frame = Arc::new(move |_| {
        frames.fetch_add(1, Ordering::Relaxed);
    });
    tokio::spawn(tap::serve(
        listener,
        config,
        on_frame,
        Arc::new(|_| {}),
        stats.clone(),
    ));
    (addr, stats)
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
    l.local_addr().expect("addr").port()
}

/// Kills the child when dropped.
struct Proc(Child);
impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tap_binary(upstream: SocketAddr, dir: &std::path::Path) -> (SocketAddr, Proc) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_posdiag"))
        .args(["--capture"])
        .arg(dir.join("bench.jsonl"))
        .args(["--log-file"])
        .arg(dir.join("bench.log"))
        .args(["tap", "--protocol", "iso8583", "--format", "jsonl"])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--upstream", &upstream.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start posdiag tap");
    (SocketAddr::from(([127, 0, 0, 1], port)), Proc(child))
}

fn socat(upstream: SocketAddr) -> Option<(SocketAddr, Proc)> {
    let port = free_port();
    let child = Command::new("socat")
        .arg(format!("TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork"))
        .arg(format!("TCP:{upstream}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    Some((SocketAddr::from(([127, 0, 0, 1], port)), Proc(child)))
}

fn main() {
    let budget = Duration::from_millis(env_num("POSDIAG_BENCH_MS", 1_000));
    let rounds = env_num("POSDIAG_BENCH_ROUNDS", 3).max(1);
    let frame = cup_messages::sale()
        .encode(&Dialect::cup())
        .expect("encodes");
    let payload: Vec<u8> = frame
        .iter()
        .copied()
        .cycle()
        .take(frame.len() * FRAMES_PER_WRITE)
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (up, mut done) = sink().await;
        let frames = Arc::new(AtomicU64::new(0));
        let (tap_addr, stats) = tap_in_process(up, frames.clone()).await;
        let relay_addr = relay(up).await;
        let (bin_addr, _bin) = tap_binary(up, dir.path());
        let socat = socat(up);
        let mut paths: Vec<(&str, SocketAddr)> = vec![
            ("tap (in-process)", tap_addr),
            ("tokio copy_bidirectional relay", relay_addr),
            ("posdiag tap (binary)", bin_addr),
        ];
        if let Some((addr, _)) = &socat {
            paths.push(("socat", *addr));
        }
        let mut results = vec![Vec::new(); paths.len()];
        for _ in 0..rounds {
            for (i, (_, addr)) in paths.iter().enumerate() {
                let mbs = round(*addr, &payload, budget, &mut done).await;
                results.get_mut(i).expect("slot").push(mbs);
            }
        }
        let mbs: Vec<f64> = results.into_iter().map(median).collect();
        println!(
            "tap forwarding, {}-byte CUP 0200 frames, one direction, median of {rounds} rounds",
            frame.len()
        );
        for ((name, _), rate) in paths.iter().zip(&mbs) {
            println!("  {name:<32} {rate:>9.1} MB/s");
        }
        let at = |i: usize| mbs.get(i).copied().unwrap_or(0.0);
        println!("  ratio tap / relay (in-process)    {:>9.3}", at(0) / at(1));
        // The binary pays a process boundary the in-process relay does not: a floor, not a peer.
        println!("  ratio tap binary / relay          {:>9.3}", at(2) / at(1));
        if socat.is_some() {
            println!("  ratio tap binary / socat          {:>9.3}", at(2) / at(3));
        } else {
            println!("  socat not installed: the socat ratio is skipped");
        }
        let t = stats.totals();
        println!(
            "  in-process tap: {} frames decoded, {} bytes forwarded without decoding (decoder behind)",
            frames.load(Ordering::Relaxed),
            t.not_decoded
        );
    });
}
