//! Keys in, intents out: [`handle_key`] changes the UI state and returns what the outside must
//! do, so it is tested without a terminal.

use crossterm::event::{KeyEvent, KeyEventKind};

pub use mouse::handle_mouse;

use super::app::{AppState, Popup, Tab};
use super::keys::{self, Action};
use super::model::UiRequest;
use crate::i18n::Text;

mod commands;
mod connect;
mod guide;
mod log_search;
mod mouse;
mod printer;
mod transactions;

/// Log lines moved by PgUp/PgDn beyond a screenful's overlap.
const PAGE_OVERLAP: usize = 2;

/// Evidence lines moved by PgUp/PgDn on the Checks tab.
const DETAIL_PAGE: u16 = 5;

/// Handles one key press; returns the request for the session, if the key makes one.
/// Only presses count (Windows also reports releases and repeats).
pub fn handle_key(state: &mut AppState, key: KeyEvent) -> Option<UiRequest> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    // The key that dismisses a read success is still the key the user meant.
    state.key_pressed();
    if state.popup == Some(Popup::Address) {
        return connect::address_key(state, key);
    }
    if state.popup.is_none() && state.tab == Tab::Log && state.log.search_typing().is_some() {
        log_search::typing_key(state, key);
        return None;
    }
    match keys::lookup(&state.key_scopes(), state.config.mode, &key) {
        Some(action) => perform(state, action),
        None => guide::answer_by_key(state, &key),
    }
}

fn perform(state: &mut AppState, action: Action) -> Option<UiRequest> {
    match action {
        Action::ShowTab(tab) => state.tab = tab,
        Action::NextTab => state.tab = state.tab.next(),
        Action::PrevTab => state.tab = state.tab.prev(),
        Action::Up => move_selection(state, false, 1),
        Action::Down => move_selection(state, true, 1),
        Action::PageUp => page(state, false),
        Action::PageDown => page(state, true),
        Action::Home => {
            let geometry = state.log_geometry();
            state.log.to_oldest(geometry);
        }
        Action::End => state.log.to_newest(),
        Action::ToggleFreeze => state.log.toggle_freeze(),
        Action::Activate => return activate(state),
        Action::RunAll => {
            if state.is_busy() {
                state.notify(already_running());
                return None;
            }
            return Some(UiRequest::RunAllChecks);
        }
        Action::OpenHelp => state.popup = Some(Popup::Help),
        Action::Close => {
            // On the Log tab Esc clears a search before it dismisses the notice.
            if state.popup.take().is_none() && !(state.tab == Tab::Log && state.log.clear_search())
            {
                state.notice_dismissed = true;
            }
        }
        Action::Quit => {
            state.popup = None;
            if state.is_busy() {
                state.popup = Some(Popup::ConfirmQuit);
            } else {
                return Some(UiRequest::Quit);
            }
        }
        Action::ConfirmQuit => {
            state.popup = None;
            return Some(UiRequest::Quit);
        }
        Action::CancelQuit => state.popup = None,
        Action::OpenCommands => commands::open_menu(state),
        Action::ChooseCommand => return commands::choose(state),
        Action::ConfirmCommand => return commands::confirm(state),
        Action::CancelCommand => commands::cancel(state),
        Action::OpenNotices => state.popup = Some(Popup::Notices),
        Action::GuideStart => guide::start(state),
        Action::GuideSkip => guide::skip(state),
        Action::GuideUndo => state.guide.undo(),
        Action::GuideFixed => guide::fixed(state),
        Action::GuideSimulateRepair => return guide::simulate_repair(state),
        Action::GuideYesFixed => return guide::user_says(state, true),
        Action::GuideNotFixed => return guide::user_says(state, false),
        Action::GuideCancelFix => state.guide.cancel_fix_check(),
        Action::GuideRestart => state.guide.restart(),
        Action::GuideFromCheck => guide::from_check(state),
        Action::ToggleCheckOrder => state.checks.toggle_order(),
        Action::OpenPrinter => state.popup = Some(Popup::Printer),
        Action::ChoosePrinter => printer::choose(state),
        Action::ConfirmPrinter => return printer::confirm(state),
        Action::CancelPrinter => printer::cancel(state),
        Action::ReplayStep(n) => state.replay_step(isize::from(n)),
        Action::ReplayFirst => state.replay_to(0),
        Action::ReplayLast => state.replay_to(usize::MAX),
        Action::Txn(a) => return transactions::perform(state, a),
        Action::LogSearch => state.log.start_typing(),
        Action::LogNextMatch => log_search::next(state, true),
        Action::LogPrevMatch => log_search::next(state, false),
        Action::LogFilter => state.log.cycle_filter(),
    }
    None
}

fn move_selection(state: &mut AppState, down: bool, n: usize) {
    if state.popup == Some(Popup::Commands) {
        state.commands.move_by(down, n);
        return;
    }
    if state.popup == Some(Popup::Printer) {
        state.printer.move_by(down, n);
        return;
    }
    match state.tab {
        Tab::Connect => {
            let last = state.entries.len().saturating_sub(1);
            state.selected_entry = if down {
                (state.selected_entry + n).min(last)
            } else {
                state.selected_entry.saturating_sub(n)
            };
        }
        Tab::Checks => {
            for _ in 0..n {
                if down {
                    state.checks.select_next();
                } else {
                    state.checks.select_prev();
                }
            }
        }
        Tab::Log => {
            if down {
                state.log.scroll_down(n);
            } else {
                let geometry = state.log_geometry();
                state.log.scroll_up(n, geometry);
            }
        }
        Tab::Guide => guide::move_selection(state, down, n),
        Tab::Transactions => {}
    }
}

fn page(state: &mut AppState, down: bool) {
    match state.tab {
        Tab::Checks => state.checks.scroll_detail(down, DETAIL_PAGE),
        Tab::Log => {
            let geometry = state.log_geometry();
            let lines = usize::from(geometry.rows)
                .saturating_sub(PAGE_OVERLAP)
                .max(1);
            move_selection(state, down, lines);
        }
        Tab::Guide => state.guide.scroll_by(down, DETAIL_PAGE),
        Tab::Connect | Tab::Transactions => {}
    }
}

fn activate(state: &mut AppState) -> Option<UiRequest> {
    match state.tab {
        Tab::Connect => connect::activate(state),
        Tab::Checks => {
            let row = state.checks.selected()?;
            if row.is_running() || state.is_busy() {
                state.notify(already_running());
                return None;
            }
            Some(UiRequest::RunCheck(row.descriptor.id.clone()))
        }
        Tab::Transactions | Tab::Guide | Tab::Log => None,
    }
}

fn already_running() -> Text {
    Text::fixed(
        "检查正在运行，请等它们结束后再开始新的运行。",
        "Checks are already running; start another run when they have finished.",
    )
}

#[cfg(test)]
mod command_tests;
#[cfg(test)]
mod tests;
