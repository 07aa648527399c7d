//! The simulated terminal's journal: trace and receipt numbers, the open batch's payments
//! (for voids by receipt number, end-of-day totals and "repeat last receipt").
//!
//! Bounded: a batch keeps at most [`MAX_ENTRIES`] payments (a real terminal asks for an
//! end-of-day long before; the oldest are dropped here).

use std::collections::VecDeque;
use std::time::SystemTime;

/// Payments kept per batch.
pub const MAX_ENTRIES: usize = 10_000;

/// One approved payment (or void) of the open batch. The card is held masked only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub receipt_no: u16,
    pub trace: u32,
    pub amount_minor: u64,
    pub card_masked: String,
    pub rrn: String,
    pub auth_code: String,
    pub time: SystemTime,
    /// A void: it cancels the payment with trace `voids`.
    pub voids: Option<u32>,
    /// Cancelled by a later void.
    pub voided: bool,
}

/// What "repeat receipt" reprints: the last transaction's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastReceipt {
    pub entry: Entry,
    /// ZVT result code of the transaction (00 approved).
    pub result: u8,
    pub lines: Vec<String>,
}

/// Totals of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub count: u64,
    pub amount_minor: u64,
    pub first_receipt: u16,
    pub last_receipt: u16,
}

#[derive(Debug, Clone)]
pub struct Journal {
    pub batch: u32,
    next_trace: u32,
    next_receipt: u16,
    entries: VecDeque<Entry>,
    pub last: Option<LastReceipt>,
    /// Open pre-authorisations (reservations): held at the host, not turnover until booked.
    pub holds: Vec<Entry>,
}

impl Default for Journal {
    fn default() -> Self {
        Journal {
            batch: 1,
            next_trace: 1,
            next_receipt: 1,
            entries: VecDeque::new(),
            last: None,
            holds: Vec::new(),
        }
    }
}

impl Journal {
    /// The next trace number (= STAN at the host), 1–999999.
    pub fn take_trace(&mut self) -> u32 {
        let t = self.next_trace;
        self.next_trace = if t >= 999_999 { 1 } else { t + 1 };
        t
    }

    /// The next receipt number, 1–9999.
    pub fn take_receipt(&mut self) -> u16 {
        let r = self.next_receipt;
        self.next_receipt = if r >= 9_999 { 1 } else { r + 1 };
        r
    }

    pub fn add(&mut self, entry: Entry) {
        if let Some(original) = entry.voids {
            if let Some(p) = self.entries.iter_mut().find(|e| e.trace == original) {
                p.voided = true;
            }
        }
        self.entries.push_back(entry);
        while self.entries.len() > MAX_ENTRIES {
            self.entries.pop_front();
        }
    }

    /// Keeps a reservation until it is booked or cancelled (the oldest go past the bound).
    pub fn hold(&mut self, entry: Entry) {
        self.holds.push(entry);
        if self.holds.len() > MAX_ENTRIES {
            self.holds.remove(0);
        }
    }

    /// Takes the open reservation with `receipt_no` out (booked or cancelled).
    pub fn take_hold(&mut self, receipt_no: u16) -> Option<Entry> {
        let i = self.holds.iter().position(|e| e.receipt_no == receipt_no)?;
        Some(self.holds.remove(i))
    }

    /// The payment with `receipt_no` that can still be voided.
    pub fn payment(&self, receipt_no: u16) -> Option<&Entry> {
        self.entries
            .iter()
            .rev()
            .find(|e| e.receipt_no == receipt_no && e.voids.is_none())
    }

    /// Payments of the batch that stand (not voided).
    pub fn totals(&self) -> Totals {
        let standing = self
            .entries
            .iter()
            .filter(|e| e.voids.is_none() && !e.voided);
        let mut t = Totals::default();
        for e in standing {
            t.count += 1;
            t.amount_minor = t.amount_minor.saturating_add(e.amount_minor);
        }
        t.first_receipt = self.entries.front().map_or(0, |e| e.receipt_no);
        t.last_receipt = self.entries.back().map_or(0, |e| e.receipt_no);
        t
    }

    /// Closes the batch: the next one starts empty.
    pub fn close_batch(&mut self) {
        self.entries.clear();
        self.batch = if self.batch >= 999_999 {
            1
        } else {
            self.batch + 1
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(receipt_no: u16, trace: u32, amount_minor: u64) -> Entry {
        Entry {
            receipt_no,
            trace,
            amount_minor,
            card_masked: "620000******0005".into(),
            rrn: String::new(),
            auth_code: String::new(),
            time: SystemTime::UNIX_EPOCH,
            voids: None,
            voided: false,
        }
    }

    #[test]
    fn totals_leave_out_voided_payments() {
        let mut j = Journal::default();
        j.add(entry(1, 1, 1000));
        j.add(entry(2, 2, 234));
        j.add(Entry {
            voids: Some(1),
            ..entry(3, 3, 1000)
        });
        let t = j.totals();
        assert_eq!((t.count, t.amount_minor), (1, 234));
        assert_eq!((t.first_receipt, t.last_receipt), (1, 3));
        assert!(j.payment(1).is_some_and(|e| e.voided));
        j.close_batch();
        assert_eq!(j.totals().count, 0);
        assert_eq!(j.batch, 2);
    }

    #[test]
    fn numbers_wrap() {
        let mut j = Journal {
            next_trace: 999_999,
            next_receipt: 9_999,
            ..Journal::default()
        };
        assert_eq!((j.take_trace(), j.take_trace()), (999_999, 1));
        assert_eq!((j.take_receipt(), j.take_receipt()), (9_999, 1));
    }
}
