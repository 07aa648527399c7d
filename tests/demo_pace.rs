//! `--pace`: the simulated terminal takes a real terminal's time for the card, the PIN and the
//! host (seconds at pace 1), so a payment's steps are seen arriving; at pace 0 (checks, txn,
//! tests) it answers at once.

use std::time::Duration;

use posdiag::profile::{load_profile, SimulatedLink};
use posdiag::session::{EventBus, SessionConfig, TxnRequest};

async fn pay_at(pace: f64) -> (Duration, u64) {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    let sim = profile.simulator.as_mut().expect("simulator");
    sim.terminal_link = SimulatedLink::Tcp;
    sim.pace = pace;
    let config = SessionConfig {
        profile,
        faults: Vec::new(),
        serial: None,
        tcp: None,
    };
    let session = posdiag::session::open(config, EventBus::new())
        .await
        .expect("session");
    let outcome = session
        .run_transaction(TxnRequest::Pay { amount_minor: 100 }, None)
        .await
        .expect("payment");
    let record = outcome.record.expect("a transaction was seen");
    assert_eq!(record.verdict.as_deref(), Some("APPROVED"));
    let last = record.timeline.last().map_or(0, |e| e.after_ms);
    (outcome.duration, last)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pace_spreads_a_payment_over_time_and_zero_is_instant() {
    // 0.25 of a real terminal's 4.7 s: about 1.2 s.
    let (slow, slow_span) = pay_at(0.25).await;
    assert!(slow >= Duration::from_millis(1000), "{slow:?}");
    assert!(slow_span >= 1000, "the timeline spans {slow_span} ms");
    let (fast, fast_span) = pay_at(0.0).await;
    assert!(fast < Duration::from_millis(900), "{fast:?}");
    assert!(fast_span < 900, "{fast_span} ms");
}
