//! The whole UI state, and how [`Event`]s fold into it.
//!
//! Rendering reads `&AppState` and never changes it; keys change it through
//! [`handle_key`](super::handle_key), the session through [`AppState::apply`].

mod busy;
mod checks;
mod commands;
mod connect;
mod guide;
mod hits;
mod log;
mod log_search;
mod printer;
mod replay;
mod transactions;

use std::time::Duration;

use ratatui::layout::Rect;

pub use checks::{CheckRow, CheckTable, Progress};
pub use commands::{recovery_for, CommandMenu, MENU};
pub use connect::AddressPrompt;
pub use guide::{FixCheck, GuidePhase, GuideView};
pub use hits::{HitMap, RowTarget};
pub use log::{hex_bytes_per_row, FrameLog, LogGeometry, HEX_INDENT};
pub use printer::{PrinterPanel, TestReceipt};
pub use replay::{ReplayLog, ReplayPosition};
pub use transactions::{EntryKind, TxnMenuItem, TxnPopup, TxnView};

use super::keys::Scope;
use super::model::{CheckDescriptor, ConnectEntry, PrinterAction, UiConfig, UiRequest};
use crate::checks::CheckResult;
use crate::event::{Channel, Event, LinkState};
use crate::guide::Observations;
use crate::i18n::{Lang, Text};
use crate::session::TerminalCommand;

/// The tabs, in the order of their number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Connect,
    Checks,
    Transactions,
    Guide,
    Log,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Connect,
        Tab::Checks,
        Tab::Transactions,
        Tab::Guide,
        Tab::Log,
    ];

    pub fn title(self) -> Text {
        match self {
            Tab::Connect => Text::fixed("连接", "Connect"),
            Tab::Checks => Text::fixed("检查", "Checks"),
            Tab::Transactions => Text::fixed("交易", "Transactions"),
            Tab::Guide => Text::fixed("排障", "Guide"),
            Tab::Log => Text::fixed("日志", "Log"),
        }
    }

    /// Position in [`Tab::ALL`]; the number key is this plus one.
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|&t| t == self).unwrap_or(0)
    }

    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    pub fn prev(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}

/// A modal window over the tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Popup {
    Help,
    /// "Checks are running — quit anyway?"
    ConfirmQuit,
    /// The terminal command menu.
    Commands,
    /// "This is what the command does — send it?"
    ConfirmCommand(TerminalCommand),
    /// The recent notices in full, newest first.
    Notices,
    /// The printer's actions and its last test receipt.
    Printer,
    /// "This is what it does to the printer — do it?"
    ConfirmPrinter(PrinterAction),
    /// A transaction command popup (Transactions tab).
    Txn(TxnPopup),
    /// "Where is it?": the address or port of the chosen Connect entry.
    Address,
}

/// Notices kept for the notice line; older ones are forgotten.
const MAX_NOTICES: usize = 50;

/// Everything the screen shows.
#[derive(Debug, Clone)]
pub struct AppState {
    pub(in crate::tui) config: UiConfig,
    pub(in crate::tui) entries: Vec<ConnectEntry>,
    pub(in crate::tui) selected_entry: usize,
    /// The address being typed for a Connect entry (with [`Popup::Address`]).
    pub(in crate::tui) address: Option<AddressPrompt>,
    pub(in crate::tui) checks: CheckTable,
    pub(in crate::tui) log: FrameLog,
    pub(in crate::tui) commands: CommandMenu,
    pub(in crate::tui) transactions: TxnView,
    pub(in crate::tui) links: Vec<(Channel, LinkState)>,
    pub(in crate::tui) notices: Vec<Text>,
    pub(in crate::tui) notice_dismissed: bool,
    pub(in crate::tui) tab: Tab,
    pub(in crate::tui) popup: Option<Popup>,
    /// Spinner frame, advanced by ticks while something runs.
    pub(in crate::tui) spinner: usize,
    /// Terminal size, so scrolling knows how much fits.
    pub(in crate::tui) viewport: Rect,
    pub(in crate::tui) last_run: Option<Duration>,
    /// A Connect entry was chosen: its checks starting bring up the Checks tab; a notice
    /// (why it could not be opened) keeps the Connect tab.
    pub(in crate::tui) connecting: bool,
    /// What the guide ranks from, folded from the events.
    pub(in crate::tui) evidence: Observations,
    pub(in crate::tui) guide: GuideView,
    pub(in crate::tui) printer: PrinterPanel,
    /// The capture and the cursor, when replaying.
    pub(in crate::tui) replay: Option<ReplayLog>,
    /// Where the last frame drew its tabs and rows, for mouse clicks.
    pub(in crate::tui) hits: HitMap,
    /// Requests made besides the one a key returns (several checks, a notice to record);
    /// the loop sends them after each key and each batch of events.
    pub(in crate::tui) outbox: Vec<UiRequest>,
}

impl AppState {
    /// A fresh UI on the Connect tab (the Checks tab when there is nothing to connect to).
    pub fn new(config: UiConfig, entries: Vec<ConnectEntry>, checks: Vec<CheckDescriptor>) -> Self {
        let tab = if entries.is_empty() {
            Tab::Checks
        } else {
            Tab::Connect
        };
        AppState {
            config,
            entries,
            selected_entry: 0,
            address: None,
            checks: CheckTable::new(checks),
            log: FrameLog::default(),
            commands: CommandMenu::default(),
            transactions: TxnView::default(),
            links: Vec::new(),
            notices: Vec::new(),
            notice_dismissed: false,
            tab,
            popup: None,
            spinner: 0,
            viewport: Rect::new(0, 0, 80, 24),
            last_run: None,
            connecting: false,
            evidence: Observations::new(),
            guide: GuideView::default(),
            printer: PrinterPanel::default(),
            replay: None,
            hits: HitMap::default(),
            outbox: Vec::new(),
        }
    }

    /// Folds one session event into the state.
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::Link { channel, state } => {
                match self.links.iter_mut().find(|(c, _)| c == channel) {
                    Some((_, current)) => *current = state.clone(),
                    None => self.links.push((*channel, state.clone())),
                }
            }
            Event::Frame(frame) => {
                let width = self.log_geometry().width;
                self.log.push(frame.clone(), width);
                self.evidence.add_frame(frame);
                self.printer.saw_frame(frame);
                let changed = self.transactions.feed(frame);
                for txn in self.transactions.evidence(&changed) {
                    self.evidence.add_transaction(txn);
                }
            }
            Event::CheckStarted { id, area } => {
                if std::mem::take(&mut self.connecting) {
                    self.tab = Tab::Checks;
                }
                // A new run makes whatever was said before it stale (`m` still lists it).
                if !self.checks.is_running() {
                    self.notice_dismissed = true;
                }
                self.checks.started(id, *area)
            }
            Event::CheckFinished(result) => {
                self.checks.finished(result);
                self.evidence.add_check(result);
            }
            Event::RunFinished { duration } => {
                self.checks.run_finished();
                self.last_run = Some(*duration);
            }
            Event::Notice(text) => {
                if let Some((cause, worked)) = crate::guide::attempt_in_notice(text) {
                    self.evidence.add_fix_attempt(&cause, worked);
                }
                // The session announces each command's outcome as one notice.
                self.commands.finished();
                self.printer.finished();
                self.transactions.finished();
                self.connecting = false;
                self.notify(text.clone());
            }
        }
        if let Ok(kb) = crate::guide::builtin() {
            if let Some(request) = self.guide.on_event(kb, event) {
                self.outbox.push(request);
            }
        }
    }

    /// The requests made since the last call (the loop sends them to the session).
    pub fn take_requests(&mut self) -> Vec<UiRequest> {
        std::mem::take(&mut self.outbox)
    }

    /// A success on the notice line has been read once the user does anything else: the next
    /// key takes it away (a warning stays until Esc, the next notice or the next run).
    pub(in crate::tui) fn key_pressed(&mut self) {
        if self
            .current_notice()
            .is_some_and(crate::event::is_done_notice)
        {
            self.notice_dismissed = true;
        }
    }

    /// Shows `text` on the notice line (until Esc, the next notice or the next check run).
    pub fn notify(&mut self, text: Text) {
        self.notices.push(text);
        if self.notices.len() > MAX_NOTICES {
            self.notices.remove(0);
        }
        self.notice_dismissed = false;
    }

    /// Advances the spinner; the loop calls this on its slow tick while [`Self::needs_tick`].
    pub fn tick(&mut self) {
        self.spinner = self.spinner.wrapping_add(1);
    }

    /// True while something animates, so the loop ticks only then.
    pub fn needs_tick(&self) -> bool {
        self.is_busy()
    }

    /// The Transactions tab.
    pub fn transactions(&self) -> &TxnView {
        &self.transactions
    }

    /// Reads host frames in the profile's `dialect` (before any frame arrives).
    pub fn set_host_dialect(&mut self, dialect: crate::proto::iso8583::Dialect) {
        self.transactions = TxnView::new(dialect);
    }

    pub fn command_menu(&self) -> &CommandMenu {
        &self.commands
    }

    /// The recovery action the spec suggests, with its cause: on the Guide tab at a fix step,
    /// for the cause being fixed; elsewhere for the selected check.
    pub fn suggested_command(&self) -> Option<(TerminalCommand, &str)> {
        if self.tab == Tab::Guide {
            return self.guide_fix_command();
        }
        self.checks.selected()?.result().and_then(recovery_for)
    }

    /// Tells the state the terminal's size (the loop does this before drawing).
    pub fn set_viewport(&mut self, area: Rect) {
        self.viewport = area;
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.tab = tab;
    }

    pub fn popup(&self) -> Option<Popup> {
        self.popup
    }

    pub fn config(&self) -> &UiConfig {
        &self.config
    }

    pub fn lang(&self) -> Lang {
        self.config.lang
    }

    /// Replaces the Connect tab's entries (e.g. after the ports were detected again).
    pub fn set_connect_entries(&mut self, entries: Vec<ConnectEntry>) {
        self.entries = entries;
        self.selected_entry = self
            .selected_entry
            .min(self.entries.len().saturating_sub(1));
    }

    pub fn connect_entries(&self) -> &[ConnectEntry] {
        &self.entries
    }

    pub fn selected_entry(&self) -> Option<usize> {
        (!self.entries.is_empty()).then(|| self.selected_entry.min(self.entries.len() - 1))
    }

    /// The state of `channel`'s link; `Disconnected` until the session said otherwise.
    pub fn link(&self, channel: Channel) -> &LinkState {
        static DISCONNECTED: LinkState = LinkState::Disconnected;
        self.links
            .iter()
            .find(|(c, _)| *c == channel)
            .map_or(&DISCONNECTED, |(_, s)| s)
    }

    pub fn checks(&self) -> &CheckTable {
        &self.checks
    }

    /// The results of the checks that finished, in list order.
    pub fn results(&self) -> impl Iterator<Item = &CheckResult> {
        self.checks.results()
    }

    pub fn log(&self) -> &FrameLog {
        &self.log
    }

    /// The notices kept, oldest first.
    pub fn notices(&self) -> &[Text] {
        &self.notices
    }

    /// The notice on the notice line, if one is showing.
    pub fn current_notice(&self) -> Option<&Text> {
        if self.notice_dismissed {
            None
        } else {
            self.notices.last()
        }
    }

    /// The key scopes that apply now, most specific first (a popup is modal).
    pub(in crate::tui) fn key_scopes(&self) -> Vec<Scope> {
        match self.popup {
            Some(Popup::Help) => vec![Scope::Help],
            Some(Popup::ConfirmQuit) => vec![Scope::Confirm],
            Some(Popup::Commands) => vec![Scope::Commands],
            Some(Popup::ConfirmCommand(_)) => vec![Scope::ConfirmCommand],
            Some(Popup::Notices) => vec![Scope::Notices],
            Some(Popup::Printer) => vec![Scope::Printer],
            Some(Popup::ConfirmPrinter(_)) => vec![Scope::ConfirmPrinter],
            Some(Popup::Txn(p)) => vec![Scope::Txn(p)],
            // Typed text, read by `input::connect` before the bindings.
            Some(Popup::Address) => Vec::new(),
            None => self.screen_scopes(),
        }
    }

    /// The key scopes of the screen under any popup, most specific first, `Global` last.
    pub(in crate::tui) fn screen_scopes(&self) -> Vec<Scope> {
        let mut scopes = self.guide_scopes();
        scopes.push(Scope::Tab(self.tab));
        if self.replay.is_some() {
            scopes.push(Scope::Replay);
        }
        scopes.push(Scope::Global);
        scopes
    }

    pub fn printer_panel(&self) -> &PrinterPanel {
        &self.printer
    }

    /// How many cells the Log tab has for text at the current terminal size.
    pub(in crate::tui) fn log_geometry(&self) -> LogGeometry {
        let inner = super::view::log_text_area(self.viewport, self.current_notice().is_some());
        LogGeometry {
            width: inner.width,
            rows: inner.height,
        }
    }
}

#[cfg(test)]
mod guide_tests;
#[cfg(test)]
mod tests;
