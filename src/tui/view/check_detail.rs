//! The evidence of the selected check: verdict, summary, the measured values, cause ids, and the
//! frames the verdict was drawn from.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::checks::{not_run, running};
use super::text::{clock, fit, spinner};
use crate::checks::CheckResult;
use crate::durations;
use crate::i18n::{display_width, Lang, Text};
use crate::session::TerminalCommand;
use crate::tui::app::{AppState, Progress, Tab};
use crate::tui::keys::{self, Action, Scope, TxnAction};
use crate::tui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let Some(row) = state.checks.selected() else {
        let block = super::body_block(theme);
        let text = Text::fixed(
            "此配置没有可运行的检查。",
            "This profile has no checks to run.",
        );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        frame.render_widget(Paragraph::new(text.get(lang).to_string()), inner);
        return;
    };
    let mut title = format!(
        " {} · {} ",
        row.descriptor.id,
        row.descriptor.title.get(lang)
    );
    if let Some(result) = row.result() {
        title.push_str(&format!("· {} ", durations::show(result.duration)));
    }
    let block = super::body_block(theme).title(Span::styled(title, theme.title()));

    let lines = match &row.progress {
        Progress::NotRun => not_run_lines(state, theme),
        Progress::Running { .. } => vec![Line::from(Span::styled(
            format!("{} {}…", spinner(state.spinner), running().get(lang)),
            theme.running(),
        ))],
        Progress::Done(result) => result_lines(result, state, theme),
    };
    let block = match more_hint(
        &lines,
        area,
        state.checks.detail_scroll(),
        Scope::Tab(Tab::Checks),
        state,
    ) {
        Some(hint) => {
            block.title_bottom(Line::from(Span::styled(hint, theme.key())).right_aligned())
        }
        None => block,
    };
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((state.checks.detail_scroll(), 0));
    frame.render_widget(paragraph, area);
}

/// "PgDn ↓ more" on the frame when the text goes on below what is shown (scrolled `scroll`
/// lines down, paged by `scope`'s PageDown key).
pub fn more_hint(
    lines: &[Line],
    area: Rect,
    scroll: u16,
    scope: Scope,
    state: &AppState,
) -> Option<String> {
    let width = usize::from(area.width.saturating_sub(2)).max(1);
    let height = usize::from(area.height.saturating_sub(2));
    // Lines after wrapping (word wrap can take a little more; close enough for a hint).
    let wrapped: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    if wrapped <= usize::from(scroll) + height {
        return None;
    }
    let key = keys::label_of(scope, state.config.mode, Action::PageDown)
        .or_else(|| keys::label_of(scope, state.config.mode, Action::Txn(TxnAction::PageDown)))?;
    let more = Text::fixed("↓ 更多", "↓ more");
    Some(format!(" {key} {} ", more.get(state.lang())))
}

fn not_run_lines(state: &AppState, theme: Theme) -> Vec<Line<'static>> {
    let lang = state.lang();
    let mode = state.config.mode;
    let scope = Scope::Tab(Tab::Checks);
    let text = match (
        keys::label_of(scope, mode, Action::Activate),
        keys::label_of(scope, mode, Action::RunAll),
    ) {
        (Some(one), Some(all)) => Text::new(
            format!(
                "{}。按 {one} 运行此项，按 {all} 运行全部检查。",
                not_run().get(Lang::Zh)
            ),
            format!("Not run yet. Press {one} to run this check, {all} to run all checks."),
        ),
        _ => Text::fixed(
            "此记录中没有这项检查的结果。",
            "This capture has no result for this check.",
        ),
    };
    vec![Line::from(Span::styled(
        text.get(lang).to_string(),
        theme.dim(),
    ))]
}

fn result_lines(result: &CheckResult, state: &AppState, theme: Theme) -> Vec<Line<'static>> {
    let lang = state.lang();
    let mut lines = vec![Line::from(vec![
        Span::styled(
            result.status.word().get(lang).to_string(),
            theme.status(result.status),
        ),
        Span::raw("  "),
        Span::styled(result.summary.get(lang).to_string(), theme.title()),
    ])];

    if !result.evidence.is_empty() {
        lines.push(Line::default());
        let label_w = result
            .evidence
            .iter()
            .map(|e| display_width(e.label.get(lang)))
            .max()
            .unwrap_or(0);
        for evidence in &result.evidence {
            lines.push(Line::from(vec![
                Span::styled(fit(evidence.label.get(lang), label_w), theme.dim()),
                Span::raw("  "),
                Span::raw(evidence.value_in(lang).to_owned()),
            ]));
        }
    }

    if !result.causes.is_empty() {
        let label = Text::fixed("可能原因：", "Likely causes: ");
        let mut spans = vec![
            Span::styled(label.get(lang).to_string(), theme.dim()),
            Span::styled(result.causes.join(", "), theme.warning()),
        ];
        let guide = keys::label_of(
            Scope::Tab(Tab::Checks),
            state.config.mode,
            Action::GuideFromCheck,
        );
        if let (Some(key), false) = (guide, result.status == crate::checks::CheckStatus::Pass) {
            let how = Text::new(
                format!(" — 按 {key} 打开排障向导"),
                format!(" — press {key} for the guide"),
            );
            spans.push(Span::styled(how.get(lang).to_string(), theme.dim()));
        }
        lines.push(Line::from(spans));
    }

    if let Some((command, _)) = crate::tui::app::recovery_for(result) {
        lines.push(recovery_line(command, state, theme));
    }

    if !result.frames.is_empty() {
        lines.push(Line::default());
        let label = Text::fixed("报文：", "Frames:");
        lines.push(Line::from(Span::styled(
            label.get(lang).to_string(),
            theme.dim(),
        )));
        for f in &result.frames {
            let style = if f.error {
                theme.error()
            } else {
                ratatui::style::Style::new()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{} ", f.direction.arrow()), style),
                Span::styled(
                    format!("{} ", clock(f.time, state.config.utc_offset)),
                    theme.dim(),
                ),
                Span::styled(f.summary.clone(), style),
            ]));
        }
    }
    lines
}

/// The spec's recovery action as a suggestion: how to reach it, and that it never runs by
/// itself.
fn recovery_line(command: TerminalCommand, state: &AppState, theme: Theme) -> Line<'static> {
    let lang = state.lang();
    let label = Text::fixed("恢复操作（ZVT 规范）：", "Recovery (ZVT spec): ");
    let title = command.title();
    let how = match keys::label_of(
        Scope::Tab(Tab::Checks),
        state.config.mode,
        Action::OpenCommands,
    ) {
        Some(key) => Text::new(
            format!(" — 按 {key} 打开终端命令；不会自动执行"),
            format!(" — press {key} for terminal commands; never run automatically"),
        ),
        None => Text::fixed(" — 不会自动执行", " — never run automatically"),
    };
    Line::from(vec![
        Span::styled(label.get(lang).to_string(), theme.dim()),
        Span::styled(
            format!("{} · {}", title.get(lang), command.tag().get(lang)),
            theme.safety(command.safety()),
        ),
        Span::styled(how.get(lang).to_string(), theme.dim()),
    ])
}
