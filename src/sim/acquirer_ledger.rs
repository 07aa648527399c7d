//! What the simulated acquirer remembers: the postings (approved, voided, reversed) and the
//! working MAC keys of each terminal after sign-on.

use crate::proto::iso8583::MacKey;

/// Working keys remembered per TID: the demo's host checks and its terminal share one TID
/// and sign on independently, so a new sign-on does not lock the other out.
const KEYS_PER_TID: usize = 4;

/// Postings the simulated acquirer remembers.
pub(super) const MAX_POSTED: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PostedState {
    Approved,
    Voided,
    Reversed,
}

#[derive(Debug, Clone)]
pub(super) struct Posted {
    pub(super) tid: String,
    pub(super) stan: String,
    pub(super) amount: u64,
    pub(super) state: PostedState,
}

#[derive(Default)]
pub(super) struct Ledger {
    /// Working MAC key per TID after sign-on.
    pub(super) sessions: Vec<(String, MacKey)>,
    pub(super) posted: Vec<Posted>,
    sequence: u64,
}

impl Ledger {
    /// The working keys of `tid`, newest first.
    pub(super) fn keys<'a>(&'a self, tid: &'a str) -> impl Iterator<Item = &'a MacKey> + 'a {
        self.sessions
            .iter()
            .rev()
            .filter(move |(t, _)| t == tid)
            .map(|(_, k)| k)
    }

    pub(super) fn remember(&mut self, tid: &str, key: MacKey) {
        self.sessions.push((tid.to_owned(), key));
        let of_tid = self.sessions.iter().filter(|(t, _)| t == tid).count();
        if of_tid > KEYS_PER_TID {
            if let Some(i) = self.sessions.iter().position(|(t, _)| t == tid) {
                self.sessions.remove(i);
            }
        }
    }

    pub(super) fn find(&mut self, tid: &str, stan: &str) -> Option<&mut Posted> {
        self.posted
            .iter_mut()
            .rev()
            .find(|p| p.tid == tid && p.stan == stan)
    }

    pub(super) fn next(&mut self) -> u64 {
        self.sequence = self.sequence.wrapping_add(1);
        self.sequence
    }
}
