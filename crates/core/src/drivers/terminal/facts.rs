//! The facts a read-only status query yields, one per area, and the shape every area shares.
//!
//! `None` for an area means the protocol cannot tell it at all (the check then says "not
//! reported by this terminal", never a pass). [`FactState::Unknown`] means it could have, but
//! this answer left it out; the summary then says what was missing.

use std::time::SystemTime;

use time::PrimitiveDateTime;

use super::Evidence;
use crate::catalogue::CauseId;
use crate::frame::FrameRecord;
use crate::i18n::Text;

/// How an area stands, as the terminal reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactState {
    /// Nothing wrong reported.
    Ok,
    /// Works, but needs attention (a terminal busy updating, a replaced secure module …).
    Warn,
    /// The terminal reports a fault in this area.
    Fault,
    /// The answer did not say; the summary says what was missing.
    Unknown,
}

/// What the terminal reports about one area.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaFact {
    pub state: FactState,
    /// The knowledge-base cause id of a `Warn` or `Fault` (e.g. `power.low_voltage`).
    pub cause: Option<CauseId>,
    /// What the terminal reports and what to do, as the user reads it.
    pub summary: Text,
    /// The values the state was read from, in the protocol's own terms.
    pub evidence: Vec<Evidence>,
}

impl AreaFact {
    pub fn new(state: FactState, summary: Text) -> Self {
        AreaFact {
            state,
            cause: None,
            summary,
            evidence: Vec::new(),
        }
    }

    pub fn with_cause(mut self, cause: CauseId) -> Self {
        self.cause = Some(cause);
        self
    }

    pub fn with_evidence(mut self, label: Text, value: impl Into<String>) -> Self {
        self.evidence.push(Evidence::new(label, value));
        self
    }

    /// Evidence whose value has words, in both languages.
    pub fn with_evidence_text(mut self, label: Text, value: &Text) -> Self {
        self.evidence.push(Evidence::text(label, value));
        self
    }
}

/// The terminal's own state: ready, or why not and how it recovers.
#[derive(Debug, Clone, PartialEq)]
pub struct TerminalStateFact {
    /// `Ok` is ready; `Warn` a passing state (busy); `Fault` a state that blocks payments.
    pub state: FactState,
    /// The cause id (`terminal.needs_init`, `terminal.eod_required` …); the check names it by
    /// its knowledge-base title.
    pub cause: Option<CauseId>,
    /// The recovery the protocol gives for the state, when the terminal named the state itself
    /// (a suggestion: never run automatically).
    pub recovery: Option<Text>,
    /// Status code, software version, terminal id, lock bits … in the protocol's terms.
    pub evidence: Vec<Evidence>,
}

/// The terminal's clock and when its answer arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockFact {
    /// The terminal's wall clock (local time, whole seconds), or what the answer lacked.
    pub terminal_time: Result<PrimitiveDateTime, Text>,
    /// The laptop's clock when the answer arrived.
    pub received_at: SystemTime,
    /// The terminal says its own date/time is wrong: how it said so.
    pub reported_wrong: Option<Text>,
}

/// Who the terminal is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentityFact {
    pub software_version: Option<String>,
    pub terminal_id: Option<String>,
}

/// Everything one read-only status query told, area by area, and the frames behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusFacts {
    pub state: TerminalStateFact,
    pub identity: IdentityFact,
    /// Supply voltage / mains.
    pub power_supply: Option<AreaFact>,
    pub battery: Option<AreaFact>,
    pub reader: Option<AreaFact>,
    /// The terminal's own (built-in) printer, not the ESC/POS receipt printer.
    pub printer: Option<AreaFact>,
    pub keys: Option<AreaFact>,
    pub clock: Option<ClockFact>,
    /// The acquirer host as the terminal sees it (reachable or not), when the status says.
    pub host: Option<AreaFact>,
    /// The frames of the query (already redacted): the evidence behind every fact above.
    pub frames: Vec<FrameRecord>,
}

impl StatusFacts {
    /// A status that says nothing beyond "ready": the base a driver fills in.
    pub fn ready() -> Self {
        StatusFacts {
            state: TerminalStateFact {
                state: FactState::Ok,
                cause: None,
                recovery: None,
                evidence: Vec::new(),
            },
            identity: IdentityFact::default(),
            power_supply: None,
            battery: None,
            reader: None,
            printer: None,
            keys: None,
            clock: None,
            host: None,
            frames: Vec::new(),
        }
    }
}

/// A fact from a command of its own (a card read, a host diagnosis), with its frames.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub fact: AreaFact,
    pub frames: Vec<FrameRecord>,
}
