//! What one tap may hold, so that a hostile or broken peer — or many of them — cannot take it
//! down: a cap on concurrent connections, idle and half-open timeouts, and — shared by every
//! connection — one byte budget for the copies waiting to be decoded and a decode rate.
//!
//! The decode rate keeps decoding from taking the CPU forwarding needs: a flood is forwarded
//! at full speed and decoded only up to the rate (the rest counted as not decoded); the
//! terminal's own traffic, a few frames a second, is far below it.
//!
//! Memory of a tap is then bounded by `max_connections` × (two 16 KiB forwarding buffers + two
//! stream decoders, each holding at most one frame of the protocol's maximum length) plus
//! `decode_budget` bytes in total, whatever the peers send.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The limits of one tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TapLimits {
    /// Connections served at once; one more is accepted and closed at once, and said.
    pub max_connections: usize,
    /// A connection with no byte in either direction for this long is closed.
    pub idle_timeout: Duration,
    /// After one side closed its half, the other has this long to finish.
    pub half_open_timeout: Duration,
    /// Bytes waiting to be decoded, over all connections; beyond it, bytes are forwarded but
    /// not decoded (counted in `TapStats::not_decoded`).
    pub decode_budget: usize,
    /// Bytes handed to the decoder per second, over all connections.
    pub decode_rate: usize,
}

impl Default for TapLimits {
    fn default() -> Self {
        TapLimits {
            max_connections: 256,
            // Terminals keep host connections open between payments and echo every few
            // minutes; an hour of silence is a connection nobody uses.
            idle_timeout: Duration::from_secs(3600),
            half_open_timeout: Duration::from_secs(60),
            decode_budget: 16 * 1024 * 1024,
            // ~4,500 frames of 232 bytes a second: nine times what the tap shows (500/s).
            decode_rate: 1024 * 1024,
        }
    }
}

/// A counter of things held (connections, bytes) against a cap, shared by every connection.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    used: Arc<AtomicUsize>,
    cap: usize,
}

impl Budget {
    pub(crate) fn new(cap: usize) -> Self {
        Budget {
            used: Arc::new(AtomicUsize::new(0)),
            cap,
        }
    }

    /// Takes `n` if that stays within the cap.
    pub(crate) fn try_take(&self, n: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(n).filter(|&total| total <= self.cap)
            })
            .is_ok()
    }

    /// Gives back `n` taken before.
    pub(crate) fn give(&self, n: usize) {
        let _ = self
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                Some(used.saturating_sub(n))
            });
    }

    pub(crate) fn cap(&self) -> usize {
        self.cap
    }
}

/// Bytes per one-second window, shared by every connection.
#[derive(Debug, Clone)]
pub(crate) struct Rate {
    window: Arc<Mutex<(Instant, usize)>>,
    per_second: usize,
}

impl Rate {
    pub(crate) fn new(per_second: usize) -> Self {
        Rate {
            window: Arc::new(Mutex::new((Instant::now(), 0))),
            per_second,
        }
    }

    /// Takes `n` bytes of this second's allowance, if they fit.
    pub(crate) fn try_take(&self, n: usize) -> bool {
        let Ok(mut window) = self.window.lock() else {
            return false;
        };
        let (began, used) = &mut *window;
        if began.elapsed() >= Duration::from_secs(1) {
            *began = Instant::now();
            *used = 0;
        }
        match used
            .checked_add(n)
            .filter(|&total| total <= self.per_second)
        {
            Some(total) => {
                *used = total;
                true
            }
            None => false,
        }
    }
}

/// One connection slot, given back when dropped.
pub(crate) struct Slot(Budget);

impl Slot {
    pub(crate) fn take(budget: &Budget) -> Option<Slot> {
        budget.try_take(1).then(|| Slot(budget.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.give(1);
    }
}
