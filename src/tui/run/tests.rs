//! The event loop driven by a scripted input stream on a `TestBackend`.

use std::time::Duration;

use crossterm::event::Event as TermEvent;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use super::*;
use crate::checks::Area;
use crate::event::{Event, LinkState};
use crate::i18n::Lang;
use crate::tui::app::Tab;
use crate::tui::fixtures::*;

#[tokio::test]
async fn the_loop_folds_events_asks_before_quitting_and_returns_the_state() {
    let (keys, input) = futures::channel::mpsc::unbounded::<std::io::Result<TermEvent>>();
    let (events_tx, events) = tokio::sync::mpsc::channel(64);
    let (requests, mut requests_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");

    let script = async move {
        let pause = || tokio::time::sleep(Duration::from_millis(20));
        events_tx.try_send(connected()).expect("loop listens");
        events_tx
            .try_send(Event::CheckStarted {
                id: "reader.status".into(),
                area: Area::Reader,
            })
            .expect("loop listens");
        pause().await;
        let key = |c| Ok(TermEvent::Key(ch(c)));
        keys.unbounded_send(key('2')).expect("loop reads keys");
        keys.unbounded_send(Ok(TermEvent::Resize(100, 30)))
            .expect("loop reads keys");
        keys.unbounded_send(key('r')).expect("loop reads keys");
        keys.unbounded_send(key('q')).expect("loop reads keys");
        pause().await;
        // The session ends; the UI stays up until the user confirms.
        drop(events_tx);
        pause().await;
        keys.unbounded_send(key('y')).expect("loop reads keys");
        keys
    };
    let (result, _keys) = tokio::join!(
        drive(&mut terminal, input, state(Lang::En), events, requests),
        script
    );
    let state = result.expect("loop ends cleanly");
    assert!(matches!(
        state.link(crate::event::Channel::Terminal),
        LinkState::Connected { .. }
    ));
    assert_eq!(state.tab(), Tab::Checks);
    // `r` while running made no request; only the confirmed quit did.
    assert_eq!(requests_rx.recv().await, Some(UiRequest::Quit));
    assert!(requests_rx.try_recv().is_err());
    // The last screen drawn was the confirmation.
    assert!(screen(terminal.backend().buffer()).contains("Quit anyway?"));
}

#[tokio::test]
async fn the_loop_quits_at_once_when_idle_and_when_input_ends() {
    let (keys, input) = futures::channel::mpsc::unbounded::<std::io::Result<TermEvent>>();
    let (_events_tx, events) = tokio::sync::mpsc::channel(64);
    let (requests, mut requests_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    keys.unbounded_send(Ok(TermEvent::Key(ch('q'))))
        .expect("queued");
    drive(&mut terminal, input, state(Lang::En), events, requests)
        .await
        .expect("quits");
    assert_eq!(requests_rx.recv().await, Some(UiRequest::Quit));

    let (keys, input) = futures::channel::mpsc::unbounded::<std::io::Result<TermEvent>>();
    drop(keys);
    let (_events_tx, events) = tokio::sync::mpsc::channel(64);
    let (requests, mut requests_rx) = tokio::sync::mpsc::unbounded_channel();
    drive(&mut terminal, input, state(Lang::En), events, requests)
        .await
        .expect("ends");
    assert_eq!(requests_rx.recv().await, Some(UiRequest::Quit));
}

#[tokio::test]
async fn a_mouse_click_on_a_tab_goes_through_the_loop() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let (keys, input) = futures::channel::mpsc::unbounded::<std::io::Result<TermEvent>>();
    let (_events_tx, events) = tokio::sync::mpsc::channel::<Event>(64);
    let (requests, _requests_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    // "posdiag  1 Connect  2 Checks  3 Transactions  4 Guide  5 Log": column 57 is "5 Log".
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: 57,
        row: 0,
        modifiers: KeyModifiers::NONE,
    };
    keys.unbounded_send(Ok(TermEvent::Mouse(click)))
        .expect("loop reads");
    keys.unbounded_send(Ok(TermEvent::Key(ch('q'))))
        .expect("loop reads");
    let state = drive(&mut terminal, input, state(Lang::En), events, requests)
        .await
        .expect("loop ends cleanly");
    assert_eq!(state.tab(), Tab::Log);
}
