//! The Transactions tab's state: the transaction model fed by every frame (live, tap or
//! replay), the selected transaction, and the transaction commands — menu, amount or receipt
//! entry, confirmation — with the one that runs.

use crate::event::FrameRecord;
use crate::i18n::Text;
use crate::proto::iso8583::Dialect;
use crate::session::TxnRequest;
use crate::txn::{judge, Transaction, TxnTracker};

/// The transaction popups (modal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TxnPopup {
    /// What to run.
    Menu,
    /// Typing the amount of a payment or the receipt number of a reversal.
    Entry,
    /// "This is what it does — send it?"
    Confirm,
}

/// A line of the transaction menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TxnMenuItem {
    Pay,
    Reverse,
    Abort,
    EndOfDay,
    RepeatReceipt,
}

impl TxnMenuItem {
    pub const ALL: [TxnMenuItem; 5] = [
        TxnMenuItem::RepeatReceipt,
        TxnMenuItem::Pay,
        TxnMenuItem::Reverse,
        TxnMenuItem::Abort,
        TxnMenuItem::EndOfDay,
    ];

    pub fn name(self) -> Text {
        match self {
            TxnMenuItem::Pay => Text::fixed("消费（06 01）", "Payment (06 01)"),
            TxnMenuItem::Reverse => Text::fixed("撤销凭条（06 30）", "Reverse a receipt (06 30)"),
            TxnMenuItem::Abort => Text::fixed("中止（06 B0）", "Abort (06 B0)"),
            TxnMenuItem::EndOfDay => Text::fixed("日结（06 50）", "End-of-day (06 50)"),
            TxnMenuItem::RepeatReceipt => {
                Text::fixed("重打小票（06 20）", "Repeat last receipt (06 20)")
            }
        }
    }

    pub fn tag(self) -> Text {
        match self {
            TxnMenuItem::Pay => Text::fixed(
                "财务：向持卡人扣款，先输入金额",
                "financial: charges the card; enter the amount",
            ),
            TxnMenuItem::Reverse => Text::fixed(
                "财务：撤销一笔交易，输入凭条号",
                "financial: cancels a payment; enter its receipt no.",
            ),
            TxnMenuItem::Abort => {
                Text::fixed("停止终端当前的操作", "stops what the terminal is doing")
            }
            TxnMenuItem::EndOfDay => Text::fixed(
                "财务：结算并关闭批次",
                "financial: settles and closes the batch",
            ),
            TxnMenuItem::RepeatReceipt => Text::fixed(
                "结果不明时先做这一步",
                "the first move after an unclear outcome",
            ),
        }
    }

    pub fn is_financial(self) -> bool {
        matches!(
            self,
            TxnMenuItem::Pay | TxnMenuItem::Reverse | TxnMenuItem::EndOfDay
        )
    }
}

/// What is being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Amount,
    Receipt,
}

/// Longest entry accepted (an amount like 9999999.99).
const MAX_ENTRY: usize = 10;

#[derive(Debug, Clone)]
pub struct TxnView {
    tracker: TxnTracker,
    /// The selected transaction; `None` follows the newest.
    selected: Option<u64>,
    pub(in crate::tui) detail_scroll: u16,
    menu: usize,
    entry_kind: EntryKind,
    entry: String,
    pending: Option<TxnRequest>,
    running: Option<TxnRequest>,
}

impl Default for TxnView {
    fn default() -> Self {
        Self::new(Dialect::cup())
    }
}

impl TxnView {
    /// A view reading host frames in `dialect`.
    pub fn new(dialect: Dialect) -> Self {
        TxnView {
            tracker: TxnTracker::new(dialect),
            selected: None,
            detail_scroll: 0,
            menu: 0,
            entry_kind: EntryKind::Amount,
            entry: String::new(),
            pending: None,
            running: None,
        }
    }

    /// The same view reading the terminal channel as `protocol` (ZVT by default).
    pub fn with_terminal(mut self, protocol: crate::drivers::terminal::TerminalProtocol) -> Self {
        self.tracker = self.tracker.with_terminal(protocol);
        self
    }

    /// The protocol the terminal speaks (names commands as it does).
    pub fn protocol(&self) -> crate::drivers::terminal::TerminalProtocol {
        self.tracker.terminal_protocol()
    }

    /// Reads one frame; returns the ids of the transactions it changed.
    pub fn feed(&mut self, frame: &FrameRecord) -> Vec<u64> {
        self.tracker.feed(frame)
    }

    /// The source ended (a replayed capture read to its end); returns the ids it changed.
    pub fn close(&mut self) -> Vec<u64> {
        self.tracker.close()
    }

    /// The guide's evidence of each transaction in `ids` that has a verdict.
    pub fn evidence(&self, ids: &[u64]) -> Vec<crate::guide::TransactionEvidence> {
        ids.iter()
            .filter_map(|id| self.tracker.get(*id))
            .filter(|t| crate::txn::judge(t).is_some())
            .map(|t| crate::txn::TransactionRecord::of(t).evidence())
            .collect()
    }

    pub fn tracker(&self) -> &TxnTracker {
        &self.tracker
    }

    pub fn len(&self) -> usize {
        self.tracker.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tracker.is_empty()
    }

    /// Index of the selected transaction in list order (oldest first).
    pub fn selected_index(&self) -> Option<usize> {
        let n = self.tracker.len();
        if n == 0 {
            return None;
        }
        match self.selected {
            None => Some(n - 1),
            Some(id) => self
                .tracker
                .transactions()
                .position(|t| t.id == id)
                .or(Some(n - 1)),
        }
    }

    pub fn selected(&self) -> Option<&Transaction> {
        let i = self.selected_index()?;
        self.tracker.transactions().nth(i)
    }

    /// True while the newest transaction is shown (new ones come into view).
    pub fn following(&self) -> bool {
        self.selected.is_none()
    }

    pub fn move_by(&mut self, down: bool, n: usize) {
        let Some(i) = self.selected_index() else {
            return;
        };
        let last = self.tracker.len() - 1;
        let to = if down {
            (i + n).min(last)
        } else {
            i.saturating_sub(n)
        };
        self.selected = if to == last {
            None
        } else {
            self.tracker.transactions().nth(to).map(|t| t.id)
        };
        self.detail_scroll = 0;
    }

    /// Selects the transaction at `index` in list order (a click); the newest follows again.
    pub fn select_index(&mut self, index: usize) {
        let Some(current) = self.selected_index() else {
            return;
        };
        if index >= current {
            self.move_by(true, index - current);
        } else {
            self.move_by(false, current - index);
        }
    }

    pub fn follow_newest(&mut self) {
        self.selected = None;
        self.detail_scroll = 0;
    }

    pub fn scroll_detail(&mut self, down: bool, lines: u16) {
        self.detail_scroll = if down {
            self.detail_scroll.saturating_add(lines)
        } else {
            self.detail_scroll.saturating_sub(lines)
        };
    }

    // --- commands -------------------------------------------------------------------------

    pub fn menu_index(&self) -> usize {
        self.menu.min(TxnMenuItem::ALL.len() - 1)
    }

    pub fn menu_item(&self) -> TxnMenuItem {
        TxnMenuItem::ALL[self.menu_index()]
    }

    pub fn menu_move(&mut self, down: bool) {
        let last = TxnMenuItem::ALL.len() - 1;
        self.menu = if down {
            (self.menu + 1).min(last)
        } else {
            self.menu.saturating_sub(1)
        };
    }

    pub fn select_menu(&mut self, item: TxnMenuItem) {
        if let Some(i) = TxnMenuItem::ALL.iter().position(|&m| m == item) {
            self.menu = i;
        }
    }

    /// Starts typing; a reversal starts from the selected transaction's receipt number.
    pub fn start_entry(&mut self, kind: EntryKind) {
        self.entry_kind = kind;
        self.entry = match kind {
            EntryKind::Amount => String::new(),
            EntryKind::Receipt => self
                .selected()
                .and_then(|t| t.receipt_no())
                .map(|r| r.trim_start_matches('0').to_owned())
                .unwrap_or_default(),
        };
    }

    pub fn entry_kind(&self) -> EntryKind {
        self.entry_kind
    }

    pub fn entry(&self) -> &str {
        &self.entry
    }

    /// A typed character: digits, and one '.' with at most two decimals in an amount.
    pub fn type_char(&mut self, c: char) {
        if self.entry.len() >= MAX_ENTRY {
            return;
        }
        let ok = match (c, self.entry_kind) {
            ('0'..='9', EntryKind::Amount) => {
                self.entry.split_once('.').is_none_or(|(_, d)| d.len() < 2)
            }
            ('0'..='9', EntryKind::Receipt) => self.entry.len() < 4,
            ('.', EntryKind::Amount) => !self.entry.contains('.'),
            _ => false,
        };
        if ok {
            self.entry.push(c);
        }
    }

    pub fn backspace(&mut self) {
        self.entry.pop();
    }

    /// The request the entry makes, or why it cannot.
    pub fn entry_request(&self) -> Result<TxnRequest, Text> {
        match self.entry_kind {
            EntryKind::Amount => crate::session::parse_amount(&self.entry)
                .map(|amount_minor| TxnRequest::Pay { amount_minor })
                .map_err(|_| {
                    Text::fixed(
                        "请输入大于 0 的金额，例如 12.34。",
                        "Enter an amount above 0, e.g. 12.34.",
                    )
                }),
            EntryKind::Receipt => match self.entry.parse::<u16>() {
                Ok(n) if (1..=9999).contains(&n) => Ok(TxnRequest::Reverse { receipt_no: n }),
                _ => Err(Text::fixed(
                    "请输入凭条号（1–9999）。",
                    "Enter the receipt number (1–9999).",
                )),
            },
        }
    }

    /// The request waiting for confirmation.
    pub fn pending(&self) -> Option<TxnRequest> {
        self.pending
    }

    pub fn set_pending(&mut self, request: Option<TxnRequest>) {
        self.pending = request;
    }

    /// The request sent and not yet answered.
    pub fn running(&self) -> Option<TxnRequest> {
        self.running
    }

    pub fn started(&mut self, request: TxnRequest) {
        self.running = Some(request);
        self.pending = None;
        self.follow_newest();
    }

    /// The session announced the outcome.
    pub fn finished(&mut self) {
        self.running = None;
    }

    /// True when the selected transaction still runs (for the spinner).
    pub fn selected_in_progress(&self) -> bool {
        self.selected().is_some_and(|t| judge(t).is_none())
    }
}

impl super::AppState {
    /// Reads the terminal channel as `protocol` (before any frame arrives); keeps the host
    /// dialect already set.
    pub fn set_terminal_protocol(&mut self, protocol: crate::drivers::terminal::TerminalProtocol) {
        let view = std::mem::take(&mut self.transactions);
        self.transactions = view.with_terminal(protocol);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_texts_are_bilingual_and_entries_validate() {
        for item in TxnMenuItem::ALL {
            assert!(!item.name().is_incomplete() && !item.tag().is_incomplete());
        }
        let mut v = TxnView::default();
        v.start_entry(EntryKind::Receipt);
        for c in ['1', '2', '3', '4', '5', '.'] {
            v.type_char(c);
        }
        assert_eq!(v.entry(), "1234", "four digits, no dot");
        assert_eq!(
            v.entry_request(),
            Ok(TxnRequest::Reverse { receipt_no: 1234 })
        );
        v.start_entry(EntryKind::Amount);
        assert!(v.entry_request().is_err(), "empty amount");
    }
}
