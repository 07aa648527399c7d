//! What a check produces: a status, a bilingual summary, the evidence behind it, cause ids.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::catalogue::CauseId;
pub use crate::drivers::terminal::Evidence;
use crate::frame::FrameRecord;
use crate::i18n::Text;
pub use crate::proto::area::{Area, UnknownArea};

/// Outcome of a check. Order is severity: a run's worst status decides its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Skip,
    Warn,
    Fail,
    /// The check itself could not run (no link, timeout before any answer).
    Error,
}

impl CheckStatus {
    pub fn word(self) -> Text {
        match self {
            CheckStatus::Pass => Text::fixed("通过", "PASS"),
            CheckStatus::Warn => Text::fixed("警告", "WARN"),
            CheckStatus::Fail => Text::fixed("失败", "FAIL"),
            CheckStatus::Skip => Text::fixed("跳过", "SKIP"),
            CheckStatus::Error => Text::fixed("错误", "ERROR"),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Warn => "warn",
            CheckStatus::Fail => "fail",
            CheckStatus::Skip => "skip",
            CheckStatus::Error => "error",
        }
    }
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// Stable id, `area.name` (e.g. `reader.status`).
    pub id: String,
    pub area: Area,
    pub status: CheckStatus,
    pub summary: Text,
    pub evidence: Vec<Evidence>,
    /// The frames the verdict was drawn from (already redacted).
    #[serde(default)]
    pub frames: Vec<FrameRecord>,
    /// Cause ids from the knowledge base (same ids as simulator faults).
    pub causes: Vec<String>,
    #[serde(with = "humantime_serde")]
    pub duration: Duration,
}

impl CheckResult {
    pub fn new(id: impl Into<String>, area: Area, status: CheckStatus, summary: Text) -> Self {
        CheckResult {
            id: id.into(),
            area,
            status,
            summary,
            evidence: Vec::new(),
            frames: Vec::new(),
            causes: Vec::new(),
            duration: Duration::ZERO,
        }
    }

    pub fn with_evidence(mut self, label: Text, value: impl Into<String>) -> Self {
        self.evidence.push(Evidence::new(label, value));
        self
    }

    /// Evidence whose value has words: shown in the reader's language.
    pub fn with_evidence_text(mut self, label: Text, value: Text) -> Self {
        self.evidence.push(Evidence::text(label, &value));
        self
    }

    /// Names a cause of the knowledge base (once). Causes are [`CauseId`]s: an id that is not
    /// in `kb/` cannot be named.
    pub fn with_cause(mut self, cause: CauseId) -> Self {
        if !self.causes.iter().any(|c| *c == cause) {
            self.causes.push(cause.into());
        }
        self
    }

    pub fn with_causes(self, causes: impl IntoIterator<Item = CauseId>) -> Self {
        causes.into_iter().fold(self, Self::with_cause)
    }
}
