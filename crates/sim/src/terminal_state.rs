//! What the simulated terminal has changed about itself since it started: the states its
//! recoveries fixed (Initialisation clears "initialisation required", Diagnosis the diagnosis
//! lock and a wrong clock, End-of-Day the open batch, Abort ejects an inserted card), a terminal
//! ID set by the cash register, and a clock set by it. Shared by every connection.

use posdiag_core::catalogue::CauseId;
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

/// The mutable part of the simulated terminal.
#[derive(Debug, Default)]
pub(super) struct TerminalState {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Fault ids a recovery has fixed: the terminal no longer shows them.
    cleared: BTreeSet<String>,
    /// Set by Set/Reset Terminal-ID `06 1B`.
    tid: Option<String>,
    /// Set by Set Date/Time `06 91` (or a Diagnosis, which takes the host's time): the
    /// terminal's clock is right again, shifted by this much from the machine's.
    clock: Option<ClockShift>,
}

/// How far the terminal's clock is from the machine's after someone set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ClockShift {
    pub by: Duration,
    pub behind: bool,
}

impl TerminalState {
    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        match self.inner.lock() {
            Ok(mut g) => f(&mut g),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    pub fn is_cleared(&self, id: &str) -> bool {
        self.with(|s| s.cleared.contains(id))
    }

    /// The terminal no longer shows fault `id` (its recovery ran).
    pub fn clear(&self, id: CauseId) {
        self.with(|s| {
            s.cleared.insert(id.as_str().to_owned());
        });
    }

    pub fn tid(&self) -> Option<String> {
        self.with(|s| s.tid.clone())
    }

    pub fn set_tid(&self, tid: Option<String>) {
        self.with(|s| s.tid = tid);
    }

    pub fn clock(&self) -> Option<ClockShift> {
        self.with(|s| s.clock)
    }

    pub fn set_clock(&self, shift: ClockShift) {
        self.with(|s| s.clock = Some(shift));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use posdiag_core::cause;

    #[test]
    fn a_cleared_fault_stays_cleared_and_others_do_not() {
        let state = TerminalState::default();
        assert!(!state.is_cleared("terminal.needs_init"));
        state.clear(cause!("terminal.needs_init"));
        assert!(state.is_cleared("terminal.needs_init"));
        assert!(!state.is_cleared("terminal.eod_required"));
    }
}
