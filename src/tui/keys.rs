//! Key bindings as data: one table of key → action per screen.
//!
//! [`handle_key`](super::handle_key) looks keys up here, and the help popup and the status bar
//! render the same table, so what is shown is always what works. A binding groups the keys of one
//! row in the help (↑↓ are one row, "select"), each key with its own action.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::Tab;
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

use Action as A;
use KeyCode as K;

const fn binding(
    scope: Scope,
    label: &'static str,
    keys: &'static [(Key, Action)],
    text: Text,
    hint: bool,
) -> Binding {
    Binding {
        scope,
        label,
        keys,
        text,
        hint,
        runs_checks: false,
    }
}

const fn runner(scope: Scope, label: &'static str, keys: &'static [(Key, Action)], text: Text) -> Binding {
    Binding {
        scope,
        label,
        keys,
        text,
        hint: true,
        runs_checks: true,
    }
}

const SELECT: &[(Key, Action)] = &[
    (Key::plain(K::Up), A::Up),
    (Key::ch('k'), A::Up),
    (Key::plain(K::Down), A::Down),
    (Key::ch('j'), A::Down),
];

const CONNECT: Scope = Scope::Tab(Tab::Connect);
const CHECKS: Scope = Scope::Tab(Tab::Checks);
const LOG: Scope = Scope::Tab(Tab::Log);

/// The default bindings. Tab scopes come before `Global` so a tab could override a global key.
pub static BINDINGS: &[Binding] = &[
    binding(CONNECT, "↑↓ j k", SELECT, Text::fixed("选择", "select"), true),
    binding(CONNECT, "Enter", &[(Key::plain(K::Enter), A::Activate)], Text::fixed("连接", "connect"), true),
    binding(CHECKS, "↑↓ j k", SELECT, Text::fixed("选择", "select"), true),
    runner(CHECKS, "Enter", &[(Key::plain(K::Enter), A::Activate)], Text::fixed("运行所选", "run selected")),
    runner(CHECKS, "r", &[(Key::ch('r'), A::RunAll)], Text::fixed("全部运行", "run all")),
    binding(
        CHECKS,
        "PgUp PgDn",
        &[(Key::plain(K::PageUp), A::PageUp), (Key::plain(K::PageDown), A::PageDown)],
        Text::fixed("滚动详情", "scroll details"),
        false,
    ),
    binding(LOG, "↑↓ j k", SELECT, Text::fixed("滚动", "scroll"), true),
    binding(
        LOG,
        "PgUp PgDn",
        &[(Key::plain(K::PageUp), A::PageUp), (Key::plain(K::PageDown), A::PageDown)],
        Text::fixed("翻页", "page"),
        false,
    ),
    binding(
        LOG,
        "Home g",
        &[(Key::plain(K::Home), A::Home), (Key::ch('g'), A::Home)],
        Text::fixed("最早", "oldest"),
        false,
    ),
    binding(
        LOG,
        "End G",
        &[(Key::plain(K::End), A::End), (Key::ch('G'), A::End)],
        Text::fixed("最新并跟随", "newest, follow"),
        false,
    ),
    binding(LOG, "f", &[(Key::ch('f'), A::ToggleFreeze)], Text::fixed("冻结/继续", "freeze/resume"), true),
    binding(
        Scope::Help,
        "Esc ?",
        &[
            (Key::plain(K::Esc), A::Close),
            (Key::ch('?'), A::Close),
            (Key::ch('q'), A::Close),
            (Key::ctrl('c'), A::Quit),
        ],
        Text::fixed("关闭帮助", "close help"),
        true,
    ),
    binding(
        Scope::Confirm,
        "y Enter",
        &[
            (Key::ch('y'), A::ConfirmQuit),
            (Key::plain(K::Enter), A::ConfirmQuit),
            (Key::ch('q'), A::ConfirmQuit),
            (Key::ctrl('c'), A::ConfirmQuit),
        ],
        Text::fixed("退出", "quit"),
        true,
    ),
    binding(
        Scope::Confirm,
        "n Esc",
        &[(Key::ch('n'), A::CancelQuit), (Key::plain(K::Esc), A::CancelQuit)],
        Text::fixed("留下", "stay"),
        true,
    ),
    binding(
        Scope::Global,
        "1-5",
        &[
            (Key::ch('1'), A::ShowTab(Tab::Connect)),
            (Key::ch('2'), A::ShowTab(Tab::Checks)),
            (Key::ch('3'), A::ShowTab(Tab::Transactions)),
            (Key::ch('4'), A::ShowTab(Tab::Guide)),
            (Key::ch('5'), A::ShowTab(Tab::Log)),
        ],
        Text::fixed("切换标签页", "switch tab"),
        false,
    ),
    binding(
        Scope::Global,
        "Tab S-Tab",
        &[(Key::plain(K::Tab), A::NextTab), (Key::plain(K::BackTab), A::PrevTab)],
        Text::fixed("下/上一个标签页", "next/previous tab"),
        false,
    ),
    binding(Scope::Global, "Esc", &[(Key::plain(K::Esc), A::Close)], Text::fixed("关闭提示", "dismiss notice"), false),
    binding(Scope::Global, "?", &[(Key::ch('?'), A::OpenHelp)], Text::fixed("帮助", "help"), true),
    binding(
        Scope::Global,
        "q",
        &[(Key::ch('q'), A::Quit), (Key::ctrl('c'), A::Quit)],
        Text::fixed("退出", "quit"),
        true,
    ),
];

/// The bindings in effect for `scope` in `mode`, in table order.
pub fn effective(scope: Scope, mode: UiMode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.scope == scope && (mode.can_run_checks() || !b.runs_checks))
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
        let mut scopes = vec![Scope::Global, Scope::Help, Scope::Confirm];
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
                .flat_map(|&s| BINDINGS.iter().filter(move |b| b.scope == s))
                .flat_map(|b| b.keys.iter().map(|(k, _)| *k))
                .collect();
            for (i, key) in keys.iter().enumerate() {
                assert!(!keys[i + 1..].contains(key), "{key:?} bound twice in {scope:?}");
            }
        }
    }

    #[test]
    fn every_binding_text_is_bilingual() {
        for b in BINDINGS {
            assert!(!b.text.is_incomplete(), "{}", b.label);
        }
    }

    #[test]
    fn replay_hides_the_keys_that_run_checks() {
        let live: Vec<_> = effective(Scope::Tab(Tab::Checks), UiMode::Live).map(|b| b.label).collect();
        let replay: Vec<_> = effective(Scope::Tab(Tab::Checks), UiMode::Replay).map(|b| b.label).collect();
        assert!(live.contains(&"r"));
        assert!(!replay.contains(&"r"));
        assert!(!replay.contains(&"Enter"));
    }
}
