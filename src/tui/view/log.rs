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
use crate::tui::app::{hex_bytes_per_row, AppState, RowTarget, Tab, HEX_INDENT};
use crate::tui::theme::Theme;

/// Draws the tab; returns which frame each line shows (for mouse clicks).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: Theme,
) -> Vec<(Rect, RowTarget)> {
    let lang = state.lang();
    let block = super::body_block(theme).title(title(state, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let log = &state.log;
    if log.shown().next().is_none() && log.filter().is_some() {
        let text = Text::fixed(
            "此通道还没有报文。按 c 切换通道。",
            "No frames on this channel yet. Press c for the next channel.",
        );
        frame.render_widget(
            Paragraph::new(Span::styled(text.get(lang).to_string(), theme.dim())),
            inner,
        );
        return Vec::new();
    }
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
        return Vec::new();
    }

    // Walk back from the newest visible frame until the scrolled-past lines and a screenful
    // are collected; only those frames are formatted.
    let rows = usize::from(inner.height);
    let need = log.scroll() + rows;
    let channel_w = channel_width(lang);
    let mut lines: Vec<Line> = Vec::with_capacity(need);
    // The frame each line belongs to, newest last like `lines`.
    let mut owners: Vec<u64> = Vec::with_capacity(need);
    for (index, record) in log.shown_indexed().rev() {
        let mut block = frame_lines(record, inner.width, channel_w, state, theme);
        if log.is_match(record) || log.is_current(index) {
            mark_match(&mut block, log.is_current(index), theme);
        }
        let mut owned = vec![index; block.len()];
        block.append(&mut lines);
        lines = block;
        owned.append(&mut owners);
        owners = owned;
        if lines.len() >= need {
            break;
        }
    }
    let end = lines.len().saturating_sub(log.scroll());
    let start = end.saturating_sub(rows);
    let window: Vec<Line> = lines.drain(start..end).collect();
    frame.render_widget(Paragraph::new(window), inner);
    owners
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .zip(inner.y..inner.bottom())
        .map(|(&index, y)| {
            (
                Rect::new(inner.x, y, inner.width, 1),
                RowTarget::Frame(index),
            )
        })
        .collect()
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
    if let Some(channel) = log.filter() {
        let name = channel.label();
        let word = Text::new(format!("· 仅{} ", name.zh), format!("· {} only ", name.en));
        spans.push(Span::styled(word.get(lang).to_string(), theme.key()));
    }
    if let Some(typing) = log.search_typing() {
        spans.push(Span::styled(format!("/{typing}_ "), theme.key()));
    } else if let Some(query) = log.search_query() {
        let (place, count) = log.match_position();
        let word = Text::new(
            format!("· 搜索“{query}” {place}/{count} "),
            format!("· search \"{query}\" {place}/{count} "),
        );
        spans.push(Span::styled(word.get(lang).to_string(), theme.key()));
    }
    Line::from(spans)
}

/// A matching frame's summary line is bold and marked; the match shown is reversed.
fn mark_match(lines: &mut [Line<'static>], current: bool, theme: Theme) {
    let Some(first) = lines.first_mut() else {
        return;
    };
    let style = if current {
        theme
            .title()
            .add_modifier(ratatui::style::Modifier::REVERSED)
    } else {
        theme.title()
    };
    if let Some(summary) = first.spans.last_mut() {
        summary.style = summary.style.patch(style);
    }
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
