//! The demo ends in a fix (issue 12): with a fault injected, the guide ranks its cause first
//! for the symptom, "simulate the repair" clears it in the running simulator, and re-running
//! the cause's proving checks ("Fixed?") judges it fixed. Without the repair it stays broken.

use posdiag::checks::{Area, CheckResult};
use posdiag::guide::{self, FixOutcome, Observations, Step, Walkthrough};
use posdiag::i18n::Lang;
use posdiag::profile::{load_profile, SimulatedLink};
use posdiag::session::{EventBus, Session, SessionConfig};
use posdiag::sim::Fault;

async fn demo(fault: &str) -> Session {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    profile.simulator.as_mut().expect("simulator").terminal_link = SimulatedLink::Tcp;
    let config = SessionConfig {
        profile,
        faults: vec![Fault::parse(fault).expect("fault")],
        serial: None,
        tcp: None,
    };
    posdiag::session::open(config, EventBus::new())
        .await
        .expect("session")
}

async fn proving_checks(session: &Session, cause: &guide::Cause) -> Vec<CheckResult> {
    let mut results = Vec::new();
    for id in &cause.verify {
        results.extend(session.run_checks(&[], Some(id)).await.0);
    }
    results
}

/// The story: fault → the guide's fix for `symptom` → (repair) → "Fixed?".
async fn story(fault: &str, symptom: &str, repair: bool) -> FixOutcome {
    let kb = guide::builtin().expect("kb");
    let session = demo(fault).await;
    let areas: [Area; 0] = [];
    let (results, _) = session.run_checks(&areas, None).await;
    let mut obs = Observations::new();
    for r in &results {
        obs.add_check(r);
    }
    let walk = Walkthrough::new(Some(symptom));
    let Step::Fix { cause } = walk.step(kb, &obs) else {
        panic!(
            "{fault}: the guide offers no fix: {:?}",
            walk.step(kb, &obs)
        );
    };
    assert_eq!(cause.id, fault, "the guide's fix for {symptom}");
    if repair {
        let notice = session.simulate_repair(&cause.id);
        assert!(
            notice.get(Lang::En).contains("simulated the repair"),
            "{notice:?}"
        );
        assert!(notice.get(Lang::Zh).contains("已模拟修复"), "{notice:?}");
    }
    guide::verify(cause, &proving_checks(&session, cause).await).outcome
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paper_out_is_fixed_after_the_simulated_repair() {
    assert_eq!(
        story("printer.paper_out", "cannot_print", true).await,
        FixOutcome::Fixed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_repair_fixed_says_not_fixed() {
    assert_eq!(
        story("printer.paper_out", "cannot_print", false).await,
        FixOutcome::NotFixed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_needing_initialisation_is_fixed_after_the_repair() {
    assert_eq!(
        story("terminal.needs_init", "payment_failed", true).await,
        FixOutcome::Fixed
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repair_outside_the_demo_faults_says_so() {
    let session = demo("printer.paper_out").await;
    let text = session.simulate_repair("host.timeout");
    assert!(text.en.contains("nothing to repair"), "{text:?}");
    let text = demo("network.down").await.simulate_repair("network.down");
    assert!(text.en.contains("restart the demo"), "{text:?}");
}
