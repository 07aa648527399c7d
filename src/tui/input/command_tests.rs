//! The terminal command menu and its confirmation, key by key.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::event::Event;
use crate::i18n::Lang;
use crate::session::TerminalCommand as C;
use crate::tui::fixtures::*;
use crate::tui::model::UiMode;

fn menu(lang: Lang) -> AppState {
    let mut s = after_run(lang);
    s.set_tab(Tab::Checks);
    assert_eq!(handle_key(&mut s, ch('c')), None);
    assert_eq!(s.popup(), Some(Popup::Commands));
    s
}

/// Moves the menu selection to `command`.
fn select(s: &mut AppState, command: C) {
    for _ in 0..20 {
        handle_key(s, press(KeyCode::Up));
    }
    while s.command_menu().selected() != command {
        let before = s.command_menu().selected_index();
        handle_key(s, ch('j'));
        assert_ne!(
            before,
            s.command_menu().selected_index(),
            "{command:?} not in menu"
        );
    }
}

#[test]
fn c_opens_the_menu_and_esc_or_c_closes_it() {
    let mut s = menu(Lang::En);
    assert_eq!(handle_key(&mut s, press(KeyCode::Esc)), None);
    assert_eq!(s.popup(), None);
    handle_key(&mut s, ch('c'));
    handle_key(&mut s, ch('c'));
    assert_eq!(s.popup(), None);
    // Only on the Checks tab.
    handle_key(&mut s, ch('5'));
    handle_key(&mut s, ch('c'));
    assert_eq!(s.popup(), None);
}

#[test]
fn replay_has_no_command_menu() {
    let mut config = config(Lang::En);
    config.mode = UiMode::Replay;
    let mut s = AppState::new(config, vec![], descriptors());
    assert_eq!(handle_key(&mut s, ch('c')), None);
    assert_eq!(s.popup(), None);
}

#[test]
fn status_enquiry_runs_without_asking() {
    let mut s = menu(Lang::En);
    select(&mut s, C::StatusEnquiry);
    assert_eq!(
        handle_key(&mut s, press(KeyCode::Enter)),
        Some(UiRequest::TerminalCommand(C::StatusEnquiry))
    );
    assert_eq!(s.popup(), None);
    assert_eq!(s.command_menu().running(), Some(C::StatusEnquiry));
    assert!(s.is_busy());
    let notice = s.current_notice().expect("sending notice");
    assert_eq!(notice.en, "Sending Status-Enquiry (05 01) to the terminal…");
}

#[test]
fn every_other_command_asks_first() {
    for command in C::ALL.into_iter().filter(|c| c.needs_confirmation()) {
        let mut s = menu(Lang::En);
        select(&mut s, command);
        assert_eq!(handle_key(&mut s, press(KeyCode::Enter)), None);
        assert_eq!(s.popup(), Some(Popup::ConfirmCommand(command)));
        assert_eq!(s.command_menu().running(), None);
    }
}

#[test]
fn n_or_esc_go_back_to_the_menu_without_sending() {
    let mut s = menu(Lang::En);
    select(&mut s, C::PrintSystemConfiguration);
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(handle_key(&mut s, ch('n')), None);
    assert_eq!(s.popup(), Some(Popup::Commands));
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(handle_key(&mut s, press(KeyCode::Esc)), None);
    assert_eq!(s.popup(), Some(Popup::Commands));
    assert!(!s.is_busy());
    // Keys of the tabs do nothing in the popups.
    assert_eq!(handle_key(&mut s, ch('r')), None);
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(handle_key(&mut s, ch('r')), None);
    assert_eq!(handle_key(&mut s, ch('q')), None);
    assert_eq!(
        s.popup(),
        Some(Popup::ConfirmCommand(C::PrintSystemConfiguration))
    );
}

#[test]
fn y_or_enter_send_the_confirmed_command() {
    let mut s = menu(Lang::En);
    select(&mut s, C::PrintSystemConfiguration);
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(
        handle_key(&mut s, ch('y')),
        Some(UiRequest::TerminalCommand(C::PrintSystemConfiguration))
    );
    assert_eq!(s.popup(), None);

    // The outcome notice ends it; then Diagnosis is confirmed with Enter.
    s.apply(&Event::Notice(crate::i18n::Text::fixed("完成", "done")));
    assert!(!s.is_busy());
    handle_key(&mut s, ch('c'));
    select(&mut s, C::DiagnosisLine);
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(
        handle_key(&mut s, press(KeyCode::Enter)),
        Some(UiRequest::TerminalCommand(C::DiagnosisLine))
    );
}

#[test]
fn nothing_is_sent_while_the_terminal_is_busy() {
    let mut s = menu(Lang::En);
    select(&mut s, C::StatusEnquiry);
    handle_key(&mut s, press(KeyCode::Enter));
    handle_key(&mut s, ch('c'));
    select(&mut s, C::Abort);
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(handle_key(&mut s, ch('y')), None);
    assert!(s
        .current_notice()
        .is_some_and(|n| n.en.contains("nothing was sent")));

    let mut running = while_running(Lang::En);
    running.set_tab(Tab::Checks);
    handle_key(&mut running, ch('c'));
    select(&mut running, C::StatusEnquiry);
    assert_eq!(handle_key(&mut running, press(KeyCode::Enter)), None);
}

#[test]
fn the_menu_opens_on_the_suggested_recovery() {
    let mut s = needs_diagnosis(Lang::En);
    assert_eq!(
        s.suggested_command(),
        Some((C::DiagnosisExtended, "terminal.diagnosis_required"))
    );
    handle_key(&mut s, ch('c'));
    assert_eq!(s.command_menu().selected(), C::DiagnosisExtended);
    // Suggested, never sent by itself: Enter only asks.
    assert_eq!(handle_key(&mut s, press(KeyCode::Enter)), None);
    assert_eq!(s.popup(), Some(Popup::ConfirmCommand(C::DiagnosisExtended)));
}

#[test]
fn quitting_while_a_command_runs_asks_first() {
    let mut s = menu(Lang::En);
    select(&mut s, C::StatusEnquiry);
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(handle_key(&mut s, ch('q')), None);
    assert_eq!(s.popup(), Some(Popup::ConfirmQuit));
    // Ctrl+C in a confirmation quits as everywhere else.
    let mut s = menu(Lang::En);
    select(&mut s, C::LogOff);
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(
        handle_key(
            &mut s,
            KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
        ),
        Some(UiRequest::Quit)
    );
}
