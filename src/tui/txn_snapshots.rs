//! Transactions tab snapshots at 80x24 and 120x40: approved, declined 51, timeout then
//! reversal, approved then reversed — each from the frames the drivers would record (real
//! codecs, real summaries, redacted as on the wire), plus the list and the payment popups.

use crossterm::event::KeyCode;

use super::app::{AppState, Tab};
use super::fixtures::{at, ch, press, state};
use super::input::handle_key;
use super::snapshot_tests::snap;
use crate::drivers::terminal::protocol::TerminalProtocol;
use crate::drivers::terminal::script::{self, ScriptResult, ScriptStep, Shows};
use crate::event::{Channel, Direction, Event, FrameRecord};
use crate::i18n::Lang;
use crate::proto::iso8583::{
    decode, redact_message, summary_line, Dialect, FieldValue, Message, Mti,
};

/// Builds one transaction's frames with times from `start` (ms after the fixture clock).
struct Frames {
    ms: u64,
    out: Vec<FrameRecord>,
}

impl Frames {
    fn new(start: u64) -> Self {
        Frames {
            ms: start,
            out: Vec::new(),
        }
    }

    fn push(
        &mut self,
        after: u64,
        channel: Channel,
        direction: Direction,
        raw: Vec<u8>,
        summary: String,
    ) {
        self.ms += after;
        self.out.push(FrameRecord {
            time: at(self.ms),
            channel,
            direction,
            raw,
            summary,
            error: false,
            summary_zh: None,
        });
    }

    /// A step of the terminal (a ZVT terminal, as the driver records it).
    fn terminal(&mut self, after: u64, step: ScriptStep) {
        for (i, f) in script::frames(TerminalProtocol::Zvt, &step)
            .into_iter()
            .enumerate()
        {
            let wait = if i == 0 { after } else { f.after_ms };
            self.push(wait, f.channel, f.direction, f.raw, f.summary);
        }
    }

    fn host(&mut self, after: u64, direction: Direction, m: Message) {
        let d = Dialect::cup();
        let raw = redact_message(&d, &m.encode(&d).expect("encode"));
        let summary = summary_line(&decode(&d, &raw).expect("decode"));
        self.push(after, Channel::Host, direction, raw, summary);
    }
}

fn iso(mti: &str, stan: &str) -> Message {
    Message::new(Mti::new(mti).expect("mti"))
        .with(2, FieldValue::digits("6200000000000005"))
        .with(3, FieldValue::digits("000000"))
        .with(4, FieldValue::digits("000000001234"))
        .with(11, FieldValue::digits(stan))
        .with(41, FieldValue::text("29001006"))
        .with(60, FieldValue::digits("22000001"))
}

fn answer(stan: &str, code: &str) -> Message {
    let m = iso("0210", stan)
        .with(13, FieldValue::digits("0517"))
        .with(37, FieldValue::text(format!("517010{stan:0>6}")))
        .with(39, FieldValue::text(code));
    if code == "00" {
        m.with(38, FieldValue::text("A1B2C3"))
    } else {
        m
    }
}

fn status(result: ScriptResult, stan: &str, receipt: Option<&str>) -> ScriptStep {
    ScriptStep::Report {
        result,
        trace: stan.into(),
        receipt: receipt.map(str::to_owned),
    }
}

/// Which outcome a scripted payment has.
#[derive(Clone, Copy)]
enum Outcome {
    Approved,
    Declined51,
    TimeoutReversal,
    PrinterFailed,
}

fn payment(start: u64, stan: &str, outcome: Outcome) -> Vec<FrameRecord> {
    let mut f = Frames::new(start);
    f.terminal(0, ScriptStep::Pay { amount_minor: 1234 });
    f.terminal(15, ScriptStep::Accepted);
    for (after, shows) in [
        (40, Shows::InsertCard),
        (2_100, Shows::Pin),
        (3_200, Shows::Online),
    ] {
        f.terminal(after, ScriptStep::Shows(shows));
    }
    f.host(30, Direction::Tx, iso("0200", stan));
    match outcome {
        Outcome::Approved => {
            f.host(410, Direction::Rx, answer(stan, "00"));
            f.terminal(900, status(ScriptResult::Approved, stan, Some("0001")));
            f.terminal(
                20,
                ScriptStep::PrintLine {
                    text: "POSDIAG SIMULATED SHOP".into(),
                    last: false,
                },
            );
            f.terminal(
                20,
                ScriptStep::PrintLine {
                    text: "APPROVED - CARDHOLDER COPY".into(),
                    last: true,
                },
            );
            f.terminal(30, ScriptStep::Completed);
        }
        Outcome::Declined51 => {
            f.host(380, Direction::Rx, answer(stan, "51"));
            f.terminal(60, status(ScriptResult::HostDeclined(51), stan, None));
            f.terminal(40, ScriptStep::Aborted(ScriptResult::HostDeclined(51)));
        }
        Outcome::TimeoutReversal => {
            f.terminal(3_000, ScriptStep::Shows(Shows::Reversing));
            f.host(
                10,
                Direction::Tx,
                iso("0400", stan).with(39, FieldValue::text("98")),
            );
            f.host(
                350,
                Direction::Rx,
                iso("0410", stan).with(39, FieldValue::text("00")),
            );
            f.terminal(40, status(ScriptResult::NoHostAnswer, stan, None));
            f.terminal(30, ScriptStep::Aborted(ScriptResult::NoHostAnswer));
        }
        Outcome::PrinterFailed => {
            f.host(420, Direction::Rx, answer(stan, "00"));
            f.terminal(1_800, ScriptStep::Shows(Shows::Reversing));
            f.host(
                10,
                Direction::Tx,
                iso("0400", stan).with(39, FieldValue::text("96")),
            );
            f.host(
                330,
                Direction::Rx,
                iso("0410", stan).with(39, FieldValue::text("00")),
            );
            f.terminal(40, status(ScriptResult::PrinterFault, stan, Some("0001")));
            f.terminal(30, ScriptStep::Aborted(ScriptResult::PrinterFault));
        }
    }
    f.out
}

fn with(lang: Lang, payments: &[(&str, Outcome)]) -> AppState {
    let mut s = state(lang);
    s.set_tab(Tab::Transactions);
    for (i, (stan, outcome)) in payments.iter().enumerate() {
        let start = u64::try_from(i).unwrap_or(0) * 60_000;
        for frame in payment(start, stan, *outcome) {
            s.apply(&Event::Frame(frame));
        }
    }
    s
}

#[test]
fn approved() {
    snap(
        "txn_approved_en",
        with(Lang::En, &[("000001", Outcome::Approved)]),
    );
}

#[test]
fn declined_51() {
    snap(
        "txn_declined_51_en",
        with(Lang::En, &[("000002", Outcome::Declined51)]),
    );
    snap(
        "txn_declined_51_zh",
        with(Lang::Zh, &[("000002", Outcome::Declined51)]),
    );
}

#[test]
fn timeout_reversal() {
    snap(
        "txn_timeout_reversal_en",
        with(Lang::En, &[("000003", Outcome::TimeoutReversal)]),
    );
}

#[test]
fn approved_then_reversed() {
    snap(
        "txn_approved_then_reversed_en",
        with(Lang::En, &[("000004", Outcome::PrinterFailed)]),
    );
    snap(
        "txn_approved_then_reversed_zh",
        with(Lang::Zh, &[("000004", Outcome::PrinterFailed)]),
    );
}

#[test]
fn the_list_with_a_selected_decline() {
    let mut s = with(
        Lang::En,
        &[
            ("000001", Outcome::Approved),
            ("000002", Outcome::Declined51),
            ("000003", Outcome::TimeoutReversal),
            ("000004", Outcome::PrinterFailed),
        ],
    );
    for _ in 0..2 {
        handle_key(&mut s, ch('k'));
    }
    snap("txn_list_en", s);
}

#[test]
fn payment_amount_and_confirmation() {
    let mut s = with(Lang::En, &[("000001", Outcome::Approved)]);
    handle_key(&mut s, ch('p'));
    for c in ['1', '2', '.', '3', '4'] {
        handle_key(&mut s, ch(c));
    }
    snap("txn_amount_entry_en", s.clone());
    handle_key(&mut s, press(KeyCode::Enter));
    snap("txn_confirm_payment_en", s.clone());
    let mut zh = with(Lang::Zh, &[]);
    handle_key(&mut zh, ch('c'));
    snap("txn_menu_zh", zh);
}

#[test]
fn verdict_words_are_coloured() {
    use ratatui::style::Color;
    let mut s = with(
        Lang::En,
        &[
            ("000001", Outcome::Approved),
            ("000002", Outcome::Declined51),
        ],
    );
    let terminal = super::snapshot_tests::draw(&mut s, 120, 40);
    let buffer = terminal.backend().buffer();
    let colour_of = |word: &str| {
        let width = usize::from(buffer.area.width);
        buffer.content.chunks(width).find_map(|row| {
            let text: String = row.iter().map(|c| c.symbol()).collect();
            text.find(word).map(|x| row[text[..x].chars().count()].fg)
        })
    };
    assert_eq!(colour_of("APPROVED"), Some(Color::Green));
    assert_eq!(colour_of("DECLINED"), Some(Color::Red));
}

/// The whole way in the TUI: keys → confirmation → the demo session pays → the tab shows it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_typed_in_the_tui_runs_on_the_demo() {
    use std::time::Duration;

    use crossterm::event::Event as TermEvent;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    use crate::profile::{load_profile, SimulatedLink};
    use crate::session::{EventBus, SessionConfig};
    use crate::tui::fixtures::screen;
    use crate::tui::model::UiRequest;

    let (mut profile, _) = load_profile("demo").expect("demo");
    if let Some(sim) = profile.simulator.as_mut() {
        sim.terminal_link = SimulatedLink::Tcp;
    }
    let faults = vec![crate::sim::Fault::parse("txn.receipt_print_fail").expect("fault")];
    let bus = EventBus::new();
    let events = bus.subscribe();
    let config = SessionConfig {
        profile,
        faults,
        serial: None,
        tcp: None,
    };
    let session = std::sync::Arc::new(
        crate::session::open(config, bus.clone())
            .await
            .expect("session"),
    );
    let (requests, mut requests_rx) = tokio::sync::mpsc::unbounded_channel();
    let served = {
        let session = session.clone();
        tokio::spawn(async move {
            while let Some(r) = requests_rx.recv().await {
                match r {
                    UiRequest::Transaction(t) => {
                        let _ = session.run_transaction(t, None).await;
                    }
                    UiRequest::Quit => break,
                    _ => {}
                }
            }
        })
    };
    let (keys, input) = futures::channel::mpsc::unbounded::<std::io::Result<TermEvent>>();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("backend");
    let script = async move {
        let key = |c| Ok(TermEvent::Key(ch(c)));
        for c in ['3', 'p', '1', '2', '.', '3', '4'] {
            keys.unbounded_send(key(c)).expect("keys");
        }
        keys.unbounded_send(Ok(TermEvent::Key(press(KeyCode::Enter))))
            .expect("keys");
        keys.unbounded_send(key('y')).expect("keys");
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        keys.unbounded_send(key('q')).expect("keys");
        keys
    };
    let (result, _keys) = tokio::join!(
        super::drive(&mut terminal, input, state(Lang::En), events, requests),
        script
    );
    let state = result.expect("loop ends");
    served.await.expect("served");
    let shown = screen(terminal.backend().buffer());
    assert!(shown.contains("APPR→REVERSED"), "{shown}");
    assert!(shown.contains("printer failed"), "{shown}");
    let t = state.transactions().selected().expect("the payment");
    assert_eq!(
        t.reversal.as_ref().and_then(|r| r.reason.as_deref()),
        Some("96")
    );
}
