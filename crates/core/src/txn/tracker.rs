//! The transaction tracker: frames in, transactions out. Bounded: it keeps the newest
//! `max_transactions` and at most `max_frames` frame references and `max_steps` steps each,
//! so a shift of a thousand payments costs the same memory as a few hundred.
//!
//! A terminal command that moves money (or closes the day) opens a transaction; the terminal's
//! answers to it land there (`tracker_terminal.rs`, from the observations of the terminal's
//! protocol driver). An ISO 8583 request joins the transaction whose terminal command is in
//! flight (the terminal's trace number is the STAN), or opens its own when posdiag sees only
//! the host side (a tap); responses and reversals pair by TID + STAN + batch. The host side is
//! `tracker_host.rs`; voids find their payment through one linker (`link.rs`).

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use crate::drivers::terminal::protocol::TerminalProtocol;
use crate::drivers::terminal::reader::TerminalReader;
use crate::frame::{Channel, FrameRecord};
use crate::i18n::Text;
use crate::proto::iso8583::Dialect;

use super::model::{FrameRef, Step, StepKind, Transaction, TxnKind};
use super::verdict::{judge, TxnVerdict};

/// Limits and timeouts of a tracker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackerConfig {
    pub max_transactions: usize,
    pub max_frames: usize,
    pub max_steps: usize,
    /// A host request unanswered this long has timed out (the terminal will reverse it).
    pub host_timeout: Duration,
    /// Same masked card and amount within this window of an approved payment: a possible
    /// duplicate.
    pub duplicate_window: Duration,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            max_transactions: 500,
            max_frames: 64,
            max_steps: 40,
            host_timeout: Duration::from_secs(60),
            duplicate_window: Duration::from_secs(300),
        }
    }
}

/// Folds frames into transactions.
#[derive(Debug, Clone)]
pub struct TxnTracker {
    pub(super) config: TrackerConfig,
    pub(super) dialect: Dialect,
    pub(super) txns: VecDeque<Transaction>,
    next_id: u64,
    /// The terminal channel, read by its protocol's driver.
    pub(super) terminal: TerminalReader,
    /// The transaction of the terminal command in flight.
    pub(super) terminal_open: Option<u64>,
    evicted: u64,
}

impl TxnTracker {
    /// A tracker reading host frames in `dialect`, with the default limits.
    pub fn new(dialect: Dialect) -> Self {
        Self::with_config(dialect, TrackerConfig::default())
    }

    pub fn with_config(dialect: Dialect, config: TrackerConfig) -> Self {
        TxnTracker {
            config,
            dialect,
            txns: VecDeque::new(),
            next_id: 1,
            terminal: TerminalReader::default(),
            terminal_open: None,
            evicted: 0,
        }
    }

    /// The same tracker reading the terminal channel as `protocol` (ZVT by default).
    pub fn with_terminal(mut self, protocol: TerminalProtocol) -> Self {
        self.terminal = TerminalReader::new(protocol);
        self
    }

    /// The protocol the terminal channel is read as.
    pub fn terminal_protocol(&self) -> TerminalProtocol {
        self.terminal.protocol()
    }

    pub fn config(&self) -> TrackerConfig {
        self.config
    }

    /// Oldest first.
    pub fn transactions(&self) -> impl DoubleEndedIterator<Item = &Transaction> + '_ {
        self.txns.iter()
    }

    pub fn len(&self) -> usize {
        self.txns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.txns.is_empty()
    }

    /// Transactions dropped to stay within `max_transactions`.
    pub fn evicted(&self) -> u64 {
        self.evicted
    }

    pub fn get(&self, id: u64) -> Option<&Transaction> {
        self.txns.iter().find(|t| t.id == id)
    }

    pub(super) fn get_mut(&mut self, id: u64) -> Option<&mut Transaction> {
        self.txns.iter_mut().rev().find(|t| t.id == id)
    }

    /// The verdict of transaction `id` so far.
    pub fn verdict(&self, id: u64) -> Option<TxnVerdict> {
        self.get(id).and_then(judge)
    }

    /// Feeds one frame; returns the ids of the transactions it changed.
    pub fn feed(&mut self, frame: &FrameRecord) -> Vec<u64> {
        let mut changed = match frame.channel {
            Channel::Terminal => self.feed_terminal(frame),
            Channel::Host => self.feed_iso(frame),
            Channel::Printer => Vec::new(),
        };
        changed.extend(self.tick(frame.time));
        changed.sort_unstable();
        changed.dedup();
        changed
    }

    /// Marks host requests unanswered for longer than the timeout as timed out.
    pub fn tick(&mut self, now: SystemTime) -> Vec<u64> {
        let timeout = self.config.host_timeout;
        let mut changed = Vec::new();
        for t in self.txns.iter_mut() {
            let Some(sent) = t
                .host
                .as_ref()
                .filter(|h| h.response_code.is_none())
                .and_then(|h| h.sent)
            else {
                continue;
            };
            let overdue = now.duration_since(sent).is_ok_and(|d| d >= timeout);
            if overdue && !t.timed_out && t.reversal.is_none() {
                t.timed_out = true;
                let text = crate::tr!(
                    "{} 内主机无应答",
                    "no host answer within {}",
                    crate::durations::show(timeout)
                );
                push_step(
                    t,
                    self.config.max_steps,
                    StepKind::TimedOut,
                    now,
                    text,
                    None,
                );
                changed.push(t.id);
            }
        }
        changed
    }

    /// The source ended (capture read to its end, tap stopped): whatever is unresolved now is
    /// `UNKNOWN` (or pending a reversal, when the host never answered).
    pub fn close(&mut self) -> Vec<u64> {
        let mut changed = Vec::new();
        for t in self.txns.iter_mut() {
            if judge(t).is_none() {
                t.closed_unresolved = true;
                changed.push(t.id);
            }
        }
        self.terminal_open = None;
        changed
    }

    /// Of `ids`, those whose outcome changed since last asked (each outcome is reported once).
    pub fn newly_settled(&mut self, ids: &[u64]) -> Vec<u64> {
        let mut out = Vec::new();
        for &id in ids {
            let Some(t) = self.get_mut(id) else { continue };
            let Some(v) = judge(t) else { continue };
            let key = format!(
                "{}|{:?}|{:?}|{:?}",
                v.code(),
                t.response_code(),
                t.reversal.as_ref().and_then(|r| r.response_code.clone()),
                t.terminal
                    .as_ref()
                    .filter(|_| t.host.is_none())
                    .and_then(|z| z.result.as_ref().map(|r| &r.code.code))
            );
            if t.reported.as_deref() != Some(key.as_str()) {
                t.reported = Some(key);
                out.push(id);
            }
        }
        out
    }

    /// Opens a transaction, dropping the oldest beyond the limit.
    pub(super) fn open(&mut self, kind: TxnKind, time: SystemTime) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.txns.push_back(Transaction::new(id, kind, time));
        while self.txns.len() > self.config.max_transactions.max(1) {
            self.txns.pop_front();
            self.evicted += 1;
        }
        id
    }

    /// Keeps a reference to `frame` on transaction `id`; the index, unless over the limit.
    pub(super) fn attach(&mut self, id: u64, frame: &FrameRecord) -> Option<usize> {
        let max = self.config.max_frames;
        let protocol = self.terminal.protocol();
        let t = self.get_mut(id)?;
        if t.frames.len() >= max {
            t.frames_dropped += 1;
            return None;
        }
        t.frames.push(FrameRef::of(frame, protocol));
        Some(t.frames.len() - 1)
    }

    /// Adds a step to `id` (with the frame at `frame`, if kept).
    pub(super) fn step(
        &mut self,
        id: u64,
        kind: StepKind,
        time: SystemTime,
        text: Text,
        frame: Option<usize>,
    ) {
        let max = self.config.max_steps;
        if let Some(t) = self.get_mut(id) {
            push_step(t, max, kind, time, text, frame);
        }
    }

    /// Adds "card read" once, when something shows a card was read (the frame showing it is
    /// the next step's, so it is not listed twice).
    pub(super) fn card_read(&mut self, id: u64, time: SystemTime) {
        let needed = self
            .get(id)
            .is_some_and(|t| t.kind == TxnKind::Payment && !t.has_step(StepKind::CardRead));
        if needed {
            let card = self.get(id).and_then(|t| t.card.clone());
            let text = match card {
                Some(c) => crate::tr!("已读卡 {c}", "card read {c}"),
                None => Text::fixed("已读卡", "card read"),
            };
            self.step(id, StepKind::CardRead, time, text, None);
        }
    }

    /// Flags a payment that repeats an approved one (same masked card and amount, within the
    /// window).
    pub(super) fn check_duplicate(&mut self, id: u64, now: SystemTime) {
        let window = self.config.duplicate_window;
        let Some(t) = self.get(id) else { return };
        let (Some(card), Some(amount)) = (t.card.clone(), t.amount_minor) else {
            return;
        };
        if t.kind != TxnKind::Payment || t.duplicate_of.is_some() {
            return;
        }
        let started = t.started;
        let first = self.txns.iter().rev().find(|o| {
            o.id < id
                && o.kind == TxnKind::Payment
                && o.card.as_deref() == Some(card.as_str())
                && o.amount_minor == Some(amount)
                && started.duration_since(o.started).is_ok_and(|d| d <= window)
                && matches!(judge(o), Some(TxnVerdict::Approved))
        });
        let Some((first_id, first_started)) = first.map(|o| (o.id, o.started)) else {
            return;
        };
        let after = started.duration_since(first_started).unwrap_or_default();
        let after = crate::durations::show(Duration::from_secs(after.as_secs()));
        if let Some(t) = self.get_mut(id) {
            t.duplicate_of = Some(first_id);
        }
        let text = crate::tr!(
            "与第 {first_id} 笔（{after} 前）卡号和金额相同：可能重复收款",
            "same card and amount as #{first_id} ({after} earlier): possibly charged twice"
        );
        self.step(id, StepKind::Note, now, text, None);
    }
}

pub(super) fn push_step(
    t: &mut Transaction,
    max: usize,
    kind: StepKind,
    time: SystemTime,
    text: Text,
    frame: Option<usize>,
) {
    if t.steps.len() >= max {
        return;
    }
    t.steps.push(Step {
        kind,
        time,
        text,
        frames: frame.into_iter().collect(),
    });
}
