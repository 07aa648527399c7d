//! The Transactions and Guide tabs: they are not built yet, and say so plainly (no fake data).

use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use crate::i18n::Text;
use crate::tui::app::{AppState, Tab};
use crate::tui::theme::Theme;

/// What the tab says instead of content: the fact, then where to look meanwhile.
fn message(tab: Tab) -> [Text; 2] {
    match tab {
        Tab::Transactions => [
            Text::fixed("交易监控尚未在此版本中提供。", "Transaction monitoring is not available in this version yet."),
            Text::fixed(
                "请在检查页 (2) 测试已连接的设备，在日志页 (5) 查看收发的报文。",
                "Test the connected devices on the Checks tab (2); see the frames on the Log tab (5).",
            ),
        ],
        _ => [
            Text::fixed("排障向导尚未在此版本中提供。", "The troubleshooting guide is not available in this version yet."),
            Text::fixed(
                "失败的检查会在检查页 (2) 列出可能的原因编号。",
                "Failed checks list their likely cause ids on the Checks tab (2).",
            ),
        ],
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let title = format!(" {} ", state.tab.title().get(lang));
    let block = super::body_block(theme).title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let [fact, hint] = message(state.tab);
    let lines = vec![
        Line::from(Span::styled(fact.get(lang).to_string(), theme.title())),
        Line::default(),
        Line::from(Span::styled(hint.get(lang).to_string(), theme.dim())),
    ];
    // Vertically centred (as far as the height allows), wrapped to the width.
    let top = inner.height.saturating_sub(4) / 2;
    let text_area = Rect {
        y: inner.y + top,
        height: inner.height - top,
        ..inner
    };
    let p = Paragraph::new(lines)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true });
    frame.render_widget(p, text_area);
}
