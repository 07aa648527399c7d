//! Snapshots of replay at a cursor (the status bar says where), of a damaged capture, and of
//! the printer popup with the last test receipt and its confirmation; at 80x24 and 120x40.

use std::time::Duration;

use crossterm::event::KeyCode;

use super::app::{AppState, Popup, Tab};
use super::fixtures::*;
use super::input::handle_key;
use super::model::{PrinterAction, ReplayRecord, ReplaySource, UiMode};
use super::snapshot_tests::{draw, snap};
use crate::event::{Channel, Direction, Event, FrameRecord, LinkState};
use crate::i18n::{Lang, Text};
use crate::proto::escpos::receipt::test_receipt;

/// posdiag's test receipt going out to the printer at `ms`.
fn test_print(ms: u64) -> FrameRecord {
    FrameRecord {
        time: at(ms),
        channel: Channel::Printer,
        direction: Direction::Tx,
        raw: test_receipt("demo 2024-05-17 10:15:05"),
        summary: "test print".into(),
        error: false,
        summary_zh: None,
    }
}

/// A captured session: a check run with frames, a notice, a test print.
fn records() -> Vec<ReplayRecord> {
    let mut events = vec![connected()];
    events.push(Event::Link {
        channel: Channel::Printer,
        state: LinkState::Connected {
            target: "tcp 127.0.0.1:9100".into(),
        },
    });
    events.push(Event::Frame(status_enquiry(100)));
    events.push(Event::Frame(ack(140)));
    events.push(Event::CheckFinished(link_pass()));
    events.push(Event::Frame(status_enquiry(300)));
    events.push(Event::Frame(completion_reader_down(530)));
    events.push(Event::CheckFinished(reader_fail()));
    events.push(Event::CheckFinished(clock_warn()));
    events.push(Event::RunFinished {
        duration: Duration::from_millis(1_512),
    });
    events.push(Event::Notice(Text::fixed(
        "测试打印已发送（184 字节）。",
        "Test print sent (184 bytes).",
    )));
    events.push(Event::Frame(test_print(2_900)));
    events
        .into_iter()
        .enumerate()
        .map(|(i, event)| ReplayRecord {
            time: at(i as u64 * 250),
            event,
        })
        .collect()
}

fn replaying(lang: Lang, stopped: Option<Text>) -> AppState {
    let mut config = config(lang);
    config.mode = UiMode::Replay;
    config.title = Text::same("2024-05-17-shop-7-terminal.jsonl · profile demo");
    let facts = vec![
        (Text::fixed("配置", "profile"), "demo".to_string()),
        (Text::fixed("目标", "target"), "simulated POS".to_string()),
        (Text::fixed("记录", "records"), "12".to_string()),
    ];
    let source = ReplaySource {
        start: Some(at(0)),
        stopped,
        facts,
    };
    AppState::replay(config, descriptors(), records(), source)
}

/// Five records in: the link check passed, the reader check not yet.
fn at_cursor(lang: Lang) -> AppState {
    let mut s = replaying(lang, None);
    handle_key(&mut s, ch('<'));
    for _ in 0..5 {
        handle_key(&mut s, ch(']'));
    }
    assert_eq!(s.replay_position().map(|p| p.cursor), Some(5));
    s
}

#[test]
fn replay_at_a_cursor() {
    snap("replay_checks_at_5_en", at_cursor(Lang::En));
    snap("replay_checks_at_5_zh", at_cursor(Lang::Zh));
    let mut log = at_cursor(Lang::En);
    handle_key(&mut log, ch('5'));
    snap("replay_log_at_5_en", log);
    let mut connect = at_cursor(Lang::Zh);
    handle_key(&mut connect, ch('1'));
    snap("replay_connect_zh", connect);
}

#[test]
fn replay_steps_back_and_forth_by_keys() {
    let mut s = at_cursor(Lang::En);
    handle_key(&mut s, ch('}'));
    assert_eq!(s.replay_position().map(|p| p.cursor), Some(12));
    assert_eq!(s.results().count(), 3);
    handle_key(&mut s, ch('{'));
    assert_eq!(s.replay_position().map(|p| p.cursor), Some(2));
    assert_eq!(s.results().count(), 0);
    handle_key(&mut s, ch('>'));
    assert_eq!(s.replay_position().map(|p| p.cursor), Some(12));
    // Nothing can be run.
    s.set_tab(Tab::Checks);
    for key in [ch('r'), ch('c'), press(KeyCode::Enter)] {
        assert_eq!(handle_key(&mut s, key), None);
    }
    assert_eq!(s.popup(), None);
}

#[test]
fn replay_of_a_damaged_capture() {
    let stopped = Text::fixed(
        "抓包 shop.jsonl 第 14 行已损坏，回放到此为止（EOF while parsing）",
        "The capture shop.jsonl is damaged at line 14; the replay stops there (EOF while parsing)",
    );
    snap("replay_damaged_en", replaying(Lang::En, Some(stopped)));
}

#[test]
fn replay_help_lists_the_cursor_keys() {
    let mut s = at_cursor(Lang::En);
    handle_key(&mut s, ch('?'));
    snap("replay_help_en", s);
}

fn printer_popup(lang: Lang) -> AppState {
    let mut s = after_run(lang);
    s.apply(&Event::Frame(test_print(2_900)));
    s.set_tab(Tab::Checks);
    handle_key(&mut s, ch('p'));
    assert_eq!(s.popup(), Some(Popup::Printer));
    s
}

#[test]
fn printer_popup_with_the_last_receipt() {
    snap("printer_en", printer_popup(Lang::En));
    snap("printer_zh", printer_popup(Lang::Zh));
    let mut replay = replaying(Lang::En, None);
    handle_key(&mut replay, ch('p'));
    snap("printer_replay_en", replay);
}

#[test]
fn printer_confirmation() {
    for lang in [Lang::En, Lang::Zh] {
        let mut s = printer_popup(lang);
        s.apply(&Event::Link {
            channel: Channel::Printer,
            state: LinkState::Connected {
                target: "tcp 10.1.1.9:9100".into(),
            },
        });
        handle_key(&mut s, press(KeyCode::Enter));
        assert_eq!(
            s.popup(),
            Some(Popup::ConfirmPrinter(PrinterAction::TestPrint))
        );
        snap(&format!("confirm_test_print_{}", lang.code()), s.clone());
        handle_key(&mut s, ch('n'));
        handle_key(&mut s, ch('j'));
        handle_key(&mut s, press(KeyCode::Enter));
        snap(&format!("confirm_recover_{}", lang.code()), s);
    }
}

#[test]
fn tiny_terminals_do_not_panic_on_replay_and_printer() {
    for lang in [Lang::En, Lang::Zh] {
        let mut confirm = printer_popup(lang);
        handle_key(&mut confirm, press(KeyCode::Enter));
        for mut s in [
            at_cursor(lang),
            replaying(lang, Some(Text::same("damaged"))),
            printer_popup(lang),
            confirm,
        ] {
            for (w, h) in [
                (0, 0),
                (1, 1),
                (10, 3),
                (20, 5),
                (40, 10),
                (3, 30),
                (200, 2),
            ] {
                s.set_viewport(ratatui::layout::Rect::new(0, 0, w, h));
                for key in [ch('['), ch('}'), press(KeyCode::Down)] {
                    handle_key(&mut s, key);
                }
                draw(&mut s, w, h);
            }
        }
    }
}
