//! Keys of the printer popup and its confirmation. Nothing reaches the printer before the user
//! confirmed it, and nothing is sent while checks, a command or another printer action run.

use crate::i18n::Text;
use crate::tui::app::{AppState, Popup};
use crate::tui::model::UiRequest;

/// Enter in the popup: ask to confirm the selected action.
pub fn choose(state: &mut AppState) {
    state.popup = Some(Popup::ConfirmPrinter(state.printer.selected()));
}

/// y / Enter in the confirmation.
pub fn confirm(state: &mut AppState) -> Option<UiRequest> {
    let Some(Popup::ConfirmPrinter(action)) = state.popup else {
        return None;
    };
    state.popup = None;
    if state.is_busy() {
        state.notify(Text::fixed(
            "正忙（检查、命令或打印机操作正在进行），没有向打印机发送任何内容。请等它结束后再试。",
            "Busy (checks, a command or a printer action are running); nothing was sent to the printer. Try again when they have finished.",
        ));
        return None;
    }
    let title = action.title();
    state.notify(Text::new(
        format!("正在对打印机执行：{}…", title.zh),
        format!("Printer: {}…", title.en),
    ));
    state.printer.started(action);
    Some(UiRequest::Printer(action))
}

/// n / Esc in the confirmation: back to the popup, nothing sent.
pub fn cancel(state: &mut AppState) {
    state.popup = Some(Popup::Printer);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use crate::i18n::Lang;
    use crate::tui::app::Tab;
    use crate::tui::fixtures::*;
    use crate::tui::input::handle_key;
    use crate::tui::model::{PrinterAction, UiMode};
    use crossterm::event::KeyCode;

    #[test]
    fn a_printer_action_is_sent_only_after_confirming() {
        let mut s = after_run(Lang::En);
        s.set_tab(Tab::Checks);
        assert_eq!(handle_key(&mut s, ch('p')), None);
        assert_eq!(s.popup(), Some(Popup::Printer));
        handle_key(&mut s, ch('j'));
        assert_eq!(handle_key(&mut s, press(KeyCode::Enter)), None);
        let action = PrinterAction::ALL[1];
        assert_eq!(s.popup(), Some(Popup::ConfirmPrinter(action)));
        // n goes back to the menu without a request.
        assert_eq!(handle_key(&mut s, ch('n')), None);
        assert_eq!(s.popup(), Some(Popup::Printer));
        handle_key(&mut s, press(KeyCode::Enter));
        assert_eq!(
            handle_key(&mut s, ch('y')),
            Some(UiRequest::Printer(action))
        );
        assert!(s.is_busy());
        // Quitting now asks first, naming the action.
        handle_key(&mut s, ch('q'));
        assert_eq!(s.popup(), Some(Popup::ConfirmQuit));
        let t = crate::tui::snapshot_tests::draw(&mut s, 80, 24);
        let text = screen(t.backend().buffer());
        assert!(
            text.contains("running on the printer. Quit anyway?"),
            "{text}"
        );
        handle_key(&mut s, ch('n'));
        // A second action while the first runs is refused.
        handle_key(&mut s, ch('p'));
        handle_key(&mut s, press(KeyCode::Enter));
        assert_eq!(handle_key(&mut s, ch('y')), None);
        // The outcome (a notice) ends it.
        s.apply(&Event::Notice(Text::same("done")));
        assert!(!s.is_busy());
    }

    #[test]
    fn replay_shows_the_receipt_but_cannot_print() {
        let mut s = after_run(Lang::En);
        s.config.mode = UiMode::Replay;
        s.set_tab(Tab::Checks);
        handle_key(&mut s, ch('p'));
        assert_eq!(s.popup(), Some(Popup::Printer));
        assert_eq!(handle_key(&mut s, press(KeyCode::Enter)), None);
        assert_eq!(s.popup(), Some(Popup::Printer));
    }
}
