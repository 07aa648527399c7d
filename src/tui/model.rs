//! What the outside hands the TUI ([`UiConfig`], [`ConnectEntry`], [`CheckDescriptor`]) and what
//! the TUI asks the outside to do ([`UiRequest`]).
//!
//! These types carry no ratatui types, so the CLI can build them from ports, profiles and the
//! check registry without knowing how they are drawn. The one session type here,
//! [`TerminalCommand`], is plain data: which command the user confirmed.

use std::path::PathBuf;
use std::time::SystemTime;

use time::UtcOffset;

use crate::checks::Area;
use crate::event::Event;
use crate::i18n::{Lang, Text};
use crate::proto::escpos::commands::Recovery;
use crate::session::{SafetyClass, TerminalCommand};

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
    /// What Enter asks for before connecting; `None` opens the entry as it is.
    pub ask: Option<ConnectAsk>,
}

/// Where a profile's device is, asked when the line is chosen: a profile's address is only
/// where that device usually is, and each shop's is different.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectAsk {
    /// HOST:PORT of a device on the network; `default` (the profile's address) is offered
    /// ready to edit.
    Tcp { default: String },
    /// A serial port, for a profile that names none; `default` is a detected port or empty.
    Serial { default: String },
}

impl ConnectAsk {
    /// What is offered before the user types anything.
    pub fn default_text(&self) -> &str {
        match self {
            ConnectAsk::Tcp { default } | ConnectAsk::Serial { default } => default,
        }
    }

    /// What to type, e.g. for the prompt's title.
    pub fn what(&self) -> Text {
        match self {
            ConnectAsk::Tcp { .. } => Text::fixed("地址 HOST:PORT", "address HOST:PORT"),
            ConnectAsk::Serial { .. } => {
                Text::fixed("串口（如 /dev/ttyUSB0）", "serial port (e.g. /dev/ttyUSB0)")
            }
        }
    }
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
    /// Open the connect entry with this index at the address (or port) the user typed.
    ConnectTo { index: usize, address: String },
    /// Send this command to the terminal; the user has confirmed it if it needs confirming.
    TerminalCommand(TerminalCommand),
    /// Do this to the receipt printer; the user has confirmed it.
    Printer(PrinterAction),
    /// Put this notice on the session's bus, so it is shown and recorded in the capture
    /// (e.g. how a fix attempt in the guide ended).
    RecordNotice(Text),
    /// Run this transaction command; the user has confirmed it.
    Transaction(crate::session::TxnRequest),
    /// The demo: repair the simulated fault with this id ("simulate the repair").
    SimulateRepair(String),
    /// The user quit; stop the session.
    Quit,
}

/// What the user can do to the receipt printer from the TUI; each asks for confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrinterAction {
    /// Print posdiag's test receipt (ASCII and Chinese lines, then a cut).
    TestPrint,
    /// DLE ENQ n: clear a recoverable error (cutter, jam) after its cause was removed.
    Recover(Recovery),
}

impl PrinterAction {
    /// The printer menu's lines, in order.
    pub const ALL: [PrinterAction; 3] = [
        PrinterAction::TestPrint,
        PrinterAction::Recover(Recovery::ClearBuffers),
        PrinterAction::Recover(Recovery::RestartFromErrorLine),
    ];

    pub fn title(self) -> Text {
        match self {
            PrinterAction::TestPrint => Text::fixed("测试打印", "Test print"),
            PrinterAction::Recover(Recovery::ResumeAfterPaperEnd) => Text::fixed(
                "纸尽后恢复联机（DLE ENQ 0）",
                "Resume after paper end (DLE ENQ 0)",
            ),
            PrinterAction::Recover(Recovery::RestartFromErrorLine) => Text::fixed(
                "恢复并从出错行重打（DLE ENQ 1）",
                "Recover, reprint line (DLE ENQ 1)",
            ),
            PrinterAction::Recover(Recovery::ClearBuffers) => Text::fixed(
                "恢复并清空缓冲区（DLE ENQ 2）",
                "Recover, clear buffers (DLE ENQ 2)",
            ),
        }
    }

    /// Paper comes out, or the printer's error state changes.
    pub fn safety(self) -> SafetyClass {
        match self {
            PrinterAction::TestPrint => SafetyClass::PhysicalOutput,
            PrinterAction::Recover(_) => SafetyClass::StateChanging,
        }
    }

    /// What it does, in a few words (the menu's second column).
    pub fn tag(self) -> Text {
        match self {
            PrinterAction::TestPrint => Text::fixed(
                "在商户的打印机上打印一张小票",
                "prints a receipt on the shop's printer",
            ),
            PrinterAction::Recover(_) => Text::fixed(
                "清除可恢复的打印机错误",
                "clears a recoverable printer error",
            ),
        }
    }

    /// Exactly what happens, for the confirmation.
    pub fn effect(self) -> Text {
        match self {
            PrinterAction::TestPrint => Text::fixed(
                "posdiag 先读取打印机状态；只有在线且无故障时，才打印一张测试小票（英文、中文 GB18030 各几行，然后切纸），并在打印后再读一次状态。会用掉一小段纸。",
                "posdiag reads the printer's status first and prints only when it is online with no fault: a test receipt (a few lines of ASCII and Chinese in GB18030, then a cut), followed by another status read. It uses a short length of paper.",
            ),
            PrinterAction::Recover(Recovery::ClearBuffers) => Text::fixed(
                "发送 DLE ENQ 2：打印机清空接收和打印缓冲区后从可恢复错误（切刀、卡纸）中恢复，设置保留；正在打印的小票不会再打出。请先排除故障原因（取出卡纸、合上盖子）。过热无需此操作，打印头冷却后会自动恢复。",
                "Sends DLE ENQ 2: the printer clears its receive and print buffers and recovers from a recoverable error (cutter, jam); settings are kept, the receipt being printed is not printed again. Remove the cause first (clear the jam, close the cover). Overheating needs none of this: the head recovers by itself when it cools.",
            ),
            PrinterAction::Recover(Recovery::ResumeAfterPaperEnd) => Text::fixed(
                "发送 DLE ENQ 0：纸尽停机并已装纸后，让打印机恢复联机（只有部分型号支持）。",
                "Sends DLE ENQ 0: after a paper-end stop and a new roll, the printer comes back online (some models only).",
            ),
            PrinterAction::Recover(Recovery::RestartFromErrorLine) => Text::fixed(
                "发送 DLE ENQ 1：打印机从可恢复错误（切刀、卡纸）中恢复，并从出错的那一行重新打印——中断的小票会再打出一部分。请先排除故障原因（取出卡纸、合上盖子）。",
                "Sends DLE ENQ 1: the printer recovers from a recoverable error (cutter, jam) and prints again from the line where the error occurred — part of the interrupted receipt comes out again. Remove the cause first (clear the jam, close the cover).",
            ),
        }
    }
}

/// One record of a capture as the replay sees it: when it was recorded and the event it
/// stands for.
#[derive(Debug, Clone)]
pub struct ReplayRecord {
    pub time: SystemTime,
    pub event: Event,
}

/// What a replay knows about its capture besides the records.
#[derive(Debug, Clone, Default)]
pub struct ReplaySource {
    /// When the capture was started: the time shown before the first record.
    pub start: Option<SystemTime>,
    /// Where reading stopped early (a truncated or corrupt capture), said as a notice.
    pub stopped: Option<Text>,
    /// Facts from the capture's header (profile, target, faults, versions), shown on the
    /// Connect tab as label and value.
    pub facts: Vec<(Text, String)>,
}
