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
    /// The Guide tab while choosing a symptom.
    GuidePick,
    /// The Guide tab while a question is shown (the answers' keys come from the knowledge
    /// base, see `answer_key`).
    GuideAsk,
    /// The Guide tab during a walkthrough (questions, fix steps, the end).
    GuideWalk,
    /// The Guide tab while a cause's fix steps are shown.
    GuideFix,
    /// The Guide tab while the proving checks run.
    GuideVerifying,
    /// The Guide tab while the technician says whether a fix worked.
    GuideConfirmFixed,
    /// The Guide tab at the end of a walkthrough.
    GuideEnd,
    /// The printer popup (modal).
    Printer,
    /// The "do this to the printer?" popup (modal).
    ConfirmPrinter,
    /// Every tab while a capture is replayed.
    Replay,
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
    /// Enter in the symptom picker: start the walkthrough.
    GuideStart,
    /// Skip the question shown.
    GuideSkip,
    /// Take back the last answer, skip or fix attempt.
    GuideUndo,
    /// "Fixed?": re-run the checks that prove the fix.
    GuideFixed,
    /// The demo: the simulated devices stop showing the cause, as if it were fixed.
    GuideSimulateRepair,
    /// The technician says the fix worked (no check can prove it).
    GuideYesFixed,
    /// The technician says the fix did not work.
    GuideNotFixed,
    /// Stop waiting for the proving checks, or go back from "did it work?".
    GuideCancelFix,
    /// Back to the symptom picker.
    GuideRestart,
    /// On the Checks tab: the guide for the selected check's cause.
    GuideFromCheck,
    /// On the Checks tab: problems first, or the session's order.
    ToggleCheckOrder,
    /// Open the printer popup.
    OpenPrinter,
    /// Enter in the printer popup: ask to confirm the selected action.
    ChoosePrinter,
    /// Do the printer action being confirmed.
    ConfirmPrinter,
    /// Back to the printer popup without doing anything.
    CancelPrinter,
    /// Move the replay cursor by this many records.
    ReplayStep(i16),
    /// Replay cursor before the first record.
    ReplayFirst,
    /// Replay cursor after the last record.
    ReplayLast,
    /// The Transactions tab and its popups.
    Txn(TxnAction),
    /// Log tab: start typing a search.
    LogSearch,
    /// Log tab: the next newer match.
    LogNextMatch,
    /// Log tab: the next older match.
    LogPrevMatch,
    /// Log tab: all channels → terminal → printer → host.
    LogFilter,
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

/// The mouse's row in the help's "everywhere" section (how it is written, what it does): no
/// key binding, but a technician should learn from `?` that clicks and the wheel work
/// (see `input/mouse.rs`).
pub const MOUSE: (Text, Text) = (
    Text::fixed("鼠标", "mouse"),
    Text::fixed(
        "点击标签页或行；滚轮滚动",
        "click a tab or a row; the wheel scrolls",
    ),
);

mod more;
mod table;
mod txn_table;

pub use more::MORE_BINDINGS;
pub use table::BINDINGS;
pub use txn_table::{TxnAction, TXN_BINDINGS};

/// Every binding: the base table, then the guide's, the printer's and the replay's, then the
/// Transactions tab's.
pub fn all() -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .chain(MORE_BINDINGS.iter())
        .chain(TXN_BINDINGS.iter())
}

/// The bindings in effect for `scope` in `mode`, in table order.
pub fn effective(scope: Scope, mode: UiMode) -> impl Iterator<Item = &'static Binding> {
    all().filter(move |b| b.scope == scope && (mode.can_run_checks() || !b.runs_checks))
}

/// The key that gives `answer` to a guide question: the first letter of its id (`y`es, `n`o,
/// `u`nsure). A test keeps them distinct per question and clear of the Guide tab's keys.
pub fn answer_key(answer: &crate::guide::Answer) -> Option<char> {
    answer
        .id
        .chars()
        .next()
        .map(|c| c.to_ascii_lowercase())
        .filter(char::is_ascii_alphanumeric)
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

    /// Every set of scopes `AppState::key_scopes` can return.
    fn reachable_sets() -> Vec<Vec<Scope>> {
        let mut sets: Vec<Vec<Scope>> = [
            Scope::Help,
            Scope::Confirm,
            Scope::Commands,
            Scope::ConfirmCommand,
            Scope::Notices,
            Scope::Printer,
            Scope::ConfirmPrinter,
            Scope::Txn(TxnPopup::Menu),
            Scope::Txn(TxnPopup::Entry),
            Scope::Txn(TxnPopup::Confirm),
        ]
        .into_iter()
        .map(|s| vec![s])
        .collect();
        let guide = [
            vec![Scope::GuidePick],
            vec![Scope::GuideAsk, Scope::GuideWalk],
            vec![Scope::GuideFix, Scope::GuideWalk],
            vec![Scope::GuideVerifying],
            vec![Scope::GuideConfirmFixed],
            vec![Scope::GuideEnd, Scope::GuideWalk],
        ];
        for tab in Tab::ALL {
            let own: Vec<Vec<Scope>> = if tab == Tab::Guide {
                guide.to_vec()
            } else {
                vec![Vec::new()]
            };
            for first in own {
                for replay in [false, true] {
                    let mut set = first.clone();
                    set.push(Scope::Tab(tab));
                    if replay {
                        set.push(Scope::Replay);
                    }
                    set.push(Scope::Global);
                    sets.push(set);
                }
            }
        }
        sets
    }

    #[test]
    fn no_key_is_bound_twice_where_it_is_reachable() {
        for reachable in reachable_sets() {
            let keys: Vec<Key> = reachable
                .iter()
                .flat_map(|&s| all().filter(move |b| b.scope == s))
                .flat_map(|b| b.keys.iter().map(|(k, _)| *k))
                .collect();
            for (i, key) in keys.iter().enumerate() {
                assert!(
                    !keys[i + 1..].contains(key),
                    "{key:?} bound twice in {reachable:?}"
                );
            }
        }
    }

    #[test]
    fn answer_keys_are_distinct_and_clear_of_the_guide_keys() {
        let kb = crate::guide::builtin().expect("knowledge base");
        let taken: Vec<Key> = [
            Scope::GuideAsk,
            Scope::GuideWalk,
            Scope::Tab(Tab::Guide),
            Scope::Replay,
            Scope::Global,
        ]
        .iter()
        .flat_map(|&s| all().filter(move |b| b.scope == s))
        .flat_map(|b| b.keys.iter().map(|(k, _)| *k))
        .collect();
        for q in &kb.questions {
            let keys: Vec<char> = q
                .answers
                .iter()
                .map(|a| answer_key(a).unwrap_or_else(|| panic!("{}: {} has no key", q.id, a.id)))
                .collect();
            for (i, c) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(c), "{}: two answers on '{c}'", q.id);
                assert!(
                    !taken.contains(&Key::ch(*c)),
                    "{}: answer key '{c}' is bound on the Guide tab",
                    q.id
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
