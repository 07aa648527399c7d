//! The terminal command menu (`c` on the Checks tab): every command with its code and, in the
//! colour of its safety class, what it does to the terminal. The selected check's suggested
//! recovery is marked ★.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::text::{fit, wrap};
use crate::i18n::{display_width, truncate_to_width, Text};
use crate::tui::app::{AppState, MENU};
use crate::tui::keys::{self, Scope};
use crate::tui::theme::Theme;

/// Widest the menu gets; wider screens keep it readable rather than stretched.
const MAX_WIDTH: u16 = 96;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let width = area.width.min(MAX_WIDTH);
    let inner_w = usize::from(width.saturating_sub(2));
    let suggested = state.suggested_command();
    let selected = state.command_menu().selected_index();

    let intro = Text::fixed(
        "只有状态查询无需确认；其他命令发送前都会说明后果并请你确认。",
        "Only Status-Enquiry runs without asking; every other command says what it does and asks first.",
    );
    let mut lines: Vec<Line> = wrap(intro.get(lang), inner_w)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.dim())))
        .collect();
    lines.push(Line::default());

    let name_w = MENU
        .iter()
        .map(|c| display_width(c.name().get(lang)))
        .max()
        .unwrap_or(0);
    for (i, command) in MENU.iter().enumerate() {
        let marker = if i == selected { "▶ " } else { "  " };
        let star = if suggested.is_some_and(|(c, _)| c == *command) {
            "★ "
        } else {
            "  "
        };
        let head = format!(
            "{marker}{} {}  {star}",
            fit(command.name().get(lang), name_w),
            command.code_text()
        );
        let room = inner_w.saturating_sub(display_width(&head));
        let tag = truncate_to_width(command.tag().get(lang), room).into_owned();
        let head_style = if i == selected {
            theme.selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(head, head_style),
            Span::styled(tag, theme.safety(command.safety())),
        ]));
    }
    if let Some((command, cause)) = suggested {
        lines.push(Line::default());
        let name = command.title();
        let legend = Text::new(
            format!("规范针对所选检查（{cause}）建议的恢复操作：{}", name.zh),
            format!(
                "the spec's recovery for the selected check ({cause}): {}",
                name.en
            ),
        );
        for (i, l) in wrap(legend.get(lang), inner_w.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { "★ " } else { "  " };
            lines.push(Line::from(Span::styled(
                format!("{lead}{l}"),
                theme.warning(),
            )));
        }
    }

    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = super::centered(area, width, height);
    let title = Text::fixed(" 终端命令 ", " Terminal commands ");
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.popup_border())
        .title(Span::styled(title.get(lang).to_string(), theme.title()))
        .title_bottom(key_footer(state, Scope::Commands, theme).right_aligned());
    super::clear(frame, area, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

/// The keys of a popup's scope, for its bottom border.
pub fn key_footer(state: &AppState, scope: Scope, theme: Theme) -> Line<'static> {
    let lang = state.lang();
    let mut spans = vec![Span::raw(" ")];
    for b in keys::effective(scope, state.config.mode) {
        spans.push(Span::styled(b.label, theme.key()));
        spans.push(Span::raw(format!(" {}  ", b.text.get(lang))));
    }
    Line::from(spans)
}
