//! The recent messages in full, newest first (`m`): the notice line shows one line of the
//! latest; a command's outcome with its receipt lines is often longer.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::commands::key_footer;
use super::text::wrap;
use crate::i18n::Text;
use crate::tui::app::AppState;
use crate::tui::keys::Scope;
use crate::tui::theme::Theme;

const MAX_WIDTH: u16 = 100;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let width = area.width.min(MAX_WIDTH);
    let inner_w = usize::from(width.saturating_sub(2));
    let room = usize::from(area.height.saturating_sub(2));

    let mut lines = Vec::new();
    for (i, notice) in state.notices().iter().rev().enumerate() {
        if lines.len() >= room {
            break;
        }
        if i > 0 {
            lines.push(Line::default());
        }
        let style = if i == 0 { theme.title() } else { theme.dim() };
        for (j, part) in wrap(notice.get(lang), inner_w.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let lead = if j == 0 { "• " } else { "  " };
            lines.push(Line::from(Span::styled(format!("{lead}{part}"), style)));
        }
    }
    if lines.is_empty() {
        let none = Text::fixed("还没有消息。", "No messages yet.");
        lines.push(Line::from(Span::styled(
            none.get(lang).to_string(),
            theme.dim(),
        )));
    }
    lines.truncate(room.max(1));

    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = super::centered(area, width, height);
    let title = Text::fixed(" 消息（最新在前） ", " Messages (newest first) ");
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.popup_border())
        .title(Span::styled(title.get(lang).to_string(), theme.title()))
        .title_bottom(key_footer(state, Scope::Notices, theme).right_aligned());
    super::clear(frame, area, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
