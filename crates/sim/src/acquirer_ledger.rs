//! What the simulated acquirer remembers: the postings (approved, voided, reversed, amounts
//! held by a pre-authorisation) and the working MAC keys of each terminal after sign-on.

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
    /// A pre-authorisation: the amount is held, not posted; settlement does not count it.
    Held,
    /// A pre-authorisation its completion has booked (the booking is its own posting).
    Booked,
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

    /// The answer to a pre-authorisation (`held` true: 0100, 60.1 = 10), or to its completion
    /// (0200, 60.1 = 20: books `amount` against the hold at STAN `original`) or cancellation
    /// (0100, 60.1 = 11), as field 39.
    pub(super) fn pre_auth(&mut self, op: PreAuthOp<'_>) -> &'static str {
        let PreAuthOp {
            tid,
            stan,
            amount,
            original,
            completion,
        } = op;
        let Some(original) = original else {
            if self.find(tid, stan).is_some() {
                return "94";
            }
            self.posted.push(Posted {
                tid: tid.to_owned(),
                stan: stan.to_owned(),
                amount,
                state: PostedState::Held,
            });
            return "00";
        };
        let complete = completion;
        match self.find(tid, original) {
            Some(p) if p.state == PostedState::Held && complete && amount <= p.amount => {
                p.state = PostedState::Booked;
                self.posted.push(Posted {
                    tid: tid.to_owned(),
                    stan: stan.to_owned(),
                    amount,
                    state: PostedState::Approved,
                });
                "00"
            }
            // 64: the amount does not match the original (more than was held).
            Some(p) if p.state == PostedState::Held && complete => "64",
            Some(p) if p.state == PostedState::Held => {
                p.state = PostedState::Voided;
                "00"
            }
            // 25: no such original (or already booked / cancelled).
            _ => "25",
        }
    }

    pub(super) fn next(&mut self) -> u64 {
        self.sequence = self.sequence.wrapping_add(1);
        self.sequence
    }
}

/// One pre-authorisation request as the ledger needs it.
#[derive(Debug, Clone, Copy)]
pub(super) struct PreAuthOp<'a> {
    pub(super) tid: &'a str,
    pub(super) stan: &'a str,
    pub(super) amount: u64,
    /// The pre-authorisation's STAN, for a completion or a cancellation.
    pub(super) original: Option<&'a str>,
    /// A completion (books the amount) rather than a cancellation.
    pub(super) completion: bool,
}
