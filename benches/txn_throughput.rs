//! Transactions per second through the demo's tap, and the peak memory of the run: the
//! simulated terminal pays for real (ZVT over TCP, its ISO 8583 through the in-process tap to
//! the simulated acquirer), the session reads every payment back, and a bounded tracker folds
//! every frame, as the TUI does.
//!
//! Run with `cargo bench --bench txn_throughput` (plain std timing, no harness);
//! `POSDIAG_BENCH_PAYMENTS=200` runs fewer payments. Peak memory is VmHWM from
//! /proc/self/status (Linux; "n/a" elsewhere).

use std::time::Instant;

use posdiag::event::Event;
use posdiag::profile::{load_profile, SimulatedLink};
use posdiag::proto::iso8583::Dialect;
use posdiag::session::{EventBus, SessionConfig, TxnRequest};
use posdiag::txn::{TrackerConfig, TxnTracker};

/// A line of /proc/self/status, e.g. "VmHWM:    23456 kB".
fn proc_status(key: &str) -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(key))
        .map(|l| l.trim_start_matches(key).trim().to_owned())
}

async fn run(payments: u64) {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    if let Some(sim) = profile.simulator.as_mut() {
        sim.terminal_link = SimulatedLink::Tcp;
    }
    let bus = EventBus::new();
    let mut events = bus.subscribe();
    let config = SessionConfig {
        profile,
        faults: Vec::new(),
        serial: None,
        tcp: None,
    };
    let session = posdiag::session::open(config, bus.clone())
        .await
        .expect("session");
    let feeder = tokio::spawn(async move {
        let mut tracker = TxnTracker::with_config(Dialect::cup(), TrackerConfig::default());
        let mut frames = 0u64;
        while let Some(e) = events.recv().await {
            if let Event::Frame(f) = e {
                frames += 1;
                tracker.feed(&f);
            }
        }
        (tracker, frames)
    });
    let before = proc_status("VmRSS:");
    let started = Instant::now();
    let mut approved = 0u64;
    for i in 0..payments {
        let outcome = session
            .run_transaction(
                TxnRequest::Pay {
                    amount_minor: 100 + i,
                },
                None,
            )
            .await
            .expect("payment runs");
        let verdict = outcome.record.and_then(|r| r.verdict);
        approved += u64::from(verdict.as_deref() == Some("APPROVED"));
    }
    let elapsed = started.elapsed();
    drop(session);
    bus.close();
    let (tracker, frames) = feeder.await.expect("feeder");
    let per_second = payments as f64 / elapsed.as_secs_f64().max(f64::EPSILON);
    println!("txn_throughput: {payments} payments, {approved} approved, {frames} frames");
    println!("  {per_second:.0} transactions/s through the tap ({elapsed:.2?})");
    println!(
        "  tracker keeps {} of them ({} dropped as older)",
        tracker.len(),
        tracker.evicted()
    );
    println!(
        "  memory: VmRSS before {}, peak VmHWM {}",
        before.unwrap_or_else(|| "n/a".into()),
        proc_status("VmHWM:").unwrap_or_else(|| "n/a".into())
    );
}

fn main() {
    let payments = std::env::var("POSDIAG_BENCH_PAYMENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(payments));
}
