//! The two bottom lines, always visible: the terminal link's state as a word on its colour, the
//! capture file, and the keys that work on this screen; plus the notice line above them.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::{clock, truncate_left};
use crate::event::{Channel, LinkState};
use crate::i18n::{display_width, truncate_to_width, Text};
use crate::tui::app::AppState;
use crate::tui::keys::{self, Scope};
use crate::tui::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let width = usize::from(area.width);
    let lines = vec![
        link_line(state, theme, width),
        keys_line(state, theme, width),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

/// The latest notice (command outcomes, errors opening a channel), dismissed with Esc; `m`
/// shows it in full.
pub fn render_notice(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let Some(notice) = state.current_notice() else {
        return;
    };
    let width = usize::from(area.width);
    let mode = state.config.mode;
    let keys: Vec<&str> = [keys::Action::OpenNotices, keys::Action::Close]
        .into_iter()
        .filter_map(|a| keys::label_of(Scope::Global, mode, a))
        .collect();
    let esc = if keys.is_empty() {
        String::new()
    } else {
        format!(" ({})", keys.join(", "))
    };
    // A success carries its own ✓; a fix the guide proved gets one (its text is the capture's
    // record of the attempt, so it keeps its form); anything else is something to look at.
    let fixed = crate::guide::attempt_in_notice(notice).is_some_and(|(_, worked)| worked);
    let (text, style) = if crate::event::is_done_notice(notice) {
        (
            notice.get(state.lang()).to_string(),
            theme.status(crate::checks::CheckStatus::Pass),
        )
    } else if fixed {
        (
            format!("{}{}", crate::event::DONE_MARK, notice.get(state.lang())),
            theme.status(crate::checks::CheckStatus::Pass),
        )
    } else {
        (format!("⚠ {}", notice.get(state.lang())), theme.warning())
    };
    let text = truncate_to_width(&text, width.saturating_sub(display_width(&esc)));
    let gap = width.saturating_sub(display_width(&text) + display_width(&esc));
    let line = Line::from(vec![
        Span::styled(text.into_owned(), style),
        Span::raw(" ".repeat(gap)),
        Span::styled(esc, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// What follows a link's word: where it goes and, when it broke, why.
fn link_detail(state: &LinkState) -> String {
    match state {
        LinkState::Disconnected => String::new(),
        LinkState::Connecting { target }
        | LinkState::Connected { target }
        | LinkState::NoReply { target } => target.clone(),
        LinkState::Lost { target, reason } | LinkState::Failed { target, reason } => {
            format!("{target}: {reason}")
        }
    }
}

/// The right of the link line: the capture file, or where a replay's cursor is.
fn capture_text(state: &AppState) -> (Text, String) {
    if let Some(p) = state.replay_position() {
        let time = clock(p.time, state.config.utc_offset);
        let (cursor, total) = (p.cursor, p.total);
        let at = Text::new(
            format!("{time}（第 {cursor}/{total} 条）"),
            format!("{time} (record {cursor}/{total})"),
        );
        return (
            Text::fixed("回放 ", "REPLAY "),
            at.get(state.lang()).to_string(),
        );
    }
    match &state.config.capture_path {
        Some(path) => (Text::fixed("记录 ", "capture "), path.display().to_string()),
        None => (Text::fixed("未记录", "no capture"), String::new()),
    }
}

fn link_line(state: &AppState, theme: Theme, width: usize) -> Line<'static> {
    let lang = state.lang();
    let terminal = state.link(Channel::Terminal);
    let badge = format!(" {} ", terminal.word().get(lang));
    let badge = truncate_to_width(&badge, width).into_owned();
    let mut used = display_width(&badge);
    let mut spans = vec![Span::styled(badge, theme.link_badge(terminal))];

    // The capture path takes up to half the line, cut from the left (the file name matters).
    let (label, path) = capture_text(state);
    let label = label.get(lang);
    let detail = link_detail(terminal);
    let room = width.saturating_sub(used + 1);
    let want_right = display_width(label) + display_width(&path);
    let right_budget = want_right.min(
        room.saturating_sub(display_width(&detail) + 2)
            .max(room / 2),
    );
    let right = if right_budget >= want_right {
        format!("{label}{path}")
    } else if right_budget > display_width(label) + 1 {
        format!(
            "{label}{}",
            truncate_left(&path, right_budget - display_width(label))
        )
    } else {
        truncate_left(&path, right_budget)
    };
    let right_w = display_width(&right);

    let mut left_room = room.saturating_sub(right_w + 1);
    if !detail.is_empty() && left_room > 0 {
        let detail = truncate_to_width(&detail, left_room).into_owned();
        left_room -= display_width(&detail);
        used += 1 + display_width(&detail);
        spans.push(Span::raw(" "));
        spans.push(Span::raw(detail));
    }
    // The printer and host, once the session has said something about them.
    for channel in [Channel::Printer, Channel::Host] {
        let Some(link) = state
            .links
            .iter()
            .find(|(c, _)| *c == channel)
            .map(|(_, s)| s)
        else {
            continue;
        };
        let name = format!("  {} ", channel.label().get(lang));
        let word = link.word().get(lang).to_string();
        let w = display_width(&name) + display_width(&word);
        if w > left_room {
            break;
        }
        left_room -= w;
        used += w;
        spans.push(Span::styled(name, theme.dim()));
        spans.push(Span::styled(word, theme.link_word(link)));
    }
    if right_w > 0 {
        let gap = width.saturating_sub(used + right_w).max(1);
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(right, theme.dim()));
    }
    Line::from(spans)
}

fn keys_line(state: &AppState, theme: Theme, width: usize) -> Line<'static> {
    let lang = state.lang();
    // (keys, what they do, global): a question's answer keys first, then the table's hints.
    let mut hints: Vec<(String, &str, bool)> = Vec::new();
    let answer = super::guide::answer_text();
    if let (Some(keys), None) = (super::guide::answer_keys(state), state.popup()) {
        hints.push((keys, answer.get(lang), false));
    }
    hints.extend(
        keys::hints(&state.key_scopes(), state.config.mode)
            .into_iter()
            .map(|b| {
                (
                    b.label.to_string(),
                    b.text.get(lang),
                    // How to move through a replay stays in view like help and quit.
                    matches!(b.scope, Scope::Global | Scope::Replay),
                )
            }),
    );
    let cost = |label: &str, text: &str| display_width(label) + 1 + display_width(text) + 2;
    // Drop the screen's own hints from the end until the line fits; the global ones (help, quit)
    // and the replay's stay, since help lists everything.
    let mut shown: Vec<bool> = vec![true; hints.len()];
    let total = |shown: &[bool]| -> usize {
        hints
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|((label, text, _), _)| cost(label, text))
            .sum()
    };
    for i in (0..hints.len()).rev() {
        if total(&shown) <= width + 2 {
            break;
        }
        if !hints[i].2 {
            shown[i] = false;
        }
    }
    let mut spans = Vec::new();
    for ((label, text, _), _) in hints.iter().zip(&shown).filter(|(_, s)| **s) {
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(label.clone(), theme.key()));
        spans.push(Span::raw(format!(" {text}")));
    }
    Line::from(spans)
}
