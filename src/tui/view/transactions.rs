//! The Transactions tab: every transaction seen (time, type, amount, masked card, STAN/trace,
//! RRN, code, verdict as a word and a colour) and the selected one in detail — the one-line
//! verdict banner, its identifiers, and the timeline with the frames behind each step.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;

use super::columns::{self, Column};
use super::text::{clock, fit, spinner, wrap};
use crate::i18n::{display_width, Lang, Text};
use crate::tui::app::{AppState, RowTarget, Tab};
use crate::tui::keys::{self, Action, Scope, TxnAction};
use crate::tui::theme::Theme;
use crate::txn::{amount_text, banner, causes, judge, Transaction, TxnVerdict};

/// From this width the detail goes beside the list.
const SIDE_BY_SIDE_WIDTH: u16 = 140;

/// The verdict as a short word for the list.
pub fn verdict_word(v: Option<&TxnVerdict>) -> Text {
    match v {
        Some(TxnVerdict::Approved) => Text::fixed("成功", "APPROVED"),
        Some(TxnVerdict::Declined { .. }) => Text::fixed("被拒", "DECLINED"),
        Some(TxnVerdict::ApprovedThenReversed { .. }) => Text::fixed("批准后冲正", "APPR→REVERSED"),
        Some(TxnVerdict::TimeoutReversalPending) => Text::fixed("待冲正", "REV. PENDING"),
        Some(TxnVerdict::Reversed { .. }) => Text::fixed("已冲正", "REVERSED"),
        Some(TxnVerdict::Unknown) => Text::fixed("未知", "UNKNOWN"),
        None => Text::fixed("进行中", "RUNNING"),
    }
}

/// Draws the tab; returns where each transaction row went (for mouse clicks).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: Theme,
) -> Vec<(Rect, RowTarget)> {
    let view = state.transactions();
    if view.is_empty() {
        render_empty(frame, area, state, theme);
        return Vec::new();
    }
    let [list, detail] = if area.width >= SIDE_BY_SIDE_WIDTH {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area)
    } else {
        let want = u16::try_from(view.len() + 3).unwrap_or(u16::MAX);
        let cap = (area.height * 2 / 5).max(area.height.min(5));
        Layout::vertical([Constraint::Length(want.min(cap)), Constraint::Min(0)]).areas(area)
    };
    let hits = render_list(frame, list, state, theme);
    render_detail(frame, detail, state, theme);
    hits
}

fn render_empty(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let title = format!(" {} ", Tab::Transactions.title().get(lang));
    let block = super::body_block(theme).title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let fact = Text::fixed("还没有看到交易。", "No transaction seen yet.");
    let scope = Scope::Tab(Tab::Transactions);
    let mode = state.config.mode;
    let hint = match (
        keys::label_of(scope, mode, Action::Txn(TxnAction::NewPayment)),
        keys::label_of(scope, mode, Action::Txn(TxnAction::OpenMenu)),
    ) {
        (Some(p), Some(c)) => crate::tr!(
            "按 {p} 发起消费，按 {c} 打开交易命令（重打小票、撤销、日结）。收银机或 tap 经过的交易也会显示在这里。",
            "Press {p} for a payment, {c} for the transaction commands (repeat receipt, reversal, end-of-day). Payments made by the cash register, or passing a tap, show here too."
        ),
        _ => Text::fixed(
            "抓包或 tap 中经过的交易会显示在这里。",
            "Transactions in the capture or passing the tap show here.",
        ),
    };
    let lines = vec![
        Line::from(Span::styled(fact.get(lang).to_string(), theme.title())),
        Line::default(),
        Line::from(Span::styled(hint.get(lang).to_string(), theme.dim())),
    ];
    let top = inner.height.saturating_sub(4) / 2;
    let text_area = Rect {
        y: inner.y + top,
        height: inner.height - top,
        ..inner
    };
    let p = Paragraph::new(lines)
        .alignment(ratatui::layout::Alignment::Center)
        .wrap(Wrap { trim: true });
    frame.render_widget(p, text_area);
}

const TIME: usize = 0;
const KIND: usize = 1;
const AMOUNT: usize = 2;
const CARD: usize = 3;
const TRACE: usize = 4;
const RRN: usize = 5;
const CODE: usize = 6;
const VERDICT: usize = 7;
const COLUMNS: usize = 8;

/// Most important first: the verdict, then time, amount, card, trace, code, type, RRN.
fn rank(column: usize) -> u8 {
    match column {
        VERDICT => 0,
        AMOUNT => 1,
        TIME => 2,
        CARD => 3,
        TRACE => 4,
        CODE => 5,
        KIND => 6,
        RRN => 7,
        _ => 8,
    }
}

fn headers() -> [Text; COLUMNS] {
    [
        Text::fixed("时间", "Time"),
        Text::fixed("类型", "Type"),
        Text::fixed("金额", "Amount"),
        Text::fixed("卡号", "Card"),
        Text::fixed("流水", "STAN"),
        Text::fixed("参考号", "RRN"),
        Text::fixed("码", "Code"),
        Text::fixed("结论", "Verdict"),
    ]
}

/// The response code column: field 39, else the terminal's result code.
fn code_cell(t: &Transaction) -> String {
    t.response_code()
        .map(str::to_owned)
        .or_else(|| {
            let r = t.terminal.as_ref().and_then(|z| z.failure())?;
            Some(r.shown_code())
        })
        .unwrap_or_default()
}

fn cells(t: &Transaction, state: &AppState, theme: Theme) -> [(String, Style); COLUMNS] {
    let lang = state.lang();
    let verdict = judge(t);
    let mut word = verdict_word(verdict.as_ref()).get(lang).to_string();
    if verdict.is_none() {
        word = format!("{} {word}", spinner(state.spinner));
    }
    let time = clock(t.started, state.config.utc_offset);
    [
        (time.get(..8).unwrap_or(&time).to_owned(), theme.dim()),
        (t.kind.short().get(lang).to_string(), Style::new()),
        (amount_text(t).unwrap_or_default(), Style::new()),
        (t.card.clone().unwrap_or_default(), Style::new()),
        (t.trace().unwrap_or_default().to_owned(), Style::new()),
        (t.rrn().unwrap_or_default().to_owned(), theme.dim()),
        (code_cell(t), Style::new()),
        (word, theme.verdict(verdict.as_ref().map(TxnVerdict::kind))),
    ]
}

fn render_list(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: Theme,
) -> Vec<(Rect, RowTarget)> {
    let lang = state.lang();
    let view = state.transactions();
    let block = super::body_block(theme).title(Span::styled(list_title(state), theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows: Vec<[(String, Style); COLUMNS]> = view
        .tracker()
        .transactions()
        .map(|t| cells(t, state, theme))
        .collect();
    let headers = headers();
    let natural = |col: usize| -> u16 {
        let content = rows
            .iter()
            .map(|c| display_width(&c[col].0))
            .max()
            .unwrap_or(0);
        u16::try_from(content.max(display_width(headers[col].get(lang)))).unwrap_or(u16::MAX)
    };
    let claims: Vec<Column> = (0..COLUMNS)
        .map(|i| Column {
            width: natural(i),
            rank: rank(i),
        })
        .collect();
    const MARKER: u16 = 2;
    let shown = columns::fit(inner.width.saturating_sub(MARKER), 1, &claims);
    let visible: Vec<usize> = (0..COLUMNS).filter(|&i| shown[i]).collect();
    let widths: Vec<u16> = visible.iter().map(|&i| claims[i].width).collect();
    let header = Row::new(
        visible
            .iter()
            .zip(&widths)
            .map(|(&i, w)| Cell::from(fit(headers[i].get(lang), usize::from(*w)))),
    )
    .style(theme.dim());
    let table_rows = rows.iter().map(|row| {
        Row::new(visible.iter().zip(&widths).map(|(&i, w)| {
            let (text, style) = &row[i];
            Cell::from(Line::from(Span::styled(fit(text, usize::from(*w)), *style)))
        }))
    });
    let table = Table::new(table_rows, widths.iter().map(|w| Constraint::Length(*w)))
        .header(header)
        .column_spacing(1)
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::Always)
        .row_highlight_style(theme.selected());
    let mut table_state = TableState::default().with_selected(view.selected_index());
    frame.render_stateful_widget(table, inner, &mut table_state);
    super::checks::table_rows_hit(
        inner,
        table_state.offset(),
        rows.len(),
        RowTarget::Transaction,
    )
}

fn list_title(state: &AppState) -> String {
    let lang = state.lang();
    let view = state.transactions();
    let mut title = format!(" {} · {} ", Tab::Transactions.title().get(lang), view.len());
    let evicted = view.tracker().evicted();
    if evicted > 0 {
        let older = Text::fixed("条更早的已省略", "older not kept");
        title.push_str(&format!("(+{evicted} {}) ", older.get(lang)));
    }
    if let Some(request) = view.running() {
        title.push_str(&format!(
            "· {} {} ",
            spinner(state.spinner),
            request.name_on(view.protocol()).get(lang)
        ));
    } else if !view.following() {
        let label = Text::fixed("已暂停跟随", "not following");
        title.push_str(&format!("· {} ", label.get(lang)));
    }
    title
}

fn render_detail(frame: &mut Frame, area: Rect, state: &AppState, theme: Theme) {
    let lang = state.lang();
    let Some(t) = state.transactions().selected() else {
        return;
    };
    let verdict = judge(t);
    let amount = amount_text(t).map(|a| format!(" {a}")).unwrap_or_default();
    let title = format!(" #{} {}{amount} ", t.id, t.kind.label().get(lang));
    let width = usize::from(area.width.saturating_sub(2)).max(1);
    let mut lines: Vec<Line> = Vec::new();
    let style = theme.verdict(verdict.as_ref().map(TxnVerdict::kind));
    // The banner says the verdict in words ("approved 12.34 CNY"); the list beside it has the
    // verdict word, so the code is not repeated here.
    let head = banner(t, verdict.as_ref()).get(lang).to_string();
    for l in wrap(&head, width) {
        lines.push(Line::from(Span::styled(l, style)));
    }
    let facts = facts(t, lang);
    if !facts.is_empty() {
        for l in wrap(&facts, width) {
            lines.push(Line::from(Span::styled(l, theme.dim())));
        }
    }
    if let Some(v) = &verdict {
        let ids = causes(t, v);
        if !ids.is_empty() {
            let label = Text::fixed("原因（排障页）", "causes (Guide tab)");
            lines.push(Line::from(vec![
                Span::styled(format!("{}: ", label.get(lang)), theme.dim()),
                Span::styled(ids.join(", "), theme.warning()),
            ]));
        }
    }
    lines.push(Line::default());
    timeline(t, state, theme, area.width, &mut lines);
    let block = super::body_block(theme).title(Span::styled(title, theme.title()));
    let scroll = state.transactions().detail_scroll;
    let block = match super::check_detail::more_hint(
        &lines,
        area,
        scroll,
        Scope::Tab(Tab::Transactions),
        state,
    ) {
        Some(hint) => {
            block.title_bottom(Line::from(Span::styled(hint, theme.key())).right_aligned())
        }
        None => block,
    };
    let paragraph = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0));
    frame.render_widget(paragraph, area);
}

/// "STAN 000001 · trace 000001 · receipt 0001 · RRN … · auth … · reversal 96 → 00".
fn facts(t: &Transaction, lang: Lang) -> String {
    let host = t.host.as_ref();
    let mut parts: Vec<String> = Vec::new();
    let mut add = |zh: &str, en: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            let label = if lang == Lang::Zh { zh } else { en };
            parts.push(format!("{label} {v}"));
        }
    };
    add("卡", "card", t.card.as_deref());
    add("流水", "STAN", host.and_then(|h| h.stan.as_deref()));
    add(
        "凭证",
        "trace",
        t.terminal.as_ref().and_then(|z| z.trace.as_deref()),
    );
    add("凭条", "receipt", t.receipt_no());
    add("参考号", "RRN", t.rrn());
    add("授权码", "auth", host.and_then(|h| h.auth_code.as_deref()));
    let reversal = t.reversal.as_ref().map(|r| {
        format!(
            "{} → {}",
            r.reason.as_deref().unwrap_or("?"),
            r.response_code.as_deref().unwrap_or("…")
        )
    });
    add("冲正", "reversal", reversal.as_deref());
    parts.join(" · ")
}

/// `text` wrapped to start at column `at` of a `width`-cell line: the first line without the
/// indent (it follows the line's prefix), the others indented by `at` spaces.
fn hanging(text: &str, at: usize, width: usize) -> Vec<String> {
    let room = width.saturating_sub(at);
    if room < 12 {
        // Too narrow to indent usefully: let the paragraph wrap it.
        return vec![text.to_string()];
    }
    wrap(text, room)
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l
            } else {
                format!("{}{l}", " ".repeat(at))
            }
        })
        .collect()
}

/// From this width each step shows its wall-clock time too.
const CLOCK_WIDTH: u16 = 100;

fn timeline(
    t: &Transaction,
    state: &AppState,
    theme: Theme,
    width: u16,
    lines: &mut Vec<Line<'static>>,
) {
    let lang = state.lang();
    let offset = state.config.utc_offset;
    let label_w = t
        .steps
        .iter()
        .map(|s| display_width(s.kind.label().get(lang)))
        .max()
        .unwrap_or(0);
    let afters: Vec<String> = t
        .steps
        .iter()
        .map(|s| crate::durations::after(t.elapsed(s.time)))
        .collect();
    let after_w = afters.iter().map(|a| display_width(a)).max().unwrap_or(0);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let clock_w = if width >= CLOCK_WIDTH { 13 } else { 0 };
    // Wrapped text continues under its own start, not at column 0, so the times and step
    // names stay a clean column.
    let text_at = clock_w + after_w + 1 + label_w + 1;
    let frame_at = clock_w + after_w + 1;
    for (step, after) in t.steps.iter().zip(&afters) {
        let mut spans = Vec::new();
        if clock_w > 0 {
            spans.push(Span::styled(
                format!("{} ", clock(step.time, offset)),
                theme.dim(),
            ));
        }
        spans.push(Span::styled(
            format!("{} ", fit(after, after_w)),
            theme.dim(),
        ));
        spans.push(Span::styled(
            format!("{} ", fit(step.kind.label().get(lang), label_w)),
            theme.title(),
        ));
        let mut text = hanging(step.text.get(lang), text_at, inner).into_iter();
        spans.push(Span::raw(text.next().unwrap_or_default()));
        lines.push(Line::from(spans));
        lines.extend(text.map(|l| Line::from(Span::raw(l))));
        for f in step.frames.iter().filter_map(|i| t.frames.get(*i)) {
            for (i, l) in hanging(&f.line_in(lang), frame_at, inner)
                .into_iter()
                .enumerate()
            {
                // The first line has no indent of its own (see `hanging`).
                let l = if i == 0 {
                    format!("{}{l}", " ".repeat(frame_at))
                } else {
                    l
                };
                lines.push(Line::from(Span::styled(l, theme.dim())));
            }
        }
    }
    if t.frames_dropped > 0 {
        let more = crate::tr!(
            "（另有 {} 帧未保留）",
            "({} more frames not kept)",
            t.frames_dropped
        );
        lines.push(Line::from(Span::styled(
            more.get(lang).to_string(),
            theme.dim(),
        )));
    }
}
