//! "Send this command to the terminal?": the command, its safety class, exactly what it will
//! do (in the user's language) and to which terminal; y / Enter sends, n / Esc goes back.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::commands::key_footer;
use super::text::wrap;
use crate::event::{Channel, LinkState};
use crate::i18n::Text;
use crate::session::{SafetyClass, TerminalCommand};
use crate::tui::app::AppState;
use crate::tui::keys::Scope;
use crate::tui::theme::Theme;

const MAX_WIDTH: u16 = 72;

pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: Theme,
    command: TerminalCommand,
) {
    let lang = state.lang();
    let width = area.width.min(MAX_WIDTH);
    let inner_w = usize::from(width.saturating_sub(2));
    let class = command.safety();
    let class_style = theme.safety(class);

    let mut lines = Vec::new();
    // A financial command's tag already starts with the word.
    let head = if class == SafetyClass::Financial {
        command.tag()
    } else {
        Text::new(
            format!("[{}] {}", class.label().zh, command.tag().zh),
            format!("[{}] {}", class.label().en, command.tag().en),
        )
    };
    for l in wrap(head.get(lang), inner_w) {
        lines.push(Line::from(Span::styled(l, class_style)));
    }
    lines.push(Line::default());
    for l in wrap(command.effect().get(lang), inner_w) {
        lines.push(Line::from(l));
    }
    if let Some(target) = terminal_target(state.link(Channel::Terminal)) {
        lines.push(Line::default());
        let to = Text::new(format!("终端：{target}"), format!("Terminal: {target}"));
        for l in wrap(to.get(lang), inner_w) {
            lines.push(Line::from(Span::styled(l, theme.dim())));
        }
    }
    if class == SafetyClass::Financial {
        lines.push(Line::default());
        let warning = Text::fixed(
            "⚠ 财务操作：只用于测试终端，或在商户同意后执行。",
            "⚠ Financial operation: test terminals only, or with the shop's consent.",
        );
        for l in wrap(warning.get(lang), inner_w) {
            lines.push(Line::from(Span::styled(l, class_style)));
        }
    }

    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = super::centered(area, width, height);
    let title = command.title();
    let title = Text::new(
        format!(" 确认：{} ", title.zh),
        format!(" Confirm: {} ", title.en),
    );
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(class_style)
        .title(Span::styled(title.get(lang).to_string(), theme.title()))
        .title_bottom(key_footer(state, Scope::ConfirmCommand, theme).right_aligned());
    super::clear(frame, area, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

/// Where the command goes, when the session has said.
fn terminal_target(state: &LinkState) -> Option<&str> {
    match state {
        LinkState::Disconnected => None,
        LinkState::Connecting { target }
        | LinkState::Connected { target }
        | LinkState::NoReply { target }
        | LinkState::Lost { target, .. }
        | LinkState::Failed { target, .. } => Some(target),
    }
}
