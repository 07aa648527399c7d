//! "Do this to the printer?": the action, its class, exactly what it does (in the user's
//! language) and to which printer; y / Enter does it, n / Esc goes back.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::commands::key_footer;
use super::text::wrap;
use crate::event::{Channel, LinkState};
use crate::i18n::Text;
use crate::tui::app::AppState;
use crate::tui::keys::Scope;
use crate::tui::model::PrinterAction;
use crate::tui::theme::Theme;

const MAX_WIDTH: u16 = 72;

pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: Theme,
    action: PrinterAction,
) {
    let lang = state.lang();
    let width = area.width.min(MAX_WIDTH);
    let inner_w = usize::from(width.saturating_sub(2));
    let class = action.safety();
    let class_style = theme.safety(class);

    let head = Text::new(
        format!("[{}] {}", class.label().zh, action.tag().zh),
        format!("[{}] {}", class.label().en, action.tag().en),
    );
    let mut lines: Vec<Line> = wrap(head.get(lang), inner_w)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, class_style)))
        .collect();
    lines.push(Line::default());
    lines.extend(
        wrap(action.effect().get(lang), inner_w)
            .into_iter()
            .map(Line::from),
    );
    if let Some(target) = printer_target(state.link(Channel::Printer)) {
        lines.push(Line::default());
        let to = Text::new(format!("打印机：{target}"), format!("Printer: {target}"));
        lines.extend(
            wrap(to.get(lang), inner_w)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.dim()))),
        );
    }

    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = super::centered(area, width, height);
    let title = action.title();
    let title = Text::new(
        format!(" 确认：{} ", title.zh),
        format!(" Confirm: {} ", title.en),
    );
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(class_style)
        .title(Span::styled(title.get(lang).to_string(), theme.title()))
        .title_bottom(key_footer(state, Scope::ConfirmPrinter, theme).right_aligned());
    super::clear(frame, area, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

/// Where the printer is, when the session has said.
fn printer_target(state: &LinkState) -> Option<&str> {
    match state {
        LinkState::Disconnected => None,
        LinkState::Connecting { target }
        | LinkState::Connected { target }
        | LinkState::NoReply { target }
        | LinkState::Lost { target, .. }
        | LinkState::Failed { target, .. } => Some(target),
    }
}
