//! The Guide tab's step pane: one question with its answer keys, the fix steps of a cause,
//! "Fixed?" while its proving checks run or while the technician says, and the end (fixed, or
//! what to hand over when escalating).

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::{spinner, wrap};
use crate::checks::CheckResult;
use crate::guide::{Cause, Kb, Question, Step};
use crate::i18n::{display_width, Lang, Text};
use crate::tui::app::{AppState, FixCheck, Progress};
use crate::tui::keys::{self, answer_key, Action, Scope};
use crate::tui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, kb: &Kb, theme: Theme) {
    let Some(walk) = state.guide().walkthrough() else {
        return;
    };
    let lang = state.lang();
    let width = usize::from(area.width.saturating_sub(2)).max(1);
    let step = walk.step(kb, state.evidence());
    let page = Page {
        state,
        lang,
        width,
        theme,
    };
    let (title, mut lines) = match (state.guide().fixing(), &step) {
        (
            Some(FixCheck::Running {
                cause,
                checks,
                results,
                ..
            }),
            _,
        ) => page.verifying(kb, cause, checks, results),
        (Some(FixCheck::AskUser { cause, reasons }), _) => page.confirm_fixed(kb, cause, reasons),
        (None, Step::Ask { question, about }) => page.ask(question, about),
        (None, Step::Fix { cause }) => page.fix(cause),
        (None, Step::Done { cause }) => page.done(cause, walk.attempts()),
        (None, Step::Escalate { cause }) => page.escalate(kb, *cause, !walk.attempts().is_empty()),
    };
    let finished = matches!(step, Step::Done { .. }) || state.guide().fixing().is_some();
    if let (Some(last), false) = (walk.attempts().last(), finished) {
        let mut banner = page.attempt_banner(kb, last);
        banner.push(Line::default());
        banner.append(&mut lines);
        lines = banner;
    }

    let height = usize::from(area.height.saturating_sub(2));
    let max_scroll = lines.len().saturating_sub(height);
    let scroll = usize::from(state.guide().scroll()).min(max_scroll);
    let mut block = super::body_block(theme).title(Span::styled(
        format!(" {} ", title.get(lang)),
        theme.title(),
    ));
    if scroll < max_scroll {
        if let Some(key) = keys::label_of(
            Scope::Tab(crate::tui::app::Tab::Guide),
            state.config().mode,
            Action::PageDown,
        ) {
            let more = Text::fixed("↓ 更多", "↓ more");
            block = block.title_bottom(
                Line::from(Span::styled(
                    format!(" {key} {} ", more.get(lang)),
                    theme.key(),
                ))
                .right_aligned(),
            );
        }
    }
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

/// What every part of the pane needs.
pub(super) struct Page<'a> {
    pub(super) state: &'a AppState,
    pub(super) lang: Lang,
    pub(super) width: usize,
    pub(super) theme: Theme,
}

impl Page<'_> {
    /// `text` wrapped to the pane, the first line after `lead`, the rest indented under it.
    pub(super) fn para(&self, lead: &str, text: &str, style: Style) -> Vec<Line<'static>> {
        let indent = display_width(lead);
        wrap(text, self.width.saturating_sub(indent))
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let lead = if i == 0 {
                    lead.to_string()
                } else {
                    " ".repeat(indent)
                };
                Line::from(vec![Span::raw(lead), Span::styled(l, style)])
            })
            .collect()
    }

    pub(super) fn key(&self, scope: Scope, action: Action) -> Option<&'static str> {
        keys::label_of(scope, self.state.config().mode, action)
    }

    fn ask(&self, question: &Question, about: &Cause) -> (Text, Vec<Line<'static>>) {
        let lang = self.lang;
        let title = Text::new(
            format!("问题 · 关于{}", about.title.zh),
            format!("Question · about {}", about.title.en),
        );
        let mut lines = self.para("", question.text.get(lang), self.theme.title());
        if let Some(hint) = &question.hint {
            lines.extend(self.para("", hint.get(lang), self.theme.dim()));
        }
        lines.push(Line::default());
        for answer in &question.answers {
            let key = answer_key(answer).map(String::from).unwrap_or_default();
            let lead = format!("  {key}  ");
            let mut para = self.para(&lead, answer.text.get(lang), Style::new());
            if let Some(first) = para.first_mut() {
                first.spans[0] = Span::styled(lead.clone(), self.theme.key());
            }
            lines.extend(para);
        }
        if let Some(skip) = self.key(Scope::GuideAsk, Action::GuideSkip) {
            lines.push(Line::default());
            let text = Text::new(
                format!("不知道就按 {skip} 跳过。"),
                format!("Cannot tell? Press {skip} to skip."),
            );
            lines.extend(self.para("", text.get(lang), self.theme.dim()));
        }
        (title, lines)
    }

    fn fix(&self, cause: &Cause) -> (Text, Vec<Line<'static>>) {
        let lang = self.lang;
        let title = Text::new(
            format!("修复 · {}", cause.title.zh),
            format!("Fix · {}", cause.title.en),
        );
        let mut lines = Vec::new();
        for (i, step) in cause.fix.iter().enumerate() {
            lines.extend(self.para(&format!("{}. ", i + 1), step.get(lang), Style::new()));
        }
        let command = self.state.guide_fix_command().map(|(c, _)| c);
        if let (Some(command), Some(c)) = (command, self.key(Scope::GuideFix, Action::OpenCommands))
        {
            let name = command.name();
            let hint = if command.needs_confirmation() {
                Text::new(
                    format!("按 {c} 打开终端命令，已选中{}（确认后才发送）。", name.zh),
                    format!(
                        "Press {c}: terminal commands, on {} (sent once you confirm).",
                        name.en
                    ),
                )
            } else {
                Text::new(
                    format!("按 {c} 打开终端命令，已选中{}。", name.zh),
                    format!("Press {c}: terminal commands, on {}.", name.en),
                )
            };
            lines.extend(self.para("", hint.get(lang), self.theme.key()));
        }
        lines.push(Line::default());
        let proof = if cause.verify.is_empty() {
            Text::fixed(
                "没有检查能证明此修复：修好后请重新做一笔交易确认。",
                "No check can prove this fix: confirm it with a new payment.",
            )
        } else {
            let ids = cause.verify.join(", ");
            Text::new(
                format!("证明修复的检查：{ids}"),
                format!("Proved by: {ids}"),
            )
        };
        lines.extend(self.para("", proof.get(lang), self.theme.dim()));
        let next = match self.key(Scope::GuideFix, Action::GuideFixed) {
            Some(f) if cause.verify.is_empty() => Text::new(
                format!("做完后按 {f}，说明是否修好。"),
                format!("Done? Press {f} and say whether it worked."),
            ),
            Some(f) => Text::new(
                format!("做完后按 {f}：posdiag 重新运行这些检查并记录结果。"),
                format!("Done? Press {f}: posdiag re-runs these checks and records the outcome."),
            ),
            None => Text::fixed(
                "回放只读：不能重新运行检查。",
                "Replay is read-only: the checks cannot be re-run.",
            ),
        };
        lines.extend(self.para("", next.get(lang), self.theme.key()));
        let demo = self.state.config().mode == crate::tui::model::UiMode::Demo;
        if let (true, Some(r)) = (demo, self.key(Scope::GuideFix, Action::GuideSimulateRepair)) {
            let hint = Text::new(
                format!("演示：按 {r} 模拟修复，再按 f 确认。"),
                format!("Demo: press {r} to simulate the repair, then f."),
            );
            lines.extend(self.para("", hint.get(lang), self.theme.key()));
        }
        (title, lines)
    }

    fn verifying(
        &self,
        kb: &Kb,
        cause: &str,
        checks: &[String],
        results: &[CheckResult],
    ) -> (Text, Vec<Line<'static>>) {
        let lang = self.lang;
        let theme = self.theme;
        let title = fixed_title(kb, cause);
        let rerun = Text::fixed(
            "正在重新运行证明修复的检查…",
            "Re-running the checks that prove the fix…",
        );
        let mut lines = vec![Line::from(Span::styled(
            format!("{} {}", spinner(self.state.spinner), rerun.get(lang)),
            theme.running(),
        ))];
        let id_w = checks.iter().map(|c| display_width(c)).max().unwrap_or(0);
        for id in checks {
            let (word, style) = match results.iter().rev().find(|r| &r.id == id) {
                Some(r) => (
                    r.status.word().get(lang).to_string(),
                    theme.status(r.status),
                ),
                None => {
                    let running = self.state.checks().rows().iter().any(|row| {
                        &row.descriptor.id == id && matches!(row.progress, Progress::Running { .. })
                    });
                    let word = if running {
                        Text::fixed("运行中", "running")
                    } else {
                        Text::fixed("等待中", "waiting")
                    };
                    (word.get(lang).to_string(), theme.dim())
                }
            };
            lines.push(Line::from(vec![
                Span::raw(format!("  {}  ", super::text::fit(id, id_w))),
                Span::styled(word, style),
            ]));
        }
        (title, lines)
    }

    fn confirm_fixed(&self, kb: &Kb, cause: &str, reasons: &[Text]) -> (Text, Vec<Line<'static>>) {
        let lang = self.lang;
        let mut lines = Vec::new();
        for r in reasons {
            lines.extend(self.para("", r.get(lang), self.theme.dim()));
        }
        lines.push(Line::default());
        let question = Text::fixed("修好了吗？", "Did it work?");
        lines.extend(self.para("", question.get(lang), self.theme.title()));
        for action in [Action::GuideYesFixed, Action::GuideNotFixed] {
            if let Some(b) = keys::effective(Scope::GuideConfirmFixed, self.state.config().mode)
                .find(|b| b.keys.iter().any(|&(_, a)| a == action))
            {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {}  ", b.label), self.theme.key()),
                    Span::raw(b.text.get(lang).to_string()),
                ]));
            }
        }
        (fixed_title(kb, cause), lines)
    }
}

fn fixed_title(kb: &Kb, cause: &str) -> Text {
    let name = kb
        .cause(cause)
        .map_or_else(|| Text::same(cause), |c| c.title.clone());
    Text::new(
        format!("修好了吗？ · {}", name.zh),
        format!("Fixed? · {}", name.en),
    )
}
