//! The Checks tab's model: every known check with its progress, and the selection.
//!
//! The rows keep the order the session listed them in; what the screen shows is
//! [`CheckTable::order`]: by default failed and errored checks first, then warnings, so a run's
//! problems are on the first screen however long the list is. Until the user moves it, the
//! selection is the top row (after a run: the first failure, its evidence below); once moved it
//! follows its check, not a screen position, so a result arriving mid-run never moves it to
//! another check.

use crate::checks::{Area, CheckResult, CheckStatus};
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

    /// 0 for failed and errored checks, 1 for warnings, 2 for the rest: the problems-first
    /// order. A running check keeps the place its previous result gave it, so a re-run does
    /// not shuffle the list.
    fn severity_rank(&self) -> u8 {
        let status = match &self.progress {
            Progress::Done(r) => Some(r.status),
            Progress::Running { previous } => previous.as_ref().map(|r| r.status),
            Progress::NotRun => None,
        };
        match status {
            Some(CheckStatus::Fail | CheckStatus::Error) => 0,
            Some(CheckStatus::Warn) => 1,
            _ => 2,
        }
    }
}

/// How many finished checks ended in each problem status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProblemCount {
    pub fail: usize,
    pub error: usize,
    pub warn: usize,
}

/// The checks in the order the session listed them; checks it did not list are appended.
#[derive(Debug, Clone, Default)]
pub struct CheckTable {
    rows: Vec<CheckRow>,
    /// The selected row, an index into `rows` (not a screen position); `None` until the user
    /// chooses one: then the top row on screen is selected.
    selected: Option<usize>,
    /// Lines the evidence pane is scrolled down.
    detail_scroll: u16,
    /// Show the list in the session's order instead of problems first.
    listed_order: bool,
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
            selected: None,
            detail_scroll: 0,
            listed_order: false,
        }
    }

    /// Row indices in the order the screen shows them.
    pub fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        if !self.listed_order {
            // Stable: within a severity the session's order stays.
            order.sort_by_key(|&i| self.rows[i].severity_rank());
        }
        order
    }

    /// True when problems are shown first (the default), false in the session's order.
    pub fn problems_first(&self) -> bool {
        !self.listed_order
    }

    /// Switches between problems first and the session's order; the selection stays on its
    /// check.
    pub fn toggle_order(&mut self) {
        self.selected = Some(self.selected_index());
        self.listed_order = !self.listed_order;
    }

    /// Where the selected row is on screen (its position in [`Self::order`]).
    pub fn selected_position(&self) -> usize {
        let selected = self.selected_index();
        self.order()
            .iter()
            .position(|&i| i == selected)
            .unwrap_or(0)
    }

    /// Selects the row at screen position `position` (a mouse click), if there is one.
    pub fn select_position(&mut self, position: usize) {
        if let Some(&row) = self.order().get(position) {
            if row != self.selected_index() {
                self.detail_scroll = 0;
            }
            self.selected = Some(row);
        }
    }

    /// Failed, errored and warning checks among the finished ones.
    pub fn problems(&self) -> ProblemCount {
        let mut count = ProblemCount::default();
        for r in self.results() {
            match r.status {
                CheckStatus::Fail => count.fail += 1,
                CheckStatus::Error => count.error += 1,
                CheckStatus::Warn => count.warn += 1,
                CheckStatus::Pass | CheckStatus::Skip => {}
            }
        }
        count
    }

    pub fn rows(&self) -> &[CheckRow] {
        &self.rows
    }

    /// The selected row's index in [`Self::rows`].
    pub fn selected_index(&self) -> usize {
        match self.selected {
            Some(row) => row.min(self.rows.len().saturating_sub(1)),
            None => self.order().first().copied().unwrap_or(0),
        }
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

    /// Selects the next row on screen.
    pub fn select_next(&mut self) {
        self.select_position(self.selected_position() + 1);
    }

    /// Selects the previous row on screen.
    pub fn select_prev(&mut self) {
        if let Some(position) = self.selected_position().checked_sub(1) {
            self.select_position(position);
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
        self.selected = other.selected.and_then(|_| {
            let id = other.selected().map(|r| r.descriptor.id.as_str())?;
            self.rows.iter().position(|r| r.descriptor.id == id)
        });
        self.detail_scroll = other.detail_scroll;
        self.listed_order = other.listed_order;
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
