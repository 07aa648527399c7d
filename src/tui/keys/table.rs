//! The default key bindings, screen by screen. Tab scopes come before `Global` so a tab could
//! override a global key; the help and the status bar show rows in this order.

use crossterm::event::KeyCode;

use super::{Action, Binding, Key, Scope};
use crate::i18n::Text;
use crate::tui::app::Tab;

use Action as A;
use KeyCode as K;

pub(super) const fn binding(
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

pub(super) const fn runner(
    scope: Scope,
    label: &'static str,
    keys: &'static [(Key, Action)],
    text: Text,
) -> Binding {
    Binding {
        scope,
        label,
        keys,
        text,
        hint: true,
        runs_checks: true,
    }
}

pub(super) const SELECT: &[(Key, Action)] = &[
    (Key::plain(K::Up), A::Up),
    (Key::ch('k'), A::Up),
    (Key::plain(K::Down), A::Down),
    (Key::ch('j'), A::Down),
];

const CONNECT: Scope = Scope::Tab(Tab::Connect);
const CHECKS: Scope = Scope::Tab(Tab::Checks);
const LOG: Scope = Scope::Tab(Tab::Log);

/// The default bindings.
pub static BINDINGS: &[Binding] = &[
    binding(
        CONNECT,
        "↑↓ j k",
        SELECT,
        Text::fixed("选择", "select"),
        true,
    ),
    binding(
        CONNECT,
        "Enter",
        &[(Key::plain(K::Enter), A::Activate)],
        Text::fixed("连接", "connect"),
        true,
    ),
    binding(
        CHECKS,
        "↑↓ j k",
        SELECT,
        Text::fixed("选择", "select"),
        true,
    ),
    runner(
        CHECKS,
        "Enter",
        &[(Key::plain(K::Enter), A::Activate)],
        Text::fixed("运行所选", "run selected"),
    ),
    runner(
        CHECKS,
        "r",
        &[(Key::ch('r'), A::RunAll)],
        Text::fixed("全部运行", "run all"),
    ),
    runner(
        CHECKS,
        "c",
        &[(Key::ch('c'), A::OpenCommands)],
        Text::fixed("终端命令", "commands"),
    ),
    binding(
        CHECKS,
        "g",
        &[(Key::ch('g'), A::GuideFromCheck)],
        Text::fixed("排障向导（此原因）", "guide for this cause"),
        true,
    ),
    // Problems first is the default; the title says "as listed" while the other order is on.
    binding(
        CHECKS,
        "o",
        &[(Key::ch('o'), A::ToggleCheckOrder)],
        Text::fixed("排序", "sort"),
        true,
    ),
    binding(
        CHECKS,
        "p",
        &[(Key::ch('p'), A::OpenPrinter)],
        Text::fixed(
            "打印机：测试打印、恢复、小票",
            "printer: test print, recovery, receipt",
        ),
        false,
    ),
    binding(
        CHECKS,
        "PgUp PgDn",
        &[
            (Key::plain(K::PageUp), A::PageUp),
            (Key::plain(K::PageDown), A::PageDown),
        ],
        Text::fixed("滚动详情", "scroll details"),
        false,
    ),
    binding(LOG, "↑↓ j k", SELECT, Text::fixed("滚动", "scroll"), true),
    binding(
        LOG,
        "PgUp PgDn",
        &[
            (Key::plain(K::PageUp), A::PageUp),
            (Key::plain(K::PageDown), A::PageDown),
        ],
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
    binding(
        LOG,
        "f",
        &[(Key::ch('f'), A::ToggleFreeze)],
        Text::fixed("冻结/继续", "freeze/resume"),
        true,
    ),
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
        &[
            (Key::ch('n'), A::CancelQuit),
            (Key::plain(K::Esc), A::CancelQuit),
        ],
        Text::fixed("留下", "stay"),
        true,
    ),
    binding(
        Scope::Commands,
        "↑↓ j k",
        SELECT,
        Text::fixed("选择", "select"),
        true,
    ),
    binding(
        Scope::Commands,
        "Enter",
        &[(Key::plain(K::Enter), A::ChooseCommand)],
        Text::fixed("选用", "choose"),
        true,
    ),
    binding(
        Scope::Commands,
        "Esc c",
        &[
            (Key::plain(K::Esc), A::Close),
            (Key::ch('c'), A::Close),
            (Key::ch('q'), A::Close),
            (Key::ctrl('c'), A::Quit),
        ],
        Text::fixed("关闭", "close"),
        true,
    ),
    binding(
        Scope::ConfirmCommand,
        "y Enter",
        &[
            (Key::ch('y'), A::ConfirmCommand),
            (Key::plain(K::Enter), A::ConfirmCommand),
        ],
        Text::fixed("发送", "send"),
        true,
    ),
    binding(
        Scope::ConfirmCommand,
        "n Esc",
        &[
            (Key::ch('n'), A::CancelCommand),
            (Key::plain(K::Esc), A::CancelCommand),
            (Key::ctrl('c'), A::Quit),
        ],
        Text::fixed("取消", "cancel"),
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
        &[
            (Key::plain(K::Tab), A::NextTab),
            (Key::plain(K::BackTab), A::PrevTab),
        ],
        Text::fixed("下/上一个标签页", "next/previous tab"),
        false,
    ),
    binding(
        Scope::Global,
        "Esc",
        &[(Key::plain(K::Esc), A::Close)],
        Text::fixed("关闭提示", "dismiss notice"),
        false,
    ),
    binding(
        Scope::Notices,
        "Esc m",
        &[
            (Key::plain(K::Esc), A::Close),
            (Key::ch('m'), A::Close),
            (Key::ch('q'), A::Close),
            (Key::ctrl('c'), A::Quit),
        ],
        Text::fixed("关闭", "close"),
        true,
    ),
    binding(
        Scope::Global,
        "m",
        &[(Key::ch('m'), A::OpenNotices)],
        Text::fixed("完整消息（命令结果）", "messages in full (command results)"),
        false,
    ),
    binding(
        Scope::Global,
        "?",
        &[(Key::ch('?'), A::OpenHelp)],
        Text::fixed("帮助", "help"),
        true,
    ),
    binding(
        Scope::Global,
        "q",
        &[(Key::ch('q'), A::Quit), (Key::ctrl('c'), A::Quit)],
        Text::fixed("退出", "quit"),
        true,
    ),
];
