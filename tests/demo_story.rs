//! The demo's stories end in a fix, on the Guide tab (issue 12): a live demo session with a
//! fault, its events folded into the TUI's state as the running UI does, the symptom chosen,
//! `r` (simulate the repair), `f` (Fixed?) re-running the proving checks in the session. The
//! screen at the end is a snapshot, in Chinese and in English.

use crossterm::event::{KeyCode, KeyEvent};
use posdiag::event::Event;
use posdiag::guide;
use posdiag::i18n::{Lang, Text};
use posdiag::profile::{load_profile, SimulatedLink};
use posdiag::session::{EventBus, SessionConfig};
use posdiag::sim::Fault;
use posdiag::tui::{handle_key, AppState, CheckDescriptor, Tab, UiConfig, UiMode, UiRequest};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tokio::sync::mpsc::UnboundedReceiver;

/// Folds what the session said into the state; link events are left out (their addresses
/// change from run to run).
fn fold(state: &mut AppState, events: &mut UnboundedReceiver<Event>) {
    while let Ok(e) = events.try_recv() {
        if !matches!(e, Event::Link { .. }) {
            state.apply(&e);
        }
    }
}

fn key(state: &mut AppState, c: char) -> Option<UiRequest> {
    handle_key(state, KeyEvent::from(KeyCode::Char(c)))
}

fn screen(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    terminal
        .draw(|f| posdiag::tui::render(f, state))
        .expect("draw");
    // The backend's own text: one quoted line per row, wide characters once (without its note
    // on the cells they cover).
    terminal
        .backend()
        .to_string()
        .lines()
        .map(|l| l.split(" Hidden by multi-width").next().unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the story of `fault` reported as `symptom`; returns the screen at the end.
async fn story(fault: &str, symptom: &str, lang: Lang) -> String {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    profile.simulator.as_mut().expect("simulator").terminal_link = SimulatedLink::Tcp;
    let bus = EventBus::new();
    let mut events = bus.subscribe();
    let config = SessionConfig {
        profile,
        faults: vec![Fault::parse(fault).expect("fault")],
        serial: None,
        tcp: None,
    };
    let session = posdiag::session::open(config, bus.clone())
        .await
        .expect("session");
    let checks = session
        .specs(&[])
        .into_iter()
        .map(|s| CheckDescriptor {
            id: s.id.to_owned(),
            area: s.area,
            title: s.title,
        })
        .collect();
    let mut state = AppState::new(
        UiConfig::new(lang, UiMode::Demo, Text::same("demo")),
        Vec::new(),
        checks,
    );
    state.set_viewport(ratatui::layout::Rect::new(0, 0, 100, 30));
    session.run_checks(&[], None).await;
    fold(&mut state, &mut events);

    // The symptom, from the picker.
    state.set_tab(Tab::Guide);
    let kb = guide::builtin().expect("kb");
    let index = kb
        .symptoms
        .iter()
        .position(|s| s.id == symptom)
        .expect("symptom");
    for _ in 0..index {
        key(&mut state, 'j');
    }
    handle_key(&mut state, KeyEvent::from(KeyCode::Enter));

    // r: the repair, done by the session as the running UI does.
    let Some(UiRequest::SimulateRepair(cause)) = key(&mut state, 'r') else {
        panic!("{fault}: no repair offered:\n{}", screen(&state));
    };
    assert_eq!(cause, fault);
    bus.emit(Event::Notice(session.simulate_repair(&cause)));
    fold(&mut state, &mut events);

    // f: the proving checks run in the session; their results come back as events.
    key(&mut state, 'f');
    for request in state.take_requests() {
        if let UiRequest::RunCheck(id) = request {
            session.run_checks(&[], Some(&id)).await;
        }
    }
    fold(&mut state, &mut events);
    for request in state.take_requests() {
        if let UiRequest::RecordNotice(text) = request {
            bus.emit(Event::Notice(text));
        }
    }
    fold(&mut state, &mut events);
    screen(&state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paper_out_story_ends_fixed() {
    for (lang, word) in [(Lang::Zh, "已修复"), (Lang::En, "FIXED")] {
        let text = story("printer.paper_out", "cannot_print", lang).await;
        assert!(text.contains(word), "{text}");
        insta::assert_snapshot!(format!("paper_out_{}", lang.code()), text);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn needs_init_story_ends_fixed() {
    for (lang, word) in [(Lang::Zh, "已修复"), (Lang::En, "FIXED")] {
        let text = story("terminal.needs_init", "payment_failed", lang).await;
        assert!(text.contains(word), "{text}");
        insta::assert_snapshot!(format!("needs_init_{}", lang.code()), text);
    }
}
