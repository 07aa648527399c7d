//! Keys → state changes and requests, without a terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::event::Event;
use crate::i18n::Lang;
use crate::tui::fixtures::*;
use crate::tui::model::UiMode;

#[test]
fn number_keys_and_tab_switch_tabs() {
    let mut s = state(Lang::En);
    for (c, tab) in ['1', '2', '3', '4', '5'].into_iter().zip(Tab::ALL) {
        assert_eq!(handle_key(&mut s, ch(c)), None);
        assert_eq!(s.tab(), tab);
    }
    handle_key(&mut s, press(KeyCode::Tab));
    assert_eq!(s.tab(), Tab::Connect);
    handle_key(&mut s, press(KeyCode::BackTab));
    assert_eq!(s.tab(), Tab::Log);
    // Some terminals send Shift+Tab as Tab with SHIFT.
    handle_key(&mut s, KeyEvent::new(KeyCode::Tab, KeyModifiers::SHIFT));
    assert_eq!(s.tab(), Tab::Guide);
}

#[test]
fn only_presses_count() {
    let mut s = state(Lang::En);
    assert_eq!(handle_key(&mut s, release(KeyCode::Char('2'))), None);
    assert_eq!(s.tab(), Tab::Connect);
    assert_eq!(handle_key(&mut s, release(KeyCode::Char('q'))), None);
}

#[test]
fn connect_selects_with_arrows_and_vim_keys() {
    let mut s = state(Lang::En);
    handle_key(&mut s, press(KeyCode::Down));
    handle_key(&mut s, ch('j'));
    assert_eq!(
        handle_key(&mut s, press(KeyCode::Enter)),
        Some(UiRequest::Connect(2))
    );
    for _ in 0..10 {
        handle_key(&mut s, ch('j'));
    }
    assert_eq!(s.selected_entry(), Some(3));
    handle_key(&mut s, press(KeyCode::Up));
    handle_key(&mut s, ch('k'));
    assert_eq!(
        handle_key(&mut s, press(KeyCode::Enter)),
        Some(UiRequest::Connect(1))
    );
}

#[test]
fn checks_run_all_and_run_selected() {
    let mut s = state(Lang::En);
    handle_key(&mut s, ch('2'));
    assert_eq!(handle_key(&mut s, ch('r')), Some(UiRequest::RunAllChecks));
    handle_key(&mut s, press(KeyCode::Down));
    handle_key(&mut s, press(KeyCode::Down));
    assert_eq!(
        handle_key(&mut s, press(KeyCode::Enter)),
        Some(UiRequest::RunCheck("reader.status".into()))
    );
    // `r` means nothing on other tabs.
    handle_key(&mut s, ch('5'));
    assert_eq!(handle_key(&mut s, ch('r')), None);
}

#[test]
fn no_second_run_while_one_is_running() {
    let mut s = while_running(Lang::En);
    s.set_tab(Tab::Checks);
    assert_eq!(handle_key(&mut s, ch('r')), None);
    assert!(s.current_notice().is_some());
    assert_eq!(handle_key(&mut s, press(KeyCode::Enter)), None);
}

#[test]
fn replay_cannot_run_checks() {
    let mut config = config(Lang::En);
    config.mode = UiMode::Replay;
    let mut s = AppState::new(config, vec![], descriptors());
    assert_eq!(s.tab(), Tab::Checks);
    assert_eq!(handle_key(&mut s, ch('r')), None);
    assert_eq!(handle_key(&mut s, press(KeyCode::Enter)), None);
}

#[test]
fn quit_is_immediate_when_idle() {
    let mut s = after_run(Lang::En);
    assert_eq!(handle_key(&mut s, ch('q')), Some(UiRequest::Quit));
    let mut s = state(Lang::En);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(handle_key(&mut s, ctrl_c), Some(UiRequest::Quit));
}

#[test]
fn quit_asks_first_while_checks_run() {
    let mut s = while_running(Lang::En);
    assert_eq!(handle_key(&mut s, ch('q')), None);
    assert_eq!(s.popup(), Some(Popup::ConfirmQuit));
    // The popup is modal: tab keys do nothing.
    assert_eq!(handle_key(&mut s, ch('2')), None);
    assert_eq!(s.tab(), Tab::Connect);
    // n / Esc stay.
    assert_eq!(handle_key(&mut s, ch('n')), None);
    assert_eq!(s.popup(), None);
    handle_key(&mut s, ch('q'));
    assert_eq!(handle_key(&mut s, press(KeyCode::Esc)), None);
    assert_eq!(s.popup(), None);
    // y quits.
    handle_key(&mut s, ch('q'));
    assert_eq!(handle_key(&mut s, ch('y')), Some(UiRequest::Quit));
    assert_eq!(s.popup(), None);
}

#[test]
fn help_opens_and_closes_and_is_modal() {
    let mut s = state(Lang::En);
    handle_key(&mut s, ch('?'));
    assert_eq!(s.popup(), Some(Popup::Help));
    assert_eq!(handle_key(&mut s, ch('r')), None);
    assert_eq!(
        handle_key(&mut s, ch('q')),
        None,
        "q closes the help, it does not quit"
    );
    assert_eq!(s.popup(), None);
    handle_key(&mut s, ch('?'));
    handle_key(&mut s, press(KeyCode::Esc));
    assert_eq!(s.popup(), None);
}

#[test]
fn esc_dismisses_the_notice() {
    let mut s = state(Lang::En);
    s.apply(&Event::Notice(crate::i18n::Text::fixed("错误", "error")));
    handle_key(&mut s, press(KeyCode::Esc));
    assert!(s.current_notice().is_none());
}

#[test]
fn freeze_toggles_and_holds_the_view() {
    let mut s = state(Lang::En);
    handle_key(&mut s, ch('5'));
    s.apply(&Event::Frame(status_enquiry(0)));
    handle_key(&mut s, ch('f'));
    assert!(s.log().is_frozen());
    s.apply(&Event::Frame(ack(40)));
    assert_eq!(s.log().visible().count(), 1);
    assert_eq!(s.log().unseen(), 1);
    handle_key(&mut s, ch('f'));
    assert!(!s.log().is_frozen());
    assert!(s.log().is_following());
    assert_eq!(s.log().visible().count(), 2);
    // End also ends a freeze.
    handle_key(&mut s, ch('f'));
    handle_key(&mut s, press(KeyCode::End));
    assert!(s.log().is_following());
}

#[test]
fn log_scrolls_within_its_content() {
    let mut s = state(Lang::En);
    handle_key(&mut s, ch('5'));
    for i in 0..40 {
        s.apply(&Event::Frame(status_enquiry(i * 100)));
    }
    handle_key(&mut s, press(KeyCode::Up));
    assert_eq!(s.log().scroll(), 1);
    assert!(!s.log().is_following());
    handle_key(&mut s, press(KeyCode::PageUp));
    let geometry = s.log_geometry();
    assert_eq!(s.log().scroll(), 1 + usize::from(geometry.rows) - 2);
    handle_key(&mut s, ch('g'));
    // 40 frames of two lines, minus one screenful.
    assert_eq!(s.log().scroll(), 80 - usize::from(geometry.rows));
    handle_key(&mut s, ch('G'));
    assert!(s.log().is_following());
    handle_key(&mut s, press(KeyCode::Down));
    assert_eq!(s.log().scroll(), 0);
}

#[test]
fn checks_detail_scrolls_and_resets_on_selection() {
    let mut s = after_run(Lang::En);
    s.set_tab(Tab::Checks);
    select_check(&mut s, "reader.status");
    handle_key(&mut s, press(KeyCode::PageDown));
    assert_eq!(s.checks().detail_scroll(), 5);
    for _ in 0..20 {
        handle_key(&mut s, press(KeyCode::PageDown));
    }
    assert!(s.checks().detail_scroll() < 30, "bounded by the content");
    handle_key(&mut s, ch('j'));
    assert_eq!(s.checks().detail_scroll(), 0);
}

#[test]
fn problems_come_first_and_o_restores_the_listed_order() {
    let mut s = after_run(Lang::En);
    s.set_tab(Tab::Checks);
    let ids = |s: &AppState| -> Vec<String> {
        let rows = s.checks().rows();
        s.checks()
            .order()
            .into_iter()
            .map(|i| rows[i].descriptor.id.clone())
            .collect()
    };
    // The failed reader, then the clock's warning, then the rest as listed.
    assert_eq!(
        ids(&s)[..3],
        ["reader.status", "clock.skew", "link.answers"].map(String::from)
    );
    // Nothing chosen yet: the top row, the first failure, is selected.
    assert_eq!(
        s.checks().selected().map(|r| r.descriptor.id.as_str()),
        Some("reader.status")
    );
    handle_key(&mut s, ch('o'));
    assert_eq!(ids(&s)[0], "link.answers");
    assert_eq!(
        s.checks().selected().map(|r| r.descriptor.id.as_str()),
        Some("reader.status"),
        "the selection stays on its check"
    );
    assert_eq!(s.checks().selected_position(), 2);
    handle_key(&mut s, ch('o'));
    assert_eq!(ids(&s)[0], "reader.status");
    assert_eq!(s.checks().problems().fail, 1);
    assert_eq!(s.checks().problems().warn, 1);
}

#[test]
fn connecting_shows_the_checks_when_they_start_and_stays_on_failure() {
    let mut s = state(Lang::En);
    assert_eq!(
        handle_key(&mut s, press(KeyCode::Enter)),
        Some(UiRequest::Connect(0))
    );
    // Could not open: the reason comes as a notice and the Connect tab stays.
    s.apply(&Event::Notice(crate::i18n::Text::fixed(
        "无法打开",
        "Cannot open",
    )));
    s.apply(&Event::CheckStarted {
        id: "link.terminal".into(),
        area: crate::checks::Area::Link,
    });
    assert_eq!(s.tab(), Tab::Connect);
    // Opened: its checks start, and the Checks tab comes up with them.
    handle_key(&mut s, press(KeyCode::Enter));
    s.apply(&Event::CheckStarted {
        id: "link.terminal".into(),
        area: crate::checks::Area::Link,
    });
    assert_eq!(s.tab(), Tab::Checks);
    // A check row of a session opened there still has its title.
    let row = s
        .checks()
        .rows()
        .iter()
        .find(|r| r.descriptor.id == "link.terminal");
    assert_eq!(
        row.map(|r| r.descriptor.title.en.as_ref()),
        Some("terminal link and protocol")
    );
}
