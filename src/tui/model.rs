//! What the outside hands the TUI ([`UiConfig`], [`ConnectEntry`], [`CheckDescriptor`]) and what
//! the TUI asks the outside to do ([`UiRequest`]).
//!
//! These types carry no ratatui types, so the CLI can build them from ports, profiles and the
//! check registry without knowing how they are drawn. The one session type here,
//! [`TerminalCommand`], is plain data: which command the user confirmed.

use std::path::PathBuf;

use time::UtcOffset;

use crate::checks::Area;
use crate::i18n::{Lang, Text};
use crate::session::TerminalCommand;

/// How posdiag is attached to devices; decides the header badge and which keys are live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiMode {
    /// Real devices over serial or TCP.
    Live,
    /// The built-in simulated POS.
    Demo,
    /// A capture being read back: nothing can be run.
    Replay,
    /// `posdiag tap`: watching someone else's traffic; nothing can be run.
    Tap,
}

impl UiMode {
    /// The badge shown in the header.
    pub fn label(self) -> Text {
        match self {
            UiMode::Live => Text::fixed("实时", "LIVE"),
            UiMode::Demo => Text::fixed("演示", "DEMO"),
            UiMode::Replay => Text::fixed("回放 只读", "REPLAY read-only"),
            UiMode::Tap => Text::fixed("旁路监听 只读", "TAP watch only"),
        }
    }

    /// True when checks can be started (not when reading a capture back).
    pub fn can_run_checks(self) -> bool {
        !matches!(self, UiMode::Replay | UiMode::Tap)
    }
}

/// Fixed settings of one TUI session.
#[derive(Debug, Clone, PartialEq)]
pub struct UiConfig {
    pub lang: Lang,
    /// Where the session is recorded; shown in the status bar.
    pub capture_path: Option<PathBuf>,
    pub mode: UiMode,
    /// Profile name or what is being replayed, shown in the header.
    pub title: Text,
    /// Offset used to show frame times. Determine it with `UtcOffset::current_local_offset()`
    /// before any thread is spawned (the `time` crate refuses later on some platforms).
    pub utc_offset: UtcOffset,
    /// False when `NO_COLOR` is set: meaning then rests on words and bold/reverse alone.
    pub color: bool,
}

impl UiConfig {
    /// A configuration with no capture, UTC times and colours on.
    pub fn new(lang: Lang, mode: UiMode, title: Text) -> Self {
        UiConfig {
            lang,
            capture_path: None,
            mode,
            title,
            utc_offset: UtcOffset::UTC,
            color: true,
        }
    }
}

/// What a line on the Connect tab opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectKind {
    /// A detected serial port.
    Port,
    /// A saved profile (channels, link settings, host dialect).
    Profile,
    /// The built-in simulated POS.
    Demo,
}

impl ConnectKind {
    pub fn label(self) -> Text {
        match self {
            ConnectKind::Port => Text::fixed("端口", "port"),
            ConnectKind::Profile => Text::fixed("配置", "profile"),
            ConnectKind::Demo => Text::fixed("演示", "demo"),
        }
    }
}

/// One line on the Connect tab.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectEntry {
    pub kind: ConnectKind,
    /// e.g. "/dev/ttyUSB0" or the profile name.
    pub title: Text,
    /// e.g. "USB 1a86:7523 CH340" or the profile's channels.
    pub detail: Text,
    /// Known pitfalls of this port or profile, shown under it.
    pub warnings: Vec<Text>,
}

/// A check the session can run, known before it ran so the Checks tab can list it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckDescriptor {
    /// Stable id, `area.name` (same as `CheckResult::id`).
    pub id: String,
    pub area: Area,
    pub title: Text,
}

/// What the TUI asks the outside (the session) to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiRequest {
    /// Run every check of the profile.
    RunAllChecks,
    /// Run one check by id.
    RunCheck(String),
    /// Open the connect entry with this index (into the list given to `AppState::new`).
    Connect(usize),
    /// Send this command to the terminal; the user has confirmed it if it needs confirming.
    TerminalCommand(TerminalCommand),
    /// Run this transaction command; the user has confirmed it.
    Transaction(crate::session::TxnRequest),
    /// The user quit; stop the session.
    Quit,
}
