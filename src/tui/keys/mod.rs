//! Key bindings as data: one table of key → action per screen.
//!
//! [`handle_key`](super::handle_key) looks keys up here, and the help popup and the status bar
//! render the same table, so what is shown is always what works. A binding groups the keys of one
//! row in the help (↑↓ are one row, "select"), each key with its own action.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{Tab, TxnPopup};
use super::model::UiMode;
use crate::i18n::Text;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every tab, when no popup is open.
    Global,
    /// One tab, when no popup is open.
    Tab(Tab),
    /// The help popup (modal).
    Help,
    /// The "quit while checks run?" popup (modal).
    Confirm,
    /// The terminal command menu (modal).
    Commands,
    /// The "send this command to the terminal?" popup (modal).
    ConfirmCommand,
    /// The recent messages in full (modal).
    Notices,
    /// A transaction popup (modal): menu, entry or confirmation.
    Txn(TxnPopup),
}

/// What a key does; [`handle_key`](super::handle_key) turns it into state changes and requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ShowTab(Tab),
    NextTab,
    PrevTab,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    /// Enter: connect the selected entry, run the selected check.
    Activate,
    RunAll,
    ToggleFreeze,
    OpenHelp,
    /// Close the popup, or dismiss the notice line.
    Close,
    /// Quit, asking first while checks run.
    Quit,
    ConfirmQuit,
    CancelQuit,
    /// Open the terminal command menu.
    OpenCommands,
    /// Enter in the menu: run a read-only command, or ask to confirm any other.
    ChooseCommand,
    /// Send the command being confirmed.
    ConfirmCommand,
    /// Back to the menu without sending anything.
    CancelCommand,
    /// Show the recent messages in full.
    OpenNotices,
    /// The Transactions tab and its popups.
    Txn(TxnAction),
}

/// One key: a code plus whether Ctrl is held. Shift is part of the character ('G', '?').
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    const fn plain(code: KeyCode) -> Self {
        Key { code, ctrl: false }
    }

    const fn ch(c: char) -> Self {
        Key::plain(KeyCode::Char(c))
    }

    const fn ctrl(c: char) -> Self {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
        }
    }

    /// True when `event` is this key. Alt never matches; Shift is ignored (it is in the char).
    pub fn matches(&self, event: &KeyEvent) -> bool {
        if event.modifiers.contains(KeyModifiers::ALT) {
            return false;
        }
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        // Terminals differ in whether Shift+Tab arrives as BackTab or as Tab with SHIFT.
        let code = match event.code {
            KeyCode::Tab if event.modifiers.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            code => code,
        };
        self.code == code && self.ctrl == ctrl
    }
}

/// One row of the help: the keys, how they are written, what they do.
#[derive(Debug)]
pub struct Binding {
    pub scope: Scope,
    /// How the keys are shown, e.g. "↑↓ j k".
    pub label: &'static str,
    pub keys: &'static [(Key, Action)],
    pub text: Text,
    /// Shown in the status bar (the rest only in the help).
    pub hint: bool,
    /// Starts checks, so absent when replaying a capture.
    pub runs_checks: bool,
}

mod table;
mod txn_table;

pub use table::BINDINGS;
pub use txn_table::{TxnAction, TXN_BINDINGS};

/// Every binding: the main table, then the Transactions tab's.
pub fn all() -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().chain(TXN_BINDINGS.iter())
}

/// The bindings in effect for `scope` in `mode`, in table order.
pub fn effective(scope: Scope, mode: UiMode) -> impl Iterator<Item = &'static Binding> {
    all().filter(move |b| b.scope == scope && (mode.can_run_checks() || !b.runs_checks))
}

/// The bindings shown in the status bar for `scopes` (the screen's own first).
pub fn hints(scopes: &[Scope], mode: UiMode) -> Vec<&'static Binding> {
    scopes
        .iter()
        .flat_map(|&scope| effective(scope, mode).filter(|b| b.hint))
        .collect()
}

/// How the key for `action` in `scope` is written, if it is bound there in `mode`.
pub fn label_of(scope: Scope, mode: UiMode, action: Action) -> Option<&'static str> {
    effective(scope, mode)
        .find(|b| b.keys.iter().any(|&(_, a)| a == action))
        .map(|b| b.label)
}

/// The action of `event` in the first of `scopes` that binds it.
pub fn lookup(scopes: &[Scope], mode: UiMode, event: &KeyEvent) -> Option<Action> {
    scopes.iter().find_map(|&scope| {
        effective(scope, mode)
            .flat_map(|b| b.keys.iter())
            .find(|(key, _)| key.matches(event))
            .map(|&(_, action)| action)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_scopes() -> Vec<Scope> {
        let mut scopes = vec![
            Scope::Global,
            Scope::Help,
            Scope::Confirm,
            Scope::Commands,
            Scope::ConfirmCommand,
            Scope::Notices,
            Scope::Txn(TxnPopup::Menu),
            Scope::Txn(TxnPopup::Entry),
            Scope::Txn(TxnPopup::Confirm),
        ];
        scopes.extend(Tab::ALL.iter().map(|&t| Scope::Tab(t)));
        scopes
    }

    #[test]
    fn no_key_is_bound_twice_where_it_is_reachable() {
        for scope in all_scopes() {
            // A tab's keys are reachable together with the global ones.
            let reachable: Vec<Scope> = match scope {
                Scope::Tab(_) => vec![scope, Scope::Global],
                other => vec![other],
            };
            let keys: Vec<Key> = reachable
                .iter()
                .flat_map(|&s| all().filter(move |b| b.scope == s))
                .flat_map(|b| b.keys.iter().map(|(k, _)| *k))
                .collect();
            for (i, key) in keys.iter().enumerate() {
                assert!(
                    !keys[i + 1..].contains(key),
                    "{key:?} bound twice in {scope:?}"
                );
            }
        }
    }

    #[test]
    fn every_binding_text_is_bilingual() {
        for b in all() {
            assert!(!b.text.is_incomplete(), "{}", b.label);
        }
    }

    #[test]
    fn replay_hides_the_keys_that_run_checks() {
        let live: Vec<_> = effective(Scope::Tab(Tab::Checks), UiMode::Live)
            .map(|b| b.label)
            .collect();
        let replay: Vec<_> = effective(Scope::Tab(Tab::Checks), UiMode::Replay)
            .map(|b| b.label)
            .collect();
        assert!(live.contains(&"r"));
        assert!(live.contains(&"c"));
        assert!(!replay.contains(&"r"));
        assert!(!replay.contains(&"c"));
        assert!(!replay.contains(&"Enter"));
    }
}
