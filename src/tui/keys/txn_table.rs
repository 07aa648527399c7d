//! The key bindings of the Transactions tab and its popups (menu, amount / receipt entry,
//! confirmation). Chained after the main table by [`super::all`].

use crossterm::event::KeyCode;

use super::{Action, Binding, Key, Scope};
use crate::i18n::Text;
use crate::tui::app::{Tab, TxnPopup};

/// What a key does on the Transactions tab and in its popups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnAction {
    Up,
    Down,
    PageUp,
    PageDown,
    /// Back to following the newest transaction.
    Newest,
    /// `c`: the transaction command menu.
    OpenMenu,
    /// `p`: straight to a payment's amount.
    NewPayment,
    /// Enter in the menu.
    Choose,
    /// A character typed into the entry.
    Char(char),
    Backspace,
    /// Enter in the entry: on to the confirmation.
    Submit,
    /// y / Enter in the confirmation: send it.
    Confirm,
    /// Esc in the entry or confirmation: back to the menu; in the menu: close it.
    Back,
}

const fn row(
    scope: Scope,
    label: &'static str,
    keys: &'static [(Key, Action)],
    text: Text,
    hint: bool,
    runs: bool,
) -> Binding {
    Binding {
        scope,
        label,
        keys,
        text,
        hint,
        runs_checks: runs,
    }
}

const TAB: Scope = Scope::Tab(Tab::Transactions);
const MENU: Scope = Scope::Txn(TxnPopup::Menu);
const ENTRY: Scope = Scope::Txn(TxnPopup::Entry);
const CONFIRM: Scope = Scope::Txn(TxnPopup::Confirm);

const fn t(a: TxnAction) -> Action {
    Action::Txn(a)
}

const SELECT: &[(Key, Action)] = &[
    (Key::plain(KeyCode::Up), t(TxnAction::Up)),
    (Key::ch('k'), t(TxnAction::Up)),
    (Key::plain(KeyCode::Down), t(TxnAction::Down)),
    (Key::ch('j'), t(TxnAction::Down)),
];

const DIGITS: &[(Key, Action)] = &[
    (Key::ch('0'), t(TxnAction::Char('0'))),
    (Key::ch('1'), t(TxnAction::Char('1'))),
    (Key::ch('2'), t(TxnAction::Char('2'))),
    (Key::ch('3'), t(TxnAction::Char('3'))),
    (Key::ch('4'), t(TxnAction::Char('4'))),
    (Key::ch('5'), t(TxnAction::Char('5'))),
    (Key::ch('6'), t(TxnAction::Char('6'))),
    (Key::ch('7'), t(TxnAction::Char('7'))),
    (Key::ch('8'), t(TxnAction::Char('8'))),
    (Key::ch('9'), t(TxnAction::Char('9'))),
    (Key::ch('.'), t(TxnAction::Char('.'))),
];

/// The bindings of the Transactions tab and its popups.
pub static TXN_BINDINGS: &[Binding] = &[
    row(
        TAB,
        "↑↓ j k",
        SELECT,
        Text::fixed("选择", "select"),
        true,
        false,
    ),
    row(
        TAB,
        "PgUp PgDn",
        &[
            (Key::plain(KeyCode::PageUp), t(TxnAction::PageUp)),
            (Key::plain(KeyCode::PageDown), t(TxnAction::PageDown)),
        ],
        Text::fixed("滚动详情", "scroll details"),
        false,
        false,
    ),
    row(
        TAB,
        "End G",
        &[
            (Key::plain(KeyCode::End), t(TxnAction::Newest)),
            (Key::ch('G'), t(TxnAction::Newest)),
        ],
        Text::fixed("最新并跟随", "newest, follow"),
        false,
        false,
    ),
    row(
        TAB,
        "p",
        &[(Key::ch('p'), t(TxnAction::NewPayment))],
        Text::fixed("消费", "payment"),
        true,
        true,
    ),
    row(
        TAB,
        "c",
        &[(Key::ch('c'), t(TxnAction::OpenMenu))],
        Text::fixed("交易命令", "commands"),
        true,
        true,
    ),
    row(
        MENU,
        "↑↓ j k",
        SELECT,
        Text::fixed("选择", "select"),
        true,
        false,
    ),
    row(
        MENU,
        "Enter",
        &[(Key::plain(KeyCode::Enter), t(TxnAction::Choose))],
        Text::fixed("选用", "choose"),
        true,
        false,
    ),
    row(
        MENU,
        "Esc c",
        &[
            (Key::plain(KeyCode::Esc), t(TxnAction::Back)),
            (Key::ch('c'), t(TxnAction::Back)),
            (Key::ch('q'), t(TxnAction::Back)),
            (Key::ctrl('c'), Action::Quit),
        ],
        Text::fixed("关闭", "close"),
        true,
        false,
    ),
    row(
        ENTRY,
        "0-9 .",
        DIGITS,
        Text::fixed("输入", "type"),
        true,
        false,
    ),
    row(
        ENTRY,
        "Bksp",
        &[(Key::plain(KeyCode::Backspace), t(TxnAction::Backspace))],
        Text::fixed("删除", "delete"),
        true,
        false,
    ),
    row(
        ENTRY,
        "Enter",
        &[(Key::plain(KeyCode::Enter), t(TxnAction::Submit))],
        Text::fixed("下一步", "next"),
        true,
        false,
    ),
    row(
        ENTRY,
        "Esc",
        &[
            (Key::plain(KeyCode::Esc), t(TxnAction::Back)),
            (Key::ctrl('c'), Action::Quit),
        ],
        Text::fixed("返回", "back"),
        true,
        false,
    ),
    row(
        CONFIRM,
        "y Enter",
        &[
            (Key::ch('y'), t(TxnAction::Confirm)),
            (Key::plain(KeyCode::Enter), t(TxnAction::Confirm)),
        ],
        Text::fixed("发送", "send"),
        true,
        false,
    ),
    row(
        CONFIRM,
        "n Esc",
        &[
            (Key::ch('n'), t(TxnAction::Back)),
            (Key::plain(KeyCode::Esc), t(TxnAction::Back)),
            (Key::ctrl('c'), Action::Quit),
        ],
        Text::fixed("取消", "cancel"),
        true,
        false,
    ),
];
