//! Transactions end to end: the simulated terminal pays for real against the simulated
//! acquirer (through the demo's host tap), the model reads both sides back, and the headless
//! `posdiag txn` prints and captures it.

use std::time::Duration;

use posdiag::event::{Channel, Event};
use posdiag::profile::{load_profile, SimulatedLink};
use posdiag::session::{EventBus, Session, SessionConfig, TxnRequest};
use posdiag::sim::Fault;
use posdiag::txn::TransactionRecord;

/// The demo with its simulator; `tcp` puts the terminal on TCP instead of the pty.
async fn demo(faults: &[&str], tcp: bool, bus: &EventBus) -> Session {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    if tcp {
        profile.simulator.as_mut().expect("simulator").terminal_link = SimulatedLink::Tcp;
    }
    let faults = faults
        .iter()
        .map(|f| Fault::parse(f).expect("fault"))
        .collect();
    let config = SessionConfig {
        profile,
        faults,
        serial: None,
        tcp: None,
    };
    Session::open(config, bus.clone()).await.expect("session")
}

async fn pay(session: &Session, amount_minor: u64) -> TransactionRecord {
    let outcome = session
        .run_transaction(TxnRequest::Pay { amount_minor }, None)
        .await
        .expect("runs");
    outcome
        .record
        .clone()
        .unwrap_or_else(|| panic!("no transaction: {outcome:#?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_five_outcomes_over_both_channels() {
    let cases: [(&[&str], &str, Option<&str>, Option<&str>); 5] = [
        (&[], "APPROVED", Some("00"), None),
        (&["host.decline=51"], "DECLINED", Some("51"), None),
        (&["host.timeout"], "REVERSED", None, Some("98")),
        (
            &["txn.receipt_print_fail"],
            "APPROVED_THEN_REVERSED",
            Some("00"),
            Some("96"),
        ),
        (
            &["host.mac_error"],
            "APPROVED_THEN_REVERSED",
            Some("00"),
            Some("A0"),
        ),
    ];
    for (faults, verdict, code, reason) in cases {
        let bus = EventBus::new();
        let mut events = bus.subscribe();
        let session = demo(faults, true, &bus).await;
        let r = pay(&session, 1234).await;
        assert_eq!(r.verdict.as_deref(), Some(verdict), "{faults:?}: {r:#?}");
        assert_eq!(r.response_code.as_deref(), code, "{faults:?}");
        assert_eq!(r.reversal_reason.as_deref(), reason, "{faults:?}");
        assert_eq!(r.card.as_deref(), Some("620000******0005"));
        assert!(r.stan.is_some() && r.stan == r.trace, "linked: {r:#?}");
        let mut host_frames = 0;
        while let Ok(e) = events.try_recv() {
            if let Event::Frame(f) = e {
                host_frames += usize::from(f.channel == Channel::Host);
            }
        }
        assert!(host_frames >= 2, "{faults:?}: the host side is on the bus");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn void_repeat_and_end_of_day_on_the_pty_demo() {
    let bus = EventBus::new();
    let session = demo(&[], false, &bus).await;
    let first = pay(&session, 1000).await;
    assert_eq!(first.verdict.as_deref(), Some("APPROVED"), "{first:#?}");
    let second = pay(&session, 2345).await;
    assert_eq!(second.receipt_no.as_deref(), Some("0002"));
    let receipt_no: u16 = first
        .receipt_no
        .as_deref()
        .and_then(|r| r.parse().ok())
        .expect("receipt number");
    let void = session
        .run_transaction(TxnRequest::Reverse { receipt_no }, None)
        .await
        .expect("runs")
        .record
        .expect("void");
    assert_eq!(void.verdict.as_deref(), Some("APPROVED"), "{void:#?}");
    let repeat = session
        .run_transaction(TxnRequest::RepeatReceipt, None)
        .await
        .expect("runs")
        .record
        .expect("repeat");
    assert_eq!(repeat.verdict.as_deref(), Some("APPROVED"), "{repeat:#?}");
    let eod = session
        .run_transaction(TxnRequest::EndOfDay, None)
        .await
        .expect("runs")
        .record
        .expect("eod");
    assert_eq!(eod.verdict.as_deref(), Some("APPROVED"), "{eod:#?}");
    assert_eq!(eod.amount_minor, Some(2345), "the voided payment is out");
    assert!(eod.totals.is_some());
    assert!(
        eod.banner.en.starts_with("end-of-day done"),
        "{}",
        eod.banner.en
    );
    let abort = session
        .run_transaction(TxnRequest::Abort, None)
        .await
        .expect("runs")
        .record
        .expect("abort");
    assert_eq!(abort.verdict.as_deref(), Some("APPROVED"), "{abort:#?}");
    tokio::time::sleep(Duration::from_millis(10)).await;
}
