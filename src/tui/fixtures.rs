//! Test data for the TUI tests, built from the real types (test-only).

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::buffer::Buffer;

use super::app::AppState;
use super::model::{CheckDescriptor, ConnectEntry, ConnectKind, UiConfig, UiMode};
use crate::checks::{Area, CheckResult, CheckStatus};
use crate::event::{Channel, Direction, Event, FrameRecord, LinkState};
use crate::i18n::{Lang, Text};

/// 2024-05-17 10:15:02.123 UTC plus `ms`.
pub fn at(ms: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(1_715_940_902_123 + ms)
}

pub fn frame(ms: u64, direction: Direction, hex: &str, summary: &str, error: bool) -> FrameRecord {
    FrameRecord {
        time: at(ms),
        channel: Channel::Terminal,
        direction,
        raw: hex::decode(hex.replace(' ', "")).expect("test hex"),
        summary: summary.to_string(),
        error,
        summary_zh: None,
    }
}

pub fn status_enquiry(ms: u64) -> FrameRecord {
    frame(
        ms,
        Direction::Tx,
        "05 01 03 04 00 00",
        "05 01 Status-Enquiry",
        false,
    )
}

pub fn ack(ms: u64) -> FrameRecord {
    frame(
        ms,
        Direction::Rx,
        "80 00 00",
        "80 00 positive acknowledgement",
        false,
    )
}

pub fn completion_reader_down(ms: u64) -> FrameRecord {
    frame(
        ms,
        Direction::Rx,
        "06 0F 01 E2",
        "06 0F Completion: terminal status E2 card reader not answering",
        false,
    )
}

/// A Status-Information long enough to wrap its hex at 80 columns.
pub fn status_information(ms: u64) -> FrameRecord {
    frame(
        ms,
        Direction::Rx,
        "04 0F 1C 27 00 04 00 00 00 00 12 34 0B 00 00 42 0C 10 15 02 0D 05 17 29 12 34 56 78 49 09 78",
        "04 0F Status-Information: result 00, amount 12.34 EUR, trace 000042",
        false,
    )
}

/// Serial bytes whose CRC does not match: a decode error, shown red.
pub fn bad_crc(ms: u64) -> FrameRecord {
    frame(
        ms,
        Direction::Rx,
        "10 02 06 0F 01 E2 10 03 00 00",
        "CRC mismatch: expected 4F 1B, got 00 00",
        true,
    )
}

pub fn config(lang: Lang) -> UiConfig {
    let mut config = UiConfig::new(lang, UiMode::Live, Text::same("zvt-serial"));
    config.capture_path = Some(PathBuf::from(
        "/home/tech/posdiag/captures/2024-05-17-shop-7-terminal.jsonl",
    ));
    config
}

pub fn entries() -> Vec<ConnectEntry> {
    vec![
        ConnectEntry {
            kind: ConnectKind::Port,
            title: Text::same("/dev/ttyUSB0"),
            detail: Text::new("USB 1A86:7523 WCH CH340，无序列号", "USB 1A86:7523 WCH CH340, no serial number"),
            warnings: vec![
                Text::fixed(
                    "CH340 没有序列号：重新插拔后设备名可能改变，请使用 /dev/serial/by-path。",
                    "CH340 has no serial number: the name can change after replugging; use /dev/serial/by-path.",
                ),
                Text::fixed(
                    "Ubuntu 22.04 上 brltty 会占用 CH340：请卸载 brltty。",
                    "On Ubuntu 22.04 brltty grabs CH340 ports: remove brltty.",
                ),
            ],
            ask: None,
        },
        ConnectEntry {
            kind: ConnectKind::Port,
            title: Text::same("/dev/ttyS0"),
            detail: Text::fixed("板载串口", "built-in serial port"),
            warnings: vec![],
            ask: None,
        },
        ConnectEntry {
            kind: ConnectKind::Profile,
            title: Text::same("zvt-serial"),
            detail: Text::fixed("终端 ZVT 串口 9600 8N1", "terminal ZVT serial 9600 8N1"),
            warnings: vec![],
            ask: None,
        },
        ConnectEntry {
            kind: ConnectKind::Demo,
            title: Text::fixed("内置演示 POS", "built-in demo POS"),
            detail: Text::fixed("模拟终端、打印机和主机", "simulated terminal, printer and host"),
            warnings: vec![],
            ask: None,
        },
    ]
}

pub fn descriptors() -> Vec<CheckDescriptor> {
    let d = |id: &str, area, zh: &'static str, en: &'static str| CheckDescriptor {
        id: id.to_string(),
        area,
        title: Text::fixed(zh, en),
    };
    vec![
        d("link.answers", Area::Link, "链路应答", "Link answers"),
        d("power.supply", Area::Power, "电源电压", "Power supply"),
        d(
            "reader.status",
            Area::Reader,
            "读卡器状态",
            "Card reader status",
        ),
        d(
            "terminal.status",
            Area::Terminal,
            "终端状态",
            "Terminal status",
        ),
        d("clock.skew", Area::Clock, "终端时钟", "Terminal clock"),
        d(
            "printer.status",
            Area::Printer,
            "打印机状态",
            "Printer status",
        ),
    ]
}

pub fn link_pass() -> CheckResult {
    let mut r = CheckResult::new(
        "link.answers",
        Area::Link,
        CheckStatus::Pass,
        Text::fixed(
            "终端在 120 毫秒内应答",
            "The terminal answers within 120 ms",
        ),
    )
    .with_evidence(Text::fixed("往返时间", "round trip"), "120ms");
    r.duration = Duration::from_millis(121);
    r
}

pub fn reader_fail() -> CheckResult {
    let mut r = CheckResult::new(
        "reader.status",
        Area::Reader,
        CheckStatus::Fail,
        Text::fixed(
            "读卡器无应答（终端状态 E2）",
            "Card reader not answering (terminal status E2)",
        ),
    )
    .with_evidence(
        Text::fixed("终端状态", "terminal status"),
        "E2 card reader not answering",
    )
    .with_evidence(
        Text::fixed("应答", "answer"),
        "06 0F Completion after 80 00 00",
    )
    .with_cause(crate::cause!("reader.not_answering"));
    r.frames = vec![status_enquiry(0), ack(40), completion_reader_down(230)];
    r.duration = Duration::from_micros(1_203_456);
    r
}

pub fn clock_warn() -> CheckResult {
    let mut r = CheckResult::new(
        "clock.skew",
        Area::Clock,
        CheckStatus::Warn,
        Text::fixed(
            "终端时钟快了 3 分 12 秒",
            "Terminal clock is 3 min 12 s ahead",
        ),
    )
    .with_evidence(Text::fixed("偏差", "skew"), "+3m 12s")
    .with_cause(crate::cause!("clock.wrong"));
    r.duration = Duration::from_millis(87);
    r
}

/// The terminal needs a diagnosis (status C2): its recovery, Diagnosis, is suggested.
pub fn terminal_needs_diagnosis() -> CheckResult {
    let mut r = CheckResult::new(
        "terminal.status",
        Area::Terminal,
        CheckStatus::Fail,
        Text::fixed(
            "终端需要诊断：执行诊断 (06 70)",
            "terminal requires a diagnosis: run Diagnosis (06 70)",
        ),
    )
    .with_evidence(
        Text::fixed("终端状态", "terminal status"),
        "C2 diagnosis required",
    )
    .with_cause(crate::cause!("terminal.diagnosis_required"));
    r.duration = Duration::from_millis(95);
    r
}

/// Selects the check `id` on the Checks tab with the keys a user would press (k to the top,
/// then j), whatever order the list is in.
pub fn select_check(s: &mut AppState, id: &str) {
    for _ in 0..s.checks().rows().len() {
        super::input::handle_key(s, ch('k'));
    }
    for _ in 0..s.checks().rows().len() {
        if s.checks().selected().map(|r| r.descriptor.id.as_str()) == Some(id) {
            return;
        }
        super::input::handle_key(s, ch('j'));
    }
    assert_eq!(
        s.checks().selected().map(|r| r.descriptor.id.as_str()),
        Some(id),
        "the check is in the list"
    );
}

/// After a run in which the terminal status failed with C2; that check is selected.
pub fn needs_diagnosis(lang: Lang) -> AppState {
    let mut s = after_run(lang);
    s.apply(&Event::CheckFinished(terminal_needs_diagnosis()));
    s.set_tab(super::app::Tab::Checks);
    select_check(&mut s, "terminal.status");
    s
}

pub fn connected() -> Event {
    Event::Link {
        channel: Channel::Terminal,
        state: LinkState::Connected {
            target: "/dev/ttyUSB0 9600 8N1".to_string(),
        },
    }
}

pub fn lost() -> Event {
    Event::Link {
        channel: Channel::Terminal,
        state: LinkState::Lost {
            target: "/dev/ttyUSB0".to_string(),
            reason: "device unplugged".to_string(),
        },
    }
}

pub fn state(lang: Lang) -> AppState {
    AppState::new(config(lang), entries(), descriptors())
}

/// A state after a run: link passed, reader failed, clock warned; the rest not run.
pub fn after_run(lang: Lang) -> AppState {
    let mut s = state(lang);
    s.apply(&connected());
    for result in [link_pass(), reader_fail(), clock_warn()] {
        s.apply(&Event::CheckStarted {
            id: result.id.clone(),
            area: result.area,
        });
        s.apply(&Event::CheckFinished(result));
    }
    s.apply(&Event::RunFinished {
        duration: Duration::from_millis(1_512),
    });
    s
}

/// A state with a check running (the reader) after the link passed.
pub fn while_running(lang: Lang) -> AppState {
    let mut s = state(lang);
    s.apply(&connected());
    s.apply(&Event::CheckStarted {
        id: "link.answers".to_string(),
        area: Area::Link,
    });
    s.apply(&Event::CheckFinished(link_pass()));
    s.apply(&Event::CheckStarted {
        id: "reader.status".to_string(),
        area: Area::Reader,
    });
    s
}

pub fn press(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn ch(c: char) -> KeyEvent {
    press(KeyCode::Char(c))
}

pub fn release(code: KeyCode) -> KeyEvent {
    KeyEvent::new_with_kind(code, KeyModifiers::NONE, KeyEventKind::Release)
}

/// The screen as text, one quoted line per row. Cells hidden behind a CJK character are skipped
/// (as a terminal shows them), unless something was drawn there, which is flagged.
pub fn screen(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    let mut out = String::new();
    for row in buffer.content.chunks(width.max(1)) {
        out.push('"');
        let mut skip = 0usize;
        let mut hidden = Vec::new();
        for (x, cell) in row.iter().enumerate() {
            if skip > 0 {
                if cell.symbol() != " " {
                    hidden.push((x, cell.symbol().to_string()));
                }
                skip -= 1;
                continue;
            }
            out.push_str(cell.symbol());
            skip = crate::i18n::display_width(cell.symbol()).saturating_sub(1);
        }
        out.push('"');
        if !hidden.is_empty() {
            out.push_str(&format!(" HIDDEN {hidden:?}"));
        }
        out.push('\n');
    }
    out
}
