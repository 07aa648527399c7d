//! A transaction as data for scripts, captures and reports: the `txn` JSON contract
//! (docs/cli-contract.md: `verdict`, `response_code`, `reversal_reason`, `causes`, `timeline[]`) plus what
//! support needs to look it up. Everything in it is masked already.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::outcome::{TransactionEvidence, Verdict};
use crate::drivers::terminal::codes::TerminalCode;
use crate::drivers::terminal::protocol::TerminalProtocol;
use crate::frame::{Channel, Direction};
use crate::i18n::Text;

use super::banner::{amount_text, ask_acquirer, banner};
use super::model::{StepKind, Transaction, TxnKind};
use super::verdict::{causes, judge, response_class, response_meaning, TxnVerdict};

/// One frame behind a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameLine {
    #[serde(with = "crate::proto::serde_fmt::time_ms")]
    pub time: SystemTime,
    pub channel: Channel,
    pub direction: Direction,
    pub summary: String,
    /// The summary in Chinese, where the decoder has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_zh: Option<String>,
}

impl FrameLine {
    /// The summary in `lang`.
    pub fn summary_in(&self, lang: crate::i18n::Lang) -> &str {
        match (lang, &self.summary_zh) {
            (crate::i18n::Lang::Zh, Some(zh)) => zh,
            _ => &self.summary,
        }
    }
}

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub step: StepKind,
    #[serde(with = "crate::proto::serde_fmt::time_ms")]
    pub time: SystemTime,
    /// Since the start, in milliseconds.
    pub after_ms: u64,
    pub text: Text,
    #[serde(default)]
    pub frames: Vec<FrameLine>,
}

/// The record of one transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransactionRecord {
    pub id: u64,
    pub kind: TxnKind,
    #[serde(with = "crate::proto::serde_fmt::time_ms")]
    pub started: SystemTime,
    /// `APPROVED` … `UNKNOWN`; `null` while it still runs.
    pub verdict: Option<String>,
    /// The one-line answer, in both languages.
    pub banner: Text,
    pub amount_minor: Option<u64>,
    /// "12.34 CNY".
    pub amount: Option<String>,
    /// Masked: BIN and last four at most.
    pub card: Option<String>,
    pub card_name: Option<String>,
    pub tid: Option<String>,
    pub stan: Option<String>,
    pub batch: Option<String>,
    /// The terminal's trace and receipt numbers.
    pub trace: Option<String>,
    pub receipt_no: Option<String>,
    pub rrn: Option<String>,
    pub auth_code: Option<String>,
    /// Field 13 of the response, MMDD.
    pub host_date: Option<String>,
    /// Field 39 of the host's answer (or a host code the terminal passed through).
    pub response_code: Option<String>,
    pub response_meaning: Option<Text>,
    /// Operator class A–E.
    pub response_class: Option<String>,
    /// ZVT result code of the terminal's answer, hex ("51", "6C"), when the terminal speaks
    /// ZVT (the key of the `txn` JSON contract).
    pub zvt_result: Option<String>,
    /// The result code of a terminal speaking another protocol (absent for ZVT, whose code is
    /// `zvt_result`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_result: Option<TerminalCode>,
    /// Field 39 of the reversal (0400): 98, 96, A0, 06.
    pub reversal_reason: Option<String>,
    /// Field 39 of the 0410; `null` while pending.
    pub reversal_result: Option<String>,
    /// The transaction this one looks like a repeat of.
    pub duplicate_of: Option<u64>,
    /// Cause ids of the knowledge base.
    pub causes: Vec<String>,
    /// For `UNKNOWN`: what to ask the acquirer for.
    #[serde(default)]
    pub ask_acquirer: Vec<Text>,
    /// End-of-day totals as the terminal sent them (BMP 60, hex).
    pub totals: Option<String>,
    /// The terminal answered with another currency or amount than was asked for.
    #[serde(default)]
    pub mismatches: Vec<Text>,
    pub timeline: Vec<TimelineEntry>,
    #[serde(default)]
    pub frames_dropped: usize,
}

impl TransactionRecord {
    pub fn of(t: &Transaction) -> Self {
        let verdict = judge(t);
        let host = t.host.as_ref();
        let terminal = t.terminal.as_ref();
        let failure = terminal.and_then(|z| z.failure()).map(|r| r.code.clone());
        let (zvt_code, other_code) = match failure {
            Some(c) if c.protocol == TerminalProtocol::Zvt => (Some(c.code), None),
            other => (None, other),
        };
        let response_code = host
            .and_then(|h| h.response_code.clone())
            .or_else(|| match &verdict {
                Some(TxnVerdict::Declined { code, .. }) => code.clone(),
                _ => None,
            });
        let timeline = t
            .steps
            .iter()
            .map(|s| TimelineEntry {
                step: s.kind,
                time: s.time,
                after_ms: t.elapsed(s.time).as_millis() as u64,
                text: s.text.clone(),
                frames: s
                    .frames
                    .iter()
                    .filter_map(|i| t.frames.get(*i))
                    .map(|f| FrameLine {
                        time: f.time,
                        channel: f.channel,
                        direction: f.direction,
                        summary: f.summary.clone(),
                        summary_zh: f.summary_zh.clone(),
                    })
                    .collect(),
            })
            .collect();
        TransactionRecord {
            id: t.id,
            kind: t.kind,
            started: t.started,
            verdict: verdict.as_ref().map(|v| v.code().to_owned()),
            banner: banner(t, verdict.as_ref()),
            amount_minor: t.amount_minor,
            amount: amount_text(t),
            card: t.card.clone(),
            card_name: t.card_name.clone(),
            tid: host
                .and_then(|h| h.tid.clone())
                .or_else(|| terminal.and_then(|z| z.tid.clone())),
            stan: host.and_then(|h| h.stan.clone()),
            batch: host.and_then(|h| h.batch.clone()),
            trace: terminal.and_then(|z| z.trace.clone()),
            receipt_no: terminal.and_then(|z| z.receipt_no.clone()),
            rrn: host.and_then(|h| h.rrn.clone()),
            auth_code: host.and_then(|h| h.auth_code.clone()),
            host_date: host.and_then(|h| h.date.clone()),
            response_meaning: response_code.as_deref().map(response_meaning),
            response_class: response_code
                .as_deref()
                .and_then(response_class)
                .map(|c| c.letter().to_string()),
            response_code,
            zvt_result: zvt_code,
            terminal_result: other_code,
            reversal_reason: t.reversal.as_ref().and_then(|r| r.reason.clone()),
            reversal_result: t.reversal.as_ref().and_then(|r| r.response_code.clone()),
            duplicate_of: t.duplicate_of,
            causes: verdict.as_ref().map(|v| causes(t, v)).unwrap_or_default(),
            ask_acquirer: if matches!(verdict, Some(TxnVerdict::Unknown)) {
                ask_acquirer(t)
            } else {
                Vec::new()
            },
            totals: terminal.and_then(|z| z.totals.clone()),
            mismatches: terminal.map(|z| z.mismatches.clone()).unwrap_or_default(),
            timeline,
            frames_dropped: t.frames_dropped,
        }
    }

    /// What the guide reasons from: the same for a live session (the Guide tab) and a
    /// capture (`posdiag guide`, the report), so both judge alike.
    pub fn evidence(&self) -> TransactionEvidence {
        TransactionEvidence {
            id: Some(self.id),
            verdict: self.verdict.as_deref().and_then(Verdict::from_code),
            response_code: self.response_code.clone(),
            reversal_reason: self.reversal_reason.clone(),
            terminal_result: self
                .zvt_result
                .as_deref()
                .map(|r| TerminalCode::new(TerminalProtocol::Zvt, r))
                .or_else(|| self.terminal_result.clone()),
            causes: self.causes.clone(),
        }
    }
}
