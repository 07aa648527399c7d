//! The Log tab's model: the last frames seen, with follow, scroll, freeze, a channel filter and
//! a search (see `log_search`).
//!
//! Scrolling counts screen lines up from the newest shown line, because a frame takes one
//! summary line plus as many hex lines as its bytes need at the current width. Only frames of
//! the filtered channel are shown, and only they count.

use std::collections::VecDeque;

use crate::event::{Channel, FrameRecord};

/// Frames kept for the Log tab; older ones drop off the top (the capture keeps everything).
pub const CAPACITY: usize = 5_000;

/// Cells before the hex dump under a frame's summary line.
pub const HEX_INDENT: u16 = 4;

/// Bytes per hex line at `width` cells ("05 " is three cells), at least one.
pub fn hex_bytes_per_row(width: u16) -> usize {
    usize::from(width.saturating_sub(HEX_INDENT) / 3).max(1)
}

/// Screen lines one frame takes at `width`: its summary line plus its hex lines.
pub fn frame_height(frame: &FrameRecord, width: u16) -> usize {
    1 + frame.raw.len().div_ceil(hex_bytes_per_row(width))
}

/// Size of the Log tab's text area, in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogGeometry {
    pub width: u16,
    pub rows: u16,
}

#[derive(Debug, Clone, Default)]
pub struct FrameLog {
    pub(super) frames: VecDeque<FrameRecord>,
    /// Frames dropped off the top: the absolute index of `frames[0]`.
    pub(super) dropped: u64,
    /// While frozen: absolute index one past the last frame shown.
    pub(super) frozen_end: Option<u64>,
    /// Lines scrolled up from the newest visible line.
    pub(super) scroll: usize,
    /// Only this channel's frames are shown; `None` shows all.
    pub(super) filter: Option<Channel>,
    /// The search: what is being typed, what is applied, the match shown.
    pub(super) search: super::log_search::Search,
}

impl FrameLog {
    /// Frames ever received.
    pub fn total(&self) -> u64 {
        self.dropped + self.frames.len() as u64
    }

    pub fn is_frozen(&self) -> bool {
        self.frozen_end.is_some()
    }

    /// True when the newest frame is at the bottom and new ones will show.
    pub fn is_following(&self) -> bool {
        !self.is_frozen() && self.scroll == 0
    }

    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Frames that arrived after the view was frozen.
    pub fn unseen(&self) -> u64 {
        self.frozen_end
            .map_or(0, |end| self.total().saturating_sub(end))
    }

    /// The frames that may be shown, oldest first (while frozen: those up to the freeze).
    pub fn visible(&self) -> impl DoubleEndedIterator<Item = &FrameRecord> + ExactSizeIterator {
        let end = match self.frozen_end {
            Some(end) => usize::try_from(end.saturating_sub(self.dropped)).unwrap_or(usize::MAX),
            None => self.frames.len(),
        };
        self.frames.range(..end.min(self.frames.len()))
    }

    /// The frames shown: visible and of the filtered channel, oldest first.
    pub fn shown(&self) -> impl DoubleEndedIterator<Item = &FrameRecord> {
        let filter = self.filter;
        self.visible()
            .filter(move |f| filter.is_none_or(|c| f.channel == c))
    }

    /// The channel shown alone, or `None` for all.
    pub fn filter(&self) -> Option<Channel> {
        self.filter
    }

    /// All channels → terminal → printer → host → all. Scrolling starts again at the newest.
    pub fn cycle_filter(&mut self) {
        self.filter = match self.filter {
            None => Some(Channel::Terminal),
            Some(Channel::Terminal) => Some(Channel::Printer),
            Some(Channel::Printer) => Some(Channel::Host),
            Some(Channel::Host) => None,
        };
        self.scroll = 0;
        self.search.current = None;
    }

    pub fn push(&mut self, frame: FrameRecord, width: u16) {
        // Scrolled back without freezing: keep the same lines on screen as frames arrive below.
        let shown = self.filter.is_none_or(|c| frame.channel == c);
        if shown && self.scroll > 0 && !self.is_frozen() {
            self.scroll += frame_height(&frame, width);
        }
        self.frames.push_back(frame);
        if self.frames.len() > CAPACITY {
            self.frames.pop_front();
            self.dropped += 1;
        }
    }

    pub fn scroll_up(&mut self, lines: usize, geometry: LogGeometry) {
        self.scroll = self
            .scroll
            .saturating_add(lines)
            .min(self.max_scroll(geometry));
    }

    pub fn scroll_down(&mut self, lines: usize) {
        self.scroll = self.scroll.saturating_sub(lines);
    }

    pub fn to_oldest(&mut self, geometry: LogGeometry) {
        self.scroll = self.max_scroll(geometry);
    }

    /// Newest frame at the bottom and following again (ends a freeze).
    pub fn to_newest(&mut self) {
        self.frozen_end = None;
        self.scroll = 0;
    }

    pub fn toggle_freeze(&mut self) {
        if self.is_frozen() {
            self.to_newest();
        } else {
            self.frozen_end = Some(self.total());
        }
    }

    pub(super) fn max_scroll(&self, geometry: LogGeometry) -> usize {
        let lines: usize = self.shown().map(|f| frame_height(f, geometry.width)).sum();
        lines.saturating_sub(usize::from(geometry.rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Channel, Direction};
    use std::time::SystemTime;

    fn frame(n: u8) -> FrameRecord {
        FrameRecord {
            time: SystemTime::UNIX_EPOCH,
            channel: Channel::Terminal,
            direction: Direction::Tx,
            raw: vec![0x05, 0x01, 0x03, 0x04, 0x00, n],
            summary: format!("frame {n}"),
            error: false,
            summary_zh: None,
        }
    }

    const GEO: LogGeometry = LogGeometry { width: 40, rows: 4 };

    #[test]
    fn heights_follow_width() {
        // 36 cells of hex = 12 bytes a line.
        assert_eq!(hex_bytes_per_row(40), 12);
        assert_eq!(frame_height(&frame(1), 40), 2);
        assert_eq!(frame_height(&frame(1), 10), 1 + 3);
        assert_eq!(hex_bytes_per_row(0), 1);
    }

    #[test]
    fn freeze_hides_new_frames_until_resumed() {
        let mut log = FrameLog::default();
        log.push(frame(1), 40);
        log.toggle_freeze();
        log.push(frame(2), 40);
        assert_eq!(log.visible().count(), 1);
        assert_eq!(log.unseen(), 1);
        log.toggle_freeze();
        assert_eq!(log.visible().count(), 2);
        assert!(log.is_following());
    }

    #[test]
    fn scrolled_view_stays_put_and_is_bounded() {
        let mut log = FrameLog::default();
        for n in 0..5 {
            log.push(frame(n), 40);
        }
        log.scroll_up(100, GEO);
        assert_eq!(log.scroll(), 10 - 4);
        log.push(frame(9), 40);
        assert_eq!(log.scroll(), 6 + 2);
        log.to_newest();
        assert!(log.is_following());
    }

    #[test]
    fn capacity_drops_oldest() {
        let mut log = FrameLog::default();
        for n in 0..(CAPACITY + 3) {
            log.push(frame(n as u8), 40);
        }
        assert_eq!(log.visible().count(), CAPACITY);
        assert_eq!(log.total(), (CAPACITY + 3) as u64);
    }
}
