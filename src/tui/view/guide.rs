//! The Guide tab: the symptom picker, then the walkthrough — the ranked causes with their
//! state (word and colour) and the reasons of the selected one above, the step below (one
//! question, the fix steps, "Fixed?", the end; `guide_step.rs`).
//!
//! ```text
//! ┌ Guide · won't power on ────────────────────────────────────────────┐
//! │▶ CONFIRMED  no power reaches the terminal (adapter, socket or bat… │ ranked causes,
//! │  UNKNOWN    battery low                                            │   best first
//! │power.no_power — why:                                               │ reasons of the
//! │+ Q: Is the power adapter's (or the base's) LED on? A: no           │   selected cause
//! └────────────────────────────────────────────────────────────────────┘
//! ┌ Fix · no power reaches the terminal ───────────────────────────────┐
//! │1. Check the socket has power (try another appliance) and the power │ the step
//! │   strip is switched on.                                            │
//! └─────────────────────────────────────────────────── PgDn ↓ more ────┘
//! ```

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::text::{fit, wrap};
use crate::checks::CheckStatus;
use crate::guide::{Bearing, CauseState, Kb, Ranking};
use crate::i18n::{display_width, truncate_to_width, Lang, Text};
use crate::tui::app::{AppState, GuideView, Tab};
use crate::tui::theme::Theme;

/// From this width the causes list shows the cause ids as a column.
const ID_COLUMN_WIDTH: u16 = 100;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let kb = match crate::guide::builtin() {
        Ok(kb) => kb,
        Err(e) => {
            let block = super::body_block(theme);
            let inner = block.inner(area);
            frame.render_widget(block, area);
            let text = Text::new(
                format!("知识库无法加载：{e}"),
                format!("The knowledge base could not be loaded: {e}"),
            );
            let p = Paragraph::new(text.get(state.lang()).to_string())
                .style(theme.error())
                .wrap(Wrap { trim: true });
            frame.render_widget(p, inner);
            return;
        }
    };
    match state.guide().walkthrough() {
        None => render_picker(frame, area, state, kb, theme),
        Some(walk) => {
            let ranking = walk.ranking(kb, state.evidence());
            let rows = ranking.causes.len().max(1);
            let (list_max, reason_rows) = if area.height >= 30 { (10, 5) } else { (5, 3) };
            let want = 2 + rows.min(list_max) + reason_rows;
            let want = u16::try_from(want).unwrap_or(u16::MAX).min(area.height / 2);
            let [causes, step] =
                Layout::vertical([Constraint::Length(want), Constraint::Min(0)]).areas(area);
            render_causes(frame, causes, state, &ranking, theme);
            super::guide_step::render(frame, step, state, kb, theme);
        }
    }
}

fn title(state: &AppState, what: &str) -> Span<'static> {
    let lang = state.lang();
    Span::styled(
        format!(" {} · {what} ", Tab::Guide.title().get(lang)),
        Style::new().add_modifier(ratatui::style::Modifier::BOLD),
    )
}

fn render_picker(frame: &mut Frame, area: Rect, state: &AppState, kb: &Kb, theme: Theme) {
    let lang = state.lang();
    let question = Text::fixed("出了什么问题？", "what is wrong?");
    let block = super::body_block(theme).title(title(state, question.get(lang)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);

    let intro = Text::fixed(
        "选择商户反映的问题：向导根据已有证据对原因排序，一次只问一个检查无法得知的问题，然后给出修复步骤，并重新检查以证明修好了。",
        "Choose what the shop reports: the guide ranks the causes from the evidence so far, asks one question at a time about what no check can tell, gives the fix steps, then re-runs the checks that prove the fix.",
    );
    let mut lines: Vec<Line> = wrap(intro.get(lang), width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.dim())))
        .collect();
    lines.push(Line::from(Span::styled(
        evidence_summary(state).get(lang).to_string(),
        theme.dim(),
    )));
    lines.push(Line::default());

    let evidence_only = Text::fixed("仅根据已有证据", "the evidence alone");
    let evidence_detail = Text::fixed(
        "不选症状：只看检查结果和报文",
        "no symptom: only the check results and frames",
    );
    let mut entries: Vec<(&str, &str)> = kb
        .symptoms
        .iter()
        .map(|s| (s.title.get(lang), s.description.get(lang)))
        .collect();
    entries.push((evidence_only.get(lang), evidence_detail.get(lang)));
    let title_w = entries
        .iter()
        .map(|(t, _)| display_width(t))
        .max()
        .unwrap_or(0);
    let selected = state.guide().pick_index(kb);
    for (i, (name, detail)) in entries.iter().enumerate() {
        let marker = if i == selected { "▶ " } else { "  " };
        let head = format!("{marker}{}  ", fit(name, title_w));
        let room = width.saturating_sub(display_width(&head));
        let style = if i == selected {
            theme.selected()
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(head, style),
            Span::styled(truncate_to_width(detail, room).into_owned(), theme.dim()),
        ]));
    }
    // Keep the selected symptom on screen when the intro and the list do not fit.
    let top = lines.len() - entries.len();
    let scroll = (top + selected + 1).saturating_sub(usize::from(inner.height));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// "Evidence so far: 3 check results (1 failed, 1 warning)".
fn evidence_summary(state: &AppState) -> Text {
    let checks = state.evidence().checks();
    let failed = checks
        .iter()
        .filter(|c| matches!(c.status, CheckStatus::Fail | CheckStatus::Error))
        .count();
    let warned = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Warn)
        .count();
    let n = checks.len();
    Text::new(
        format!("已有证据：{n} 项检查结果（{failed} 项失败，{warned} 项警告）"),
        format!("Evidence so far: {n} check results ({failed} failed, {warned} warnings)"),
    )
}

/// What the walkthrough started from, for the title.
fn started_from(state: &AppState, kb: &Kb) -> String {
    let lang = state.lang();
    let guide: &GuideView = state.guide();
    if let Some(origin) = guide.origin() {
        let from = Text::new(format!("来自{}", origin.zh), format!("from {}", origin.en));
        return from.get(lang).to_string();
    }
    guide
        .walkthrough()
        .and_then(|w| w.symptom.as_deref())
        .and_then(|s| kb.symptom(s))
        .map_or_else(
            || {
                Text::fixed("已有证据", "the evidence")
                    .get(lang)
                    .to_string()
            },
            |s| s.title.get(lang).to_string(),
        )
}

fn render_causes(frame: &mut Frame, area: Rect, state: &AppState, ranking: &Ranking, theme: Theme) {
    let lang = state.lang();
    let kb = crate::guide::builtin().ok();
    let from = kb.map(|kb| started_from(state, kb)).unwrap_or_default();
    let block = super::body_block(theme).title(title(state, &from));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);

    if ranking.causes.is_empty() {
        let none = if state.evidence().is_empty() {
            Text::fixed(
                "没有与已有证据相符的原因。请选择一个症状，或先在检查页 (2) 运行检查。",
                "No cause fits the evidence so far. Choose a symptom, or run the checks on the Checks tab (2) first.",
            )
        } else {
            let s = evidence_summary(state);
            Text::new(
                format!("{}：没有一项指出原因。请选择一个症状。", s.zh),
                format!("{}: none of it points to a cause. Choose a symptom.", s.en),
            )
        };
        let p = Paragraph::new(none.get(lang).to_string())
            .style(theme.dim())
            .wrap(Wrap { trim: true });
        frame.render_widget(p, inner);
        return;
    }

    let height = usize::from(inner.height);
    let reason_rows = if height >= 15 { 5 } else { 3 }.min(height.saturating_sub(1));
    let list_rows = height.saturating_sub(reason_rows).max(1);
    let selected = state.guide().selected_cause(ranking.causes.len());
    let offset = (selected + 1).saturating_sub(list_rows);
    let word_w = [
        CauseState::Confirmed,
        CauseState::Likely,
        CauseState::Unknown,
        CauseState::RuledOut,
    ]
    .iter()
    .map(|s| display_width(s.word().get(lang)))
    .max()
    .unwrap_or(0);
    let with_id = inner.width >= ID_COLUMN_WIDTH;
    let id_w = ranking
        .causes
        .iter()
        .map(|c| display_width(&c.cause.id))
        .max()
        .unwrap_or(0)
        .min(30);

    let mut lines = Vec::new();
    for (i, c) in ranking
        .causes
        .iter()
        .enumerate()
        .skip(offset)
        .take(list_rows)
    {
        let marker = if i == selected { "▶ " } else { "  " };
        let mut spans = vec![
            Span::styled(
                marker,
                if i == selected {
                    theme.selected()
                } else {
                    Style::new()
                },
            ),
            Span::styled(fit(c.state.word().get(lang), word_w), theme.cause(c.state)),
            Span::raw("  "),
        ];
        let mut used = 2 + word_w + 2;
        if with_id {
            spans.push(Span::styled(
                format!("{}  ", fit(&c.cause.id, id_w)),
                theme.dim(),
            ));
            used += id_w + 2;
        }
        let room = width.saturating_sub(used);
        let title = if c.also_found {
            let t = &c.cause.title;
            Text::new(
                format!("另外发现：{}", t.zh),
                format!("also found: {}", t.en),
            )
        } else {
            c.cause.title.clone()
        };
        spans.push(Span::raw(
            truncate_to_width(title.get(lang), room).into_owned(),
        ));
        lines.push(Line::from(spans));
    }
    let rest = ranking.causes.len().saturating_sub(offset + list_rows);
    // The last line says how many more there are, unless the selected cause is on it.
    let room_for_more = rest > 0 && list_rows > 1 && selected + 1 < offset + list_rows;
    if let (Some(last), true) = (lines.last_mut(), room_for_more) {
        let rest = rest + 1;
        let more = Text::new(format!("  …还有 {rest} 项"), format!("  …{rest} more"));
        *last = Line::from(Span::styled(more.get(lang).to_string(), theme.dim()));
    }

    if let Some(c) = ranking.causes.get(selected) {
        lines.extend(reason_lines(c, lang, width, reason_rows, theme));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The selected cause's id and its reasons, at most `rows` lines.
fn reason_lines(
    c: &crate::guide::RankedCause,
    lang: Lang,
    width: usize,
    rows: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let why = Text::new(
        format!("{} — 依据：", c.cause.id),
        format!("{} — why:", c.cause.id),
    );
    let mut lines = vec![Line::from(Span::styled(
        truncate_to_width(why.get(lang), width).into_owned(),
        theme.dim(),
    ))];
    if c.reasons.is_empty() {
        let none = Text::fixed("  尚无证据", "  no evidence yet");
        lines.push(Line::from(Span::styled(
            none.get(lang).to_string(),
            theme.dim(),
        )));
    }
    for r in &c.reasons {
        let (sign, style) = match r.bearing {
            Bearing::Confirms => ("+ ", theme.cause(CauseState::Confirmed)),
            Bearing::Suggests => ("~ ", theme.cause(CauseState::Likely)),
            Bearing::RulesOut => ("- ", theme.cause(CauseState::RuledOut)),
            Bearing::Note => ("· ", theme.dim()),
        };
        for (j, l) in wrap(r.text.get(lang), width.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let lead = if j == 0 { sign } else { "  " };
            lines.push(Line::from(vec![Span::styled(lead, style), Span::raw(l)]));
        }
    }
    if lines.len() > rows {
        lines.truncate(rows.max(1));
        if let Some(last) = lines.last_mut() {
            let text: String = last.spans.iter().map(|s| s.content.as_ref()).collect();
            let cut = truncate_to_width(&text, width.saturating_sub(1)).into_owned();
            *last = Line::from(format!("{cut}…"));
        }
    }
    lines
}

/// The answer keys of the question shown ("y n u"), for the status bar and the help.
pub fn answer_keys(state: &AppState) -> Option<String> {
    if state.tab() != Tab::Guide {
        return None;
    }
    let kb = crate::guide::builtin().ok()?;
    let walk = state.guide().walkthrough()?;
    if state.guide().fixing().is_some() {
        return None;
    }
    let crate::guide::Step::Ask { question, .. } = walk.step(kb, state.evidence()) else {
        return None;
    };
    let keys: Vec<String> = question
        .answers
        .iter()
        .filter_map(crate::tui::keys::answer_key)
        .map(String::from)
        .collect();
    Some(keys.join(" "))
}

/// What the answer keys do.
pub fn answer_text() -> Text {
    Text::fixed("回答", "answer")
}
