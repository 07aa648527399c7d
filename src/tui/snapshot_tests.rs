//! Frame snapshots at 80x24 and 120x40 (TestBackend + insta), colour asserts the snapshots
//! cannot make, and tiny-terminal safety.

use crossterm::event::KeyCode;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use ratatui::Terminal;

use super::app::{AppState, Popup, Tab};
use super::fixtures::*;
use super::input::handle_key;
use super::view::render;
use crate::event::{Event, LinkState};
use crate::i18n::Lang;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

pub(super) fn draw(state: &mut AppState, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    state.set_viewport(ratatui::layout::Rect::new(0, 0, width, height));
    terminal.draw(|f| render(f, state)).expect("draw");
    terminal
}

/// Snapshots `state` at both sizes as `<name>_<w>x<h>`.
pub(super) fn snap(name: &str, mut state: AppState) {
    for (w, h) in SIZES {
        let terminal = draw(&mut state, w, h);
        let text = screen(terminal.backend().buffer());
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

fn on(tab: Tab, mut state: AppState) -> AppState {
    state.set_tab(tab);
    state
}

fn with_log(lang: Lang) -> AppState {
    let mut s = on(Tab::Log, after_run(lang));
    for f in [
        status_enquiry(0),
        ack(40),
        completion_reader_down(230),
        bad_crc(600),
    ] {
        s.apply(&Event::Frame(f));
    }
    s.apply(&Event::Frame(status_enquiry(2_000)));
    s.apply(&Event::Frame(ack(2_035)));
    s.apply(&Event::Frame(status_information(2_400)));
    s
}

fn failed_selected(lang: Lang) -> AppState {
    let mut s = on(Tab::Checks, after_run(lang));
    select_check(&mut s, "reader.status");
    s
}

#[test]
fn connect_tab() {
    snap("connect_en", state(Lang::En));
    snap("connect_zh", state(Lang::Zh));
}

#[test]
fn checks_tab_before_run() {
    let mut s = on(Tab::Checks, state(Lang::En));
    s.apply(&connected());
    snap("checks_before_run_en", s);
}

#[test]
fn checks_tab_while_running() {
    let mut s = on(Tab::Checks, while_running(Lang::En));
    select_check(&mut s, "reader.status");
    snap("checks_running_en", s);
}

#[test]
fn checks_tab_failed_check_selected() {
    snap("checks_failed_en", failed_selected(Lang::En));
    snap("checks_failed_zh", failed_selected(Lang::Zh));
}

#[test]
fn checks_tab_link_lost_with_notice() {
    let mut s = failed_selected(Lang::En);
    s.apply(&lost());
    s.apply(&Event::Notice(crate::i18n::Text::fixed(
        "终端连接丢失：设备已拔出。正在重连…",
        "Terminal link lost: device unplugged. Reconnecting…",
    )));
    snap("checks_link_lost_en", s);
}

#[test]
fn empty_tabs() {
    snap("transactions_en", on(Tab::Transactions, state(Lang::En)));
    snap("transactions_zh", on(Tab::Transactions, state(Lang::Zh)));
}

#[test]
fn log_tab() {
    snap("log_en", with_log(Lang::En));
    snap("log_zh", with_log(Lang::Zh));
}

#[test]
fn log_tab_frozen() {
    let mut s = with_log(Lang::En);
    handle_key(&mut s, ch('f'));
    s.apply(&Event::Frame(status_enquiry(5_000)));
    s.apply(&Event::Frame(ack(5_040)));
    snap("log_frozen_en", s);
}

#[test]
fn help_popup() {
    let mut s = failed_selected(Lang::En);
    handle_key(&mut s, ch('?'));
    assert_eq!(s.popup(), Some(Popup::Help));
    snap("help_checks_en", s);
}

/// The help says the mouse works (clicks and the wheel), in both languages, at 80x24.
#[test]
fn help_mentions_the_mouse() {
    for (lang, text) in [
        (Lang::En, "click a tab or a row; the wheel scrolls"),
        (Lang::Zh, "点击标签页或行；滚轮滚动"),
    ] {
        let mut s = failed_selected(lang);
        handle_key(&mut s, ch('?'));
        let mut shown = s.clone();
        let screen = super::fixtures::screen(draw(&mut shown, 80, 24).backend().buffer());
        assert!(screen.contains(text), "{text} missing:\n{screen}");
        if lang == Lang::Zh {
            snap("help_checks_zh", s);
        }
    }
}

#[test]
fn quit_confirmation() {
    let mut s = on(Tab::Checks, while_running(Lang::En));
    assert_eq!(handle_key(&mut s, ch('q')), None);
    snap("confirm_quit_en", s);
}

/// The cell colours at row `y` from `x`, for a word `len` cells long.
fn badge_bg(buffer: &Buffer, x: u16, y: u16, len: u16) -> Vec<Option<Color>> {
    (x..x + len)
        .map(|x| buffer.cell((x, y)).map(|c| c.bg))
        .collect()
}

#[test]
fn status_word_is_green_when_connected_and_red_when_lost() {
    for (w, h) in SIZES {
        let mut s = state(Lang::En);
        s.apply(&connected());
        let t = draw(&mut s, w, h);
        let buf = t.backend().buffer();
        let row = h - 2;
        assert!(screen(buf).contains(" CONNECTED  /dev/ttyUSB0"));
        // " CONNECTED " is 11 cells, all on green.
        assert!(badge_bg(buf, 0, row, 11)
            .iter()
            .all(|c| *c == Some(Color::Green)));

        s.apply(&lost());
        let t = draw(&mut s, w, h);
        let buf = t.backend().buffer();
        assert!(screen(buf).contains(" LINK LOST  /dev/ttyUSB0: device unplugged"));
        assert!(badge_bg(buf, 0, row, 11)
            .iter()
            .all(|c| *c == Some(Color::Red)));

        s.apply(&Event::Link {
            channel: crate::event::Channel::Terminal,
            state: LinkState::NoReply {
                target: "/dev/ttyUSB0".into(),
            },
        });
        let t = draw(&mut s, w, h);
        assert!(badge_bg(t.backend().buffer(), 0, row, 10)
            .iter()
            .all(|c| *c == Some(Color::Yellow)));
    }
}

#[test]
fn zh_status_word_is_coloured_too() {
    let mut s = state(Lang::Zh);
    s.apply(&connected());
    let t = draw(&mut s, 80, 24);
    let buf = t.backend().buffer();
    assert!(screen(buf).contains(" 已连接  /dev/ttyUSB0"));
    // " 已连接 ": the cells right of a CJK character are covered by it and keep no style.
    for x in [0, 1, 3, 5, 7] {
        assert_eq!(
            buf.cell((x, 22)).map(|c| c.bg),
            Some(Color::Green),
            "cell {x}"
        );
    }
}

#[test]
fn fail_word_and_error_frame_are_red() {
    let mut s = failed_selected(Lang::En);
    let t = draw(&mut s, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "FAIL").expect("FAIL in the list");
    assert_eq!(buf.cell((x, y)).map(|c| c.fg), Some(Color::Red));

    let mut s = with_log(Lang::En);
    let t = draw(&mut s, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "CRC mismatch").expect("error frame shown");
    assert_eq!(buf.cell((x, y)).map(|c| c.fg), Some(Color::Red));
    let (x, y) = find(buf, "05 01 Status-Enquiry").expect("normal frame shown");
    assert_ne!(buf.cell((x, y)).map(|c| c.fg), Some(Color::Red));
}

#[test]
fn no_color_keeps_the_words() {
    let mut s = state(Lang::En);
    s.config.color = false;
    s.apply(&lost());
    let t = draw(&mut s, 80, 24);
    let buf = t.backend().buffer();
    assert!(screen(buf).contains("LINK LOST"));
    assert!(badge_bg(buf, 0, 22, 11)
        .iter()
        .all(|c| *c == Some(Color::Reset)));
}

/// Position of the first cell of `needle` on screen (ASCII needles only).
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf.cell((x, y)).map_or(" ", |c| c.symbol()).to_string())
            .collect();
        if let Some(i) = line.find(needle) {
            // Count cells, not bytes, up to the match.
            let x = line[..i].chars().count();
            return Some((u16::try_from(x).ok()?, y));
        }
    }
    None
}

#[test]
fn tiny_terminals_do_not_panic() {
    let states = || {
        let mut all = Vec::new();
        for lang in [Lang::En, Lang::Zh] {
            for tab in Tab::ALL {
                all.push(on(tab, with_log(lang)));
                all.push(on(tab, while_running(lang)));
                all.push(on(tab, AppState::new(config(lang), vec![], vec![])));
            }
            let mut help = with_log(lang);
            handle_key(&mut help, ch('?'));
            all.push(help);
            let mut confirm = while_running(lang);
            handle_key(&mut confirm, ch('q'));
            all.push(confirm);
            let mut notice = failed_selected(lang);
            notice.notify(crate::i18n::Text::fixed("错误", "error"));
            all.push(notice);
        }
        all
    };
    for (w, h) in [
        (0, 0),
        (1, 1),
        (20, 5),
        (10, 3),
        (40, 10),
        (3, 30),
        (200, 2),
    ] {
        for mut s in states() {
            // Keys that scroll use the viewport too.
            s.set_viewport(ratatui::layout::Rect::new(0, 0, w, h));
            for key in [
                KeyCode::PageUp,
                KeyCode::Up,
                KeyCode::Home,
                KeyCode::PageDown,
            ] {
                handle_key(&mut s, press(key));
            }
            draw(&mut s, w, h);
        }
    }
}
