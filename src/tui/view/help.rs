//! The `?` popup: the bindings in effect on this screen (with a guide question's answer keys),
//! the replay's when replaying, then the ones that work everywhere and the mouse — read from
//! the same tables the keys are looked up in. When one column does not fit the height, it
//! loses its blank lines, then "everywhere" goes to a second column.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::text::fit;
use crate::i18n::{display_width, Lang, Text};
use crate::tui::app::AppState;
use crate::tui::keys::{self, Binding, Scope};
use crate::tui::theme::Theme;

/// One row: keys, what they do.
type Row = (String, String);

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let mode = state.config().mode;
    let scopes = state.screen_scopes();
    let rows_of = |scope: Scope| -> Vec<Row> {
        keys::effective(scope, mode)
            .map(|b: &Binding| (b.label.to_string(), b.text.get(lang).to_string()))
            .collect()
    };

    let mut screen: Vec<Row> = Vec::new();
    if let Some(answer_keys) = super::guide::answer_keys(state) {
        screen.push((
            answer_keys,
            super::guide::answer_text().get(lang).to_string(),
        ));
    }
    for &scope in scopes
        .iter()
        .filter(|s| !matches!(s, Scope::Global | Scope::Replay))
    {
        screen.extend(rows_of(scope));
    }
    let replay = if scopes.contains(&Scope::Replay) {
        rows_of(Scope::Replay)
    } else {
        Vec::new()
    };
    let mut global = rows_of(Scope::Global);
    let (mouse, clicks) = &keys::MOUSE;
    global.push((mouse.get(lang).to_string(), clicks.get(lang).to_string()));

    let tab = state.tab().title();
    let sections: Vec<(Text, Vec<Row>)> = vec![
        (
            Text::new(
                format!("本页（{}）", tab.get(Lang::Zh)),
                format!("This screen ({})", tab.get(Lang::En)),
            ),
            screen,
        ),
        (Text::fixed("回放", "Replay"), replay),
    ];
    let key_w = sections
        .iter()
        .flat_map(|(_, rows)| rows)
        .chain(&global)
        .map(|(k, _)| display_width(k))
        .max()
        .unwrap_or(0);
    let section_lines = |heading: &Text, rows: &[Row]| -> Vec<Line<'static>> {
        let mut lines = vec![Line::from(Span::styled(
            heading.get(lang).to_string(),
            theme.title(),
        ))];
        lines.extend(rows.iter().map(|(k, t)| {
            Line::from(vec![
                Span::raw("  "),
                Span::styled(fit(k, key_w), theme.key()),
                Span::raw("  "),
                Span::raw(t.clone()),
            ])
        }));
        lines
    };
    let mut left = Vec::new();
    for (heading, rows) in sections.iter().filter(|(_, rows)| !rows.is_empty()) {
        left.extend(section_lines(heading, rows));
        left.push(Line::default());
    }
    let everywhere = section_lines(&Text::fixed("所有页面", "Everywhere"), &global);

    // One column if it fits, else one column without the blank lines between the sections
    // (their headings still part them), else "everywhere" in a second column.
    let fits = |rows: usize| rows + everywhere.len() + 2 <= usize::from(area.height);
    let blanks = left.iter().filter(|l| l.width() == 0).count();
    let compact = !fits(left.len()) && fits(left.len() - blanks);
    if compact {
        left.retain(|l| l.width() > 0);
    }
    let one_column = fits(left.len());
    let (lines, width) = if one_column || left.is_empty() {
        left.extend(everywhere);
        let w = left.iter().map(Line::width).max().unwrap_or(0);
        (left, w)
    } else {
        if left.last().is_some_and(|l| l.width() == 0) {
            left.pop();
        }
        let left_w = left.iter().map(Line::width).max().unwrap_or(0);
        let rows = left.len().max(everywhere.len());
        let lines = (0..rows)
            .map(|i| {
                let mut spans: Vec<Span> = Vec::new();
                let l = left.get(i).cloned().unwrap_or_default();
                let pad = left_w.saturating_sub(l.width());
                spans.extend(l.spans);
                spans.push(Span::raw(" ".repeat(pad + 3)));
                if let Some(r) = everywhere.get(i) {
                    spans.extend(r.spans.clone());
                }
                Line::from(spans)
            })
            .collect::<Vec<_>>();
        let w = lines.iter().map(Line::width).max().unwrap_or(0);
        (lines, w)
    };

    let width = u16::try_from(width + 4).unwrap_or(u16::MAX).max(30);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = super::centered(area, width, height);

    let title = Text::fixed(" 帮助 ", " Help ");
    let footer = keys::effective(Scope::Help, mode)
        .next()
        .map(|b| format!(" {} {} ", b.label, b.text.get(lang)))
        .unwrap_or_default();
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.popup_border())
        .title(Span::styled(title.get(lang).to_string(), theme.title()))
        .title_bottom(Line::from(Span::styled(footer, theme.dim())).right_aligned());
    super::clear(frame, area, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
