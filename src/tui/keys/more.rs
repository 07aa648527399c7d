//! The bindings of the Guide tab (by where the walkthrough is), the printer popups and replay.
//! The answers to a guide question have no rows here: their keys come from the knowledge base
//! ([`super::answer_key`]), and the help and the status bar show them with the question.

use crossterm::event::KeyCode;

use super::table::{binding, runner, SELECT};
use super::{Action, Binding, Key, Scope};
use crate::i18n::Text;
use crate::tui::app::Tab;

use Action as A;
use KeyCode as K;

const GUIDE: Scope = Scope::Tab(Tab::Guide);

/// The guide's, the printer's and the replay's bindings.
pub static MORE_BINDINGS: &[Binding] = &[
    binding(GUIDE, "↑↓ j k", SELECT, Text::fixed("选择", "select"), true),
    binding(
        GUIDE,
        "PgUp PgDn",
        &[
            (Key::plain(K::PageUp), A::PageUp),
            (Key::plain(K::PageDown), A::PageDown),
        ],
        Text::fixed("滚动步骤", "scroll the steps"),
        false,
    ),
    binding(
        Scope::GuidePick,
        "Enter",
        &[(Key::plain(K::Enter), A::GuideStart)],
        Text::fixed("开始", "start"),
        true,
    ),
    binding(
        Scope::GuideAsk,
        "s",
        &[(Key::ch('s'), A::GuideSkip)],
        Text::fixed("跳过此问题", "skip the question"),
        true,
    ),
    runner(
        Scope::GuideFix,
        "f",
        &[(Key::ch('f'), A::GuideFixed)],
        Text::fixed("修好了？重新检查", "fixed? re-run the checks"),
    ),
    // Only the demo can do it: listed in the help and named by the scenario's story, not on
    // the status bar of a live session.
    Binding {
        scope: Scope::GuideFix,
        label: "r",
        keys: &[(Key::ch('r'), A::GuideSimulateRepair)],
        text: Text::fixed("模拟修复（仅演示）", "simulate the repair (demo only)"),
        hint: false,
        runs_checks: true,
    },
    // The fix step names the terminal command that does the fix (Initialisation for a
    // terminal needing it); `c` opens the menu on it, as on the Checks tab. It sends commands,
    // so like the checks it is absent from a read-only replay; the fix step says when to use it.
    Binding {
        scope: Scope::GuideFix,
        label: "c",
        keys: &[(Key::ch('c'), A::OpenCommands)],
        text: Text::fixed("终端命令", "commands"),
        hint: false,
        runs_checks: true,
    },
    binding(
        Scope::GuideWalk,
        "Backspace",
        &[(Key::plain(K::Backspace), A::GuideUndo)],
        Text::fixed("撤销", "undo"),
        true,
    ),
    binding(
        Scope::GuideVerifying,
        "x",
        &[(Key::ch('x'), A::GuideCancelFix)],
        Text::fixed("不再等待", "stop waiting"),
        true,
    ),
    binding(
        Scope::GuideConfirmFixed,
        "y",
        &[(Key::ch('y'), A::GuideYesFixed)],
        Text::fixed("已修复", "fixed"),
        true,
    ),
    binding(
        Scope::GuideConfirmFixed,
        "n",
        &[(Key::ch('n'), A::GuideNotFixed)],
        Text::fixed("未修复", "not fixed"),
        true,
    ),
    binding(
        Scope::GuideConfirmFixed,
        "Backspace",
        &[(Key::plain(K::Backspace), A::GuideCancelFix)],
        Text::fixed("返回", "back"),
        true,
    ),
    binding(
        Scope::GuideEnd,
        "Enter",
        &[(Key::plain(K::Enter), A::GuideRestart)],
        Text::fixed("重新选择症状", "choose a symptom again"),
        true,
    ),
    binding(
        Scope::Printer,
        "↑↓ j k",
        SELECT,
        Text::fixed("选择", "select"),
        true,
    ),
    runner(
        Scope::Printer,
        "Enter",
        &[(Key::plain(K::Enter), A::ChoosePrinter)],
        Text::fixed("选用", "choose"),
    ),
    binding(
        Scope::Printer,
        "Esc p",
        &[
            (Key::plain(K::Esc), A::Close),
            (Key::ch('p'), A::Close),
            (Key::ch('q'), A::Close),
            (Key::ctrl('c'), A::Quit),
        ],
        Text::fixed("关闭", "close"),
        true,
    ),
    binding(
        Scope::ConfirmPrinter,
        "y Enter",
        &[
            (Key::ch('y'), A::ConfirmPrinter),
            (Key::plain(K::Enter), A::ConfirmPrinter),
        ],
        Text::fixed("执行", "do it"),
        true,
    ),
    binding(
        Scope::ConfirmPrinter,
        "n Esc",
        &[
            (Key::ch('n'), A::CancelPrinter),
            (Key::plain(K::Esc), A::CancelPrinter),
            (Key::ctrl('c'), A::Quit),
        ],
        Text::fixed("取消", "cancel"),
        true,
    ),
    binding(
        Scope::Replay,
        "[ ]",
        &[
            (Key::ch('['), A::ReplayStep(-1)),
            (Key::ch(']'), A::ReplayStep(1)),
        ],
        Text::fixed("上/下一条记录", "step a record"),
        true,
    ),
    binding(
        Scope::Replay,
        "{ }",
        &[
            (Key::ch('{'), A::ReplayStep(-10)),
            (Key::ch('}'), A::ReplayStep(10)),
        ],
        Text::fixed("前后 10 条", "step 10"),
        false,
    ),
    binding(
        Scope::Replay,
        "< >",
        &[
            (Key::ch('<'), A::ReplayFirst),
            (Key::ch('>'), A::ReplayLast),
        ],
        Text::fixed("第一条之前/最后一条", "before the first/the last record"),
        false,
    ),
];
