//! What came back from a terminal command: how it ended, the receipt lines and intermediate
//! statuses the terminal sent, the facts worth showing (masked), and a bilingual one-line
//! summary for the notice line and the capture.

use std::time::Duration;

use super::catalog::TerminalCommand;
use crate::drivers::zvt::{ChannelError, CommandFailure, CommandRecord, ZvtError};
use crate::event::FrameRecord;
use crate::i18n::Text;
use crate::proto::zvt::codes::result_code;
use crate::proto::zvt::message::{PtMessage, StatusInformation};
use crate::proto::zvt::redact::mask_pan_like_digits;
use crate::tr;

/// One thing the answer said, e.g. "terminal status: 00 PT ready".
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub label: Text,
    pub value: Text,
}

impl Fact {
    fn new(label: Text, value: Text) -> Self {
        Fact { label, value }
    }
}

/// How a command ended.
#[derive(Debug, Clone, PartialEq)]
pub enum CommandEnd {
    /// Completion `06 0F`; a result code other than 00 means it did not succeed.
    Completed { result_code: Option<u8> },
    /// The terminal aborted the command (`06 1E`).
    Aborted { result_code: u8 },
    /// The terminal acknowledged a command that ends there (Abort, Log-Off).
    Acknowledged,
    /// The terminal refused the command (`84 xx`).
    Refused { result_code: u8 },
    /// No usable answer, or the link failed.
    NoAnswer { reason: Text },
    /// The session has no terminal channel.
    NoTerminal,
    /// The terminal speaks another protocol (nexo, Concert): these are ZVT's commands.
    NotZvt { protocol: &'static str },
}

/// The outcome of one terminal command.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandOutcome {
    pub command: TerminalCommand,
    pub end: CommandEnd,
    /// Receipt lines sent to posdiag (`06 D1` / `06 D3`), PAN-like digit runs masked.
    pub print_lines: Vec<String>,
    /// Intermediate statuses (`04 FF`) in the order the terminal showed them.
    pub statuses: Vec<Text>,
    /// What the answer said: terminal status, TID, masked card number…
    pub facts: Vec<Fact>,
    /// The frames of the exchange (already redacted).
    pub frames: Vec<FrameRecord>,
    pub duration: Duration,
}

impl CommandOutcome {
    pub fn new(command: TerminalCommand, end: CommandEnd) -> Self {
        CommandOutcome {
            command,
            end,
            print_lines: Vec::new(),
            statuses: Vec::new(),
            facts: Vec::new(),
            frames: Vec::new(),
            duration: Duration::ZERO,
        }
    }

    /// Reads a finished exchange.
    pub fn from_record(command: TerminalCommand, record: CommandRecord) -> Self {
        let exchange = record.exchange;
        let end = match &exchange.end {
            PtMessage::Abort(a) => CommandEnd::Aborted {
                result_code: a.result_code,
            },
            PtMessage::Completion(c) => CommandEnd::Completed {
                result_code: c.result_code,
            },
            PtMessage::StatusEnquiryCompletion(_) => CommandEnd::Completed { result_code: None },
            // A card read ends with the Status-Information that carries the card.
            PtMessage::StatusInformation(info) => CommandEnd::Completed {
                result_code: info.result_code,
            },
            PtMessage::Ack => CommandEnd::Acknowledged,
            other => CommandEnd::NoAnswer {
                reason: tr!(
                    "终端以意外的报文结束：{other:?}",
                    "the terminal ended with an unexpected message: {other:?}"
                ),
            },
        };
        let mut outcome = CommandOutcome::new(command, end);
        outcome.read_messages(&exchange.messages);
        outcome.read_end(&exchange.end);
        outcome.frames = record.frames;
        outcome
    }

    /// Reads a command that did not complete.
    pub fn from_failure(command: TerminalCommand, failure: CommandFailure) -> Self {
        let end = match &failure.error {
            ChannelError::Zvt(ZvtError::Refused { result_code }) => CommandEnd::Refused {
                result_code: *result_code,
            },
            error => CommandEnd::NoAnswer {
                reason: failure_reason(error),
            },
        };
        let mut outcome = CommandOutcome::new(command, end);
        if let ChannelError::Zvt(ZvtError::NoCompletion { messages, .. }) = &failure.error {
            outcome.read_messages(messages);
        }
        outcome.frames = failure.frames;
        outcome
    }

    /// True when the terminal did what was asked.
    pub fn succeeded(&self) -> bool {
        match self.end {
            CommandEnd::Completed { result_code } => result_code.unwrap_or(0) == 0,
            CommandEnd::Acknowledged => true,
            _ => false,
        }
    }

    fn read_messages(&mut self, messages: &[PtMessage]) {
        for message in messages {
            match message {
                PtMessage::PrintLine(line) => self.print_lines.push(clean(&line.text)),
                PtMessage::PrintTextBlock(block) => {
                    self.print_lines
                        .extend(block.lines().iter().map(|l| clean(l)));
                }
                PtMessage::IntermediateStatus(status) => {
                    let info = status.info();
                    self.statuses.push(Text::new(
                        format!("{:02X} {}", info.code, info.text.zh),
                        format!("{:02X} {}", info.code, info.text.en),
                    ));
                }
                PtMessage::StatusInformation(info) => self.read_status_information(info),
                _ => {}
            }
        }
    }

    fn read_status_information(&mut self, info: &StatusInformation) {
        if let Some(pan) = info.card_number_masked() {
            self.facts.push(Fact::new(
                Text::fixed("卡号（已脱敏）", "card number (masked)"),
                Text::same(pan),
            ));
        }
        if let Some(expiry) = info.expiry_text() {
            self.facts.push(Fact::new(
                Text::fixed("有效期", "expiry"),
                Text::same(expiry),
            ));
        }
        if let Some(tid) = &info.tid {
            self.facts.push(Fact::new(
                Text::fixed("终端号", "terminal id"),
                Text::same(tid),
            ));
        }
    }

    fn read_end(&mut self, end: &PtMessage) {
        match end {
            PtMessage::StatusInformation(info) => self.read_status_information(info),
            PtMessage::StatusEnquiryCompletion(c) => {
                let status = c.terminal_status;
                let meaning = status.meaning();
                let code = status.to_byte();
                self.facts.push(Fact::new(
                    Text::fixed("终端状态", "terminal status"),
                    Text::new(
                        format!("{code:02X} {}", meaning.zh),
                        format!("{code:02X} {}", meaning.en),
                    ),
                ));
                if !status.is_ready() {
                    self.facts.push(Fact::new(
                        Text::fixed("恢复操作", "recovery"),
                        status.recovery(),
                    ));
                }
                if let Some(tid) = c.diagnostics().tid {
                    self.facts.push(Fact::new(
                        Text::fixed("终端号", "terminal id"),
                        Text::same(tid),
                    ));
                }
            }
            PtMessage::Completion(c) => {
                if let Some(tid) = &c.tid {
                    self.facts.push(Fact::new(
                        Text::fixed("终端号", "terminal id"),
                        Text::same(tid.clone()),
                    ));
                }
                if let Some(byte) = c.status_byte {
                    self.facts.push(Fact::new(
                        Text::fixed("状态字节", "status byte"),
                        status_byte_text(byte),
                    ));
                }
            }
            _ => {}
        }
    }

    /// One line for the notice and the capture: what ran and how it ended.
    pub fn summary(&self) -> Text {
        let title = self.command.title();
        let end = self.end_text();
        let mut zh = format!("{}：{}", title.zh, end.zh);
        let mut en = format!("{}: {}", title.en, end.en);
        if let Some(last) = self.statuses.last() {
            zh.push_str(&format!("；终端显示 {}", last.zh));
            en.push_str(&format!("; terminal showed {}", last.en));
        }
        for fact in &self.facts {
            zh.push_str(&format!("；{} {}", fact.label.zh, fact.value.zh));
            en.push_str(&format!("; {} {}", fact.label.en, fact.value.en));
        }
        if !self.print_lines.is_empty() {
            let n = self.print_lines.len();
            let lines = self
                .print_lines
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" | ");
            zh.push_str(&format!("；{n} 行凭条（见日志页）：{lines}"));
            en.push_str(&format!("; {n} receipt lines (see the Log tab): {lines}"));
        }
        let text = Text::new(zh, en);
        if self.succeeded() {
            crate::event::done_notice(text)
        } else {
            text
        }
    }

    fn end_text(&self) -> Text {
        match &self.end {
            CommandEnd::Completed { result_code } => match result_code.filter(|c| *c != 0) {
                None => Text::fixed("完成", "done"),
                Some(code) => {
                    let t = result_code_text(code);
                    Text::new(
                        format!("已结束，结果 {}", t.zh),
                        format!("finished with result {}", t.en),
                    )
                }
            },
            CommandEnd::Aborted { result_code } => {
                let t = result_code_text(*result_code);
                Text::new(
                    format!("终端中止了命令：{}", t.zh),
                    format!("the terminal aborted it: {}", t.en),
                )
            }
            CommandEnd::Acknowledged => Text::fixed("终端已确认", "acknowledged by the terminal"),
            CommandEnd::Refused { result_code } => {
                let t = result_code_text(*result_code);
                Text::new(
                    format!("终端拒绝了命令：{}", t.zh),
                    format!("the terminal refused it: {}", t.en),
                )
            }
            CommandEnd::NoAnswer { reason } => Text::new(
                format!("没有可用的应答：{}", reason.zh),
                format!("no usable answer: {}", reason.en),
            ),
            CommandEnd::NoTerminal => Text::fixed(
                "当前会话没有终端通道（先在连接页选择一个终端）",
                "this session has no terminal (choose one on the Connect tab first)",
            ),
            CommandEnd::NotZvt { protocol } => crate::tr!(
                "这些是 ZVT 终端的命令；此终端使用 {protocol}，未发送任何内容",
                "these are a ZVT terminal's commands; this terminal speaks {protocol}, nothing was sent"
            ),
        }
    }
}

/// The Registration completion's status byte (BMP 19, docs/protocols/zvt.md §6.1) with its set bits
/// named.
fn status_byte_text(byte: u8) -> Text {
    const BITS: [(u8, &str, &str); 5] = [
        (0x01, "需要初始化", "initialisation necessary"),
        (0x02, "需要诊断", "diagnosis necessary"),
        (0x04, "需要 OPT 操作", "OPT action necessary"),
        (0x08, "加油站模式", "filling-station mode"),
        (0x10, "自动售货机模式", "vending-machine mode"),
    ];
    let set: Vec<_> = BITS.iter().filter(|(bit, _, _)| byte & bit != 0).collect();
    if set.is_empty() {
        return Text::same(format!("{byte:02X}"));
    }
    let zh: Vec<&str> = set.iter().map(|(_, zh, _)| *zh).collect();
    let en: Vec<&str> = set.iter().map(|(_, _, en)| *en).collect();
    Text::new(
        format!("{byte:02X}（{}）", zh.join("，")),
        format!("{byte:02X} ({})", en.join(", ")),
    )
}

/// "83 function not possible" in both languages.
fn result_code_text(code: u8) -> Text {
    let info = result_code(code);
    Text::new(
        format!("{code:02X} {}", info.text.zh),
        format!("{code:02X} {}", info.text.en),
    )
}

/// A receipt line as text, with any PAN printed in clear masked.
fn clean(line: &str) -> String {
    let mut bytes = line.trim_end().as_bytes().to_vec();
    mask_pan_like_digits(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Why a command got no usable answer, in both languages.
fn failure_reason(error: &ChannelError) -> Text {
    error.text()
}

#[cfg(test)]
mod tests;
