//! The tap under hostile load: 200 concurrent clients sending garbage, oversize length
//! prefixes and frames one byte at a time leave it running, every byte forwarded unchanged
//! (per connection, by hash) and its memory bounded; the connection cap and the idle and
//! half-open timeouts close what they should, and say so.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use posdiag::drivers::tap::{self, TapConfig, TapEvent, TapLimits, TapProtocol, TapTimeout};
use posdiag::proto::iso8583::{Dialect, FieldValue, Message, Mti};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[cfg(target_os = "linux")]
use crate::support::proc_status::status_kb;

const CLIENTS: usize = 200;
const SENDING: Duration = Duration::from_secs(3);

fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x & 0xFF) as u8
        })
        .collect()
}

fn echo_frame() -> Vec<u8> {
    Message::new(Mti::new("0820").expect("mti"))
        .with(11, FieldValue::digits("000018"))
        .with(41, FieldValue::text("29001006"))
        .with(42, FieldValue::text("898310048990001"))
        .with(60, FieldValue::digits("00000001301"))
        .encode(&Dialect::cup())
        .expect("encodes")
}

/// Upstream: hashes every connection's bytes to EOF; returns the (length, hash) pairs.
async fn hashing_upstream() -> (String, Arc<Mutex<Vec<(u64, Vec<u8>)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let out = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let (mut hash, mut len, mut buf) = (Sha256::new(), 0u64, vec![0u8; 8192]);
                while let Ok(n) = s.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    hash.update(&buf[..n]);
                    len += n as u64;
                }
                seen.lock().unwrap().push((len, hash.finalize().to_vec()));
            });
        }
    });
    (addr, out)
}

/// One hostile client: kind 0 garbage in random sizes, 1 oversize length prefixes, 2 valid
/// frames one byte at a time. Returns what it sent as (length, hash).
async fn client(tap: String, i: usize) -> (u64, Vec<u8>) {
    let mut s = TcpStream::connect(&tap).await.expect("connect to the tap");
    let _ = s.set_nodelay(true);
    let (mut hash, mut len) = (Sha256::new(), 0u64);
    let started = Instant::now();
    let frame = echo_frame();
    let mut round = 0u64;
    while started.elapsed() < SENDING {
        round += 1;
        let seed = ((i as u64) << 32) | round;
        let bytes = match i % 3 {
            0 => noise(1 + (seed as usize * 7919) % 4096, seed),
            1 => [&[0xFF, 0xFF][..], &noise(1000, seed)].concat(),
            _ => frame.clone(),
        };
        if i % 3 == 2 {
            for b in &bytes {
                s.write_all(&[*b]).await.expect("send a byte");
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        } else {
            s.write_all(&bytes).await.expect("send");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        hash.update(&bytes);
        len += bytes.len() as u64;
    }
    s.shutdown().await.expect("close");
    // The tap passes the close on; the upstream closes when it has read everything.
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(60), s.read_to_end(&mut rest)).await;
    (len, hash.finalize().to_vec())
}

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_hostile_clients_leave_the_tap_running_exact_and_bounded() {
    let (upstream, seen) = hashing_upstream().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let tap_addr = format!("127.0.0.1:{port}");
    let mut child = Kill(
        Command::new(env!("CARGO_BIN_EXE_posdiag"))
            .arg("--capture")
            .arg(dir.path().join("load.jsonl"))
            .arg("--log-file")
            .arg(dir.path().join("load.log"))
            .args(["tap", "--protocol", "iso8583", "--format", "jsonl"])
            .args(["--listen", &tap_addr, "--upstream", &upstream])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the tap"),
    );
    let pid = child.0.id();
    // Listening, and one quiet connection through it: the tap's memory at rest.
    let mut probe = None;
    for _ in 0..100 {
        if let Ok(s) = TcpStream::connect(&tap_addr).await {
            probe = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(probe.expect("the tap listens"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rest_kb = status_kb(pid, "VmRSS:");

    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| tokio::spawn(client(tap_addr.clone(), i)))
        .collect();
    let mut sent = Vec::new();
    for c in clients {
        sent.push(c.await.expect("client"));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while seen.lock().unwrap().len() < CLIENTS + 1 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        child.0.try_wait().expect("wait").is_none(),
        "the tap kept running"
    );
    let peak_kb = status_kb(pid, "VmHWM:");

    let mut got: Vec<_> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|(n, _)| *n > 0)
        .cloned()
        .collect();
    got.sort();
    sent.sort();
    assert_eq!(got.len(), CLIENTS, "every client reached the upstream");
    assert_eq!(
        got, sent,
        "every byte of every connection forwarded unchanged (length, SHA-256)"
    );
    // The bound: per connection two 16 KiB forwarding buffers and two decoders holding at
    // most one 64 KiB frame each (~160 KiB × 200 = 32 MiB), plus the tap's 16 MiB decode
    // budget, plus output and allocator slack: 96 MiB over the resting size is about twice
    // the arithmetic; a per-connection leak or an unbounded queue passes it within seconds.
    let growth_mb = peak_kb.saturating_sub(rest_kb) / 1024;
    assert!(
        growth_mb < 96,
        "the tap grew {growth_mb} MiB over its resting {} MiB under load",
        rest_kb / 1024
    );
    eprintln!(
        "tap at rest {} MiB, peak {} MiB",
        rest_kb / 1024,
        peak_kb / 1024
    );
}

/// An in-process tap with the given limits; its events are kept.
async fn tap_with(limits: TapLimits, upstream: String) -> (String, Arc<Mutex<Vec<TapEvent>>>) {
    let config = TapConfig {
        protocol: TapProtocol::Iso8583(Box::new(Dialect::cup())),
        listen: "127.0.0.1:0".to_owned(),
        upstream,
        allow_remote: false,
        connect_timeout: Duration::from_secs(2),
        decode_inline: false,
        limits,
    };
    let listener = tap::bind(&config).await.expect("tap");
    let addr = listener.local_addr().expect("addr").to_string();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    tokio::spawn(tap::serve(
        listener,
        config,
        Arc::new(|_| {}),
        Arc::new(move |e| sink.lock().unwrap().push(e)),
        Arc::new(tap::TapStats::default()),
    ));
    (addr, events)
}

/// Reads until EOF or error; how long that took, or None after `within`.
async fn closed_within(s: &mut TcpStream, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 64];
    tokio::time::timeout(within, async {
        while let Ok(n) = s.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    })
    .await
    .ok()
    .map(|()| started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_over_the_cap_is_closed_at_once_and_said() {
    let (upstream, seen) = hashing_upstream().await;
    let limits = TapLimits {
        max_connections: 2,
        ..TapLimits::default()
    };
    let (addr, events) = tap_with(limits, upstream).await;
    let mut a = TcpStream::connect(&addr).await.expect("a");
    let mut b = TcpStream::connect(&addr).await.expect("b");
    a.write_all(b"a").await.expect("a writes");
    b.write_all(b"b").await.expect("b writes");
    let mut c = TcpStream::connect(&addr)
        .await
        .expect("c is accepted by the kernel");
    assert!(
        closed_within(&mut c, Duration::from_secs(2))
            .await
            .is_some(),
        "third closed"
    );
    assert!(
        closed_within(&mut a, Duration::from_millis(300))
            .await
            .is_none(),
        "a still open"
    );
    let refused = events.lock().unwrap().iter().any(|e| {
        matches!(
            e,
            TapEvent::Refused {
                max_connections: 2,
                ..
            }
        )
    });
    assert!(
        refused,
        "the refusal is reported: {:?}",
        events.lock().unwrap()
    );
    // A slot freed is a slot for the next client.
    drop(a);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut d = TcpStream::connect(&addr).await.expect("d");
    d.write_all(b"d").await.expect("d writes");
    assert!(
        closed_within(&mut d, Duration::from_millis(300))
            .await
            .is_none(),
        "d served"
    );
    drop((b, d));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let lens: Vec<u64> = seen.lock().unwrap().iter().map(|(n, _)| *n).collect();
    assert_eq!(
        lens.iter().filter(|n| **n == 1).count(),
        3,
        "a, b, d forwarded: {lens:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_half_open_connections_are_closed_and_said() {
    let (upstream, _) = hashing_upstream().await;
    let limits = TapLimits {
        idle_timeout: Duration::from_millis(400),
        half_open_timeout: Duration::from_millis(400),
        ..TapLimits::default()
    };
    let (addr, events) = tap_with(limits, upstream).await;
    // Idle: a byte, then silence.
    let mut idle = TcpStream::connect(&addr).await.expect("idle");
    idle.write_all(&[0x00]).await.expect("write");
    let after = closed_within(&mut idle, Duration::from_secs(5))
        .await
        .expect("idle closed");
    assert!(
        after >= Duration::from_millis(300),
        "not before the timeout: {after:?}"
    );
    // Half-open: the client closes its half; the upstream (reading to EOF, never closing
    // while the client keeps the socket) would hold the other half forever.
    let upstream = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let held = upstream.local_addr().expect("addr").to_string();
    tokio::spawn(async move {
        let (s, _) = upstream.accept().await.expect("accept");
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(s);
    });
    let limits = TapLimits {
        idle_timeout: Duration::from_secs(30),
        half_open_timeout: Duration::from_millis(400),
        ..TapLimits::default()
    };
    let (addr2, events2) = tap_with(limits, held).await;
    let mut half = TcpStream::connect(&addr2).await.expect("half");
    half.write_all(&[0x00]).await.expect("write");
    half.shutdown().await.expect("half-close");
    let after = closed_within(&mut half, Duration::from_secs(5))
        .await
        .expect("half-open closed");
    assert!(
        after >= Duration::from_millis(300),
        "not before the timeout: {after:?}"
    );
    let said = |events: &Mutex<Vec<TapEvent>>, t: TapTimeout| {
        events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, TapEvent::TimedOut { timeout, .. } if *timeout == t))
    };
    assert!(
        said(&events, TapTimeout::Idle),
        "{:?}",
        events.lock().unwrap()
    );
    assert!(
        said(&events2, TapTimeout::HalfOpen),
        "{:?}",
        events2.lock().unwrap()
    );
}
