//! Repairs made while the simulator runs ("simulate the repair" in the demo): the fault ids a
//! technician has fixed since it started. Shared by the simulated terminal, acquirer and
//! printer, so a repaired fault stops showing everywhere at once, and "Fixed?" can pass.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// The fault ids repaired so far; clones share one set.
#[derive(Debug, Clone, Default)]
pub struct Repairs(Arc<Mutex<BTreeSet<String>>>);

impl Repairs {
    fn with<T>(&self, f: impl FnOnce(&mut BTreeSet<String>) -> T) -> T {
        match self.0.lock() {
            Ok(mut set) => f(&mut set),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// Fault `id` no longer shows.
    pub fn repair(&self, id: &str) {
        self.with(|s| s.insert(id.to_owned()));
    }

    pub fn is_repaired(&self, id: &str) -> bool {
        self.with(|s| s.contains(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_repairs() {
        let a = Repairs::default();
        let b = a.clone();
        b.repair("printer.paper_out");
        assert!(a.is_repaired("printer.paper_out"));
        assert!(!a.is_repaired("printer.cover_open"));
    }
}
