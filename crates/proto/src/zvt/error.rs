//! Errors of the ZVT codec: where decoding stopped (byte offset) and why, in zh and en.

use serde::Serialize;

use crate::i18n::Text;
use crate::tr;

/// Decoding failed at `offset` (counted from the first byte of the APDU, or of the serial frame
/// for framing errors) because of `reason`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("offset {offset}: {reason}")]
pub struct ZvtDecodeError {
    pub offset: usize,
    pub reason: DecodeReason,
}

impl ZvtDecodeError {
    pub fn new(offset: usize, reason: DecodeReason) -> Self {
        ZvtDecodeError { offset, reason }
    }

    /// The same message in zh and en.
    pub fn text(&self) -> Text {
        let reason = self.reason.text();
        let offset = self.offset;
        Text::new(
            format!("偏移 {offset}：{}", reason.zh),
            format!("offset {offset}: {}", reason.en),
        )
    }
}

/// Why decoding stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum DecodeReason {
    #[error("no bytes to decode")]
    Empty,
    #[error("{} needs {needed} bytes but only {available} are left (message cut short?)", .what.en)]
    Truncated {
        what: Text,
        needed: usize,
        available: usize,
    },
    #[error("{extra} extra byte(s) after the {} (length byte wrong?)", .what.en)]
    TrailingBytes { what: Text, extra: usize },
    #[error("BMP 0x{tag:02X} is unknown; its length is unknown, so nothing after it can be read")]
    UnknownBmp { tag: u8 },
    #[error("BMP 0x{tag:02X} {kind} length byte 0x{byte:02X} is not Fx")]
    BadVarLength {
        tag: u8,
        kind: &'static str,
        byte: u8,
    },
    #[error("TLV length byte 0x{byte:02X} is invalid (allowed: 00-7F, 81 nn, 82 hh ll)")]
    BadTlvLength { byte: u8 },
    #[error("TLV tag is longer than {limit} bytes")]
    TlvTagTooLong { limit: usize },
    #[error("TLV nesting is deeper than {limit} levels")]
    TlvTooDeep { limit: usize },
    #[error("APDU data length {len} exceeds the limit of {limit} bytes")]
    TooLarge { len: usize, limit: usize },
    #[error("{} is not BCD", .what.en)]
    NotBcd { what: Text },
    #[error("not a ZVT serial frame: does not start with DLE STX (10 02)")]
    NoFrameStart,
    #[error("serial frame has no end: DLE ETX (10 03) and 2 CRC bytes missing")]
    NoFrameEnd,
    #[error(
        "DLE (10) followed by 0x{byte:02X} inside the frame; only 10 10 and 10 03 are allowed"
    )]
    BadDleSequence { byte: u8 },
    #[error("CRC mismatch: computed 0x{expected:04X}, frame carries 0x{got:04X} (line noise or wrong framing)")]
    BadCrc { expected: u16, got: u16 },
    #[error("expected {expected}, got {class:02X} {instr:02X}")]
    UnexpectedMessage {
        expected: &'static str,
        class: u8,
        instr: u8,
    },
    #[error("{}", .detail.en)]
    Invalid { detail: Text },
}

impl DecodeReason {
    /// The reason in zh and en.
    pub fn text(&self) -> Text {
        match self {
            DecodeReason::Empty => Text::fixed("没有可解码的字节", "no bytes to decode"),
            DecodeReason::Truncated {
                what,
                needed,
                available,
            } => Text::new(
                format!(
                    "{} 需要 {needed} 字节，只剩 {available} 字节（报文被截断？）",
                    what.zh
                ),
                self.to_string(),
            ),
            DecodeReason::TrailingBytes { what, extra } => Text::new(
                format!("{} 之后多出 {extra} 字节（长度字节错误？）", what.zh),
                self.to_string(),
            ),
            DecodeReason::UnknownBmp { tag } => Text::new(
                format!("未知 BMP 0x{tag:02X}：长度未知，之后的内容无法读取"),
                self.to_string(),
            ),
            DecodeReason::BadVarLength { tag, kind, byte } => Text::new(
                format!("BMP 0x{tag:02X} 的 {kind} 长度字节 0x{byte:02X} 不是 Fx 形式"),
                self.to_string(),
            ),
            DecodeReason::BadTlvLength { byte } => Text::new(
                format!("TLV 长度字节 0x{byte:02X} 无效（允许 00-7F、81 nn、82 hh ll）"),
                self.to_string(),
            ),
            DecodeReason::TlvTagTooLong { limit } => {
                tr!(
                    "TLV 标签超过 {limit} 字节",
                    "TLV tag is longer than {limit} bytes"
                )
            }
            DecodeReason::TlvTooDeep { limit } => {
                tr!(
                    "TLV 嵌套超过 {limit} 层",
                    "TLV nesting is deeper than {limit} levels"
                )
            }
            DecodeReason::TooLarge { len, limit } => tr!(
                "APDU 数据长度 {len} 超过上限 {limit} 字节",
                "APDU data length {len} exceeds the limit of {limit} bytes"
            ),
            DecodeReason::NotBcd { what } => {
                Text::new(format!("{} 不是 BCD 编码", what.zh), self.to_string())
            }
            DecodeReason::NoFrameStart => Text::new(
                "不是 ZVT 串口帧：没有以 DLE STX (10 02) 开头",
                self.to_string(),
            ),
            DecodeReason::NoFrameEnd => Text::new(
                "串口帧没有结尾：缺少 DLE ETX (10 03) 和 2 个 CRC 字节",
                self.to_string(),
            ),
            DecodeReason::BadDleSequence { byte } => Text::new(
                format!("帧内 DLE (10) 后跟 0x{byte:02X}；只允许 10 10 和 10 03"),
                self.to_string(),
            ),
            DecodeReason::BadCrc { expected, got } => Text::new(
                format!(
                    "CRC 不符：计算值 0x{expected:04X}，帧中为 0x{got:04X}（线路干扰或帧格式错误）"
                ),
                self.to_string(),
            ),
            DecodeReason::UnexpectedMessage {
                expected,
                class,
                instr,
            } => Text::new(
                format!("应为 {expected}，收到 {class:02X} {instr:02X}"),
                self.to_string(),
            ),
            DecodeReason::Invalid { detail } => detail.clone(),
        }
    }
}

/// Encoding failed: a value does not fit its ZVT field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZvtEncodeError {
    #[error("APDU data of {len} bytes is longer than 65535, the ZVT maximum")]
    ApduTooLong { len: usize },
    #[error("{field} value of {len} bytes is longer than the maximum {max}")]
    FieldTooLong {
        field: String,
        len: usize,
        max: usize,
    },
    #[error("{field} must be {expected}, got '{value}'")]
    InvalidValue {
        field: String,
        expected: &'static str,
        value: String,
    },
    #[error("BMP 0x{tag:02X} is not in the BMP table; it cannot be encoded")]
    UnknownBmp { tag: u8 },
}

impl ZvtEncodeError {
    /// The same message in zh and en.
    pub fn text(&self) -> Text {
        let en = self.to_string();
        let zh = match self {
            ZvtEncodeError::ApduTooLong { len } => {
                format!("APDU 数据 {len} 字节，超过 ZVT 上限 65535")
            }
            ZvtEncodeError::FieldTooLong { field, len, max } => {
                format!("{field} 的值 {len} 字节，超过上限 {max}")
            }
            ZvtEncodeError::InvalidValue {
                field,
                expected,
                value,
            } => format!("{field} 必须是 {expected}，实际为 '{value}'"),
            ZvtEncodeError::UnknownBmp { tag } => {
                format!("BMP 0x{tag:02X} 不在 BMP 表中，无法编码")
            }
        };
        Text::new(zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_offset_and_tag() {
        let e = ZvtDecodeError::new(
            5,
            DecodeReason::BadVarLength {
                tag: 0x22,
                kind: "LLVAR",
                byte: 0x3A,
            },
        );
        assert_eq!(
            e.to_string(),
            "offset 5: BMP 0x22 LLVAR length byte 0x3A is not Fx"
        );
        assert!(e.text().zh.contains("偏移 5"));
    }
}
