//! The Log tab: every decoded frame, newest at the bottom: time, channel, direction, summary,
//! and the raw bytes in hex on the lines below. Frames that failed to decode are red.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::{clock, fit, hex};
use crate::event::{Channel, FrameRecord};
use crate::i18n::{display_width, truncate_to_width, Lang, Text};
use crate::tui::app::{hex_bytes_per_row, AppState, Tab, HEX_INDENT};
use crate::tui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let block = super::body_block(theme).title(title(state, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let log = &state.log;
    if log.visible().len() == 0 {
        let text = Text::fixed(
            "还没有报文。通道打开后，收发的每一帧都会显示在这里。",
            "No frames yet. Every frame sent or received appears here once a channel is open.",
        );
        frame.render_widget(
            Paragraph::new(Span::styled(text.get(lang).to_string(), theme.dim()))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return;
    }

    // Walk back from the newest visible frame until the scrolled-past lines and a screenful
    // are collected; only those frames are formatted.
    let rows = usize::from(inner.height);
    let need = log.scroll() + rows;
    let channel_w = channel_width(lang);
    let mut lines: Vec<Line> = Vec::with_capacity(need);
    for record in log.visible().rev() {
        let mut block = frame_lines(record, inner.width, channel_w, state, theme);
        block.append(&mut lines);
        lines = block;
        if lines.len() >= need {
            break;
        }
    }
    let end = lines.len().saturating_sub(log.scroll());
    let start = end.saturating_sub(rows);
    let window: Vec<Line> = lines.drain(start..end).collect();
    frame.render_widget(Paragraph::new(window), inner);
}

fn title(state: &AppState, theme: Theme) -> Line<'static> {
    let lang = state.lang();
    let log = &state.log;
    let frames = Text::new(
        format!("{} 帧", log.total()),
        format!("{} frames", log.total()),
    );
    let mut spans = vec![Span::styled(
        format!(" {} · {} ", Tab::Log.title().get(lang), frames.get(lang)),
        theme.title(),
    )];
    if log.is_frozen() {
        let word = Text::fixed(" 已冻结 ", " FROZEN ");
        spans.push(Span::styled(word.get(lang).to_string(), theme.frozen()));
        let unseen = log.unseen();
        if unseen > 0 {
            let more = Text::new(format!(" +{unseen} 新 "), format!(" +{unseen} new "));
            spans.push(Span::styled(more.get(lang).to_string(), theme.warning()));
        }
    } else if log.is_following() {
        let word = Text::fixed("· 跟随最新 ", "· following ");
        spans.push(Span::styled(word.get(lang).to_string(), theme.dim()));
    } else {
        let word = Text::new(
            format!("· 已向上滚动 {} 行 ", log.scroll()),
            format!("· scrolled up {} lines ", log.scroll()),
        );
        spans.push(Span::styled(word.get(lang).to_string(), theme.warning()));
    }
    Line::from(spans)
}

fn channel_width(lang: Lang) -> usize {
    [Channel::Terminal, Channel::Printer, Channel::Host]
        .iter()
        .map(|c| display_width(c.label().get(lang)))
        .max()
        .unwrap_or(0)
}

/// The summary line and hex lines of one frame; as many lines as `app::log::frame_height` counts.
fn frame_lines(
    record: &FrameRecord,
    width: u16,
    channel_w: usize,
    state: &AppState,
    theme: Theme,
) -> Vec<Line<'static>> {
    let lang = state.lang();
    let (text, meta) = if record.error {
        (theme.error(), theme.error())
    } else {
        (Style::new(), theme.dim())
    };
    // time + space, channel + space, arrow + space: the summary gets the rest of the line.
    let prefix = 13 + channel_w + 1 + 2;
    let summary_w = usize::from(width).saturating_sub(prefix);
    let mut lines = vec![Line::from(vec![
        Span::styled(
            format!("{} ", clock(record.time, state.config.utc_offset)),
            meta,
        ),
        Span::styled(
            format!("{} ", fit(record.channel.label().get(lang), channel_w)),
            meta,
        ),
        Span::styled(format!("{} ", record.direction.arrow()), text),
        Span::styled(
            truncate_to_width(record.summary_in(lang), summary_w).into_owned(),
            text,
        ),
    ])];
    let indent = " ".repeat(usize::from(HEX_INDENT));
    for chunk in record.raw.chunks(hex_bytes_per_row(width)) {
        lines.push(Line::from(Span::styled(
            format!("{indent}{}", hex(chunk)),
            meta,
        )));
    }
    lines
}
