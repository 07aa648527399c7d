//! Median round trip of one real-time status read (DLE EOT 1-4, four replies) against the
//! simulated printer over TCP on loopback: `cargo bench --bench printer_status`.
//!
//! Reports two times per read: the wire round trip (requests sent → last reply) and the whole
//! `PrinterChannel::status` call (drain, send, replies, frame records). Iterations:
//! `POSDIAG_BENCH_ITERS` (default 500).

use std::sync::Arc;
use std::time::{Duration, Instant};

use posdiag::drivers::escpos::{ClientTimeouts, PrinterChannel, PrinterEndpoint, PrinterTiming};
use posdiag::sim::SimConfig;

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(i).copied().unwrap_or_default()
    };
    println!(
        "{name:<28} median {:>8.1} µs   p90 {:>8.1} µs   min {:>8.1} µs   max {:>8.1} µs",
        at(0.5).as_secs_f64() * 1e6,
        at(0.9).as_secs_f64() * 1e6,
        at(0.0).as_secs_f64() * 1e6,
        at(1.0).as_secs_f64() * 1e6,
    );
}

fn main() {
    let iterations: usize = std::env::var("POSDIAG_BENCH_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let sim = posdiag::sim::start(SimConfig {
            printer_tcp: Some("127.0.0.1:0".to_owned()),
            ..Default::default()
        })
        .await
        .expect("simulated printer");
        let addr = sim.printer_tcp.expect("printer endpoint").to_string();
        let channel = PrinterChannel::new(
            PrinterEndpoint::Tcp(addr.clone()),
            PrinterTiming {
                client: ClientTimeouts {
                    status: Duration::from_secs(1),
                    id: Duration::from_millis(500),
                    drain_quiet: Duration::from_millis(50),
                },
                connect: Duration::from_secs(2),
            },
            Arc::new(|_| {}),
            Arc::new(|_| {}),
        );
        channel.connect().await.expect("connect");
        for _ in 0..20 {
            let _ = channel.status().await;
        }
        let mut wire = Vec::with_capacity(iterations);
        let mut call = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let started = Instant::now();
            let record = channel.status().await.expect("status read");
            call.push(started.elapsed());
            assert!(record.read.complete(), "incomplete read: {:?}", record.read);
            wire.push(record.read.round_trip);
        }
        println!("printer status round trip, simulated printer at tcp {addr}, {iterations} reads");
        summary("wire (send → last reply)", wire);
        summary("PrinterChannel::status", call);
    });
}
