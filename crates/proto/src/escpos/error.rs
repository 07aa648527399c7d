//! Errors of the ESC/POS codec: where in the input, what is wrong, what to do.
//!
//! Every error has a bilingual [`EscPosDecodeError::text`]; `Display` is its English half.

use serde::Serialize;
use thiserror::Error;

use super::bits::FixedBits;
use super::query::Query;
use crate::i18n::Text;
use crate::tr;

/// Why bytes could not be read as the expected ESC/POS reply. Offsets count from the start of
/// the input (or of the stream for the reply reader).
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum EscPosDecodeError {
    #[error("{}", self.text().en)]
    Empty,
    /// A status byte failed the fixed bits of the reply it should be.
    #[error("{}", self.text().en)]
    InvalidStatusByte {
        offset: usize,
        byte: u8,
        mask: u8,
        expected: u8,
        query: Query,
        /// Byte index inside the reply (0 for one-byte replies, 0–3 for ASB).
        index: u8,
    },
    #[error("{}", self.text().en)]
    WrongLength {
        query: Query,
        expected: usize,
        got: usize,
    },
    /// A GS I text reply must start with `5F`.
    #[error("{}", self.text().en)]
    MissingIdHeader {
        offset: usize,
        byte: u8,
        query: Query,
    },
    /// A GS I text reply ended before its terminating `00`.
    #[error("{}", self.text().en)]
    UnterminatedId { offset: usize, query: Query },
    /// A control byte inside a GS I text reply.
    #[error("{}", self.text().en)]
    InvalidIdByte {
        offset: usize,
        byte: u8,
        query: Query,
    },
    /// A GS I text reply longer than any printer sends.
    #[error("{}", self.text().en)]
    IdTooLong {
        offset: usize,
        limit: usize,
        query: Query,
    },
    /// The input holds no reply to the query at all.
    #[error("{}", self.text().en)]
    NoReply { query: Query, len: usize },
    /// The hex input could not be read.
    #[error("{}", self.text().en)]
    InvalidHex { position: usize, reason: String },
}

impl EscPosDecodeError {
    /// The message in both languages.
    pub fn text(&self) -> Text {
        match self {
            EscPosDecodeError::Empty => Text::fixed(
                "没有可解码的字节：请以十六进制给出应答字节，例如 12",
                "no bytes to decode: give the reply bytes as hex, e.g. 12",
            ),
            EscPosDecodeError::InvalidStatusByte {
                offset,
                byte,
                mask,
                expected,
                query,
                index,
            } => {
                let pattern = FixedBits::new(*mask, *expected).pattern();
                let name = query.name();
                let (part_zh, part_en) = match query {
                    Query::AutoStatusBack(_) => {
                        let n = u16::from(*index) + 1;
                        (format!("第 {n} 字节"), format!(" byte {n}"))
                    }
                    _ => (String::new(), String::new()),
                };
                let (zh, en) = (name.zh, name.en);
                tr!(
                    "偏移 {offset}：0x{byte:02X} 不是有效的 {zh}{part_zh}应答：固定位应为 {pattern}（掩码 0x{mask:02X} 下应为 0x{expected:02X}，实际 0x{:02X}）。可能是波特率不对、其他指令集（Star、Seiko）或是对另一条命令的应答",
                    "offset {offset}: 0x{byte:02X} is not a valid {en}{part_en} reply: fixed bits must read {pattern} (0x{expected:02X} under mask 0x{mask:02X}, got 0x{:02X}). Wrong baud rate, another dialect (Star, Seiko) or a reply to a different command",
                    byte & mask
                )
            }
            EscPosDecodeError::WrongLength {
                query,
                expected,
                got,
            } => {
                let name = query.name();
                let (zh, en) = (name.zh, name.en);
                tr!(
                    "{zh}的应答应为 {expected} 字节，实际 {got} 字节",
                    "a {en} reply is {expected} byte(s), got {got}"
                )
            }
            EscPosDecodeError::MissingIdHeader {
                offset,
                byte,
                query,
            } => {
                let name = query.name();
                let (zh, en) = (name.zh, name.en);
                tr!(
                    "偏移 {offset}：{zh}的文本应答应以 5F 开头，实际为 0x{byte:02X}",
                    "offset {offset}: a {en} text reply starts with 5F, got 0x{byte:02X}"
                )
            }
            EscPosDecodeError::UnterminatedId { offset, query } => {
                let name = query.name();
                let (zh, en) = (name.zh, name.en);
                tr!(
                    "偏移 {offset}：{zh}的文本应答缺少结尾的 00（数据被截断或超时）",
                    "offset {offset}: the {en} text reply has no terminating 00 (cut short or timed out)"
                )
            }
            EscPosDecodeError::InvalidIdByte {
                offset,
                byte,
                query,
            } => {
                let name = query.name();
                let (zh, en) = (name.zh, name.en);
                tr!(
                    "偏移 {offset}：{zh}的文本应答中出现控制字节 0x{byte:02X}，这不是文本应答",
                    "offset {offset}: control byte 0x{byte:02X} inside the {en} text reply; this is not a text reply"
                )
            }
            EscPosDecodeError::IdTooLong {
                offset,
                limit,
                query,
            } => {
                let name = query.name();
                let (zh, en) = (name.zh, name.en);
                tr!(
                    "偏移 {offset}：{zh}的文本应答超过 {limit} 字节仍无结尾 00，不是有效应答",
                    "offset {offset}: the {en} text reply runs past {limit} bytes without its 00; not a valid reply"
                )
            }
            EscPosDecodeError::NoReply { query, len } => {
                let name = query.name();
                let (zh, en) = (name.zh, name.en);
                tr!(
                    "这 {len} 个字节中没有 {zh}的应答（只有流控字节、ASB 或其他数据）",
                    "the {len} byte(s) hold no {en} reply (only flow control, ASB or other data)"
                )
            }
            EscPosDecodeError::InvalidHex { position, reason } => tr!(
                "第 {position} 个字符处的十六进制无效：{reason}",
                "invalid hex at character {position}: {reason}"
            ),
        }
    }

    /// The same error with its offset moved by `by` (a reply found inside a longer stream).
    pub fn shifted(self, by: usize) -> Self {
        match self {
            EscPosDecodeError::InvalidStatusByte {
                offset,
                byte,
                mask,
                expected,
                query,
                index,
            } => EscPosDecodeError::InvalidStatusByte {
                offset: offset.saturating_add(by),
                byte,
                mask,
                expected,
                query,
                index,
            },
            EscPosDecodeError::MissingIdHeader {
                offset,
                byte,
                query,
            } => EscPosDecodeError::MissingIdHeader {
                offset: offset.saturating_add(by),
                byte,
                query,
            },
            EscPosDecodeError::UnterminatedId { offset, query } => {
                EscPosDecodeError::UnterminatedId {
                    offset: offset.saturating_add(by),
                    query,
                }
            }
            EscPosDecodeError::InvalidIdByte {
                offset,
                byte,
                query,
            } => EscPosDecodeError::InvalidIdByte {
                offset: offset.saturating_add(by),
                byte,
                query,
            },
            EscPosDecodeError::IdTooLong {
                offset,
                limit,
                query,
            } => EscPosDecodeError::IdTooLong {
                offset: offset.saturating_add(by),
                limit,
                query,
            },
            other => other,
        }
    }
}

/// Why a command could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandError {
    /// DLE DC4 fn 1 pulse time t must be 1–8 (× 100 ms).
    #[error("{}", self.text().en)]
    PulseOutOfRange { units: u8 },
}

impl CommandError {
    pub fn text(&self) -> Text {
        match self {
            CommandError::PulseOutOfRange { units } => tr!(
                "钱箱脉冲时间 t={units} 超出范围：t 必须为 1–8（每单位 100 ms）",
                "drawer pulse time t={units} is out of range: t must be 1–8 (units of 100 ms)"
            ),
        }
    }
}
