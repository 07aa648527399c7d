//! What the guide reasons from: check results, transaction outcomes, and the codes seen on
//! the wire (the terminal's state and result codes as its protocol's driver reports them,
//! ESC/POS status bits, ISO 8583 field 39).
//!
//! Check results are states: a later result of the same check replaces an earlier one, so a
//! "Fixed?" re-run recorded in the same capture wins over the failure before it. Result and
//! response codes are events and accumulate.

use std::collections::{BTreeMap, BTreeSet};

use crate::checks::CheckResult;
use crate::drivers::terminal::codes::{TerminalCode, TerminalResult};
use crate::drivers::terminal::observe::TerminalEvent;
use crate::drivers::terminal::reader::TerminalReader;
use crate::frame::{Channel, Direction, FrameRecord};
use crate::proto::escpos::{self, PrinterCondition, Query, Reply};

pub use crate::txn::outcome::{TransactionEvidence, Verdict};

/// Everything observed, ready for ranking.
#[derive(Debug, Clone, Default)]
pub struct Observations {
    /// Latest result per check id, in first-seen order.
    checks: Vec<CheckResult>,
    pub transactions: Vec<TransactionEvidence>,
    /// The latest terminal state seen (ZVT: the Status-Enquiry's status byte).
    pub terminal_status: Option<TerminalCode>,
    /// The terminal's failure result codes seen on the wire.
    pub terminal_results: BTreeSet<TerminalCode>,
    /// ISO 8583 field 39 codes seen outside a transaction record.
    pub iso39: BTreeSet<String>,
    /// The latest ESC/POS reply per query, combined into the condition on demand.
    printer_replies: BTreeMap<String, Reply>,
    /// The terminal channel, read by its protocol's driver (which keeps the command in
    /// flight as the context of the next answer).
    terminal: TerminalReader,
    /// The ESC/POS status query waiting for its reply.
    printer_query: Option<Query>,
    /// Causes whose fix was tried and recorded as not working ("Fixed?" said no).
    failed_fixes: BTreeSet<String>,
}

impl Observations {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a check result; a later result of the same check replaces the earlier one.
    pub fn add_check(&mut self, result: &CheckResult) {
        match self.checks.iter_mut().find(|c| c.id == result.id) {
            Some(slot) => *slot = result.clone(),
            None => self.checks.push(result.clone()),
        }
    }

    /// Adds a transaction's outcome; one with the id of an earlier one replaces it.
    pub fn add_transaction(&mut self, txn: TransactionEvidence) {
        let same = |t: &&mut TransactionEvidence| txn.id.is_some() && t.id == txn.id;
        match self.transactions.iter_mut().find(same) {
            Some(slot) => *slot = txn,
            None => self.transactions.push(txn),
        }
    }

    /// Records how a fix attempt ended: a fix that did not work is not offered again; a later
    /// success of the same fix clears it.
    pub fn add_fix_attempt(&mut self, cause: &str, worked: bool) {
        if worked {
            self.failed_fixes.remove(cause);
        } else {
            self.failed_fixes.insert(cause.to_owned());
        }
    }

    /// True when the fix of `cause` was tried and did not work.
    pub fn fix_failed(&self, cause: &str) -> bool {
        self.failed_fixes.contains(cause)
    }

    /// The latest result of every check seen.
    pub fn checks(&self) -> &[CheckResult] {
        &self.checks
    }

    pub fn check(&self, id: &str) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// True when nothing at all was observed.
    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
            && self.transactions.is_empty()
            && self.terminal_status.is_none()
            && self.terminal_results.is_empty()
            && self.iso39.is_empty()
            && self.printer_replies.is_empty()
    }

    /// The printer condition from the latest reply to each status query.
    pub fn printer_condition(&self) -> Option<PrinterCondition> {
        (!self.printer_replies.is_empty())
            .then(|| PrinterCondition::from_replies(self.printer_replies.values()))
    }

    /// ESC/POS condition flags seen set (the names of `PrinterCondition` fields).
    pub fn escpos_flags(&self) -> BTreeSet<&'static str> {
        let Some(c) = self.printer_condition() else {
            return BTreeSet::new();
        };
        escpos_flags(&c)
            .into_iter()
            .filter(|(_, set)| *set == Some(true))
            .map(|(name, _)| name)
            .collect()
    }

    /// Reads codes out of frames in wire order (see [`Observations::add_frame`]).
    pub fn add_frames<'a>(&mut self, frames: impl IntoIterator<Item = &'a FrameRecord>) {
        for frame in frames {
            self.add_frame(frame);
        }
    }

    /// Reads the codes out of one frame: the terminal's state and result codes from its
    /// answers (as its protocol's driver reads them), ESC/POS status replies from the printer. Frames must come in wire
    /// order (live from the event stream, or from a capture): an answer is read in the
    /// context of the request before it.
    pub fn add_frame(&mut self, frame: &FrameRecord) {
        match (frame.channel, frame.direction) {
            (Channel::Terminal, _) => {
                for event in self.terminal.read_all(frame) {
                    self.add_terminal_event(event);
                }
            }
            (Channel::Printer, Direction::Tx) => {
                self.printer_query = Query::all()
                    .into_iter()
                    .find(|q| escpos::commands::request(*q) == frame.raw);
            }
            (Channel::Printer, Direction::Rx) => {
                if let Some(q) = self.printer_query.take() {
                    if let Ok(reply) = escpos::decode_reply(q, &frame.raw) {
                        self.printer_replies.insert(q.code(), reply);
                    }
                }
            }
            (Channel::Host, _) => {}
        }
    }

    fn add_terminal_event(&mut self, event: TerminalEvent) {
        let failed = |r: &TerminalResult| !r.success && !r.benign;
        match event {
            TerminalEvent::State(code) => self.terminal_status = Some(code),
            TerminalEvent::Aborted { result, .. } | TerminalEvent::Refused { result, .. }
                if failed(&result) =>
            {
                self.terminal_results.insert(result.code);
            }
            TerminalEvent::Completed {
                result: Some(result),
                ..
            } if failed(&result) => {
                self.terminal_results.insert(result.code);
            }
            _ => {}
        }
    }
}

/// Every ESC/POS condition flag a matcher may name, with its value.
pub fn escpos_flags(c: &PrinterCondition) -> [(&'static str, Option<bool>); 14] {
    [
        ("offline", c.offline),
        ("drawer_pin3_high", c.drawer_pin3_high),
        ("waiting_online_recovery", c.waiting_online_recovery),
        ("feed_button_pressed", c.feed_button_pressed),
        ("cover_open", c.cover_open),
        ("paper_fed_by_button", c.paper_fed_by_button),
        ("stopped_by_paper_end", c.stopped_by_paper_end),
        ("error_occurred", c.error_occurred),
        ("recoverable_error", c.recoverable_error),
        ("cutter_error", c.cutter_error),
        ("unrecoverable_error", c.unrecoverable_error),
        ("auto_recoverable_error", c.auto_recoverable_error),
        ("paper_near_end", c.paper_near_end),
        ("paper_out", c.paper_out),
    ]
}

/// Names of the ESC/POS flags, for validating the knowledge base.
pub fn escpos_flag_names() -> Vec<&'static str> {
    escpos_flags(&PrinterCondition::default())
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{Area, CheckStatus};
    use std::time::SystemTime;

    fn frame(channel: Channel, direction: Direction, hex_bytes: &str) -> FrameRecord {
        FrameRecord {
            time: SystemTime::UNIX_EPOCH,
            channel,
            direction,
            raw: hex::decode(hex_bytes).expect("hex"),
            summary: String::new(),
            error: false,
            summary_zh: None,
        }
    }

    #[test]
    fn a_later_result_of_the_same_check_wins() {
        let mut obs = Observations::new();
        let fail = CheckResult::new(
            "power.supply",
            Area::Power,
            CheckStatus::Fail,
            crate::i18n::Text::same("x"),
        )
        .with_cause(crate::cause!("power.low_voltage"));
        let pass = CheckResult::new(
            "power.supply",
            Area::Power,
            CheckStatus::Pass,
            crate::i18n::Text::same("y"),
        );
        obs.add_check(&fail);
        obs.add_check(&pass);
        assert_eq!(obs.checks().len(), 1);
        assert_eq!(obs.checks()[0].status, CheckStatus::Pass);
    }

    #[test]
    fn printer_replies_give_condition_flags() {
        let mut obs = Observations::new();
        let frames = [
            frame(Channel::Printer, Direction::Tx, "100404"),
            frame(Channel::Printer, Direction::Rx, "7e"),
            frame(Channel::Printer, Direction::Tx, "100402"),
            frame(Channel::Printer, Direction::Rx, "16"),
        ];
        obs.add_frames(frames.iter());
        let flags = obs.escpos_flags();
        assert!(flags.contains("paper_out"), "{flags:?}");
        assert!(flags.contains("cover_open"), "{flags:?}");
    }

    #[test]
    fn garbage_frames_are_ignored() {
        let mut obs = Observations::new();
        let junk = frame(Channel::Terminal, Direction::Rx, "b00080ffa8");
        obs.add_frames([&junk]);
        assert!(obs.is_empty());
    }
}
