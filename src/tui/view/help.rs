//! The `?` popup: the bindings in effect on this screen, then the ones that work everywhere,
//! read from the same table the keys are looked up in.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::text::fit;
use crate::i18n::{display_width, Text};
use crate::tui::app::AppState;
use crate::tui::keys::{self, Binding, Scope};
use crate::tui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let mode = state.config.mode;
    let screen: Vec<&Binding> = keys::effective(Scope::Tab(state.tab), mode).collect();
    let global: Vec<&Binding> = keys::effective(Scope::Global, mode).collect();
    let close: Vec<&Binding> = keys::effective(Scope::Help, mode).collect();
    let key_w = screen
        .iter()
        .chain(&global)
        .map(|b| display_width(b.label))
        .max()
        .unwrap_or(0);

    let row = |b: &Binding| {
        Line::from(vec![
            Span::raw("  "),
            Span::styled(fit(b.label, key_w), theme.key()),
            Span::raw("  "),
            Span::raw(b.text.get(lang).to_string()),
        ])
    };
    let mut lines = Vec::new();
    if !screen.is_empty() {
        let heading = Text::new(
            format!("本页（{}）", state.tab.title().get(crate::i18n::Lang::Zh)),
            format!(
                "This screen ({})",
                state.tab.title().get(crate::i18n::Lang::En)
            ),
        );
        lines.push(Line::from(Span::styled(
            heading.get(lang).to_string(),
            theme.title(),
        )));
        lines.extend(screen.iter().map(|b| row(b)));
        lines.push(Line::default());
    }
    let heading = Text::fixed("所有页面", "Everywhere");
    lines.push(Line::from(Span::styled(
        heading.get(lang).to_string(),
        theme.title(),
    )));
    lines.extend(global.iter().map(|b| row(b)));

    let content_w = lines.iter().map(Line::width).max().unwrap_or(0);
    let width = u16::try_from(content_w + 4).unwrap_or(u16::MAX).max(30);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = super::centered(area, width, height);

    let title = Text::fixed(" 帮助 ", " Help ");
    let footer = close
        .first()
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
