//! The terminal checks against the simulated terminal, over a pty (serial framing, the real
//! serial code path) and over TCP: all pass without faults, and each fault fails the check of
//! its area naming the fault's cause id.

use posdiag::checks::{Area, CheckResult, CheckStatus};
use posdiag::profile::{load_profile, SimulatedLink};
use posdiag::session::{EventBus, SessionConfig};
use posdiag::sim::Fault;

use crate::support::by_id;

async fn run(link: SimulatedLink, faults: &[&str]) -> Vec<CheckResult> {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    profile.simulator.as_mut().expect("simulator").terminal_link = link;
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
    let session = posdiag::session::open(config, EventBus::new())
        .await
        .expect("session");
    // The terminal's own areas (the demo's host channel has its own tests in host_checks.rs).
    session.run_checks(&TERMINAL_AREAS, None).await.0
}

/// The areas a payment terminal's own checks cover (printer and host have their own tests).
pub const TERMINAL_AREAS: [Area; 6] = [
    Area::Link,
    Area::Power,
    Area::Reader,
    Area::Terminal,
    Area::Clock,
    Area::Keys,
];

fn assert_all_pass(results: &[CheckResult]) {
    for r in results {
        assert_eq!(r.status, CheckStatus::Pass, "{} did not pass: {r:#?}", r.id);
        assert!(r.causes.is_empty(), "{} names causes: {:?}", r.id, r.causes);
    }
    // The 8 checks of the terminal's own areas (printer and host have their own tests).
    assert_eq!(results.len(), 8);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_checks_pass_over_pty() {
    let results = run(SimulatedLink::Pty, &[]).await;
    assert_all_pass(&results);
    // The evidence carries the frames behind the verdict: a Status-Enquiry and its completion.
    let link = by_id(&results, "link.terminal");
    assert!(
        link.frames.iter().any(|f| f.summary.contains("05 01")),
        "{:#?}",
        link.frames
    );
    assert!(
        link.frames.iter().any(|f| f.raw.starts_with(&[0x10, 0x02])),
        "serial framing expected"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_checks_pass_over_tcp() {
    let results = run(SimulatedLink::Tcp, &[]).await;
    assert_all_pass(&results);
    let link = by_id(&results, "link.terminal");
    assert!(
        link.frames
            .iter()
            .all(|f| !f.raw.starts_with(&[0x10, 0x02])),
        "TCP carries bare APDUs"
    );
}

/// (fault, the check that must fail, its area)
const FAULTS: &[(&str, &str, Area)] = &[
    ("reader.not_answering", "reader.status", Area::Reader),
    ("reader.card_inserted", "reader.status", Area::Reader),
    ("reader.unreadable", "reader.card_read", Area::Reader),
    ("power.low_voltage", "power.supply", Area::Power),
    ("power.low_battery", "power.battery", Area::Power),
    ("terminal.needs_init", "terminal.status", Area::Terminal),
    (
        "terminal.diagnosis_required",
        "terminal.status",
        Area::Terminal,
    ),
    ("terminal.eod_required", "terminal.status", Area::Terminal),
    ("keys.missing", "keys.state", Area::Keys),
    ("clock.wrong=3h", "clock.drift", Area::Clock),
    ("link.silent", "link.terminal", Area::Link),
    ("link.garbled", "link.terminal", Area::Link),
];

async fn fault_fails_its_check(link: SimulatedLink) {
    use futures::StreamExt as _;
    // Each fault is its own session and simulator: a few at a time (they mostly wait on the
    // simulated terminal), results in the table's order.
    let runs: Vec<Vec<CheckResult>> = futures::stream::iter(FAULTS)
        .map(|(fault, _, _)| run(link, std::slice::from_ref(fault)))
        .buffered(4)
        .collect()
        .await;
    for ((fault, check, area), results) in FAULTS.iter().zip(runs) {
        let r = by_id(&results, check);
        let cause = fault.split('=').next().unwrap_or(fault);
        assert_eq!(r.area, *area);
        assert_eq!(r.status, CheckStatus::Fail, "{fault}: {r:#?}");
        assert!(
            r.causes.iter().any(|c| c == cause),
            "{fault}: causes {:?}",
            r.causes
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_fails_its_check_over_tcp() {
    fault_fails_its_check(SimulatedLink::Tcp).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_fails_its_check_over_pty() {
    fault_fails_its_check(SimulatedLink::Pty).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbled_serial_line_names_the_setting_that_answers() {
    let results = run(SimulatedLink::Pty, &["link.garbled"]).await;
    let link = by_id(&results, "link.terminal");
    assert!(link.summary.en.contains("answers at 19200"), "{:#?}", link);
    let scan = link
        .evidence
        .iter()
        .find(|e| e.label.en == "serial settings scan")
        .expect("scan table");
    assert!(scan.value.contains("19200"), "{}", scan.value);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_read_keeps_only_the_masked_pan() {
    let results = run(SimulatedLink::Tcp, &[]).await;
    let read = by_id(&results, "reader.card_read");
    let shown = format!("{read:?}");
    assert!(shown.contains("620000******0005"), "{shown}");
    assert!(
        !shown.contains(posdiag::sim::TEST_CARD_PAN),
        "full PAN leaked: {shown}"
    );
    for f in &read.frames {
        let hex = hex::encode(&f.raw);
        assert!(
            !hex.contains(posdiag::sim::TEST_CARD_PAN),
            "BCD PAN in a frame: {hex}"
        );
    }
}
