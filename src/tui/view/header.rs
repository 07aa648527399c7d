//! The top line: the tabs with their number keys (the Checks tab with its failures and
//! warnings counted, in their colours, so they are seen from any tab), then the mode and the
//! profile on the right.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::text::truncate_left;
use crate::i18n::{display_width, truncate_to_width};
use crate::tui::app::{AppState, Tab};
use crate::tui::theme::Theme;

const APP: &str = "posdiag ";

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let counts = super::checks::problem_counts(state, theme);
    // "4 FAIL 1 WARN " after the Checks tab's label.
    let counts_w: usize = counts.iter().map(|(c, _)| display_width(c) + 1).sum();
    let full: Vec<String> = Tab::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| format!(" {} {} ", i + 1, t.title().get(lang)))
        .collect();
    // Too narrow for every title: numbers only, except the tab you are on.
    let labels: Vec<String> =
        if tabs_width(&full) + counts_w + display_width(APP) <= usize::from(area.width) {
            full
        } else {
            Tab::ALL
                .iter()
                .enumerate()
                .map(|(i, &t)| {
                    if t == state.tab {
                        format!(" {} {} ", i + 1, t.title().get(lang))
                    } else {
                        format!(" {} ", i + 1)
                    }
                })
                .collect()
        };

    let mut spans = Vec::new();
    let mut used = 0;
    if tabs_width(&labels) + counts_w + display_width(APP) <= usize::from(area.width) {
        spans.push(Span::styled(APP, theme.title()));
        used += display_width(APP);
    }
    for (label, &tab) in labels.iter().zip(Tab::ALL.iter()) {
        let style = if tab == state.tab {
            theme.active_tab()
        } else {
            ratatui::style::Style::new()
        };
        used += display_width(label);
        spans.push(Span::styled(label.clone(), style));
        if tab == Tab::Checks {
            for (count, count_style) in &counts {
                spans.push(Span::styled(count.clone(), *count_style));
                spans.push(Span::raw(" "));
            }
            used += counts_w;
        }
    }

    // Mode and profile on the right, in whatever room is left.
    let room = usize::from(area.width).saturating_sub(used + 1);
    let mode = state.config.mode.label();
    let mode = mode.get(lang);
    let title = state.config.title.get(lang);
    let right = if title.is_empty() {
        mode.to_string()
    } else {
        format!("{mode} · {title}")
    };
    let right = if display_width(&right) <= room {
        right
    } else if display_width(mode) + 3 < room {
        // Keep the mode whole and the end of the profile name.
        format!(
            "{mode} · {}",
            truncate_left(title, room - display_width(mode) - 3)
        )
    } else {
        truncate_to_width(mode, room).into_owned()
    };
    if !right.is_empty() {
        let gap = usize::from(area.width).saturating_sub(used + display_width(&right));
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(right, theme.title()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn tabs_width(labels: &[String]) -> usize {
    labels.iter().map(|l| display_width(l)).sum()
}
