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

use cup_messages::{sale, sale_response};
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

/// pyiso8583's decode rate for each frame, or why there is none.
fn pyiso8583_rates(frames: &[Vec<u8>], ms: u64) -> Result<Vec<f64>, String> {
    let python = std::env::var("POSDIAG_PYTHON").map_err(|_| {
        "POSDIAG_PYTHON not set (export POSDIAG_PYTHON=\"$(bash scripts/setup_python.sh | tail -1)\"): pyiso8583 skipped".to_owned()
    })?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join("frames.hex");
    let lines: Vec<String> = frames.iter().map(hex::encode).collect();
    std::fs::write(&file, lines.join("\n")).map_err(|e| e.to_string())?;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pyiso8583_bench.py");
    let out = std::process::Command::new(&python)
        .arg(script)
        .arg(&file)
        .arg(ms.to_string())
        .output()
        .map_err(|e| format!("cannot run {python}: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            l.trim()
                .parse()
                .map_err(|_| format!("pyiso8583 bench said '{l}'"))
        })
        .collect()
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
    // The machine's speed drifts (two shared cores): posdiag and pyiso8583 are measured in
    // turns, three rounds each, and the medians compared.
    let mut ours: Vec<Vec<f64>> = vec![Vec::new(); frames.len()];
    let mut theirs: Vec<Vec<f64>> = vec![Vec::new(); frames.len()];
    for _ in 0..3 {
        for (i, frame) in frames.iter().enumerate() {
            let r = rate(budget, || {
                black_box(decode(&d, black_box(frame)).ok());
            });
            if let Some(v) = ours.get_mut(i) {
                v.push(r);
            }
        }
        match pyiso8583_rates(&frames, ms) {
            Ok(rates) => {
                for (v, r) in theirs.iter_mut().zip(rates) {
                    v.push(r);
                }
            }
            Err(why) => {
                println!("{why}");
                return;
            }
        }
    }
    println!("decode, same bytes, median of 3 rounds in turns: posdiag vs pyiso8583 (CUP spec)");
    for (((name, _, _), ours), theirs) in decoded.iter().zip(ours).zip(theirs) {
        let (ours, theirs) = (median(ours), median(theirs));
        println!(
            "{name:<20} posdiag {ours:>10.0}/s   pyiso8583 {theirs:>9.0}/s   ratio {:>6.1}x",
            ours / theirs
        );
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}
