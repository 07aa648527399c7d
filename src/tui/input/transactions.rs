//! Keys of the Transactions tab and its popups. Nothing that moves money is sent without the
//! confirmation; nothing is sent while checks, a terminal command or a transaction run.

use crate::i18n::Text;
use crate::session::TxnRequest;
use crate::tui::app::{AppState, EntryKind, Popup, TxnMenuItem, TxnPopup};
use crate::tui::keys::TxnAction;
use crate::tui::model::UiRequest;

/// Detail lines moved by PgUp/PgDn.
const DETAIL_PAGE: u16 = 5;

pub fn perform(state: &mut AppState, action: TxnAction) -> Option<UiRequest> {
    let popup = match state.popup {
        Some(Popup::Txn(p)) => Some(p),
        _ => None,
    };
    let view = &mut state.transactions;
    match (popup, action) {
        (Some(TxnPopup::Menu), TxnAction::Up) => view.menu_move(false),
        (Some(TxnPopup::Menu), TxnAction::Down) => view.menu_move(true),
        (None, TxnAction::Up) => view.move_by(false, 1),
        (None, TxnAction::Down) => view.move_by(true, 1),
        (_, TxnAction::PageUp) => view.scroll_detail(false, DETAIL_PAGE),
        (_, TxnAction::PageDown) => view.scroll_detail(true, DETAIL_PAGE),
        (_, TxnAction::Newest) => view.follow_newest(),
        (_, TxnAction::OpenMenu) => state.popup = Some(Popup::Txn(TxnPopup::Menu)),
        (_, TxnAction::NewPayment) => {
            view.select_menu(TxnMenuItem::Pay);
            view.start_entry(EntryKind::Amount);
            state.popup = Some(Popup::Txn(TxnPopup::Entry));
        }
        (_, TxnAction::Choose) => choose(state),
        (_, TxnAction::Char(c)) => view.type_char(c),
        (_, TxnAction::Backspace) => view.backspace(),
        (_, TxnAction::Submit) => match view.entry_request() {
            Ok(request) => {
                view.set_pending(Some(request));
                state.popup = Some(Popup::Txn(TxnPopup::Confirm));
            }
            Err(why) => state.notify(why),
        },
        (_, TxnAction::Confirm) => return confirm(state),
        (Some(TxnPopup::Menu), TxnAction::Back) | (None, TxnAction::Back) => state.popup = None,
        (Some(_), TxnAction::Back) => {
            view.set_pending(None);
            state.popup = Some(Popup::Txn(TxnPopup::Menu));
        }
        (Some(TxnPopup::Entry | TxnPopup::Confirm), TxnAction::Up | TxnAction::Down) => {}
    }
    None
}

/// Enter in the menu: an entry for a payment or reversal, the confirmation for the rest.
fn choose(state: &mut AppState) {
    let view = &mut state.transactions;
    let request = match view.menu_item() {
        TxnMenuItem::Pay => {
            view.start_entry(EntryKind::Amount);
            state.popup = Some(Popup::Txn(TxnPopup::Entry));
            return;
        }
        TxnMenuItem::Reverse => {
            view.start_entry(EntryKind::Receipt);
            state.popup = Some(Popup::Txn(TxnPopup::Entry));
            return;
        }
        TxnMenuItem::Abort => TxnRequest::Abort,
        TxnMenuItem::EndOfDay => TxnRequest::EndOfDay,
        TxnMenuItem::RepeatReceipt => TxnRequest::RepeatReceipt,
    };
    view.set_pending(Some(request));
    state.popup = Some(Popup::Txn(TxnPopup::Confirm));
}

fn confirm(state: &mut AppState) -> Option<UiRequest> {
    let request = state.transactions.pending()?;
    state.popup = None;
    if state.is_busy() {
        state.notify(Text::fixed(
            "终端正忙（检查、命令或交易正在运行），什么也没有发送。请等它结束后再试。",
            "The terminal is busy (checks, a command or a transaction are running); nothing was sent. Try again when they have finished.",
        ));
        return None;
    }
    let name = request.name();
    state.notify(Text::new(
        format!("正在向终端发送{}…", name.zh),
        format!("Sending {} to the terminal…", name.en),
    ));
    state.transactions.started(request);
    Some(UiRequest::Transaction(request))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::tui::app::Tab;
    use crate::tui::fixtures::{ch, press as key, state};
    use crate::tui::input::handle_key;
    use crossterm::event::KeyCode;

    fn on_transactions() -> AppState {
        let mut s = state(Lang::En);
        s.set_tab(Tab::Transactions);
        s
    }

    #[test]
    fn a_payment_needs_an_amount_and_a_confirmation() {
        let mut s = on_transactions();
        assert_eq!(handle_key(&mut s, ch('p')), None);
        assert_eq!(s.popup(), Some(Popup::Txn(TxnPopup::Entry)));
        for c in ['1', '2', '.', '3', '4', '5'] {
            handle_key(&mut s, ch(c));
        }
        assert_eq!(
            s.transactions().entry(),
            "12.34",
            "a third decimal is refused"
        );
        assert_eq!(handle_key(&mut s, key(KeyCode::Enter)), None);
        assert_eq!(s.popup(), Some(Popup::Txn(TxnPopup::Confirm)));
        assert_eq!(
            handle_key(&mut s, ch('y')),
            Some(UiRequest::Transaction(TxnRequest::Pay {
                amount_minor: 1234
            }))
        );
        assert_eq!(s.popup(), None);
        assert!(s.is_busy());
    }

    #[test]
    fn cancel_goes_back_and_sends_nothing() {
        let mut s = on_transactions();
        handle_key(&mut s, ch('c'));
        assert_eq!(s.popup(), Some(Popup::Txn(TxnPopup::Menu)));
        // The menu starts on "repeat last receipt", then payment, reversal, abort, end-of-day.
        for _ in 0..4 {
            handle_key(&mut s, ch('j'));
        }
        handle_key(&mut s, key(KeyCode::Enter));
        assert_eq!(s.transactions().pending(), Some(TxnRequest::EndOfDay));
        assert_eq!(handle_key(&mut s, key(KeyCode::Esc)), None);
        assert_eq!(s.popup(), Some(Popup::Txn(TxnPopup::Menu)));
        assert_eq!(handle_key(&mut s, key(KeyCode::Esc)), None);
        assert_eq!(s.popup(), None);
        assert!(!s.is_busy());
    }

    #[test]
    fn an_empty_amount_is_refused_with_a_notice() {
        let mut s = on_transactions();
        handle_key(&mut s, ch('p'));
        handle_key(&mut s, key(KeyCode::Enter));
        assert_eq!(s.popup(), Some(Popup::Txn(TxnPopup::Entry)));
        assert!(s.current_notice().is_some());
    }
}
