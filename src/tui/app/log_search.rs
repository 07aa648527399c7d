//! The Log tab's search: `/` opens a line to type in, Enter applies it and shows the newest
//! matching frame, `n`/`N` go to the next newer/older match (wrapping), Esc clears it.
//!
//! A frame matches when its summary or its bytes in hex ("06 01") contain the text, ignoring
//! case. Only frames shown (visible, of the filtered channel) are searched.

use super::log::{frame_height, FrameLog, LogGeometry};
use crate::event::FrameRecord;

/// Longest search accepted.
const MAX_LEN: usize = 100;

#[derive(Debug, Clone, Default)]
pub struct Search {
    /// What is being typed after `/`; `None` when not typing.
    pub(super) typing: Option<String>,
    /// The applied search, lower case.
    pub(super) query: Option<String>,
    /// Absolute index of the match shown.
    pub(super) current: Option<u64>,
}

/// True when `frame` matches `query` (lower case).
pub fn frame_matches(frame: &FrameRecord, query: &str) -> bool {
    if frame.summary.to_lowercase().contains(query) {
        return true;
    }
    let hex: Vec<String> = frame.raw.iter().map(|b| format!("{b:02x}")).collect();
    hex.join(" ").contains(query)
}

impl FrameLog {
    /// The text being typed after `/`, while typing.
    pub fn search_typing(&self) -> Option<&str> {
        self.search.typing.as_deref()
    }

    /// The applied search.
    pub fn search_query(&self) -> Option<&str> {
        self.search.query.as_deref()
    }

    /// True when `frame` matches the applied search.
    pub fn is_match(&self, frame: &FrameRecord) -> bool {
        self.search
            .query
            .as_deref()
            .is_some_and(|q| frame_matches(frame, q))
    }

    /// True when the frame at absolute index `index` is the match shown.
    pub fn is_current(&self, index: u64) -> bool {
        self.search.current == Some(index)
    }

    /// The shown frames with their absolute index, oldest first.
    pub fn shown_indexed(&self) -> impl DoubleEndedIterator<Item = (u64, &FrameRecord)> {
        let filter = self.filter;
        let end = match self.frozen_end {
            Some(end) => usize::try_from(end.saturating_sub(self.dropped)).unwrap_or(usize::MAX),
            None => self.frames.len(),
        };
        let dropped = self.dropped;
        self.frames
            .range(..end.min(self.frames.len()))
            .enumerate()
            .map(move |(i, f)| (dropped + i as u64, f))
            .filter(move |(_, f)| filter.is_none_or(|c| f.channel == c))
    }

    /// (the shown match's place counted from the oldest, how many match), for the title.
    pub fn match_position(&self) -> (usize, usize) {
        let matches: Vec<u64> = self.match_indices();
        let place = self
            .search
            .current
            .and_then(|c| matches.iter().position(|&i| i == c))
            .map_or(0, |p| p + 1);
        (place, matches.len())
    }

    fn match_indices(&self) -> Vec<u64> {
        self.shown_indexed()
            .filter(|(_, f)| self.is_match(f))
            .map(|(i, _)| i)
            .collect()
    }

    pub fn start_typing(&mut self) {
        self.search.typing = Some(String::new());
    }

    pub fn type_char(&mut self, c: char) {
        if let Some(text) = &mut self.search.typing {
            if !c.is_control() && text.chars().count() < MAX_LEN {
                text.push(c);
            }
        }
    }

    pub fn backspace(&mut self) {
        if let Some(text) = &mut self.search.typing {
            text.pop();
        }
    }

    pub fn cancel_typing(&mut self) {
        self.search.typing = None;
    }

    /// Enter: applies what was typed (nothing typed clears the search) and shows the newest
    /// match. Returns false when nothing matches.
    pub fn apply_typing(&mut self, geometry: LogGeometry) -> bool {
        let typed = self.search.typing.take().unwrap_or_default();
        let query = typed.trim().to_lowercase();
        self.search.current = None;
        if query.is_empty() {
            self.search.query = None;
            return true;
        }
        self.search.query = Some(query);
        match self.match_indices().last() {
            Some(&newest) => {
                self.show(newest, geometry);
                true
            }
            None => false,
        }
    }

    /// `n` (newer) or `N` (older): the next match, wrapping around. False when none matches.
    pub fn next_match(&mut self, newer: bool, geometry: LogGeometry) -> bool {
        let matches = self.match_indices();
        let (Some(&first), Some(&last)) = (matches.first(), matches.last()) else {
            return false;
        };
        let next = match (self.search.current, newer) {
            (None, _) => last,
            (Some(c), true) => matches.iter().copied().find(|&i| i > c).unwrap_or(first),
            (Some(c), false) => matches
                .iter()
                .rev()
                .copied()
                .find(|&i| i < c)
                .unwrap_or(last),
        };
        self.show(next, geometry);
        true
    }

    /// A clicked frame: marked like the match shown, and where `n`/`N` go on from.
    pub fn mark(&mut self, index: u64) {
        self.search.current = Some(index);
    }

    /// Esc: ends typing or clears the search (and a clicked frame's mark); false when there
    /// was none.
    pub fn clear_search(&mut self) -> bool {
        let had = self.search.typing.is_some()
            || self.search.query.is_some()
            || self.search.current.is_some();
        self.search = Search::default();
        had
    }

    /// Scrolls so the frame at absolute `index` is the bottom one on screen.
    fn show(&mut self, index: u64, geometry: LogGeometry) {
        let below: usize = self
            .shown_indexed()
            .filter(|(i, _)| *i > index)
            .map(|(_, f)| frame_height(f, geometry.width))
            .sum();
        self.search.current = Some(index);
        self.scroll = below.min(self.max_scroll(geometry));
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::event::{Channel, Direction};

    fn frame(channel: Channel, raw: &[u8], summary: &str) -> FrameRecord {
        FrameRecord {
            time: SystemTime::UNIX_EPOCH,
            channel,
            direction: Direction::Tx,
            raw: raw.to_vec(),
            summary: summary.into(),
            summary_zh: None,
            error: false,
        }
    }

    const GEO: LogGeometry = LogGeometry { width: 40, rows: 4 };

    fn log() -> FrameLog {
        let mut log = FrameLog::default();
        log.push(frame(Channel::Terminal, &[0x06, 0x01], "Authorization"), 40);
        log.push(frame(Channel::Printer, &[0x10, 0x04], "DLE EOT status"), 40);
        log.push(frame(Channel::Terminal, &[0x80, 0x00], "ACK"), 40);
        log.push(frame(Channel::Host, &[0x02, 0x00], "0200 purchase"), 40);
        log.push(frame(Channel::Terminal, &[0x06, 0x0f], "Completion"), 40);
        log
    }

    fn search(log: &mut FrameLog, text: &str) -> bool {
        log.start_typing();
        for c in text.chars() {
            log.type_char(c);
        }
        log.apply_typing(GEO)
    }

    #[test]
    fn search_finds_summaries_and_hex_and_steps_with_wrap() {
        let mut log = log();
        // "06 " matches Authorization (06 01) and Completion (06 0F), not the others.
        assert!(search(&mut log, "06 "));
        assert_eq!(log.match_position(), (2, 2), "starts at the newest match");
        assert_eq!(log.scroll(), 0);
        assert!(log.next_match(false, GEO));
        assert_eq!(log.match_position(), (1, 2));
        // Authorization is the oldest: four frames of two lines below it would be 8 lines, but
        // the scroll stops at the oldest screenful (10 lines, 4 rows).
        assert_eq!(log.scroll(), 6);
        assert!(log.next_match(false, GEO), "wraps to the newest");
        assert_eq!(log.match_position(), (2, 2));
        assert!(log.next_match(true, GEO), "wraps to the oldest");
        assert_eq!(log.match_position(), (1, 2));
        // Case does not matter.
        assert!(search(&mut log, "dle eot"));
        assert_eq!(log.match_position(), (1, 1));
        assert!(!search(&mut log, "nothing like this"));
        assert_eq!(log.match_position(), (0, 0));
        assert!(log.clear_search());
        assert_eq!(log.search_query(), None);
        assert!(!log.clear_search());
    }

    #[test]
    fn the_filter_cycles_through_the_channels_and_hides_the_others() {
        let mut log = log();
        assert_eq!(log.shown().count(), 5);
        log.cycle_filter();
        assert_eq!(log.filter(), Some(Channel::Terminal));
        assert_eq!(log.shown().count(), 3);
        log.cycle_filter();
        assert_eq!(log.shown().count(), 1);
        // The search sees only what is shown.
        assert!(!search(&mut log, "ack"));
        log.cycle_filter();
        assert_eq!(log.filter(), Some(Channel::Host));
        log.cycle_filter();
        assert_eq!(log.filter(), None);
        assert!(search(&mut log, "ack"));
    }
}
