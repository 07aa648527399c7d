//! pyTeliumManager (an independent Concert cash register, POSDIAG_PYTHON) pays on posdiag's
//! simulated Concert terminal through `posdiag tap --protocol concert --serial-ecr …
//! --serial-terminal …` (the real binary), all over pseudo-terminals:
//!
//! ```text
//! pyTeliumManager ⇄ pty E slave │ E master ⇄ relay (records) ⇄ F master │ F slave ⇄ posdiag tap
//!   ⇄ T slave │ T master ⇄ relay (records) ⇄ simulated Concert terminal's pty (9600 7E1)
//! ```
//!
//! Compared: the bytes the cash register sent (recorded between E and F) with the bytes that
//! reached the terminal (recorded between T and the simulator), and the other way round; then
//! the payment with its verdict on the tap's output.
//! Without POSDIAG_PYTHON (outside CI) the test says so and passes, as tests/concert_peer.rs.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use posdiag::link::{open_serial, PtyPair, SerialSettings};
use posdiag::sim::{start_concert, ConcertSimConfig};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

type Recording = Arc<Mutex<Vec<u8>>>;

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

/// Joins two ptys' masters (or a master and a port) both ways; returns (a→b, b→a).
fn join<A, B>(a: A, b: B) -> (Recording, Recording)
where
    A: AsyncRead + AsyncWrite + Send + 'static,
    B: AsyncRead + AsyncWrite + Send + 'static,
{
    let (ab, ba): (Recording, Recording) = (Arc::default(), Arc::default());
    let (a_read, a_write) = tokio::io::split(a);
    let (b_read, b_write) = tokio::io::split(b);
    relay(a_read, b_write, ab.clone());
    relay(b_read, a_write, ba.clone());
    (ab, ba)
}

fn get(r: &Recording) -> Vec<u8> {
    r.lock().expect("log").clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pytelium_pays_through_the_serial_tap_byte_for_byte() {
    let python = match std::env::var("POSDIAG_PYTHON") {
        Ok(p) if !p.is_empty() => p,
        _ if std::env::var_os("CI").is_some() => panic!("POSDIAG_PYTHON is not set"),
        _ => {
            eprintln!(
                "pyTeliumManager peer not run: set POSDIAG_PYTHON=$(scripts/setup_python.sh)"
            );
            return;
        }
    };
    let dir = tempfile::tempdir().expect("tmp");
    let sim = start_concert(ConcertSimConfig {
        faults: Vec::new(),
        tcp: None,
        pty: true,
    })
    .await
    .expect("simulated Concert terminal");
    let sim_port = open_serial(
        &SerialSettings::parse(sim.pty.clone().expect("pty"), "9600 7E1").expect("settings"),
    )
    .expect("sim port");
    let t = PtyPair::open().expect("pty T");
    let t_path = t.slave_path().to_owned();
    let (to_terminal, from_terminal) = join(t, sim_port);
    let e = PtyPair::open().expect("pty E");
    let e_path = e.slave_path().to_owned();
    let f = PtyPair::open().expect("pty F");
    let f_path = f.slave_path().to_owned();
    let (ecr_sent, ecr_got) = join(e, f);

    let mut tap = Command::new(env!("CARGO_BIN_EXE_posdiag"))
        .args(["tap", "--protocol", "concert", "--format", "jsonl"])
        .args(["--serial-ecr", &f_path, "--serial-terminal", &t_path])
        .arg("--capture")
        .arg(dir.path().join("tap.jsonl"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tap");
    let stdout = tap.stdout.take().expect("stdout");
    let lines = Arc::new(Mutex::new(Vec::<serde_json::Value>::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str(&line) {
                sink.lock().expect("lines").push(v);
            }
        }
    });
    let opened = Instant::now();
    while lines.lock().expect("lines").len() < 2 && opened.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let out = tokio::task::spawn_blocking(move || {
        Command::new(&python)
            .args(["tests/concert_peer/pay.py", &e_path, "full", "12.5"])
            .output()
            .expect("python")
    })
    .await
    .expect("peer");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_str(stdout.trim()).expect("json");
    assert_eq!(got["answer"]["has_succeeded"], true, "{got}");
    assert_eq!(got["answer"]["amount"], 12.5, "{got}");
    assert_eq!(sim.terminal.records().len(), 1);

    // Byte for byte, both ways (give the last bytes a moment to land).
    let deadline = Instant::now() + Duration::from_secs(5);
    while (get(&ecr_sent) != get(&to_terminal) || get(&from_terminal) != get(&ecr_got))
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(get(&ecr_sent).len() > 30);
    assert_eq!(hex::encode(get(&ecr_sent)), hex::encode(get(&to_terminal)));
    assert!(get(&from_terminal).len() > 30);
    assert_eq!(hex::encode(get(&from_terminal)), hex::encode(get(&ecr_got)));

    // The tap decoded the request and the terminal's answer, its result with it.
    let deadline = Instant::now() + Duration::from_secs(5);
    let summaries = loop {
        let s: Vec<String> = lines
            .lock()
            .expect("lines")
            .iter()
            .filter(|v| v["type"] == "frame")
            .filter_map(|v| v["frame"]["summary"].as_str().map(str::to_owned))
            .collect();
        if s.iter().any(|l| l.contains("Concert answer")) || Instant::now() > deadline {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("Concert request") && s.contains("12.50 EUR")),
        "{summaries:#?}"
    );
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("Concert answer: result 0 (approved")),
        "{summaries:#?}"
    );
    // The payment on the tap's Transactions, with its verdict and the card masked, read by
    // the Concert driver from the same frames.
    let txns = crate::zvt_peer::transactions(&lines, 1);
    let paid = txns
        .iter()
        .find(|t| t["kind"] == "payment")
        .unwrap_or_else(|| panic!("no payment in {txns:#?}"));
    assert_eq!(paid["verdict"], "APPROVED", "{paid:#?}");
    assert_eq!(paid["amount"], "12.50 EUR", "{paid:#?}");
    let _ = tap.kill();
    let _ = tap.wait();
}
