//! Drawing: one module per screen area, each a free `render(frame, area, state)` that reads the
//! state and never changes it.
//!
//! ```text
//! ┌──────────────────────────────────────────────────────────────────────────────┐
//! │posdiag  1 Connect  2 Checks  3 Transactions  4 Guide  5 Log     LIVE · zvt   │ header.rs: tabs (number
//! │┌ Checks ────────────────────────────────────────────────────────────────────┐│   keys), mode, profile
//! ││▶ FAIL     reader   Card reader status                              1s 203ms││ body: one view per tab
//! ││  PASS     link     Link answers                                       120ms││   connect.rs, checks.rs
//! │└────────────────────────────────────────────────────────────────────────────┘│   (+ check_detail.rs),
//! │┌ reader.status · Card reader status ────────────────────────────────────────┐│   transactions.rs (3), guide.rs (4)
//! ││FAIL  Card reader not answering                                             ││   (+ guide_step.rs,
//! ││terminal status  E2 card reader not answering                               ││   guide_outcome.rs), log.rs
//! ││→ 10:15:02.123 05 01 Status-Enquiry                                         ││
//! │└────────────────────────────────────────────────────────────────────────────┘│
//! │⚠ could not open /dev/ttyUSB1: permission denied                         (Esc)│ notice line, only when
//! │ CONNECTED  /dev/ttyUSB0             capture …/captures/2024-05-17-shop.jsonl │   there is a notice
//! │↑↓ j k select  Enter run selected  r run all  ? help  q quit                  │ status_bar.rs: link word
//! └──────────────────────────────────────────────────────────────────────────────┘   + colour, capture, keys
//! ```
//!
//! Popups (address.rs, help.rs, confirm.rs, commands.rs, confirm_command.rs, notices.rs, printer.rs,
//! confirm_printer.rs) are drawn last,
//! centred over the body. Every area is clamped to the frame, so a 20x5 terminal shows less
//! but never panics.

mod address;
mod check_detail;
mod checks;
mod columns;
mod commands;
mod confirm;
mod confirm_command;
mod confirm_printer;
mod connect;
mod guide;
mod guide_outcome;
mod guide_step;
mod header;
mod help;
mod log;
mod notices;
mod printer;
mod status_bar;
pub(in crate::tui) mod text;
mod transactions;
mod txn_popups;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders};
use ratatui::Frame;

use super::app::{AppState, HitMap, Popup, Tab};
use super::theme::Theme;

/// The bands of the screen.
struct Bands {
    header: Rect,
    body: Rect,
    notice: Rect,
    status: Rect,
}

fn bands(area: Rect, notice: bool) -> Bands {
    let [header, body, notice, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(u16::from(notice)),
        Constraint::Length(2),
    ])
    .areas(area);
    Bands {
        header,
        body,
        notice,
        status,
    }
}

/// The bordered block every tab's body sits in.
fn body_block(theme: Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border())
}

/// Where the Log tab's lines go at terminal size `viewport`.
pub(in crate::tui) fn log_text_area(viewport: Rect, notice: bool) -> Rect {
    body_block(Theme::new(false)).inner(bands(viewport, notice).body)
}

/// Draws the whole screen from `state`.
pub fn render(frame: &mut Frame, state: &AppState) {
    render_with_hits(frame, state);
}

/// Draws the whole screen from `state`; returns where the tabs and rows went, so the loop can
/// turn a mouse click into what is under it.
pub(in crate::tui) fn render_with_hits(frame: &mut Frame, state: &AppState) -> HitMap {
    let area = frame.area();
    let theme = Theme::new(state.config.color);
    let bands = bands(area, state.current_notice().is_some());

    let tabs = header::render(frame, bands.header, state, theme);
    let rows = match state.tab {
        Tab::Connect => {
            connect::render(frame, bands.body, state, theme);
            Vec::new()
        }
        Tab::Checks => checks::render(frame, bands.body, state, theme),
        Tab::Transactions => transactions::render(frame, bands.body, state, theme),
        Tab::Guide => {
            guide::render(frame, bands.body, state, theme);
            Vec::new()
        }
        Tab::Log => log::render(frame, bands.body, state, theme),
    };
    status_bar::render_notice(frame, bands.notice, state, theme);
    status_bar::render(frame, bands.status, state, theme);

    match state.popup {
        Some(Popup::Help) => help::render(frame, bands.body, state, theme),
        Some(Popup::ConfirmQuit) => confirm::render(frame, bands.body, state, theme),
        Some(Popup::Commands) => commands::render(frame, bands.body, state, theme),
        Some(Popup::ConfirmCommand(command)) => {
            confirm_command::render(frame, bands.body, state, theme, command)
        }
        Some(Popup::Notices) => notices::render(frame, bands.body, state, theme),
        Some(Popup::Printer) => printer::render(frame, bands.body, state, theme),
        Some(Popup::ConfirmPrinter(action)) => {
            confirm_printer::render(frame, bands.body, state, theme, action)
        }
        Some(Popup::Txn(p)) => txn_popups::render(frame, bands.body, state, theme, p),
        Some(Popup::Address) => address::render(frame, bands.body, state, theme),
        None => {}
    }
    // Under a popup nothing of the screen can be clicked.
    match state.popup {
        Some(_) => HitMap::default(),
        None => HitMap { tabs, rows },
    }
}

/// Clears the cells under `popup`, and one column either side within `area`: a CJK character
/// half under the popup's border would otherwise hide the border.
fn clear(frame: &mut Frame, area: Rect, popup: Rect) {
    let left = popup.x.saturating_sub(1).max(area.x);
    let right = (popup.x + popup.width + 1).min(area.x + area.width);
    let wide = Rect::new(left, popup.y, right.saturating_sub(left), popup.height);
    frame.render_widget(ratatui::widgets::Clear, wide.intersection(frame.area()));
}

/// A `width` x `height` rectangle centred in `area`, never larger than it.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}
