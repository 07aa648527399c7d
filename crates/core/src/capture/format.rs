//! The capture file format (version 1): one JSON object per line.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::checks::CheckResult;
use crate::event::{Channel, Event, FrameRecord, LinkState};
use crate::i18n::Text;
use crate::txn::TransactionRecord;

/// Value of the header's `format` key.
pub const FORMAT_NAME: &str = "posdiag-capture";
/// `major.minor`: a reader refuses a newer major version, accepts any minor.
pub const FORMAT_VERSION: &str = "1.3";

/// First line of every capture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureHeader {
    pub format: String,
    pub version: String,
    #[serde(with = "crate::event::time_ms")]
    pub created: SystemTime,
    pub posdiag_version: String,
    pub os: String,
    pub profile: String,
    pub target: String,
    /// Simulator faults when the session ran against the built-in simulator.
    #[serde(default)]
    pub faults: Vec<String>,
    /// The tracing log of the session (since format 1.1), so `report` can bundle it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_file: Option<String>,
}

impl CaptureHeader {
    pub fn new(profile: &str, target: &str, faults: Vec<String>) -> Self {
        CaptureHeader {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION.to_owned(),
            created: SystemTime::now(),
            posdiag_version: env!("CARGO_PKG_VERSION").to_owned(),
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            profile: profile.to_owned(),
            target: target.to_owned(),
            faults,
            log_file: None,
        }
    }
}

/// One line after the header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CaptureRecord {
    Frame(FrameRecord),
    Link {
        #[serde(with = "crate::event::time_ms")]
        time: SystemTime,
        channel: Channel,
        state: LinkState,
    },
    Check {
        #[serde(with = "crate::event::time_ms")]
        time: SystemTime,
        result: CheckResult,
    },
    RunFinished {
        #[serde(with = "crate::event::time_ms")]
        time: SystemTime,
        duration_ms: u64,
    },
    Notice {
        #[serde(with = "crate::event::time_ms")]
        time: SystemTime,
        text: Text,
    },
    /// A transaction's outcome (since 1.2), read from the frames by the writer and written
    /// again each time it changes (e.g. approved, then reversed): the last one per `id` stands.
    Transaction {
        #[serde(with = "crate::event::time_ms")]
        time: SystemTime,
        transaction: Box<TransactionRecord>,
    },
    /// The last record of a capture written to the end (since 1.3). A 1.3 capture without it
    /// was cut short: posdiag could not write it (disk full, device removed) or was stopped.
    End {
        #[serde(with = "crate::event::time_ms")]
        time: SystemTime,
    },
}

impl CaptureRecord {
    /// The record for an event, if the event belongs in a capture (progress markers do not).
    pub fn from_event(event: &Event) -> Option<Self> {
        let time = SystemTime::now();
        match event {
            Event::Frame(frame) => Some(CaptureRecord::Frame(frame.clone())),
            Event::Link { channel, state } => Some(CaptureRecord::Link {
                time,
                channel: *channel,
                state: state.clone(),
            }),
            Event::CheckFinished(result) => Some(CaptureRecord::Check {
                time,
                result: result.clone(),
            }),
            Event::RunFinished { duration } => Some(CaptureRecord::RunFinished {
                time,
                duration_ms: duration.as_millis() as u64,
            }),
            Event::Notice(text) => Some(CaptureRecord::Notice {
                time,
                text: text.clone(),
            }),
            Event::CheckStarted { .. } => None,
        }
    }

    /// When the record was written (a frame: when it was on the wire).
    pub fn time(&self) -> SystemTime {
        match self {
            CaptureRecord::Frame(frame) => frame.time,
            CaptureRecord::Link { time, .. }
            | CaptureRecord::Check { time, .. }
            | CaptureRecord::RunFinished { time, .. }
            | CaptureRecord::Notice { time, .. }
            | CaptureRecord::Transaction { time, .. }
            | CaptureRecord::End { time } => *time,
        }
    }

    /// The event the record stands for, as a replay feeds it to the TUI. Transaction records
    /// have none: the TUI rebuilds transactions from the frames, as it does live.
    pub fn to_event(&self) -> Option<Event> {
        Some(match self {
            CaptureRecord::Transaction { .. } | CaptureRecord::End { .. } => return None,
            CaptureRecord::Frame(frame) => Event::Frame(frame.clone()),
            CaptureRecord::Link { channel, state, .. } => Event::Link {
                channel: *channel,
                state: state.clone(),
            },
            CaptureRecord::Check { result, .. } => Event::CheckFinished(result.clone()),
            CaptureRecord::RunFinished { duration_ms, .. } => Event::RunFinished {
                duration: std::time::Duration::from_millis(*duration_ms),
            },
            CaptureRecord::Notice { text, .. } => Event::Notice(text.clone()),
        })
    }
}
