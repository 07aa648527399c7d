//! The mouse: a click on a tab shows it, a click on a row (Checks, Transactions, Log) selects
//! it, the wheel scrolls (or moves the selection) where the keys ↑↓ would. Under a popup only
//! the wheel works, in the menus that have a selection. Where things are comes from the last
//! frame drawn ([`HitMap`](crate::tui::app::HitMap)).

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::move_selection;
use crate::tui::app::{AppState, Popup, RowTarget, Tab};

/// Log lines one wheel notch scrolls.
const WHEEL_LINES: usize = 3;

pub fn handle_mouse(state: &mut AppState, event: MouseEvent) {
    match event.kind {
        MouseEventKind::ScrollUp => wheel(state, false),
        MouseEventKind::ScrollDown => wheel(state, true),
        MouseEventKind::Down(MouseButton::Left) => click(state, event.column, event.row),
        _ => {}
    }
}

fn wheel(state: &mut AppState, down: bool) {
    match state.popup {
        None | Some(Popup::Commands | Popup::Printer) => {}
        Some(_) => return,
    }
    let lines = if state.popup.is_none() && state.tab == Tab::Log {
        WHEEL_LINES
    } else {
        1
    };
    match (state.popup, state.tab) {
        (None, Tab::Transactions) => state.transactions.move_by(down, 1),
        _ => move_selection(state, down, lines),
    }
}

fn click(state: &mut AppState, column: u16, row: u16) {
    if state.popup.is_some() {
        return;
    }
    if let Some(tab) = state.hits.tab_at(column, row) {
        state.log.cancel_typing();
        state.tab = tab;
        return;
    }
    match state.hits.row_at(column, row) {
        Some(RowTarget::Check(position)) => state.checks.select_position(position),
        Some(RowTarget::Transaction(index)) => state.transactions.select_index(index),
        Some(RowTarget::Frame(index)) => state.log.mark(index),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyModifiers;

    use super::*;
    use crate::event::Event;
    use crate::i18n::Lang;
    use crate::tui::fixtures::*;
    use crate::tui::snapshot_tests::draw;
    use crate::tui::view::render_with_hits;

    fn mouse(kind: MouseEventKind, column: u16, row: u16) -> MouseEvent {
        MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }
    }

    fn click_at(s: &mut AppState, column: u16, row: u16) {
        // What the loop does: draw, keep the places, then handle the event.
        let mut terminal = draw(s, 80, 24);
        let mut hits = Default::default();
        terminal
            .draw(|f| hits = render_with_hits(f, s))
            .expect("draw");
        s.set_hits(hits);
        handle_mouse(
            s,
            mouse(MouseEventKind::Down(MouseButton::Left), column, row),
        );
    }

    #[test]
    fn a_click_on_a_tab_shows_it() {
        let mut s = state(Lang::En);
        // "posdiag  1 Connect  2 Checks  3 Transactions  4 Guide  5 Log".
        click_at(&mut s, 48, 0);
        assert_eq!(s.tab(), Tab::Guide);
        click_at(&mut s, 23, 0);
        assert_eq!(s.tab(), Tab::Checks);
        // The gap before the tabs is nothing.
        click_at(&mut s, 2, 0);
        assert_eq!(s.tab(), Tab::Checks);
    }

    #[test]
    fn a_click_on_a_check_row_selects_it() {
        let mut s = after_run(Lang::En);
        s.set_tab(Tab::Checks);
        let before = s.checks().selected_position();
        // Row 1 is the list's border, row 2 its header, rows 3.. the checks.
        click_at(&mut s, 10, 5);
        assert_eq!(s.checks().selected_position(), 2);
        assert_ne!(before, 2);
        click_at(&mut s, 10, 3);
        assert_eq!(s.checks().selected_position(), 0);
    }

    #[test]
    fn a_click_on_a_log_line_marks_its_frame_and_the_wheel_scrolls() {
        let mut s = after_run(Lang::En);
        s.set_tab(Tab::Log);
        for ms in 0..30 {
            s.apply(&Event::Frame(status_enquiry(ms * 100)));
        }
        // Nothing marked yet: a click on the top border does nothing.
        click_at(&mut s, 10, 1);
        assert!(!s.log().is_current(29));
        // The newest frame's two lines are the last two of the log's area, the one before above.
        let bottom =
            crate::tui::view::log_text_area(s.viewport, s.current_notice().is_some()).bottom() - 1;
        click_at(&mut s, 10, bottom);
        assert!(s.log().is_current(29));
        click_at(&mut s, 10, bottom - 2);
        assert!(s.log().is_current(28));
        assert!(!s.log().is_current(29));
        handle_mouse(&mut s, mouse(MouseEventKind::ScrollUp, 10, 10));
        assert_eq!(s.log().scroll(), WHEEL_LINES);
        handle_mouse(&mut s, mouse(MouseEventKind::ScrollDown, 10, 10));
        assert!(s.log().is_following());
    }

    #[test]
    fn the_wheel_moves_the_check_selection_and_popups_take_no_clicks() {
        let mut s = after_run(Lang::En);
        s.set_tab(Tab::Checks);
        let first = s.checks().selected_position();
        handle_mouse(&mut s, mouse(MouseEventKind::ScrollDown, 10, 10));
        assert_eq!(s.checks().selected_position(), first + 1);
        s.popup = Some(Popup::Help);
        click_at(&mut s, 48, 0);
        assert_eq!(s.tab(), Tab::Checks);
    }
}
