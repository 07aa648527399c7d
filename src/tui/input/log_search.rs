//! Keys while a Log search is typed (after `/`): text, Backspace, Enter to find, Esc to stop.
//! Read before the bindings, so `q` or `n` are text here.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Text;
use crate::tui::app::AppState;

pub fn typing_key(state: &mut AppState, key: KeyEvent) {
    match key.code {
        KeyCode::Esc => state.log.cancel_typing(),
        KeyCode::Enter => {
            let geometry = state.log_geometry();
            if !state.log.apply_typing(geometry) {
                state.notify(no_match(state.log.search_query().unwrap_or_default()));
            }
        }
        KeyCode::Backspace => state.log.backspace(),
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.log.cancel_typing()
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            state.log.type_char(c)
        }
        _ => {}
    }
}

/// `n` / `N`: the next newer / older match.
pub fn next(state: &mut AppState, newer: bool) {
    let geometry = state.log_geometry();
    match state.log.search_query().map(str::to_owned) {
        None => state.notify(Text::fixed(
            "还没有搜索：先按 / 输入要找的内容。",
            "No search yet: press / and type what to find.",
        )),
        Some(query) => {
            if !state.log.next_match(newer, geometry) {
                state.notify(no_match(&query));
            }
        }
    }
}

fn no_match(query: &str) -> Text {
    Text::new(
        format!("日志中没有与“{query}”匹配的报文（已显示的通道内）。"),
        format!("No frame in the log matches \"{query}\" (in the channels shown)."),
    )
}
