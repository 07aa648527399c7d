//! Snapshots of the terminal command menu, its confirmation and the suggested recovery, at
//! 80x24 and 120x40, in English and Chinese; plus the colours the snapshots cannot show.

use crossterm::event::KeyCode;
use ratatui::style::Color;

use super::app::{AppState, Popup};
use super::fixtures::*;
use super::input::handle_key;
use super::snapshot_tests::{draw, snap};
use crate::i18n::Lang;
use crate::session::TerminalCommand as C;

/// The menu over a run where the terminal asked for a diagnosis.
fn menu(lang: Lang) -> AppState {
    let mut s = needs_diagnosis(lang);
    handle_key(&mut s, ch('c'));
    s
}

/// The confirmation of `command`.
fn confirming(lang: Lang, command: C) -> AppState {
    let mut s = menu(lang);
    for _ in 0..20 {
        handle_key(&mut s, press(KeyCode::Up));
    }
    while s.command_menu().selected() != command {
        handle_key(&mut s, ch('j'));
    }
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(s.popup(), Some(Popup::ConfirmCommand(command)));
    s
}

#[test]
fn suggested_recovery_in_the_evidence() {
    snap("recovery_suggested_en", needs_diagnosis(Lang::En));
    snap("recovery_suggested_zh", needs_diagnosis(Lang::Zh));
}

#[test]
fn command_menu() {
    snap("command_menu_en", menu(Lang::En));
    snap("command_menu_zh", menu(Lang::Zh));
}

#[test]
fn confirmation_popup() {
    snap(
        "confirm_print_en",
        confirming(Lang::En, C::PrintSystemConfiguration),
    );
    snap(
        "confirm_print_zh",
        confirming(Lang::Zh, C::PrintSystemConfiguration),
    );
    snap("confirm_end_of_day_en", confirming(Lang::En, C::EndOfDay));
    snap("confirm_end_of_day_zh", confirming(Lang::Zh, C::EndOfDay));
}

#[test]
fn command_running() {
    let mut s = confirming(Lang::En, C::DiagnosisLine);
    handle_key(&mut s, ch('y'));
    snap("command_running_en", s);
}

#[test]
fn classes_are_coloured_and_financial_is_red() {
    let mut s = menu(Lang::En);
    let t = draw(&mut s, 120, 40);
    let buf = t.backend().buffer();
    let fg_of = |needle: &str| {
        let text = screen(buf);
        let (y, line) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not on screen"));
        let x = line.find(needle).map(|i| line[..i].chars().count() - 1)?;
        buf.cell((u16::try_from(x).ok()?, u16::try_from(y).ok()?))
            .map(|c| c.fg)
    };
    assert_eq!(fg_of("financial: closes the batch"), Some(Color::Red));
    assert_eq!(fg_of("read-only, no side effect"), Some(Color::Green));
    assert_eq!(fg_of("prints on paper"), Some(Color::Yellow));
}

#[test]
fn tiny_terminals_do_not_panic_in_the_popups() {
    for lang in [Lang::En, Lang::Zh] {
        for mut s in [menu(lang), confirming(lang, C::EndOfDay)] {
            for (w, h) in [(0, 0), (1, 1), (20, 5), (40, 10), (3, 30), (200, 2)] {
                draw(&mut s, w, h);
            }
        }
    }
}

#[test]
fn messages_in_full() {
    for lang in [Lang::En, Lang::Zh] {
        let mut s = confirming(lang, C::PrintSystemConfiguration);
        handle_key(&mut s, ch('y'));
        s.apply(&crate::event::Event::Notice(crate::i18n::Text::fixed(
            "打印系统配置（06 1A）：完成；6 行凭条（见日志页）：SYSTEM CONFIGURATION | TID      29001006 | SW       posdiag-sim 1.0 (ZVT 13.08) | CLOCK    2024-05-17 10:15:02 | STATUS   00 | DEVICE   00",
            "Print System Configuration (06 1A): done; 6 receipt lines (see the Log tab): SYSTEM CONFIGURATION | TID      29001006 | SW       posdiag-sim 1.0 (ZVT 13.08) | CLOCK    2024-05-17 10:15:02 | STATUS   00 | DEVICE   00",
        )));
        assert!(!s.is_busy());
        handle_key(&mut s, ch('m'));
        assert_eq!(s.popup(), Some(Popup::Notices));
        snap(&format!("messages_{}", lang.code()), s);
    }
}
