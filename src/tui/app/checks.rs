//! The Checks tab's model: every known check with its progress, and the selection.

use crate::checks::{Area, CheckResult};
use crate::i18n::Text;
use crate::tui::model::CheckDescriptor;

/// Where one check stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    NotRun,
    /// Started, no result yet; keeps the last result so a re-run that ends without one can
    /// fall back to it.
    Running {
        previous: Option<Box<CheckResult>>,
    },
    Done(CheckResult),
}

/// One line of the Checks tab.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRow {
    pub descriptor: CheckDescriptor,
    pub progress: Progress,
}

impl CheckRow {
    pub fn result(&self) -> Option<&CheckResult> {
        match &self.progress {
            Progress::Done(result) => Some(result),
            _ => None,
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(self.progress, Progress::Running { .. })
    }
}

/// The checks in the order the session listed them; checks it did not list are appended.
#[derive(Debug, Clone, Default)]
pub struct CheckTable {
    rows: Vec<CheckRow>,
    selected: usize,
    /// Lines the evidence pane is scrolled down.
    detail_scroll: u16,
}

impl CheckTable {
    pub fn new(descriptors: Vec<CheckDescriptor>) -> Self {
        let rows = descriptors
            .into_iter()
            .map(|descriptor| CheckRow {
                descriptor,
                progress: Progress::NotRun,
            })
            .collect();
        CheckTable {
            rows,
            selected: 0,
            detail_scroll: 0,
        }
    }

    pub fn rows(&self) -> &[CheckRow] {
        &self.rows
    }

    pub fn selected_index(&self) -> usize {
        self.selected.min(self.rows.len().saturating_sub(1))
    }

    pub fn selected(&self) -> Option<&CheckRow> {
        self.rows.get(self.selected_index())
    }

    pub fn detail_scroll(&self) -> u16 {
        self.detail_scroll
    }

    pub fn is_running(&self) -> bool {
        self.rows.iter().any(CheckRow::is_running)
    }

    pub fn results(&self) -> impl Iterator<Item = &CheckResult> {
        self.rows.iter().filter_map(CheckRow::result)
    }

    pub fn select_next(&mut self) {
        if self.selected + 1 < self.rows.len() {
            self.selected += 1;
            self.detail_scroll = 0;
        }
    }

    pub fn select_prev(&mut self) {
        if self.selected > 0 {
            self.selected -= 1;
            self.detail_scroll = 0;
        }
    }

    /// Scrolls the evidence pane, never past its last line.
    pub fn scroll_detail(&mut self, down: bool, lines: u16) {
        let max = self.selected().map_or(0, detail_line_estimate);
        self.detail_scroll = if down {
            self.detail_scroll.saturating_add(lines).min(max)
        } else {
            self.detail_scroll.saturating_sub(lines)
        };
    }

    /// Takes over `other`'s selection (by check id) and evidence scroll: a replay rebuilds the
    /// table at every step.
    pub fn keep_selection_of(&mut self, other: &CheckTable) {
        let id = other.selected().map(|r| r.descriptor.id.as_str());
        self.selected = id
            .and_then(|id| self.rows.iter().position(|r| r.descriptor.id == id))
            .unwrap_or(other.selected);
        self.detail_scroll = other.detail_scroll;
    }

    pub fn started(&mut self, id: &str, area: Area) {
        let row = self.row_mut(id, area);
        let previous = match std::mem::replace(&mut row.progress, Progress::NotRun) {
            Progress::Done(result) => Some(Box::new(result)),
            Progress::Running { previous } => previous,
            Progress::NotRun => None,
        };
        row.progress = Progress::Running { previous };
    }

    pub fn finished(&mut self, result: &CheckResult) {
        let row = self.row_mut(&result.id, result.area);
        row.progress = Progress::Done(result.clone());
    }

    /// The run is over: a check still marked running got no result, so it shows what it had.
    pub fn run_finished(&mut self) {
        for row in &mut self.rows {
            if let Progress::Running { previous } = &mut row.progress {
                row.progress = match previous.take() {
                    Some(result) => Progress::Done(*result),
                    None => Progress::NotRun,
                };
            }
        }
    }

    fn row_mut(&mut self, id: &str, area: Area) -> &mut CheckRow {
        let index = match self.rows.iter().position(|r| r.descriptor.id == id) {
            Some(index) => index,
            None => {
                // A session opened from the Connect tab did not list its checks up front.
                let title = crate::checks::all_specs()
                    .into_iter()
                    .find(|s| s.id == id)
                    .map_or_else(|| Text::same(id), |s| s.title);
                self.rows.push(CheckRow {
                    descriptor: CheckDescriptor {
                        id: id.to_string(),
                        area,
                        title,
                    },
                    progress: Progress::NotRun,
                });
                self.rows.len() - 1
            }
        };
        &mut self.rows[index]
    }
}

/// Logical lines of the evidence pane (before wrapping), to bound its scrolling.
fn detail_line_estimate(row: &CheckRow) -> u16 {
    let lines = match row.result() {
        Some(r) => 8 + r.evidence.len() + r.frames.len() + usize::from(!r.causes.is_empty()) * 2,
        None => 2,
    };
    u16::try_from(lines).unwrap_or(u16::MAX)
}
