//! The demo's stories end in a fix, on the Guide tab (issue 12): a live demo session with a
//! fault, its events folded into the TUI's state as the running UI does, the symptom chosen,
//! then the fix — `r` (simulate the repair) for paper out; for a terminal needing
//! initialisation the recommended terminal command, opened with `c`, confirmed, run by the
//! session — and `f` (Fixed?) re-running the proving checks in the session. The screens are
//! snapshots, in Chinese and in English, at 80x24 and 100x30.

use crossterm::event::{KeyCode, KeyEvent};
use posdiag::event::{Event, LinkState};
use posdiag::guide;
use posdiag::i18n::{Lang, Text};
use posdiag::profile::{load_profile, SimulatedLink};
use posdiag::session::EventReceiver;
use posdiag::session::{EventBus, Session, SessionConfig, TerminalCommand};
use posdiag::sim::Fault;
use posdiag::tui::{
    handle_key, AppState, CheckDescriptor, GuidePhase, Popup, Tab, UiConfig, UiMode, UiRequest,
};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

/// Folds what the session said into the state; the links' addresses (their ports change from
/// run to run) are written `127.0.0.1:PORT`.
fn fold(state: &mut AppState, events: &mut EventReceiver) {
    while let Ok(e) = events.try_recv() {
        state.apply(&steady(e));
    }
}

fn steady(event: Event) -> Event {
    let Event::Link { channel, state } = event else {
        return event;
    };
    let port = |target: String| match target.rsplit_once(':') {
        Some((host, _)) => format!("{host}:PORT"),
        None => target,
    };
    let state = match state {
        LinkState::Connecting { target } => LinkState::Connecting {
            target: port(target),
        },
        LinkState::Connected { target } => LinkState::Connected {
            target: port(target),
        },
        LinkState::NoReply { target } => LinkState::NoReply {
            target: port(target),
        },
        LinkState::Lost { target, reason } => LinkState::Lost {
            target: port(target),
            reason,
        },
        LinkState::Failed { target, reason } => LinkState::Failed {
            target: port(target),
            reason,
        },
        LinkState::Disconnected => LinkState::Disconnected,
    };
    Event::Link { channel, state }
}

fn key(state: &mut AppState, c: char) -> Option<UiRequest> {
    handle_key(state, KeyEvent::from(KeyCode::Char(c)))
}

/// The screen at `width`x`height`, as the backend writes it: one quoted line per row, wide
/// characters once (without its note on the cells they cover).
fn screen_at(state: &AppState, width: u16, height: u16) -> String {
    let mut state = state.clone();
    state.set_viewport(ratatui::layout::Rect::new(0, 0, width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| posdiag::tui::render(f, &state))
        .expect("draw");
    terminal
        .backend()
        .to_string()
        .lines()
        .map(|l| l.split(" Hidden by multi-width").next().unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn screen(state: &AppState) -> String {
    screen_at(state, 100, 30)
}

/// A demo session with `fault`, its checks run and folded into a fresh state in `lang`; the
/// Guide tab open on `symptom`'s walkthrough.
async fn opened(
    fault: &str,
    symptom: &str,
    lang: Lang,
) -> (Session, EventBus, EventReceiver, AppState) {
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
    (session, bus, events, state)
}

/// `f` (Fixed?): the proving checks run in the session, their results come back as events,
/// the outcome is recorded as a notice, as the running UI does it.
async fn fixed(
    session: &Session,
    bus: &EventBus,
    events: &mut EventReceiver,
    state: &mut AppState,
) {
    key(state, 'f');
    for request in state.take_requests() {
        if let UiRequest::RunCheck(id) = request {
            session.run_checks(&[], Some(&id)).await;
        }
    }
    fold(state, events);
    for request in state.take_requests() {
        if let UiRequest::RecordNotice(text) = request {
            bus.emit(Event::Notice(text));
        }
    }
    fold(state, events);
}

/// Runs the story of `fault` reported as `symptom`; returns the screen at the end.
async fn story(fault: &str, symptom: &str, lang: Lang) -> AppState {
    let (session, bus, mut events, mut state) = opened(fault, symptom, lang).await;

    // r: the repair, done by the session as the running UI does.
    let Some(UiRequest::SimulateRepair(cause)) = key(&mut state, 'r') else {
        panic!("{fault}: no repair offered:\n{}", screen(&state));
    };
    assert_eq!(cause, fault);
    bus.emit(Event::Notice(session.simulate_repair(&cause)));
    fold(&mut state, &mut events);

    fixed(&session, &bus, &mut events, &mut state).await;
    state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paper_out_story_ends_fixed() {
    for (lang, word) in [(Lang::Zh, "已修复"), (Lang::En, "FIXED")] {
        let state = story("printer.paper_out", "cannot_print", lang).await;
        let text = screen(&state);
        assert!(text.contains(word), "{text}");
        insta::assert_snapshot!(format!("paper_out_{}", lang.code()), text);
        let small = screen_at(&state, 80, 24);
        assert!(small.contains(word), "{small}");
        insta::assert_snapshot!(format!("paper_out_{}_80x24", lang.code()), small);
    }
}

/// The terminal needs initialisation: the Guide recommends the Initialisation and says `c`
/// opens the terminal commands with it selected; the technician confirms it, the simulated
/// terminal initialises, and "Fixed?" re-runs terminal.status, which now passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn needs_init_story_runs_the_initialisation_and_ends_fixed() {
    for (lang, word) in [(Lang::Zh, "已修复"), (Lang::En, "FIXED")] {
        let code = lang.code();
        let (session, bus, mut events, mut state) =
            opened("terminal.needs_init", "payment_failed", lang).await;
        assert_eq!(state.guide_phase(), Some(GuidePhase::Fix));
        let fix = screen_at(&state, 80, 24);
        let hint = match lang {
            Lang::Zh => "按 c 打开终端命令，已选中初始化",
            Lang::En => "Press c: terminal commands, on Initialisation",
        };
        assert!(fix.contains(hint), "the fix step names the command:\n{fix}");
        insta::assert_snapshot!(format!("needs_init_fix_{code}_80x24"), fix);

        // c: the menu, on the Initialisation; Enter: what it does, asked before sending.
        assert_eq!(key(&mut state, 'c'), None);
        assert_eq!(state.popup(), Some(Popup::Commands));
        assert_eq!(
            state.command_menu().selected(),
            TerminalCommand::Initialisation
        );
        assert_eq!(handle_key(&mut state, KeyEvent::from(KeyCode::Enter)), None);
        assert_eq!(
            state.popup(),
            Some(Popup::ConfirmCommand(TerminalCommand::Initialisation)),
            "the Initialisation is confirmed before it is sent"
        );
        insta::assert_snapshot!(
            format!("needs_init_confirm_{code}_80x24"),
            screen_at(&state, 80, 24)
        );

        // y: sent; the session runs it and announces the outcome, as the running UI does.
        let Some(UiRequest::TerminalCommand(command)) = key(&mut state, 'y') else {
            panic!("nothing sent:\n{}", screen(&state));
        };
        assert_eq!(command, TerminalCommand::Initialisation);
        let outcome = session.run_terminal_command(command).await;
        assert!(outcome.succeeded(), "{:?}", outcome.summary());
        fold(&mut state, &mut events);
        assert_eq!(state.command_menu().running(), None, "the command ended");
        assert_eq!(state.guide_phase(), Some(GuidePhase::Fix));

        fixed(&session, &bus, &mut events, &mut state).await;
        let text = screen_at(&state, 80, 24);
        assert!(text.contains(word), "{text}");
        assert!(text.contains("terminal.needs_init"), "{text}");
        insta::assert_snapshot!(format!("needs_init_{code}_80x24"), text);
        let large = screen(&state);
        assert!(large.contains(word), "{large}");
        insta::assert_snapshot!(format!("needs_init_{code}"), large);
    }
}

/// Without the Initialisation (or a repair), "Fixed?" says it is not fixed: the story above
/// can fail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn needs_init_without_the_initialisation_is_not_fixed() {
    let (session, bus, mut events, mut state) =
        opened("terminal.needs_init", "payment_failed", Lang::En).await;
    fixed(&session, &bus, &mut events, &mut state).await;
    let text = screen(&state);
    assert!(!text.contains("✓ FIXED"), "{text}");
}
