//! The transaction popups: the menu (repeat receipt first: the safe move after an unclear
//! outcome), the amount or receipt number entry, and the confirmation that says exactly what
//! will happen before anything is sent.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

use super::commands::key_footer;
use super::text::{fit, wrap};
use crate::i18n::{display_width, truncate_to_width, Text};
use crate::session::SafetyClass;
use crate::tui::app::{AppState, EntryKind, TxnMenuItem, TxnPopup};
use crate::tui::keys::Scope;
use crate::tui::theme::Theme;

const MAX_WIDTH: u16 = 76;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme, popup: TxnPopup) {
    let width = area.width.min(MAX_WIDTH);
    let inner_w = usize::from(width.saturating_sub(2));
    let (title, lines, border) = match popup {
        TxnPopup::Menu => menu(state, theme, inner_w),
        TxnPopup::Entry => entry(state, theme, inner_w),
        TxnPopup::Confirm => confirm(state, theme, inner_w),
    };
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = super::centered(area, width, height);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(
            title.get(state.lang()).to_string(),
            theme.title(),
        ))
        .title_bottom(key_footer(state, Scope::Txn(popup), theme).right_aligned());
    super::clear(frame, area, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

fn class_of(item: TxnMenuItem) -> SafetyClass {
    match item {
        TxnMenuItem::RepeatReceipt => SafetyClass::PhysicalOutput,
        TxnMenuItem::Abort => SafetyClass::StateChanging,
        _ => SafetyClass::Financial,
    }
}

fn menu(state: &AppState, theme: Theme, inner_w: usize) -> (Text, Vec<Line<'static>>, Style) {
    let lang = state.lang();
    let view = state.transactions();
    let intro = Text::fixed(
        "每个命令发送前都会说明后果并请你确认。结果不明时先“重打小票”。",
        "Every command says what it does and asks first. After an unclear outcome, repeat the receipt first.",
    );
    let mut lines: Vec<Line> = wrap(intro.get(lang), inner_w)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.dim())))
        .collect();
    lines.push(Line::default());
    let name_w = TxnMenuItem::ALL
        .iter()
        .map(|m| display_width(m.name().get(lang)))
        .max()
        .unwrap_or(0);
    for (i, item) in TxnMenuItem::ALL.iter().enumerate() {
        let selected = i == view.menu_index();
        let marker = if selected { "▶ " } else { "  " };
        let head = format!("{marker}{}  ", fit(item.name().get(lang), name_w));
        let room = inner_w.saturating_sub(display_width(&head));
        let tag = truncate_to_width(item.tag().get(lang), room).into_owned();
        let head_style = if selected {
            theme.selected()
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(head, head_style),
            Span::styled(tag, theme.safety(class_of(*item))),
        ]));
    }
    (
        Text::fixed(" 交易命令 ", " Transaction commands "),
        lines,
        theme.popup_border(),
    )
}

fn entry(state: &AppState, theme: Theme, inner_w: usize) -> (Text, Vec<Line<'static>>, Style) {
    let lang = state.lang();
    let view = state.transactions();
    let (title, prompt) = match view.entry_kind() {
        EntryKind::Amount => (
            Text::fixed(" 消费金额 ", " Payment amount "),
            Text::fixed(
                "金额（终端的货币，例如 12.34）：",
                "Amount (the terminal's currency, e.g. 12.34):",
            ),
        ),
        EntryKind::Receipt => (
            Text::fixed(" 撤销凭条 ", " Reverse a receipt "),
            Text::fixed("要撤销的凭条号：", "Receipt number to reverse:"),
        ),
    };
    let mut lines: Vec<Line> = wrap(prompt.get(lang), inner_w)
        .into_iter()
        .map(Line::from)
        .collect();
    lines.push(Line::from(vec![
        Span::raw("  "),
        Span::styled(format!("{}▏", view.entry()), theme.key()),
    ]));
    (title, lines, theme.safety(SafetyClass::Financial))
}

fn confirm(state: &AppState, theme: Theme, inner_w: usize) -> (Text, Vec<Line<'static>>, Style) {
    let lang = state.lang();
    let Some(request) = state.transactions().pending() else {
        return (
            Text::fixed(" 确认 ", " Confirm "),
            Vec::new(),
            theme.popup_border(),
        );
    };
    let class = if request.is_financial() {
        SafetyClass::Financial
    } else if matches!(request, crate::session::TxnRequest::RepeatReceipt) {
        SafetyClass::PhysicalOutput
    } else {
        SafetyClass::StateChanging
    };
    let style = theme.safety(class);
    let mut lines: Vec<Line> = Vec::new();
    let protocol = state.transactions().protocol();
    for l in wrap(request.effect_on(protocol).get(lang), inner_w) {
        lines.push(Line::from(l));
    }
    if class == SafetyClass::Financial {
        lines.push(Line::default());
        let warning = Text::fixed(
            "⚠ 财务操作：只用于测试终端，或在商户同意后执行。",
            "⚠ Financial operation: test terminals only, or with the shop's consent.",
        );
        for l in wrap(warning.get(lang), inner_w) {
            lines.push(Line::from(Span::styled(l, style)));
        }
    }
    let name = request.name_on(protocol);
    let title = Text::new(
        format!(" 确认：{} ", name.zh),
        format!(" Confirm: {} ", name.en),
    );
    (title, lines, style)
}
