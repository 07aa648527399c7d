//! The "checks (or a terminal command) are still running — quit anyway?" popup.

use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use crate::i18n::Text;
use crate::tui::app::AppState;
use crate::tui::keys::{self, Scope};
use crate::tui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let running = state
        .checks
        .rows()
        .iter()
        .filter(|r| r.is_running())
        .count();
    let question = match state.command_menu().running() {
        Some(command) => {
            let title = command.title();
            Text::new(
                format!("终端正在执行 {}。仍要退出吗？", title.zh),
                format!(
                    "{} is still running on the terminal. Quit anyway?",
                    title.en
                ),
            )
        }
        None => match state.printer_panel().running() {
            Some(action) => {
                let title = action.title();
                Text::new(
                    format!("打印机正在执行 {}。仍要退出吗？", title.zh),
                    format!("{} is still running on the printer. Quit anyway?", title.en),
                )
            }
            None if running == 0 => Text::fixed(
                "排障向导正在等待重新检查的结果。仍要退出吗？",
                "The guide is waiting for its checks to re-run. Quit anyway?",
            ),
            None => Text::new(
                format!("还有 {running} 项检查正在运行。仍要退出吗？"),
                format!("{running} check(s) still running. Quit anyway?"),
            ),
        },
    };
    let mut choices = Vec::new();
    for b in keys::effective(Scope::Confirm, state.config.mode) {
        if !choices.is_empty() {
            choices.push(Span::raw("   "));
        }
        choices.push(Span::styled(b.label, theme.key()));
        choices.push(Span::raw(format!(" {}", b.text.get(lang))));
    }
    let lines = vec![
        Line::from(Span::styled(question.get(lang).to_string(), theme.title())),
        Line::default(),
        Line::from(choices),
    ];
    let popup = super::centered(area, 52, 6);
    let title = Text::fixed(" 退出？ ", " Quit? ");
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.popup_border())
        .title(Span::styled(title.get(lang).to_string(), theme.title()));
    super::clear(frame, area, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        popup,
    );
}
