//! The Connect tab: detected serial ports (with their known pitfalls), profiles and the demo.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::text::{fit, wrap};
use crate::i18n::{display_width, Text};
use crate::tui::app::{AppState, Tab};
use crate::tui::keys::{self, Action, Scope};
use crate::tui::model::ConnectKind;
use crate::tui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let count = state.entries.len();
    let title = match state.replay_log() {
        Some(_) => format!(
            " {} · {} ",
            Tab::Connect.title().get(lang),
            Text::fixed("回放", "replay").get(lang)
        ),
        None => format!(" {} · {count} ", Tab::Connect.title().get(lang)),
    };
    let block = super::body_block(theme).title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    if let Some(log) = state.replay_log() {
        render_replay(frame, inner, state, log.facts(), theme);
        return;
    }
    if state.entries.is_empty() {
        let text = Text::fixed(
            "未发现串口，也没有配置文件。请检查数据线和驱动，或用 --profile 指定配置。",
            "No serial ports found and no profiles. Check the cable and driver, or pass --profile.",
        );
        let p = Paragraph::new(text.get(lang).to_string()).wrap(Wrap { trim: true });
        frame.render_widget(p, inner);
        return;
    }

    // One line of instructions, then the entries.
    let enter = keys::label_of(
        Scope::Tab(Tab::Connect),
        state.config.mode,
        Action::Activate,
    )
    .unwrap_or("Enter");
    let help = Text::new(
        format!("选择要连接的设备，按 {enter} 连接。"),
        format!("Choose what to connect to and press {enter}."),
    );
    let [help_area, list_area] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(1),
        ratatui::layout::Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(Span::styled(help.get(lang).to_string(), theme.dim())),
        help_area,
    );

    let kind_w = [ConnectKind::Port, ConnectKind::Profile, ConnectKind::Demo]
        .iter()
        .map(|k| display_width(k.label().get(lang)))
        .max()
        .unwrap_or(0);
    // Marker "▶ " + kind + space, then the text.
    let indent = 2 + kind_w + 1;
    let text_w = usize::from(list_area.width).saturating_sub(indent).max(1);
    let pad = " ".repeat(kind_w + 1);

    let items: Vec<ListItem> = state
        .entries
        .iter()
        .map(|entry| {
            let mut lines = vec![Line::from(vec![
                Span::styled(
                    format!("{} ", fit(entry.kind.label().get(lang), kind_w)),
                    theme.dim(),
                ),
                Span::styled(entry.title.get(lang).to_string(), theme.title()),
            ])];
            let detail = entry.detail.get(lang);
            if !detail.is_empty() {
                for part in wrap(detail, text_w) {
                    lines.push(Line::from(vec![
                        Span::raw(pad.clone()),
                        Span::styled(part, theme.dim()),
                    ]));
                }
            }
            if let Some(ask) = &entry.ask {
                let what = ask.what();
                let default = ask.default_text();
                let asks = match default.is_empty() {
                    true => Text::new(
                        format!("Enter 时询问{}", what.zh),
                        format!("Enter asks for the {}", what.en),
                    ),
                    false => Text::new(
                        format!("Enter 时询问{}（默认 {default}）", what.zh),
                        format!("Enter asks for the {} (default {default})", what.en),
                    ),
                };
                for part in wrap(asks.get(lang), text_w) {
                    lines.push(Line::from(vec![
                        Span::raw(pad.clone()),
                        Span::styled(part, theme.dim()),
                    ]));
                }
            }
            for warning in &entry.warnings {
                let parts = wrap(warning.get(lang), text_w.saturating_sub(2));
                for (i, part) in parts.into_iter().enumerate() {
                    let mark = if i == 0 { "⚠ " } else { "  " };
                    let part = format!("{mark}{part}");
                    lines.push(Line::from(vec![
                        Span::raw(pad.clone()),
                        Span::styled(part, theme.warning()),
                    ]));
                }
            }
            ListItem::new(lines)
        })
        .collect();

    let list = List::new(items)
        .highlight_symbol("▶ ")
        .highlight_style(theme.title())
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
    let mut list_state = ListState::default().with_selected(state.selected_entry());
    frame.render_stateful_widget(list, list_area, &mut list_state);
}

/// In replay there is nothing to connect to: what the capture is, and how to move through it.
fn render_replay(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    facts: &[(Text, String)],
    theme: Theme,
) {
    let lang = state.lang();
    let width = usize::from(area.width);
    let intro = Text::fixed(
        "回放抓包（只读）：检查、排障和日志页显示截至光标处的记录。",
        "Replaying a capture (read-only): the Checks, Guide and Log tabs show it up to the cursor.",
    );
    let mut lines: Vec<Line> = wrap(intro.get(lang), width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.dim())))
        .collect();
    lines.push(Line::default());
    let label_w = facts
        .iter()
        .map(|(l, _)| display_width(l.get(lang)))
        .max()
        .unwrap_or(0);
    for (label, value) in facts {
        let head = format!("{}  ", fit(label.get(lang), label_w));
        let room = width.saturating_sub(display_width(&head)).max(1);
        for (i, l) in wrap(value, room).into_iter().enumerate() {
            let lead = if i == 0 {
                Span::styled(head.clone(), theme.dim())
            } else {
                Span::raw(" ".repeat(display_width(&head)))
            };
            lines.push(Line::from(vec![lead, Span::raw(l)]));
        }
    }
    let steps: Vec<String> = keys::effective(Scope::Replay, state.config.mode)
        .map(|b| format!("{} {}", b.label, b.text.get(lang)))
        .collect();
    if !steps.is_empty() {
        lines.push(Line::default());
        lines.extend(
            wrap(&steps.join(" · "), width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.key()))),
        );
    }
    frame.render_widget(Paragraph::new(lines), area);
}
