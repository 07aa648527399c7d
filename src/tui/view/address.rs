//! The Connect tab's "where is it?" popup: the address (or port) being typed, with a cursor,
//! and what Enter and Esc do.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::text::{fit, wrap};
use crate::i18n::{display_width, Text};
use crate::tui::app::AppState;
use crate::tui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let Some(prompt) = state.address_prompt() else {
        return;
    };
    let lang = state.lang();
    let entry = state
        .connect_entries()
        .get(prompt.index)
        .map_or_else(String::new, |e| e.title.get(lang).to_string());
    let what = prompt.ask.what();
    let popup = super::centered(area, 60, 8);
    let width = usize::from(popup.width.saturating_sub(2)).max(1);
    let question = Text::new(
        format!("{entry} 在哪里？输入{}：", what.zh),
        format!("Where is {entry}? Type its {}:", what.en),
    );
    let mut lines: Vec<Line> = wrap(question.get(lang), width)
        .into_iter()
        .map(Line::from)
        .collect();
    // The end of a long address stays in view, next to the cursor.
    let mut shown = prompt.text.clone();
    while display_width(&shown) + 3 > width && !shown.is_empty() {
        shown.remove(0);
    }
    lines.push(Line::from(vec![
        Span::styled("> ", theme.key()),
        Span::styled(shown, theme.title()),
        Span::styled("_", theme.key()),
    ]));
    lines.push(Line::default());
    let keys = Text::fixed("Enter 连接   Esc 取消", "Enter connect   Esc cancel");
    lines.push(Line::from(Span::styled(
        fit(keys.get(lang), width),
        theme.dim(),
    )));
    let title = Text::fixed(" 连接到 ", " Connect to ");
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.popup_border())
        .title(Span::styled(title.get(lang).to_string(), theme.title()));
    super::clear(frame, area, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
