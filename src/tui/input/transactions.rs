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
    let busy = state.is_busy();
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
            if refuse_if_busy(state) {
                return None;
            }
            let view = &mut state.transactions;
            view.select_menu(TxnMenuItem::Pay);
            view.start_entry(EntryKind::Amount);
            state.popup = Some(Popup::Txn(TxnPopup::Entry));
        }
        (_, TxnAction::Choose) => choose(state),
        (_, TxnAction::Char(c)) => view.type_char(c),
        (_, TxnAction::Backspace) => view.backspace(),
        (_, TxnAction::Submit) if busy => {
            // Refused before the confirmation, so nobody confirms what cannot be sent.
            state.popup = None;
            refuse_if_busy(state);
        }
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

/// Says what the terminal is busy with and that nothing will be sent; true when it is busy.
fn refuse_if_busy(state: &mut AppState) -> bool {
    let Some(what) = state.busy_with() else {
        return false;
    };
    state.notify(busy_text(&what));
    true
}

fn busy_text(what: &Text) -> Text {
    Text::new(
        format!("终端正忙于{}，什么也不会发送；请等它结束后再试。", what.zh),
        format!(
            "The terminal is busy with {}; nothing will be sent. Try again when it is done.",
            what.en
        ),
    )
}

/// Enter in the menu: an entry for a payment or reversal, the confirmation for the rest.
fn choose(state: &mut AppState) {
    if refuse_if_busy(state) {
        state.popup = None;
        return;
    }
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
    // Something may have started between the entry and the confirmation.
    if refuse_if_busy(state) {
        return None;
    }
    let name = request.name_on(state.transactions.protocol());
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
    fn a_payment_is_refused_before_confirmation_while_the_terminal_is_busy() {
        let mut s = on_transactions();
        s.transactions.started(TxnRequest::EndOfDay);
        // `p` itself is refused, saying what runs.
        assert_eq!(handle_key(&mut s, ch('p')), None);
        assert_eq!(s.popup(), None);
        let notice = s.current_notice().expect("a refusal").en.clone();
        assert!(notice.contains("busy with End-of-Day (06 50)"), "{notice}");
        assert!(notice.contains("Try again when it is done"), "{notice}");

        // An amount typed before the terminal became busy is refused at Enter, never confirmed.
        s.transactions.finished();
        handle_key(&mut s, ch('p'));
        handle_key(&mut s, ch('5'));
        s.transactions.started(TxnRequest::RepeatReceipt);
        assert_eq!(handle_key(&mut s, key(KeyCode::Enter)), None);
        assert_ne!(s.popup(), Some(Popup::Txn(TxnPopup::Confirm)));
        assert_eq!(s.transactions().pending(), None);
        assert!(s
            .current_notice()
            .expect("a refusal")
            .en
            .contains("Repeat Receipt"));
    }

    #[test]
    fn the_menu_refuses_a_command_while_checks_run() {
        let mut s = on_transactions();
        s.apply(&crate::event::Event::CheckStarted {
            id: "link.terminal".into(),
            area: crate::checks::Area::Link,
        });
        handle_key(&mut s, ch('c'));
        handle_key(&mut s, key(KeyCode::Enter));
        assert_eq!(s.popup(), None);
        assert_eq!(s.transactions().pending(), None);
        assert!(s
            .current_notice()
            .expect("a refusal")
            .en
            .contains("busy with checks"));
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
