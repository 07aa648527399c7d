//! The Checks tab: every known check with its status, and the evidence of the selected one
//! below it (beside it on very wide terminals).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, HighlightSpacing, Row, Table, TableState};
use ratatui::Frame;

use super::columns::{self, Column};
use super::text::{fit, spinner};
use crate::checks::CheckStatus;
use crate::durations;
use crate::i18n::{display_width, Lang, Text};
use crate::tui::app::{AppState, CheckRow, Progress, Tab};
use crate::tui::theme::Theme;

/// From this width the evidence goes beside the list instead of below it.
const SIDE_BY_SIDE_WIDTH: u16 = 140;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let rows = state.checks.rows().len();
    let [list, detail] = if area.width >= SIDE_BY_SIDE_WIDTH {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area)
    } else {
        // The list takes what it needs, up to a bit more than half; the evidence the rest.
        let want = u16::try_from(rows + 3).unwrap_or(u16::MAX);
        let cap = (area.height * 11 / 20).max(area.height.min(5));
        Layout::vertical([Constraint::Length(want.min(cap)), Constraint::Min(0)]).areas(area)
    };
    render_list(frame, list, state, theme);
    super::check_detail::render(frame, detail, state, theme);
}

/// The status cell: the verdict word, or that it runs or has not run.
pub fn status_cell(row: &CheckRow, lang: Lang, tick: usize, theme: Theme) -> (String, Style) {
    match &row.progress {
        Progress::NotRun => (not_run().get(lang).to_string(), theme.dim()),
        Progress::Running { .. } => (
            format!("{} {}", spinner(tick), running().get(lang)),
            theme.running(),
        ),
        Progress::Done(r) => (
            r.status.word().get(lang).to_string(),
            theme.status(r.status),
        ),
    }
}

pub fn not_run() -> Text {
    Text::fixed("尚未运行", "not run yet")
}

pub fn running() -> Text {
    Text::fixed("运行中", "running")
}

/// Column indices, in display order.
const STATUS: usize = 0;
const AREA: usize = 1;
const ID: usize = 2;
const TITLE: usize = 3;
const SUMMARY: usize = 4;
const TIME: usize = 5;

fn headers() -> [Text; 6] {
    [
        Text::fixed("状态", "Status"),
        Text::fixed("区域", "Area"),
        Text::fixed("编号", "Id"),
        Text::fixed("检查", "Check"),
        Text::fixed("结果", "Result"),
        Text::fixed("用时", "Time"),
    ]
}

fn render_list(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let all_rows = state.checks.rows();
    let rows: Vec<&CheckRow> = state
        .checks
        .order()
        .into_iter()
        .filter_map(|i| all_rows.get(i))
        .collect();
    let block = super::body_block(theme).title(list_title(state, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    // Every cell's text, so column widths follow the content in either language.
    let cells: Vec<[(String, Style); 6]> = rows
        .iter()
        .map(|row| {
            let result = row.result();
            [
                status_cell(row, lang, state.spinner, theme),
                (
                    row.descriptor.area.label().get(lang).to_string(),
                    Style::new(),
                ),
                (row.descriptor.id.clone(), theme.dim()),
                (row.descriptor.title.get(lang).to_string(), Style::new()),
                (
                    result
                        .map(|r| r.summary.get(lang).to_string())
                        .unwrap_or_default(),
                    Style::new(),
                ),
                (
                    match &row.progress {
                        Progress::Done(r) => durations::show(r.duration),
                        Progress::Running { .. } => "…".to_string(),
                        Progress::NotRun => String::new(),
                    },
                    theme.dim(),
                ),
            ]
        })
        .collect();
    let headers = headers();
    let natural = |col: usize| -> u16 {
        let content = cells
            .iter()
            .map(|c| display_width(&c[col].0))
            .max()
            .unwrap_or(0);
        u16::try_from(content.max(display_width(headers[col].get(lang)))).unwrap_or(u16::MAX)
    };
    let title_w = natural(TITLE).min(30);
    let claims = [
        Column {
            width: natural(STATUS),
            rank: 0,
        },
        // The id is what a technician quotes and searches the guide for: it stays before
        // the area and the time, and the summary (repeated in the evidence below) goes first.
        Column {
            width: natural(AREA),
            rank: 4,
        },
        Column {
            width: natural(ID),
            rank: 1,
        },
        Column {
            width: title_w.min(16),
            rank: 2,
        },
        Column { width: 24, rank: 5 },
        Column {
            width: natural(TIME),
            rank: 3,
        },
    ];
    const MARKER: u16 = 2;
    let available = inner.width.saturating_sub(MARKER);
    // Decide with the title at its comfortable width, so narrower screens drop columns
    // before the title gets cramped.
    let mut deciding = claims;
    deciding[TITLE].width = title_w;
    let shown = columns::fit(available, 1, &deciding);

    let mut widths = [0u16; 6];
    for (i, claim) in claims.iter().enumerate() {
        if shown[i] {
            widths[i] = claim.width;
        }
    }
    // The rest of the line goes to the summary when shown, else to the title.
    let used: u16 = widths.iter().sum::<u16>()
        + u16::try_from(shown.iter().filter(|s| **s).count().saturating_sub(1)).unwrap_or(0);
    let spare = available.saturating_sub(used);
    if shown[SUMMARY] {
        widths[TITLE] = title_w;
        widths[SUMMARY] = widths[SUMMARY] + spare - (title_w - claims[TITLE].width).min(spare);
    } else if shown[TITLE] {
        widths[TITLE] += spare;
    }

    let visible: Vec<usize> = (0..6).filter(|&i| shown[i]).collect();
    let header = Row::new(
        visible
            .iter()
            .map(|&i| Cell::from(fit(headers[i].get(lang), usize::from(widths[i])))),
    )
    .style(theme.dim());
    let table_rows = cells.into_iter().map(|row| {
        Row::new(visible.iter().map(|&i| {
            let (text, style) = &row[i];
            Cell::from(Line::from(Span::styled(
                fit(text, usize::from(widths[i])),
                *style,
            )))
        }))
    });
    let constraints = visible.iter().map(|&i| Constraint::Length(widths[i]));
    let table = Table::new(table_rows, constraints)
        .header(header)
        .column_spacing(1)
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::Always)
        .row_highlight_style(theme.selected());
    let selected = (!rows.is_empty()).then(|| state.checks.selected_position());
    let mut table_state = TableState::default().with_selected(selected);
    frame.render_stateful_widget(table, inner, &mut table_state);
}

/// " Checks · 4 FAIL · 1 WARN · 24/24 done · last run 6.0 s ": the problems counted first, each
/// in its status colour, so a run's outcome is read before any row.
fn list_title(state: &AppState, theme: Theme) -> Line<'static> {
    let lang = state.lang();
    let rows = state.checks.rows();
    let done = rows.iter().filter(|r| r.result().is_some()).count();
    let mut spans = vec![Span::styled(
        format!(" {} ", Tab::Checks.title().get(lang)),
        theme.title(),
    )];
    for (count, style) in problem_counts(state, theme) {
        spans.push(Span::styled("· ", theme.title()));
        spans.push(Span::styled(count, style));
        spans.push(Span::raw(" "));
    }
    let mut rest = format!(
        "· {}/{} {} ",
        done,
        rows.len(),
        Text::fixed("已完成", "done").get(lang)
    );
    if let Some(command) = state.command_menu().running() {
        rest.push_str(&format!(
            "· {} {} ",
            spinner(state.spinner),
            command.title().get(lang)
        ));
    } else if state.checks.is_running() {
        rest.push_str(&format!(
            "· {} {} ",
            spinner(state.spinner),
            running().get(lang)
        ));
    } else if let Some(last) = state.last_run {
        let label = Text::fixed("上次运行", "last run");
        rest.push_str(&format!("· {} {} ", label.get(lang), durations::show(last)));
    }
    if !state.checks.problems_first() {
        rest.push_str(&format!(
            "· {} ",
            Text::fixed("原顺序", "as listed").get(lang)
        ));
    }
    spans.push(Span::styled(rest, theme.title()));
    Line::from(spans)
}

/// "3 FAIL", "1 ERROR", "1 WARN" for the statuses the finished checks have, each with its
/// status colour (the word says it without colour). The tab bar shows the same.
pub fn problem_counts(state: &AppState, theme: Theme) -> Vec<(String, Style)> {
    let lang = state.lang();
    let count = state.checks.problems();
    [
        (count.fail, CheckStatus::Fail),
        (count.error, CheckStatus::Error),
        (count.warn, CheckStatus::Warn),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, status)| {
        (
            format!("{n} {}", status.word().get(lang)),
            theme.status(status),
        )
    })
    .collect()
}
