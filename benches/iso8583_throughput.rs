//! Throughput of the ISO 8583 CUP codec: decode and encode of a realistic 0200 (IC sale with
//! track 2, PIN block, field 55 and MAC) and its 0210, in messages per second.
//!
//! With `POSDIAG_PYTHON` set to the project's venv (`bash scripts/setup_python.sh | tail -1`),
//! pyiso8583 decodes the same bytes in the same run (scripts/pyiso8583_bench.py, the CUP spec
//! of the oracle) and the ratio posdiag / pyiso8583 is printed.
//!
//! Run with `cargo bench --bench iso8583_throughput` (plain std timing, no harness);
//! `POSDIAG_BENCH_MS=50` shortens each measurement.

use std::hint::black_box;
use std::time::{Duration, Instant};

#[path = "support/cup_messages.rs"]
mod cup_messages;
#[path = "support/median.rs"]
mod median;

use cup_messages::{sale, sale_response};
use median::median;
use posdiag::proto::iso8583::{decode, Dialect};

/// Runs `f` repeatedly for about `budget` and returns calls per second.
fn rate(budget: Duration, mut f: impl FnMut()) -> f64 {
    for _ in 0..1_000 {
        f();
    }
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < budget {
        for _ in 0..1_000 {
            f();
        }
        n += 1_000;
    }
    n as f64 / started.elapsed().as_secs_f64()
}

/// pyiso8583 kept running (`--serve`), so posdiag and it can be measured in short turns.
struct Peer {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
    _dir: tempfile::TempDir,
}

impl Peer {
    /// Starts the peer on `frames`, or says why there is none.
    fn start(frames: &[Vec<u8>]) -> Result<Peer, String> {
        use std::io::BufRead as _;
        let python = std::env::var("POSDIAG_PYTHON").map_err(|_| {
            "POSDIAG_PYTHON not set (export POSDIAG_PYTHON=\"$(bash scripts/setup_python.sh | tail -1)\"): pyiso8583 skipped".to_owned()
        })?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let file = dir.path().join("frames.hex");
        let lines: Vec<String> = frames.iter().map(hex::encode).collect();
        std::fs::write(&file, lines.join("\n")).map_err(|e| e.to_string())?;
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pyiso8583_bench.py");
        let mut child = std::process::Command::new(&python)
            .arg(script)
            .arg(&file)
            .arg("--serve")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {python}: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let mut stdout = std::io::BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut ready = String::new();
        stdout.read_line(&mut ready).map_err(|e| e.to_string())?;
        if ready.trim() != "ready" {
            let _ = child.wait();
            return Err("pyiso8583 could not decode the frames (see above)".to_owned());
        }
        Ok(Peer {
            child,
            stdin,
            stdout,
            _dir: dir,
        })
    }

    /// pyiso8583's decode rate of frame `index` over about `ms`.
    fn rate(&mut self, index: usize, ms: u64) -> f64 {
        use std::io::{BufRead as _, Write as _};
        writeln!(self.stdin, "{index} {ms}").expect("ask pyiso8583");
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("pyiso8583 answers");
        line.trim()
            .parse()
            .unwrap_or_else(|_| panic!("pyiso8583 bench said '{line}'"))
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn main() {
    let d = Dialect::cup();
    // POSDIAG_BENCH_MS shortens the run (e.g. a smoke run); 1 s per measurement by default.
    let ms = std::env::var("POSDIAG_BENCH_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let budget = Duration::from_millis(ms);
    println!("iso8583 CUP codec throughput (messages/s)");
    let mut decoded = Vec::new();
    for (name, message) in [
        ("0200 sale", sale()),
        ("0210 sale response", sale_response()),
    ] {
        let frame = message.encode(&d).expect("encodes");
        let enc = rate(budget, || {
            black_box(black_box(&message).encode(&d).ok());
        });
        let dec = rate(budget, || {
            black_box(decode(&d, black_box(&frame)).ok());
        });
        println!(
            "{name:<20} {:>4} bytes   encode {:>10.0}/s   decode {:>10.0}/s",
            frame.len(),
            enc,
            dec
        );
        decoded.push((name, frame, dec));
    }
    let frames: Vec<Vec<u8>> = decoded.iter().map(|(_, f, _)| f.clone()).collect();
    let mut peer = match Peer::start(&frames) {
        Ok(peer) => peer,
        Err(why) => {
            println!("{why}");
            return;
        }
    };
    // The machine's speed drifts (two shared cores, other guests): posdiag and pyiso8583
    // take turns of a fifth of the budget, nine each per frame, and the ratio of each pair of
    // neighbouring turns is one sample; the median sample is the ratio printed.
    const TURNS: usize = 9;
    let turn_ms = (ms / 5).max(20);
    let turn = Duration::from_millis(turn_ms);
    println!(
        "decode, same bytes, {TURNS} turns of {turn_ms} ms each: posdiag vs pyiso8583 (CUP spec)"
    );
    for (i, (name, frame, _)) in decoded.iter().enumerate() {
        let (mut ours, mut theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..TURNS {
            let a = rate(turn, || {
                black_box(decode(&d, black_box(frame)).ok());
            });
            let b = peer.rate(i, turn_ms);
            ours.push(a);
            theirs.push(b);
            ratios.push(a / b);
        }
        let (lo, hi) = (
            ratios.iter().copied().fold(f64::INFINITY, f64::min),
            ratios.iter().copied().fold(0.0, f64::max),
        );
        println!(
            "{name:<20} posdiag {:>10.0}/s   pyiso8583 {:>9.0}/s   ratio {:>6.1}x (turns {lo:.1}-{hi:.1}x)",
            median(ours),
            median(theirs),
            median(ratios)
        );
    }
}
