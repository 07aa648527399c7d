//! What a tap forwarded, and what it could not decode or show: counted so that a tap that fell
//! behind says so (on screen, in the capture, on exit) instead of silently showing less.

use std::sync::atomic::{AtomicU64, Ordering};

/// Totals over every connection of one tap, both directions.
#[derive(Debug, Default)]
pub struct TapStats {
    /// Bytes forwarded unchanged.
    pub forwarded: AtomicU64,
    /// Bytes forwarded but skipped by the decoder, which was behind.
    pub not_decoded: AtomicU64,
    /// Bytes read while the other side was absent (a serial adapter pulled): they could not
    /// be passed on. Always 0 on TCP, where a session ends with either side.
    pub not_forwarded: AtomicU64,
    /// Bytes decoded but not understood, hidden whole.
    pub hidden: AtomicU64,
    /// Records decoded but not shown or written (output behind, or over the rate or size cap).
    pub records_dropped: AtomicU64,
}

/// A copy of the totals at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct TapTotals {
    pub forwarded: u64,
    pub not_decoded: u64,
    pub not_forwarded: u64,
    pub hidden: u64,
    pub records_dropped: u64,
}

impl TapStats {
    pub(crate) fn add(&self, counter: &AtomicU64, n: usize) {
        self.add64(counter, u64::try_from(n).unwrap_or(u64::MAX));
    }

    pub(crate) fn add64(&self, counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts one record that was decoded but not shown or written.
    pub fn record_dropped(&self) {
        self.records_dropped.fetch_add(1, Ordering::Relaxed);
    }

    pub fn totals(&self) -> TapTotals {
        TapTotals {
            forwarded: self.forwarded.load(Ordering::Relaxed),
            not_decoded: self.not_decoded.load(Ordering::Relaxed),
            not_forwarded: self.not_forwarded.load(Ordering::Relaxed),
            hidden: self.hidden.load(Ordering::Relaxed),
            records_dropped: self.records_dropped.load(Ordering::Relaxed),
        }
    }
}

impl TapTotals {
    /// True when everything forwarded was also decoded and shown.
    pub fn complete(&self) -> bool {
        self.not_decoded == 0 && self.records_dropped == 0
    }
}
