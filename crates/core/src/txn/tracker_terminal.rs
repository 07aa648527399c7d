//! The terminal side of the tracker: observations from the terminal's protocol driver
//! ([`TerminalEvent`]) — the cash register's commands open transactions, the terminal's
//! answers (steps, reports, receipt lines, completion or abort) fill them in. No protocol's
//! messages are read here; the driver did that.

use std::time::SystemTime;

use crate::drivers::terminal::codes::TerminalResult;
use crate::drivers::terminal::observe::{Progress, TerminalEvent, TxnStart};
use crate::frame::FrameRecord;
use crate::i18n::Text;

use super::link::VoidOf;
use super::model::{StepKind, TerminalLeg, TxnKind};
use super::tracker::TxnTracker;

impl TxnTracker {
    pub(super) fn feed_terminal(&mut self, frame: &FrameRecord) -> Vec<u64> {
        let events = self.terminal.read_all(frame);
        let mut changed = Vec::new();
        for event in events {
            changed.extend(self.terminal_event(event, frame));
        }
        changed
    }

    fn terminal_event(&mut self, event: TerminalEvent, frame: &FrameRecord) -> Vec<u64> {
        let time = frame.time;
        match event {
            TerminalEvent::Started(start) => self.start(*start, frame),
            TerminalEvent::AbortAsked { note, started } => {
                let running = self.terminal_open.filter(|id| {
                    self.get(*id)
                        .is_some_and(|t| t.terminal.as_ref().is_some_and(|z| !z.ended))
                });
                if let Some(id) = running {
                    let at = self.attach(id, frame);
                    self.step(id, StepKind::Note, time, note, at);
                    return vec![id];
                }
                self.open_terminal(TxnKind::Abort, started, frame, |_| {})
            }
            TerminalEvent::RegisterRefused { text } => {
                let Some(id) = self.terminal_open else {
                    return Vec::new();
                };
                let at = self.attach(id, frame);
                self.step(id, StepKind::Note, time, text, at);
                vec![id]
            }
            TerminalEvent::OtherCommand => {
                self.terminal_open = None;
                Vec::new()
            }
            answer => {
                let Some(id) = self.terminal_open.filter(|id| self.get(*id).is_some()) else {
                    return Vec::new();
                };
                let linked = self.terminal_answer(id, answer, frame, time);
                std::iter::once(id).chain(linked).collect()
            }
        }
    }

    fn start(&mut self, start: TxnStart, frame: &FrameRecord) -> Vec<u64> {
        let TxnStart {
            kind,
            amount_minor,
            currency,
            asked_amount,
            asked_currency,
            card,
            void_of_receipt,
            text,
        } = start;
        self.open_terminal(kind, text, frame, |t| {
            t.amount_minor = amount_minor;
            t.currency = currency;
            t.card = card;
            if let Some(z) = t.terminal.as_mut() {
                z.asked_amount = asked_amount;
                z.asked_currency = asked_currency;
                z.void_of_receipt = void_of_receipt;
            }
        })
    }

    /// Opens a transaction for a terminal command, `fill`s it in, and makes it the one the
    /// terminal's answers go to.
    fn open_terminal(
        &mut self,
        kind: TxnKind,
        text: Text,
        frame: &FrameRecord,
        fill: impl FnOnce(&mut super::model::Transaction),
    ) -> Vec<u64> {
        let time = frame.time;
        let id = self.open(kind, time);
        let at = self.attach(id, frame);
        let protocol = self.terminal.protocol();
        if let Some(t) = self.get_mut(id) {
            t.terminal = Some(TerminalLeg::new(protocol));
            fill(t);
        }
        self.step(id, StepKind::Started, time, text, at);
        self.terminal_open = Some(id);
        vec![id]
    }

    fn terminal_answer(
        &mut self,
        id: u64,
        event: TerminalEvent,
        frame: &FrameRecord,
        time: SystemTime,
    ) -> Option<u64> {
        let is_abort_txn = self.get(id).is_some_and(|t| t.kind == TxnKind::Abort);
        match event {
            TerminalEvent::Accepted { result, text } if is_abort_txn => {
                let at = self.attach(id, frame);
                self.end_terminal(id, Some(result), false, false);
                self.step(id, StepKind::Completed, time, text, at);
            }
            TerminalEvent::Accepted { .. } => {}
            TerminalEvent::Refused { result, text } => {
                let at = self.attach(id, frame);
                self.end_terminal(id, Some(result), false, true);
                self.step(id, StepKind::Declined, time, text, at);
            }
            TerminalEvent::Progress { step, text } => {
                let at = self.attach(id, frame);
                self.progress(id, step, text, time, at);
            }
            TerminalEvent::Report(report) => {
                let at = self.attach(id, frame);
                self.terminal_report(id, &report, time, at);
            }
            TerminalEvent::Printed { lines, last } => {
                let at = self.attach(id, frame);
                let lines = self.count_print_lines(id, lines.len());
                if last {
                    let text = crate::tr!(
                        "小票已发到收银机（{lines} 行）",
                        "receipt sent to the cash register ({lines} lines)"
                    );
                    self.step(id, StepKind::ReceiptPrinted, time, text, at);
                }
            }
            TerminalEvent::Completed { result, wire } => {
                let at = self.attach(id, frame);
                let standing = self.end_terminal(id, result, false, false);
                let (kind, text) = match &standing {
                    None => (
                        StepKind::Completed,
                        crate::tr!("终端完成（{wire}）", "completed by the terminal ({wire})"),
                    ),
                    Some(r) => {
                        let m = r.code.result_meaning();
                        let code = &r.code.code;
                        (
                            StepKind::Declined,
                            Text::new(
                                format!("终端结束：{code} {}（{wire}）", m.zh),
                                format!("ended by the terminal: {code} {} ({wire})", m.en),
                            ),
                        )
                    }
                };
                self.step(id, kind, time, text, at);
                if standing.is_none() {
                    return self.link_void(id, VoidOf::Terminal, time);
                }
            }
            TerminalEvent::Aborted {
                result,
                currency,
                text,
            } => {
                let at = self.attach(id, frame);
                self.compare_with_request(id, currency, None, time, at);
                self.end_terminal(id, Some(result), true, false);
                self.step(id, StepKind::Aborted, time, text, at);
            }
            TerminalEvent::TerminalReversed {
                reason,
                authorized,
                text,
            } => {
                let at = self.attach(id, frame);
                if let Some(t) = self.get_mut(id) {
                    if let Some(z) = t.terminal.as_mut() {
                        z.authorized = authorized;
                    }
                    t.reversal = Some(super::model::ReversalLeg {
                        reason: Some(reason),
                        sent: Some(time),
                        attempts: 1,
                        // The terminal reports the reversal done: it is its own answer.
                        response_code: Some("00".to_owned()),
                        answered: Some(time),
                        ..Default::default()
                    });
                }
                self.step(id, StepKind::ReversalSent, time, text, at);
                let done = crate::tr!(
                    "终端报告冲正已完成",
                    "the terminal reports the reversal done"
                );
                self.step(id, StepKind::Reversed, time, done, at);
            }
            TerminalEvent::State(_) | TerminalEvent::Other => {
                self.attach(id, frame);
            }
            TerminalEvent::Started(_)
            | TerminalEvent::AbortAsked { .. }
            | TerminalEvent::RegisterRefused { .. }
            | TerminalEvent::OtherCommand => {}
        }
        None
    }

    fn count_print_lines(&mut self, id: u64, n: usize) -> usize {
        let Some(z) = self.get_mut(id).and_then(|t| t.terminal.as_mut()) else {
            return n;
        };
        z.print_lines = z.print_lines.saturating_add(n);
        z.print_lines
    }

    /// Ends the terminal's command; returns the failure that stands, `None` for success (a
    /// failure reported earlier wins over an end without a result code).
    fn end_terminal(
        &mut self,
        id: u64,
        result: Option<TerminalResult>,
        aborted: bool,
        refused: bool,
    ) -> Option<TerminalResult> {
        self.terminal_open = None;
        let Some(z) = self.get_mut(id).and_then(|t| t.terminal.as_mut()) else {
            return result.filter(|r| !r.success);
        };
        z.ended = true;
        z.aborted = aborted;
        z.refused = refused;
        if result.as_ref().is_some_and(|r| !r.success) || z.result.is_none() {
            z.result = result.or(z.result.take());
        }
        z.result.clone().filter(|r| !r.success)
    }

    fn progress(
        &mut self,
        id: u64,
        step: Progress,
        shown: Text,
        time: SystemTime,
        at: Option<usize>,
    ) {
        match step {
            Progress::Pin => {
                self.card_read(id, time);
                if !self.get(id).is_some_and(|t| t.has_step(StepKind::Pin)) {
                    self.step(id, StepKind::Pin, time, shown, at);
                }
            }
            Progress::Online => {
                self.card_read(id, time);
                let no_host = self
                    .get(id)
                    .is_some_and(|t| t.host.is_none() && !t.has_step(StepKind::SentToHost));
                if no_host {
                    self.step(id, StepKind::SentToHost, time, shown, at);
                }
            }
            Progress::Reversing => {
                let first = self
                    .get(id)
                    .is_some_and(|t| !t.has_step(StepKind::ReversalSent));
                if first {
                    self.step(id, StepKind::ReversalSent, time, shown, at);
                }
            }
            Progress::Notice => self.step(id, StepKind::Note, time, shown, at),
            Progress::Quiet => {}
        }
    }
}
