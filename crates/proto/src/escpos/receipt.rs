//! A small receipt builder for the test print: ASCII and Chinese lines, Chinese encoded as
//! GB18030 bytes (docs/protocols/escpos.md §10), with the character mode switched by `FS &` /
//! `FS .`.
//!
//! Chinese-market printers start in Chinese mode and Epson printers do not, and `ESC @` returns
//! to the printer's own default, so the builder treats the mode as unknown after `ESC @` and
//! sends `FS &` before the first non-ASCII line. ASCII prints the same in either mode.

use super::commands::{CANCEL_CHINESE_MODE, ESC, GS, INITIALISE, SELECT_CHINESE_MODE};

const LF: u8 = 0x0A;

/// The character mode the printer is in, as far as the builder knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharacterMode {
    Unknown,
    /// `FS &` sent: bytes ≥ 0x80 are double-byte (GB) codes.
    Chinese,
    /// `FS .` sent: bytes ≥ 0x80 come from the single-byte code page.
    SingleByte,
}

/// How the paper is cut at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// `GS V 65 0`: feed to the cutting position, full cut.
    Full,
    /// `GS V 66 0`: feed to the cutting position, partial cut.
    Partial,
}

/// Builds the bytes of a receipt, starting with `ESC @`.
#[derive(Debug, Clone)]
pub struct Receipt {
    bytes: Vec<u8>,
    mode: CharacterMode,
}

impl Default for Receipt {
    fn default() -> Self {
        Self::new()
    }
}

impl Receipt {
    pub fn new() -> Self {
        Receipt {
            bytes: INITIALISE.to_vec(),
            mode: CharacterMode::Unknown,
        }
    }

    pub fn mode(&self) -> CharacterMode {
        self.mode
    }

    /// One line of text: ASCII as is; anything else in Chinese mode as GB18030 (which encodes
    /// every Unicode character, 2 or 4 bytes). Control characters become spaces so text can
    /// never smuggle in a command.
    pub fn line(&mut self, text: &str) -> &mut Self {
        let clean: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if !clean.is_ascii() && self.mode != CharacterMode::Chinese {
            self.bytes.extend_from_slice(&SELECT_CHINESE_MODE);
            self.mode = CharacterMode::Chinese;
        }
        let (encoded, _, _) = encoding_rs::GB18030.encode(&clean);
        self.bytes.extend_from_slice(&encoded);
        self.bytes.push(LF);
        self
    }

    /// One line in a single-byte code page (`ESC t n`), after `FS .` leaves Chinese mode.
    /// Control bytes become spaces.
    pub fn code_page_line(&mut self, code_page: u8, text: &[u8]) -> &mut Self {
        if self.mode != CharacterMode::SingleByte {
            self.bytes.extend_from_slice(&CANCEL_CHINESE_MODE);
            self.mode = CharacterMode::SingleByte;
        }
        self.bytes.extend_from_slice(&[ESC, b't', code_page]);
        self.bytes.extend(
            text.iter()
                .map(|&b| if b < 0x20 || b == 0x7F { b' ' } else { b }),
        );
        self.bytes.push(LF);
        self
    }

    /// `ESC d n`: print and feed n lines.
    pub fn feed(&mut self, lines: u8) -> &mut Self {
        self.bytes.extend_from_slice(&[ESC, b'd', lines]);
        self
    }

    /// `GS V m 0`: feed to the cutting position and cut.
    pub fn cut(&mut self, cut: Cut) -> &mut Self {
        let m = match cut {
            Cut::Full => 65,
            Cut::Partial => 66,
        };
        self.bytes.extend_from_slice(&[GS, b'V', m, 0]);
        self
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// The Chinese test line, so tests and the check can look for its bytes.
pub const TEST_CHINESE_LINE: &str = "中文：打印机测试 收银 结算";
/// A character that is 4 bytes in GB18030 (`81 30 84 36`) and not in GBK: printers that only
/// handle the 2-byte area print it garbled (§10).
pub const TEST_FOUR_BYTE_LINE: &str = "GB18030 4-byte: ¥";

/// The posdiag test print: ASCII, Chinese and a 4-byte GB18030 character, then a partial cut.
/// `stamp` (time, profile, …) is printed as its own line.
pub fn test_receipt(stamp: &str) -> Vec<u8> {
    let mut r = Receipt::new();
    r.line("posdiag test print")
        .line("打印测试")
        .line("ASCII: ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        .line("abcdefghijklmnopqrstuvwxyz 0123456789")
        .line(TEST_CHINESE_LINE)
        .line(TEST_FOUR_BYTE_LINE)
        .line(stamp)
        .feed(3)
        .cut(Cut::Partial);
    r.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_switches_mode_once() {
        let mut r = Receipt::new();
        r.line("abc").line("打印").line("机");
        let b = r.bytes();
        assert_eq!(&b[..2], &INITIALISE);
        let fs_amp = b.windows(2).filter(|w| *w == SELECT_CHINESE_MODE).count();
        assert_eq!(fs_amp, 1);
        assert_eq!(r.mode(), CharacterMode::Chinese);
    }

    #[test]
    fn control_characters_cannot_inject_commands() {
        let mut r = Receipt::new();
        r.line("a\x1b@b");
        assert_eq!(&r.bytes()[2..], b"a @b\n");
    }
}
