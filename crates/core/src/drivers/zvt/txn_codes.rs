//! ZVT's codes as terminal-layer facts: a result byte (BMP 27, Abort `06 1E`, `84 xx`) as a
//! [`TerminalResult`], and the meanings the guide and the verdict ask for (docs/protocols/zvt.md §7).

use crate::drivers::terminal::codes::{TerminalCode, TerminalResult};
use crate::drivers::terminal::protocol::TerminalProtocol;
use crate::i18n::Text;
use crate::proto::zvt::{result_code, TerminalStatus};

/// A ZVT code byte as a code: two hex digits.
pub fn code(byte: u8) -> TerminalCode {
    TerminalCode::new(TerminalProtocol::Zvt, &format!("{byte:02X}"))
}

/// The host code a ZVT result byte carries: 0x01–0x63 are host codes 01–99 passed through as
/// their value (0x33 is host code 51).
pub fn passed_through_code(result: u8) -> Option<String> {
    (0x01..=0x63)
        .contains(&result)
        .then(|| format!("{result:02}"))
}

/// A result byte: 00 is success; 9C ("please wait, repeat") is no failure.
pub fn result(byte: u8) -> TerminalResult {
    TerminalResult {
        code: code(byte),
        success: byte == 0,
        host_code: passed_through_code(byte),
        benign: byte == 0x9C,
    }
}

fn byte_of(code: &str) -> Option<u8> {
    u8::from_str_radix(code.trim(), 16).ok()
}

/// The terminal's text for a result code ("6C").
pub fn result_meaning(code: &str) -> Text {
    match byte_of(code) {
        Some(b) => result_code(b).text,
        None => Text::new(
            format!("未知结果码 {code}"),
            format!("unknown result code {code}"),
        ),
    }
}

/// The meaning of a terminal status byte ("BF").
pub fn status_meaning(code: &str) -> Text {
    match byte_of(code) {
        Some(b) => TerminalStatus::from_byte(b).meaning(),
        None => Text::new(
            format!("未知终端状态 {code}"),
            format!("unknown terminal status {code}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_codes_pass_through_as_their_value() {
        let r = result(0x33);
        assert_eq!(r.code.code, "33");
        assert_eq!(r.host_code.as_deref(), Some("51"));
        assert!(!r.success && !r.benign);
        assert!(result(0).success);
        assert!(result(0x9C).benign);
        assert_eq!(result(0x6C).host_code, None);
        assert_eq!(result_meaning("6c"), result_code(0x6C).text);
        assert!(result_meaning("zz").en.contains("zz"));
    }
}
