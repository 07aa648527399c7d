//! The Transactions tab on nexo and Concert terminals: scripted payments (the frames each
//! driver records: nexo's decrypted, masked JSON; Concert's request and answer with the card
//! field masked) read by the same view as ZVT's, and a payment run on the simulated nexo
//! terminal appearing in the tab from the session's own events.

use super::app::{AppState, Tab};
use super::fixtures::{at, state};
use super::snapshot_tests::snap;
use crate::drivers::terminal::protocol::TerminalProtocol;
use crate::drivers::terminal::script::{self, ScriptResult, ScriptStep};
use crate::event::{Event, FrameRecord};
use crate::i18n::Lang;

fn payment(
    protocol: TerminalProtocol,
    start: u64,
    trace: &str,
    result: ScriptResult,
) -> Vec<FrameRecord> {
    let steps = [
        (0, ScriptStep::Pay { amount_minor: 1234 }),
        (
            4_800,
            ScriptStep::Report {
                result,
                trace: trace.to_owned(),
                receipt: None,
            },
        ),
    ];
    let mut ms = start;
    let mut out = Vec::new();
    for (after, step) in steps {
        ms += after;
        for f in script::frames(protocol, &step) {
            out.push(FrameRecord {
                time: at(ms),
                channel: f.channel,
                direction: f.direction,
                raw: f.raw,
                summary: f.summary,
                summary_zh: None,
                error: false,
            });
        }
    }
    out
}

fn with(protocol: TerminalProtocol, lang: Lang, payments: &[(&str, ScriptResult)]) -> AppState {
    let mut s = state(lang);
    s.set_terminal_protocol(protocol);
    s.set_tab(Tab::Transactions);
    for (i, (trace, result)) in payments.iter().enumerate() {
        let start = u64::try_from(i).unwrap_or(0) * 60_000;
        for frame in payment(protocol, start, trace, *result) {
            s.apply(&Event::Frame(frame));
        }
    }
    s
}

#[test]
fn nexo_approved_and_declined() {
    let nexo = TerminalProtocol::Nexo;
    snap(
        "txn_nexo_approved_en",
        with(nexo, Lang::En, &[("SIM000001", ScriptResult::Approved)]),
    );
    snap(
        "txn_nexo_declined_51_zh",
        with(
            nexo,
            Lang::Zh,
            &[("SIM000002", ScriptResult::HostDeclined(51))],
        ),
    );
}

/// Concert: a debit approved (result `0`), and one rejected (`7`, which the knowledge base
/// reads as the host's or terminal's refusal).
#[test]
fn concert_approved_and_rejected() {
    let concert = TerminalProtocol::Concert;
    snap(
        "txn_concert_approved_en",
        with(concert, Lang::En, &[("", ScriptResult::Approved)]),
    );
    snap(
        "txn_concert_rejected_zh",
        with(concert, Lang::Zh, &[("", ScriptResult::HostDeclined(51))]),
    );
}

/// A payment on the simulated nexo terminal: the session's events, read by the tab set to
/// nexo as the TUI sets it, show the approved payment with its masked card.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_on_the_nexo_demo_appears_in_the_tab() {
    use crate::profile::load_profile;
    use crate::session::{EventBus, SessionConfig, TxnRequest};
    use crate::tui::fixtures::screen;

    let (profile, _) = load_profile("demo-nexo").expect("demo-nexo");
    let bus = EventBus::new();
    let mut events = bus.subscribe();
    let config = SessionConfig {
        profile,
        faults: Vec::new(),
        serial: None,
        tcp: None,
    };
    let session = crate::session::open(config, bus.clone())
        .await
        .expect("session");
    let mut s = state(Lang::En);
    s.set_terminal_protocol(session.terminal_protocol());
    s.set_tab(Tab::Transactions);
    let outcome = session
        .run_transaction(TxnRequest::Pay { amount_minor: 1234 }, None)
        .await
        .expect("payment runs");
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    drop(session);
    bus.close();
    while let Some(e) = events.recv().await {
        s.apply(&e);
    }
    let t = s.transactions().selected().expect("the nexo payment");
    assert_eq!(t.amount_minor, Some(1234));
    let terminal = super::snapshot_tests::draw(&mut s, 120, 40);
    let shown = screen(terminal.backend().buffer());
    assert!(shown.contains("APPROVED"), "{shown}");
    assert!(shown.contains("620000******0005"), "{shown}");
}
