//! Snapshots of the Log tab's search (typing, then a match shown) and channel filter, and the
//! help listing their keys; at 80x24 and 120x40.

use crossterm::event::KeyCode;

use super::app::{AppState, Tab};
use super::fixtures::*;
use super::input::handle_key;
use super::snapshot_tests::{draw, snap};
use crate::event::{Channel, Direction, Event, FrameRecord};
use crate::i18n::Lang;

fn printer_status(ms: u64) -> FrameRecord {
    FrameRecord {
        time: at(ms),
        channel: Channel::Printer,
        direction: Direction::Tx,
        raw: vec![0x10, 0x04, 0x01],
        summary: "DLE EOT 1 printer status".into(),
        summary_zh: None,
        error: false,
    }
}

fn with_log(lang: Lang) -> AppState {
    let mut s = after_run(lang);
    s.set_tab(Tab::Log);
    for f in [
        status_enquiry(0),
        ack(40),
        printer_status(100),
        completion_reader_down(230),
        status_enquiry(2_000),
        printer_status(2_100),
        ack(2_035),
    ] {
        s.apply(&Event::Frame(f));
    }
    s
}

fn type_text(s: &mut AppState, text: &str) {
    for c in text.chars() {
        handle_key(s, ch(c));
    }
}

#[test]
fn searching_the_log() {
    let mut s = with_log(Lang::En);
    handle_key(&mut s, ch('/'));
    // `q` and `n` are text while typing.
    type_text(&mut s, "enq");
    assert_eq!(s.log().search_typing(), Some("enq"));
    snap("log_search_typing_en", s.clone());
    handle_key(&mut s, press(KeyCode::Enter));
    // The newest Status-Enquiry first, then `N` to the older one.
    assert_eq!(s.log().match_position(), (2, 2));
    handle_key(&mut s, ch('N'));
    assert_eq!(s.log().match_position(), (1, 2));
    snap("log_search_match_en", s.clone());
    // The match shown is reversed, the other match bold, a frame that does not match plain.
    let terminal = draw(&mut s, 80, 24);
    let buffer = terminal.backend().buffer();
    let style_at = |row: u16| buffer[(25, row)].modifier;
    use ratatui::style::Modifier;
    assert!(
        style_at(2).contains(Modifier::REVERSED),
        "older Status-Enquiry is current"
    );
    assert!(!style_at(10).contains(Modifier::REVERSED));
    assert!(
        style_at(10).contains(Modifier::BOLD),
        "newer Status-Enquiry matches"
    );
    assert!(
        !style_at(4).contains(Modifier::BOLD),
        "the ACK does not match"
    );
    // Esc clears the search before anything else.
    handle_key(&mut s, press(KeyCode::Esc));
    assert_eq!(s.log().search_query(), None);
}

#[test]
fn filtering_the_log_by_channel() {
    let mut s = with_log(Lang::Zh);
    handle_key(&mut s, ch('c'));
    handle_key(&mut s, ch('c'));
    assert_eq!(s.log().filter(), Some(Channel::Printer));
    snap("log_printer_only_zh", s.clone());
    handle_key(&mut s, ch('c'));
    assert_eq!(s.log().filter(), Some(Channel::Host));
    // Nothing on the host here: the tab says so and how to move on.
    let screen = format!("{:?}", draw(&mut s, 80, 24).backend().buffer());
    assert!(screen.contains("按 c 切换通道"), "{screen}");
    handle_key(&mut s, ch('c'));
    assert_eq!(s.log().filter(), None);
}

#[test]
fn help_on_the_log_tab_lists_search_and_filter() {
    let mut s = with_log(Lang::En);
    handle_key(&mut s, ch('?'));
    let screen = format!("{:?}", draw(&mut s, 120, 40).backend().buffer());
    for text in [
        "search",
        "n N",
        "next (newer)",
        "Esc clears the search",
        "channel filter",
    ] {
        assert!(
            screen.contains(text),
            "{text} missing from the help:\n{screen}"
        );
    }
}
