//! Replay: the TUI over a capture, read-only, with a cursor to step through time.
//!
//! The state at a cursor is a pure function of the capture's records before it ([`replayed`]
//! folds `records[..cursor]` into a fresh state with the same [`AppState::apply`] a live session
//! uses, so every tab sees the same events). Stepping back is rebuilding; only what the user
//! did on screen — the tab, the selections, the guide's answers — is carried over.

use std::sync::Arc;
use std::time::SystemTime;

use ratatui::layout::Rect;

use super::AppState;
use crate::i18n::Text;
use crate::tui::model::{CheckDescriptor, ReplayRecord, ReplaySource, UiConfig};

/// The capture being replayed and the cursor in it.
#[derive(Debug, Clone)]
pub struct ReplayLog {
    records: Arc<[ReplayRecord]>,
    /// Records applied: `records[..cursor]`.
    cursor: usize,
    descriptors: Vec<CheckDescriptor>,
    source: ReplaySource,
}

/// Where the cursor is, for the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplayPosition {
    /// Time of the last record applied (the capture's start before the first).
    pub time: SystemTime,
    /// Records applied.
    pub cursor: usize,
    pub total: usize,
}

impl ReplayLog {
    pub fn position(&self) -> ReplayPosition {
        let time = self
            .cursor
            .checked_sub(1)
            .and_then(|i| self.records.get(i))
            .map_or(self.source.start.unwrap_or(SystemTime::UNIX_EPOCH), |r| {
                r.time
            });
        ReplayPosition {
            time,
            cursor: self.cursor,
            total: self.records.len(),
        }
    }

    /// The capture's facts, for the Connect tab.
    pub fn facts(&self) -> &[(Text, String)] {
        &self.source.facts
    }
}

/// The state after the first `log.cursor` records, at terminal size `viewport`.
pub fn replayed(config: &UiConfig, log: &ReplayLog, viewport: Rect) -> AppState {
    let mut state = AppState::new(config.clone(), Vec::new(), log.descriptors.clone());
    state.viewport = viewport;
    for record in log.records.iter().take(log.cursor) {
        state.apply(&record.event);
    }
    if let Some(stopped) = &log.source.stopped {
        state.notify(stopped.clone());
    }
    // A replay asks nothing of a session.
    state.outbox.clear();
    state
}

impl AppState {
    /// The TUI over a capture's `records`, with the cursor after the last one. `descriptors`
    /// list the checks in the order the Checks tab shows them; `source` says when the capture
    /// began, where a damaged one stopped being readable, and what its header holds.
    pub fn replay(
        config: UiConfig,
        descriptors: Vec<CheckDescriptor>,
        records: Vec<ReplayRecord>,
        source: ReplaySource,
    ) -> AppState {
        let log = ReplayLog {
            cursor: records.len(),
            records: records.into(),
            descriptors,
            source,
        };
        let mut state = replayed(&config, &log, Rect::new(0, 0, 80, 24));
        state.replay = Some(log);
        state
    }

    /// The capture being replayed; `None` outside replay.
    pub fn replay_log(&self) -> Option<&ReplayLog> {
        self.replay.as_ref()
    }

    /// Where the replay cursor is; `None` outside replay.
    pub fn replay_position(&self) -> Option<ReplayPosition> {
        self.replay.as_ref().map(ReplayLog::position)
    }

    /// Moves the cursor by `delta` records (clamped) and rebuilds the state.
    pub(in crate::tui) fn replay_step(&mut self, delta: isize) {
        let Some(log) = &self.replay else { return };
        let cursor = log.cursor.saturating_add_signed(delta);
        self.replay_to(cursor);
    }

    /// Puts the cursor after `cursor` records (clamped) and rebuilds the state.
    pub(in crate::tui) fn replay_to(&mut self, cursor: usize) {
        let Some(mut log) = self.replay.take() else {
            return;
        };
        log.cursor = cursor.min(log.records.len());
        let mut fresh = replayed(&self.config, &log, self.viewport);
        fresh.keep_view_of(self);
        fresh.replay = Some(log);
        *self = fresh;
    }

    /// Carries over what the user did on screen from `old`.
    fn keep_view_of(&mut self, old: &AppState) {
        self.tab = old.tab;
        self.popup = old.popup;
        self.spinner = old.spinner;
        self.checks.keep_selection_of(&old.checks);
        self.guide = old.guide.clone();
        self.printer.keep_selection_of(&old.printer);
        if self.notices.last() == old.notices.last() {
            self.notice_dismissed = old.notice_dismissed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use crate::i18n::Lang;
    use crate::tui::app::Tab;
    use crate::tui::fixtures::*;
    use crate::tui::model::UiMode;

    fn records() -> Vec<ReplayRecord> {
        let mut events = vec![connected()];
        for result in [link_pass(), reader_fail(), clock_warn()] {
            events.push(Event::Frame(status_enquiry(0)));
            events.push(Event::CheckFinished(result));
        }
        events.push(Event::RunFinished {
            duration: std::time::Duration::from_millis(1_512),
        });
        events
            .into_iter()
            .enumerate()
            .map(|(i, event)| ReplayRecord {
                time: at(i as u64 * 100),
                event,
            })
            .collect()
    }

    fn source(stopped: Option<Text>) -> ReplaySource {
        ReplaySource {
            start: Some(at(0)),
            stopped,
            facts: Vec::new(),
        }
    }

    fn replay_config() -> UiConfig {
        let mut config = config(Lang::En);
        config.mode = UiMode::Replay;
        config
    }

    #[test]
    fn the_state_at_a_cursor_is_the_records_before_it() {
        let all = records();
        let mut state = AppState::replay(replay_config(), descriptors(), all.clone(), source(None));
        assert_eq!(state.results().count(), 3);
        state.set_tab(Tab::Log);
        state.replay_to(3);
        // Connected, a frame, the link result: one result, one frame.
        assert_eq!(state.results().count(), 1);
        assert_eq!(state.log().total(), 1);
        assert_eq!(state.tab(), Tab::Log, "the tab survives the rebuild");
        let position = state.replay_position().expect("replaying");
        assert_eq!((position.cursor, position.total), (3, all.len()));
        assert_eq!(position.time, at(200));

        // Stepping back and forth lands where folding the prefix directly lands.
        state.replay_step(-10);
        assert_eq!(
            state.replay_position().map(|p| (p.cursor, p.time)),
            Some((0, at(0)))
        );
        assert_eq!(state.results().count(), 0);
        state.replay_step(5);
        let mut direct = AppState::new(replay_config(), Vec::new(), descriptors());
        for r in &all[..5] {
            direct.apply(&r.event);
        }
        let got: Vec<_> = state.results().cloned().collect();
        let want: Vec<_> = direct.results().cloned().collect();
        assert_eq!(got, want);
        state.replay_step(1_000);
        assert_eq!(state.replay_position().map(|p| p.cursor), Some(all.len()));
    }

    #[test]
    fn a_damaged_capture_says_where_it_stopped_at_every_cursor() {
        let stopped = Text::fixed("抓包在第 9 行损坏", "the capture is damaged at line 9");
        let mut state = AppState::replay(
            replay_config(),
            descriptors(),
            records(),
            source(Some(stopped.clone())),
        );
        assert_eq!(state.current_notice(), Some(&stopped));
        state.replay_to(1);
        assert_eq!(state.current_notice(), Some(&stopped));
    }
}
