//! Where the last frame drew what can be clicked, so a mouse click is turned into the tab or
//! row under it. The loop stores it after each draw ([`AppState::set_hits`]); drawing itself
//! still only reads the state.

use ratatui::layout::Rect;

use super::{AppState, Tab};

/// What a clickable row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowTarget {
    /// A Checks row, by its position on screen order (problems first or as listed).
    Check(usize),
    /// A Transactions row, by its index in list order.
    Transaction(usize),
    /// A line of a Log frame, by the frame's absolute index.
    Frame(u64),
}

/// The clickable places of the last frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HitMap {
    /// Each tab's label in the header.
    pub tabs: Vec<(Rect, Tab)>,
    /// Each clickable line of the current tab's list.
    pub rows: Vec<(Rect, RowTarget)>,
}

fn inside(area: Rect, column: u16, row: u16) -> bool {
    column >= area.x && column < area.right() && row >= area.y && row < area.bottom()
}

impl HitMap {
    pub fn tab_at(&self, column: u16, row: u16) -> Option<Tab> {
        self.tabs
            .iter()
            .find(|(area, _)| inside(*area, column, row))
            .map(|(_, tab)| *tab)
    }

    pub fn row_at(&self, column: u16, row: u16) -> Option<RowTarget> {
        self.rows
            .iter()
            .find(|(area, _)| inside(*area, column, row))
            .map(|(_, target)| *target)
    }
}

impl AppState {
    /// Remembers where the frame just drawn put its tabs and rows (the loop calls this).
    pub fn set_hits(&mut self, hits: HitMap) {
        self.hits = hits;
    }
}
