//! Keys of the Connect tab's address prompt: typed text, Backspace, Enter to connect, Esc to
//! cancel. Read before the bindings, so letters like `q` are text here.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Text;
use crate::tui::app::{AddressPrompt, AppState, Popup};
use crate::tui::model::UiRequest;

/// Enter on a Connect entry: ask where its device is, or connect at once.
pub fn activate(state: &mut AppState) -> Option<UiRequest> {
    let index = state.selected_entry()?;
    if let Some(ask) = state.entries.get(index).and_then(|e| e.ask.clone()) {
        state.address = Some(AddressPrompt::new(index, ask));
        state.popup = Some(Popup::Address);
        return None;
    }
    // The Checks tab comes up when the new session's checks start (see `apply`).
    state.connecting = true;
    Some(UiRequest::Connect(index))
}

pub fn address_key(state: &mut AppState, key: KeyEvent) -> Option<UiRequest> {
    let prompt = state.address.as_mut()?;
    match key.code {
        KeyCode::Esc => close(state),
        KeyCode::Enter => match prompt.request() {
            Some(request) => {
                close(state);
                state.connecting = true;
                return Some(request);
            }
            None => {
                let what = prompt.ask.what();
                state.notify(Text::new(
                    format!("请输入{}，再按 Enter 连接；Esc 取消。", what.zh),
                    format!("Type the {}, then Enter to connect; Esc cancels.", what.en),
                ));
            }
        },
        KeyCode::Backspace => prompt.backspace(),
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => close(state),
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => prompt.type_char(c),
        _ => {}
    }
    None
}

fn close(state: &mut AppState) {
    state.address = None;
    state.popup = None;
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::*;
    use crate::i18n::Lang;
    use crate::tui::fixtures::{ch, entries, press, state};
    use crate::tui::input::handle_key;
    use crate::tui::model::ConnectAsk;

    fn with_tcp_profile() -> AppState {
        let mut s = state(Lang::En);
        let mut list = entries();
        list[2].ask = Some(ConnectAsk::Tcp {
            default: "127.0.0.1:20007".into(),
        });
        s.set_connect_entries(list);
        s
    }

    #[test]
    fn a_tcp_profile_asks_for_the_address_before_connecting() {
        let mut s = with_tcp_profile();
        handle_key(&mut s, ch('j'));
        handle_key(&mut s, ch('j'));
        assert_eq!(handle_key(&mut s, press(KeyCode::Enter)), None);
        assert_eq!(s.popup(), Some(Popup::Address));
        assert_eq!(
            s.address_prompt().map(|p| p.text.as_str()),
            Some("127.0.0.1:20007")
        );
        // The profile's address is offered ready to edit; `q` is text here, not quit.
        for _ in 0.."127.0.0.1:20007".len() {
            handle_key(&mut s, press(KeyCode::Backspace));
        }
        for c in "shop-q.lan:20007".chars() {
            assert_eq!(handle_key(&mut s, ch(c)), None);
        }
        assert_eq!(
            handle_key(&mut s, press(KeyCode::Enter)),
            Some(UiRequest::ConnectTo {
                index: 2,
                address: "shop-q.lan:20007".into()
            })
        );
        assert_eq!(s.popup(), None);
    }

    #[test]
    fn an_empty_address_is_refused_and_esc_cancels() {
        let mut s = with_tcp_profile();
        s.selected_entry = 2;
        handle_key(&mut s, press(KeyCode::Enter));
        for _ in 0..40 {
            handle_key(&mut s, press(KeyCode::Backspace));
        }
        assert_eq!(handle_key(&mut s, press(KeyCode::Enter)), None);
        assert_eq!(s.popup(), Some(Popup::Address));
        assert!(s
            .current_notice()
            .is_some_and(|n| n.en.contains("HOST:PORT")));
        assert_eq!(handle_key(&mut s, press(KeyCode::Esc)), None);
        assert_eq!(s.popup(), None);
        assert!(s.address_prompt().is_none());
    }

    #[test]
    fn an_entry_that_asks_nothing_connects_at_once() {
        let mut s = with_tcp_profile();
        assert_eq!(
            handle_key(&mut s, press(KeyCode::Enter)),
            Some(UiRequest::Connect(0))
        );
    }
}
