//! The printer popup (`p` on the Checks tab): the test print and the recoveries (DLE ENQ), each
//! in the colour of what it does, and the last test receipt as text — drawn as a strip of
//! paper. When replaying, only the receipt.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::commands::key_footer;
use super::text::{clock, fit, wrap};
use crate::i18n::{display_width, truncate_to_width, Text};
use crate::tui::app::{AppState, TestReceipt};
use crate::tui::keys::{self, Action, Scope};
use crate::tui::model::PrinterAction;
use crate::tui::theme::Theme;

/// Widest the popup gets.
const MAX_WIDTH: u16 = 84;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let width = area.width.min(MAX_WIDTH);
    let inner_w = usize::from(width.saturating_sub(2));
    let can_act =
        keys::label_of(Scope::Printer, state.config().mode, Action::ChoosePrinter).is_some();

    let mut lines: Vec<Line> = Vec::new();
    if can_act {
        let intro = Text::fixed(
            "每项操作都会先说明后果并请你确认。",
            "Every action says what it does and asks first.",
        );
        lines.extend(
            wrap(intro.get(lang), inner_w)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.dim()))),
        );
        lines.push(Line::default());
        let name_w = PrinterAction::ALL
            .iter()
            .map(|a| display_width(a.title().get(lang)))
            .max()
            .unwrap_or(0)
            .min(inner_w * 3 / 5);
        let selected = state.printer_panel().selected_index();
        for (i, action) in PrinterAction::ALL.iter().enumerate() {
            let marker = if i == selected { "▶ " } else { "  " };
            let head = format!("{marker}{}  ", fit(action.title().get(lang), name_w));
            let room = inner_w.saturating_sub(display_width(&head));
            let style = if i == selected {
                theme.selected()
            } else {
                ratatui::style::Style::new()
            };
            lines.push(Line::from(vec![
                Span::styled(head, style),
                Span::styled(
                    truncate_to_width(action.tag().get(lang), room).into_owned(),
                    theme.safety(action.safety()),
                ),
            ]));
        }
        lines.push(Line::default());
    }
    match state.printer_panel().last_receipt() {
        Some(receipt) => lines.extend(receipt_lines(receipt, state, inner_w, theme)),
        None => {
            let none = Text::fixed(
                "本次会话中还没有测试小票。",
                "No test receipt in this session yet.",
            );
            lines.push(Line::from(Span::styled(
                none.get(lang).to_string(),
                theme.dim(),
            )));
        }
    }

    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let popup = super::centered(area, width, height);
    let title = Text::fixed(" 打印机 ", " Printer ");
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.popup_border())
        .title(Span::styled(title.get(lang).to_string(), theme.title()))
        .title_bottom(key_footer(state, Scope::Printer, theme).right_aligned());
    super::clear(frame, area, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

/// The heading, then the receipt's lines in a paper-like box, then whether it was cut.
fn receipt_lines(
    receipt: &TestReceipt,
    state: &AppState,
    inner_w: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let lang = state.lang();
    let time = clock(receipt.time, state.config().utc_offset);
    let bytes = receipt.bytes;
    let heading = Text::new(
        format!("最后一张测试小票（{time}，发送 {bytes} 字节）："),
        format!("Last test receipt ({time}, {bytes} bytes sent):"),
    );
    let mut lines: Vec<Line> = wrap(heading.get(lang), inner_w)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.title())))
        .collect();
    let paper_w = receipt
        .lines
        .iter()
        .map(|l| display_width(l))
        .max()
        .unwrap_or(0)
        .min(inner_w.saturating_sub(4));
    let rule = "─".repeat(paper_w);
    lines.push(Line::from(Span::styled(format!("  ┌{rule}┐"), theme.dim())));
    for l in &receipt.lines {
        lines.push(Line::from(vec![
            Span::styled("  │", theme.dim()),
            Span::raw(fit(l, paper_w)),
            Span::styled("│", theme.dim()),
        ]));
    }
    lines.push(Line::from(Span::styled(format!("  └{rule}┘"), theme.dim())));
    let end = if receipt.cut {
        Text::fixed("  ✂ 已切纸", "  ✂ cut")
    } else {
        Text::fixed(
            "  未切纸（数据在切纸命令前结束）",
            "  not cut (the data ended before a cut)",
        )
    };
    lines.push(Line::from(Span::styled(
        end.get(lang).to_string(),
        theme.dim(),
    )));
    lines
}
