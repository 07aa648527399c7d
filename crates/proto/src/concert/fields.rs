//! The fixed-width ASCII fields Concert E/E+ messages are made of: reading them from a body
//! without panicking, and the errors that name the field that is wrong.

use crate::i18n::Text;
use crate::tr;

/// Why a frame body is not a Concert request or answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("the body is {got} bytes; a Concert {what} is {expected}")]
    Length {
        what: &'static str,
        got: usize,
        expected: &'static str,
    },
    #[error("byte {offset} is not printable ASCII")]
    NotAscii { offset: usize },
    #[error("field {field} (bytes {offset}..{end}) must be digits")]
    NotDigits {
        field: &'static str,
        offset: usize,
        end: usize,
    },
    #[error("field {field} must be {len} characters, got {got}")]
    Width {
        field: &'static str,
        len: usize,
        got: usize,
    },
    #[error("amount {cents} cents does not fit the 8-digit amount field")]
    AmountTooLarge { cents: u64 },
}

impl FieldError {
    pub fn text(&self) -> Text {
        match self {
            FieldError::Length {
                what,
                got,
                expected,
            } => tr!(
                "报文体为 {got} 字节；Concert {what} 应为 {expected} 字节",
                "the body is {got} bytes; a Concert {what} is {expected}"
            ),
            FieldError::NotAscii { offset } => tr!(
                "第 {offset} 字节不是可打印 ASCII 字符",
                "byte {offset} is not printable ASCII"
            ),
            FieldError::NotDigits { field, offset, end } => tr!(
                "字段 {field}（字节 {offset}..{end}）应为数字",
                "field {field} (bytes {offset}..{end}) must be digits"
            ),
            FieldError::Width { field, len, got } => tr!(
                "字段 {field} 应为 {len} 个字符，实际 {got} 个",
                "field {field} must be {len} characters, got {got}"
            ),
            FieldError::AmountTooLarge { cents } => tr!(
                "金额 {cents} 分超出 8 位金额字段",
                "amount {cents} cents does not fit the 8-digit amount field"
            ),
        }
    }
}

/// Checks a body is printable ASCII (Concert E/E+ bodies are; 7-bit lines cannot carry more).
pub(super) fn check_ascii(body: &[u8]) -> Result<&str, FieldError> {
    if let Some(offset) = body.iter().position(|b| !(0x20..0x7F).contains(b)) {
        return Err(FieldError::NotAscii { offset });
    }
    std::str::from_utf8(body).map_err(|e| FieldError::NotAscii {
        offset: e.valid_up_to(),
    })
}

/// A cursor over an ASCII body, handing out fixed-width fields.
pub(super) struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Cursor { text, at: 0 }
    }

    pub(super) fn take(&mut self, len: usize) -> &'a str {
        let end = self.at.saturating_add(len).min(self.text.len());
        let field = self.text.get(self.at..end).unwrap_or("");
        self.at = end;
        field
    }

    pub(super) fn digits(
        &mut self,
        field: &'static str,
        len: usize,
    ) -> Result<&'a str, FieldError> {
        let offset = self.at;
        let value = self.take(len);
        if value.len() != len || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::NotDigits {
                field,
                offset,
                end: offset + len,
            });
        }
        Ok(value)
    }

    pub(super) fn byte(&mut self) -> u8 {
        self.take(1).bytes().next().unwrap_or(b' ')
    }
}

/// Writes a field that must have exactly `len` characters.
pub(super) fn put(
    out: &mut Vec<u8>,
    field: &'static str,
    value: &str,
    len: usize,
) -> Result<(), FieldError> {
    if value.len() != len || !value.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return Err(FieldError::Width {
            field,
            len,
            got: value.chars().count(),
        });
    }
    out.extend_from_slice(value.as_bytes());
    Ok(())
}

/// Writes an amount in cents as 8 digits.
pub(super) fn put_amount(out: &mut Vec<u8>, cents: u64) -> Result<(), FieldError> {
    if cents > 99_999_999 {
        return Err(FieldError::AmountTooLarge { cents });
    }
    out.extend_from_slice(format!("{cents:08}").as_bytes());
    Ok(())
}

/// Reads 8 digits as cents.
pub(super) fn amount(cursor: &mut Cursor<'_>) -> Result<u64, FieldError> {
    let offset = cursor.at;
    let digits = cursor.digits("amount", 8)?;
    digits.parse().map_err(|_| FieldError::NotDigits {
        field: "amount",
        offset,
        end: offset + 8,
    })
}

/// An amount in cents as a technician reads it: 12.50.
pub fn format_amount(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// What the payment mode byte (request and answer) names.
pub fn payment_mode_name(mode: u8) -> Text {
    match mode {
        b'1' => Text::fixed("银行卡", "card"),
        b'C' => Text::fixed("支票", "cheque"),
        b'2' => Text::fixed("美国运通卡", "American Express"),
        b'3' => Text::same("Cetelem"),
        b'5' => Text::same("Cofinoga"),
        b'6' => Text::fixed("大来卡", "Diners"),
        b'8' => Text::same("Franfinance"),
        b'9' => Text::same("JCB"),
        b'A' => Text::same("Accord Finance"),
        b'O' => Text::same("Moneo"),
        b'U' => Text::fixed("银联卡", "China UnionPay"),
        b'F' => Text::same("Fintrax EMV"),
        b'0' => Text::fixed("其他", "other"),
        other => {
            let c = char::from(other);
            tr!("未知方式 '{c}'", "unknown mode '{c}'")
        }
    }
}

/// ISO 4217 numeric codes a technician meets most; others are shown as the number.
pub fn currency_name(numeric: &str) -> &'static str {
    match numeric {
        "978" => "EUR",
        "840" => "USD",
        "826" => "GBP",
        "756" => "CHF",
        "156" => "CNY",
        "344" => "HKD",
        "392" => "JPY",
        _ => "",
    }
}
