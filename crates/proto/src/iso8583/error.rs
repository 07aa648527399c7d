//! Why a message could not be decoded or encoded: the part (or field number), the byte offset
//! where decoding stopped, and what to do, in English (Display) and both languages (`text`).

use serde::Serialize;

use crate::i18n::Text;

/// Which part of a message an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "part", content = "field")]
pub enum Part {
    LengthPrefix,
    Tpdu,
    MonitorBlock,
    Header,
    Mti,
    Bitmap,
    /// The length prefix of a field.
    FieldLength(u8),
    /// The content of a field.
    Field(u8),
}

impl Part {
    pub fn text(self) -> Text {
        match self {
            Part::LengthPrefix => Text::fixed("长度前缀", "length prefix"),
            Part::Tpdu => Text::fixed("TPDU", "TPDU"),
            Part::MonitorBlock => Text::fixed("拨号监控数据", "monitor block"),
            Part::Header => Text::fixed("报文头", "header"),
            Part::Mti => Text::fixed("消息类型", "MTI"),
            Part::Bitmap => Text::fixed("位图", "bitmap"),
            Part::FieldLength(n) => {
                Text::new(format!("域 {n} 的长度"), format!("length of field {n}"))
            }
            Part::Field(n) => Text::new(format!("域 {n}"), format!("field {n}")),
        }
    }

    /// The field number, when the part belongs to a field.
    pub fn field(self) -> Option<u8> {
        match self {
            Part::FieldLength(n) | Part::Field(n) => Some(n),
            _ => None,
        }
    }
}

/// Decoding stopped; `offset` is the byte position in the input where it stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DecodeError {
    #[error("{} at offset {offset} needs {needed} bytes but only {available} are left: the message is cut short or the dialect (profile) does not match", part.text().en)]
    Truncated {
        part: Part,
        offset: usize,
        needed: usize,
        available: usize,
    },
    #[error("length prefix at offset {offset} is not 4 ASCII digits ({found}): check the profile's length_prefix")]
    BadLengthPrefix { offset: usize, found: String },
    #[error(
        "MTI at offset {offset} is not 4 digits ({found}): check TPDU/header length in the profile"
    )]
    BadMti { offset: usize, found: String },
    #[error("length of field {field} at offset {offset} is not BCD ({found}): the previous field or the dialect is probably wrong")]
    BadFieldLength {
        field: u8,
        offset: usize,
        found: String,
    },
    #[error("field {field} at offset {offset} says {length} but at most {max} is allowed: the dialect (profile) does not match")]
    FieldTooLong {
        field: u8,
        offset: usize,
        length: usize,
        max: usize,
    },
    #[error("field {field} (offset {offset}) is set in the bitmap but the dialect has no spec for it: add a field override to the profile")]
    UndefinedField { field: u8, offset: usize },
}

impl DecodeError {
    /// Byte offset in the input where decoding stopped.
    pub fn offset(&self) -> usize {
        match self {
            DecodeError::Truncated { offset, .. }
            | DecodeError::BadLengthPrefix { offset, .. }
            | DecodeError::BadMti { offset, .. }
            | DecodeError::BadFieldLength { offset, .. }
            | DecodeError::FieldTooLong { offset, .. }
            | DecodeError::UndefinedField { offset, .. } => *offset,
        }
    }

    /// The field decoding stopped in, if it stopped in a field.
    pub fn field(&self) -> Option<u8> {
        match self {
            DecodeError::Truncated { part, .. } => part.field(),
            DecodeError::BadFieldLength { field, .. }
            | DecodeError::FieldTooLong { field, .. }
            | DecodeError::UndefinedField { field, .. } => Some(*field),
            _ => None,
        }
    }

    /// The error in both languages.
    pub fn text(&self) -> Text {
        let zh = match self {
            DecodeError::Truncated {
                part,
                offset,
                needed,
                available,
            } => format!(
                "{}（偏移 {offset}）需要 {needed} 字节，但只剩 {available} 字节：报文被截断或方言（配置）不匹配",
                part.text().zh
            ),
            DecodeError::BadLengthPrefix { offset, found } => {
                format!("偏移 {offset} 处的长度前缀不是 4 位 ASCII 数字（{found}）：请检查配置的 length_prefix")
            }
            DecodeError::BadMti { offset, found } => {
                format!("偏移 {offset} 处的消息类型不是 4 位数字（{found}）：请检查配置的 TPDU/报文头长度")
            }
            DecodeError::BadFieldLength {
                field,
                offset,
                found,
            } => format!("域 {field} 的长度（偏移 {offset}）不是 BCD（{found}）：前一个域或方言可能有误"),
            DecodeError::FieldTooLong {
                field,
                offset,
                length,
                max,
            } => format!("域 {field}（偏移 {offset}）长度为 {length}，最多允许 {max}：方言（配置）不匹配"),
            DecodeError::UndefinedField { field, offset } => format!(
                "位图中有域 {field}（偏移 {offset}），但方言没有它的定义：请在配置中添加域覆盖"
            ),
        };
        Text::new(zh, self.to_string())
    }
}

/// What kind of value a field spec wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Digits,
    Text,
    Binary,
}

/// A message could not be encoded with this dialect.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("MTI '{mti}' is not 4 digits")]
    BadMti { mti: String },
    #[error("field {field} cannot be sent: field numbers run from 2 to 128")]
    BadFieldNumber { field: u8 },
    #[error("field {field} has no spec in this dialect: add a field override to the profile")]
    UndefinedField { field: u8 },
    #[error("field {field} needs a {expected:?} value, got {got:?}")]
    WrongValueKind {
        field: u8,
        expected: ValueKind,
        got: ValueKind,
    },
    #[error("field {field}: character {index} ('{ch}') cannot be packed as BCD")]
    BadDigit { field: u8, index: usize, ch: char },
    #[error("field {field}: text contains characters that {charset} cannot encode")]
    BadText { field: u8, charset: &'static str },
    #[error("field {field} must be exactly {expected} long, got {got}")]
    WrongLength {
        field: u8,
        expected: usize,
        got: usize,
    },
    #[error("field {field} is {got} long, at most {max} allowed")]
    TooLong { field: u8, got: usize, max: usize },
    #[error("header is {got} bytes but the dialect says {expected}")]
    HeaderLength { expected: usize, got: usize },
    #[error("message is {length} bytes, more than the length prefix can express ({max})")]
    MessageTooLong { length: usize, max: usize },
}

impl EncodeError {
    /// The error in both languages.
    pub fn text(&self) -> Text {
        let zh = match self {
            EncodeError::BadMti { mti } => format!("消息类型 '{mti}' 不是 4 位数字"),
            EncodeError::BadFieldNumber { field } => {
                format!("域 {field} 无法发送：域号范围为 2–128")
            }
            EncodeError::UndefinedField { field } => {
                format!("方言中没有域 {field} 的定义：请在配置中添加域覆盖")
            }
            EncodeError::WrongValueKind {
                field,
                expected,
                got,
            } => format!("域 {field} 需要 {expected:?} 类型的值，实际为 {got:?}"),
            EncodeError::BadDigit { field, index, ch } => {
                format!("域 {field}：第 {index} 个字符（'{ch}'）不能压缩为 BCD")
            }
            EncodeError::BadText { field, charset } => {
                format!("域 {field}：文本中有 {charset} 无法编码的字符")
            }
            EncodeError::WrongLength {
                field,
                expected,
                got,
            } => format!("域 {field} 长度必须为 {expected}，实际为 {got}"),
            EncodeError::TooLong { field, got, max } => {
                format!("域 {field} 长度为 {got}，最多允许 {max}")
            }
            EncodeError::HeaderLength { expected, got } => {
                format!("报文头为 {got} 字节，但方言规定为 {expected} 字节")
            }
            EncodeError::MessageTooLong { length, max } => {
                format!("报文长 {length} 字节，超过长度前缀可表示的上限 {max}")
            }
        };
        Text::new(zh, self.to_string())
    }
}

/// Something odd that did not stop decoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DecodeWarning {
    /// The length prefix disagrees with the bytes present.
    LengthMismatch { declared: usize, actual: usize },
    /// Bytes after the last field (inside the declared length or beyond it).
    TrailingBytes { offset: usize, count: usize },
}

impl DecodeWarning {
    pub fn text(&self) -> Text {
        match self {
            DecodeWarning::LengthMismatch { declared, actual } => Text::new(
                format!("长度前缀为 {declared}，实际有 {actual} 字节"),
                format!("length prefix says {declared} but {actual} bytes follow"),
            ),
            DecodeWarning::TrailingBytes { offset, count } => Text::new(
                format!("最后一个域之后（偏移 {offset}）还有 {count} 字节"),
                format!("{count} bytes after the last field (offset {offset})"),
            ),
        }
    }
}
