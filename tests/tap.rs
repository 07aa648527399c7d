//! `posdiag tap`: forwards every byte unchanged both ways, decodes both directions, and
//! survives either side dropping.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command as StdCommand, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use posdiag::drivers::tap::{self, TapConfig, TapEvent, TapProtocol};
use posdiag::event::FrameRecord;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Pseudo-random bytes (no crate needed): a fixed xorshift stream.
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwards_every_byte_unchanged_both_ways() {
    // Upstream: records what arrives and answers with its own stream.
    let upstream = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let upstream_addr = upstream.local_addr().expect("addr");
    let to_client = noise(50_000, 7);
    let received = Arc::new(Mutex::new(Vec::new()));
    {
        let received = received.clone();
        let reply = to_client.clone();
        tokio::spawn(async move {
            let (mut s, _) = upstream.accept().await.expect("accept");
            let (mut r, mut w) = s.split();
            let writer = async {
                for chunk in reply.chunks(777) {
                    w.write_all(chunk).await.expect("write");
                }
                w.shutdown().await.expect("shutdown");
            };
            let reader = async {
                let mut buf = [0u8; 4096];
                loop {
                    let n = r.read(&mut buf).await.expect("read");
                    if n == 0 {
                        break;
                    }
                    received.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            };
            tokio::join!(writer, reader);
        });
    }
    let config = TapConfig {
        protocol: TapProtocol::Zvt,
        listen: "127.0.0.1:0".to_owned(),
        upstream: upstream_addr.to_string(),
        allow_remote: false,
        connect_timeout: Duration::from_secs(2),
        decode_inline: false,
        limits: tap::TapLimits::default(),
    };
    let listener = tap::bind(&config).await.expect("tap");
    let tap_addr = listener.local_addr().expect("addr");
    let frames = Arc::new(Mutex::new(Vec::<FrameRecord>::new()));
    let sink = frames.clone();
    tokio::spawn(tap::serve(
        listener,
        config,
        Arc::new(move |f| sink.lock().unwrap().push(f)),
        Arc::new(|_e: TapEvent| {}),
        Arc::new(tap::TapStats::default()),
    ));

    let from_client = noise(60_000, 99);
    let mut client = TcpStream::connect(tap_addr).await.expect("connect");
    let (mut r, mut w) = client.split();
    let send = async {
        for chunk in from_client.chunks(1000) {
            w.write_all(chunk).await.expect("write");
        }
        w.shutdown().await.expect("shutdown");
    };
    let mut got = Vec::new();
    let recv = async {
        r.read_to_end(&mut got).await.expect("read");
    };
    tokio::join!(send, recv);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(got, to_client, "upstream → client altered");
    assert_eq!(
        *received.lock().unwrap(),
        from_client,
        "client → upstream altered"
    );
    // Noise is not ZVT: the decoder says so, and shows only a short prefix.
    assert!(frames
        .lock()
        .unwrap()
        .iter()
        .all(|f| f.raw.len() <= 16 || !f.error));
}

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn bin() -> String {
    env!("CARGO_BIN_EXE_posdiag").to_owned()
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
fn decodes_zvt_live_and_survives_a_dropped_upstream() {
    let sim_port = free_port();
    let tap_port = free_port();
    let dir = tempfile::tempdir().expect("tmp");
    let sim = Kill(
        StdCommand::new(bin())
            .args(["sim", "--terminal-tcp", &format!("127.0.0.1:{sim_port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sim"),
    );
    wait_listening(sim_port);
    let mut tap = Kill(
        StdCommand::new(bin())
            .args(["tap", "--protocol", "zvt", "--format", "jsonl"])
            .args(["--listen", &format!("127.0.0.1:{tap_port}")])
            .args(["--upstream", &format!("127.0.0.1:{sim_port}")])
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
    let status = StdCommand::new(bin())
        .args([
            "check",
            "--profile",
            "zvt-tcp",
            "--tcp",
            &format!("127.0.0.1:{tap_port}"),
        ])
        .arg("--capture")
        .arg(dir.path().join("c.jsonl"))
        .arg("--log-file")
        .arg(dir.path().join("c.log"))
        .stdout(Stdio::null())
        .status()
        .expect("check");
    assert!(status.success(), "checks through the tap must pass");

    // The upstream goes away: the next client gets a state line, the tap lives on.
    drop(sim);
    let _ = std::net::TcpStream::connect(("127.0.0.1", tap_port)).expect("tap still listening");
    let stdout = tap.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut seen_enquiry = false;
    let mut seen_completion = false;
    let mut seen_unreachable = false;
    for line in lines.by_ref() {
        let line = line.expect("line");
        seen_enquiry |= line.contains("05 01 Status-Enquiry");
        seen_completion |= line.contains("06 0F");
        seen_unreachable |= line.contains("unreachable");
        if seen_enquiry && seen_completion && seen_unreachable {
            break;
        }
    }
    assert!(seen_enquiry && seen_completion && seen_unreachable);
    assert!(
        tap.0.try_wait().expect("wait").is_none(),
        "the tap must not exit"
    );
}
