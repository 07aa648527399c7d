//! Keys of the terminal command menu and its confirmation. Nothing but Status-Enquiry is
//! sent without the user confirming it; nothing is sent while checks or another command run.

use crate::i18n::Text;
use crate::session::TerminalCommand;
use crate::tui::app::{AppState, Popup};
use crate::tui::model::UiRequest;

/// `c`: opens the menu on the selected check's suggested recovery, if it has one.
pub fn open_menu(state: &mut AppState) {
    if let Some((command, _)) = state.suggested_command() {
        state.commands.select(command);
    }
    state.popup = Some(Popup::Commands);
}

/// Enter in the menu.
pub fn choose(state: &mut AppState) -> Option<UiRequest> {
    let command = state.commands.selected();
    if command.needs_confirmation() {
        state.popup = Some(Popup::ConfirmCommand(command));
        None
    } else {
        send(state, command)
    }
}

/// y / Enter in the confirmation.
pub fn confirm(state: &mut AppState) -> Option<UiRequest> {
    match state.popup {
        Some(Popup::ConfirmCommand(command)) => send(state, command),
        _ => None,
    }
}

/// n / Esc in the confirmation: back to the menu, nothing sent.
pub fn cancel(state: &mut AppState) {
    state.popup = Some(Popup::Commands);
}

fn send(state: &mut AppState, command: TerminalCommand) -> Option<UiRequest> {
    state.popup = None;
    if state.is_busy() {
        state.notify(busy());
        return None;
    }
    let title = command.title();
    state.notify(Text::new(
        format!("正在向终端发送{}…", title.zh),
        format!("Sending {} to the terminal…", title.en),
    ));
    state.commands.started(command);
    Some(UiRequest::TerminalCommand(command))
}

fn busy() -> Text {
    Text::fixed(
        "终端正忙（检查或命令正在运行），什么也没有发送。请等它结束后再试。",
        "The terminal is busy (checks or a command are running); nothing was sent. Try again when they have finished.",
    )
}
