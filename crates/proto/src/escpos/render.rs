//! What a receipt printer prints: print bytes assembled into lines of text, decoded the
//! way the printer reads them — GB18030 in Chinese mode, the selected code page otherwise.

use serde::Serialize;

/// One receipt: from the first printed byte to the cut (or the end of the connection).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RenderedReceipt {
    /// The text lines as printed, blank lines from paper feeds included.
    pub lines: Vec<String>,
    /// Every byte the host sent while this receipt was printed, commands included.
    #[serde(with = "crate::serde_fmt::hex_bytes")]
    pub bytes: Vec<u8>,
    /// True when the receipt ended with a cut.
    pub cut: bool,
}

/// The character mode the printer reads bytes ≥ 0x80 in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharMode {
    /// Double-byte Chinese (GB18030): how Chinese-market printers start.
    Chinese,
    /// Single-byte code page `ESC t n`.
    SingleByte(u8),
}

/// Assembles printed lines; see the module documentation.
#[derive(Debug, Clone)]
pub struct ReceiptPrinter {
    mode: CharMode,
    code_page: u8,
    /// Bytes of the current line not yet decoded, all read in `mode`.
    pending: Vec<u8>,
    line: String,
    receipt: RenderedReceipt,
}

impl Default for ReceiptPrinter {
    fn default() -> Self {
        ReceiptPrinter {
            mode: CharMode::Chinese,
            code_page: 0,
            pending: Vec::new(),
            line: String::new(),
            receipt: RenderedReceipt::default(),
        }
    }
}

/// Decodes single-byte text in ESC/POS code page `n` (the common Epson table numbers).
fn decode_code_page(n: u8, bytes: &[u8]) -> String {
    use oem_cp::code_table::{
        DECODING_TABLE_CP437, DECODING_TABLE_CP850, DECODING_TABLE_CP858, DECODING_TABLE_CP866,
    };
    let table = match n {
        0 => &DECODING_TABLE_CP437,
        2 => &DECODING_TABLE_CP850,
        17 => &DECODING_TABLE_CP866,
        19 => &DECODING_TABLE_CP858,
        16 => return encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
        // A table the simulator does not carry: ASCII prints, the rest is shown as unknown.
        _ => {
            return bytes
                .iter()
                .map(|b| {
                    if b.is_ascii() {
                        char::from(*b)
                    } else {
                        '\u{FFFD}'
                    }
                })
                .collect()
        }
    };
    oem_cp::decode_string_complete_table(bytes, table)
}

impl ReceiptPrinter {
    /// Records raw input bytes belonging to the receipt being printed.
    pub fn record(&mut self, bytes: &[u8]) {
        self.receipt.bytes.extend_from_slice(bytes);
    }

    fn decode_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let text = match self.mode {
            CharMode::Chinese => encoding_rs::GB18030.decode(&self.pending).0.into_owned(),
            CharMode::SingleByte(n) => decode_code_page(n, &self.pending),
        };
        self.line.push_str(&text);
        self.pending.clear();
    }

    fn set_mode(&mut self, mode: CharMode) {
        self.decode_pending();
        self.mode = mode;
    }

    pub fn text(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    pub fn chinese_mode(&mut self, on: bool) {
        let mode = if on {
            CharMode::Chinese
        } else {
            CharMode::SingleByte(self.code_page)
        };
        self.set_mode(mode);
    }

    pub fn code_page(&mut self, n: u8) {
        self.code_page = n;
        if matches!(self.mode, CharMode::SingleByte(_)) {
            self.set_mode(CharMode::SingleByte(n));
        }
    }

    /// ESC @: back to the printer's own defaults (Chinese mode, code page 0); text still in
    /// the buffer is printed first.
    pub fn initialise(&mut self) {
        self.set_mode(CharMode::Chinese);
        self.code_page = 0;
    }

    pub fn line_feed(&mut self) {
        self.decode_pending();
        let line = std::mem::take(&mut self.line);
        self.receipt.lines.push(line);
    }

    /// ESC d n: prints what is buffered, then n blank lines.
    pub fn feed(&mut self, lines: u8) {
        self.decode_pending();
        if !self.line.is_empty() {
            self.line_feed();
        }
        for _ in 0..lines {
            self.receipt.lines.push(String::new());
        }
    }

    /// Whether anything was printed since the last cut.
    pub fn has_output(&self) -> bool {
        !self.receipt.lines.is_empty() || !self.line.is_empty() || !self.pending.is_empty()
    }

    /// Ends the receipt (GS V, or the end of the connection) and returns it.
    pub fn finish(&mut self, cut: bool) -> RenderedReceipt {
        self.decode_pending();
        if !self.line.is_empty() {
            self.line_feed();
        }
        let mut receipt = std::mem::take(&mut self.receipt);
        receipt.cut = cut;
        receipt
    }
}

/// How the simulated printer prints `bytes` sent to it in one go: the last receipt they hold
/// (up to its cut, or to the end of the bytes). Status and control requests among them print
/// nothing. Pure: the TUI uses it to show the test receipt posdiag sent, live and in replay.
pub fn render_print_bytes(bytes: &[u8]) -> RenderedReceipt {
    use super::input::{Input, InputParser};

    let mut parser = InputParser::default();
    parser.push(bytes);
    let mut printer = ReceiptPrinter::default();
    let mut last = None;
    while let Some((input, raw)) = parser.next_input() {
        if !matches!(
            input,
            Input::Query(_) | Input::AsbOff | Input::Recovery(_) | Input::DrawerPulse
        ) {
            printer.record(&raw);
        }
        match input {
            Input::Initialise => printer.initialise(),
            Input::ChineseMode(on) => printer.chinese_mode(on),
            Input::CodePage(n) => printer.code_page(n),
            Input::Text(text) => printer.text(&text),
            Input::LineFeed => printer.line_feed(),
            Input::Feed(lines) => printer.feed(lines),
            Input::Cut => {
                if printer.has_output() {
                    last = Some(printer.finish(true));
                }
            }
            Input::Query(_)
            | Input::AsbOff
            | Input::Recovery(_)
            | Input::DrawerPulse
            | Input::Other(_) => {}
        }
    }
    if printer.has_output() {
        return printer.finish(false);
    }
    last.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_receipt_renders_as_its_lines() {
        use crate::escpos::receipt::{test_receipt, TEST_CHINESE_LINE, TEST_FOUR_BYTE_LINE};
        let r = render_print_bytes(&test_receipt("2024-05-17 10:15 demo"));
        assert!(r.cut);
        assert_eq!(
            r.lines.first().map(String::as_str),
            Some("posdiag test print")
        );
        assert!(r.lines.iter().any(|l| l == TEST_CHINESE_LINE), "{r:#?}");
        assert!(r.lines.iter().any(|l| l == TEST_FOUR_BYTE_LINE), "{r:#?}");
        assert!(
            r.lines.iter().any(|l| l == "2024-05-17 10:15 demo"),
            "{r:#?}"
        );
        assert_eq!(render_print_bytes(&[]), RenderedReceipt::default());
        // Half a GB18030 character at the end neither panics nor invents text.
        let cut_short = render_print_bytes(&[0x1B, 0x40, 0x1C, 0x26, 0xB4]);
        assert!(!cut_short.cut);
    }

    #[test]
    fn chinese_is_read_as_gb18030_and_code_pages_as_single_bytes() {
        let mut p = ReceiptPrinter::default();
        let (gb, _, _) = encoding_rs::GB18030.encode("打印 ¥");
        p.text(&gb);
        p.line_feed();
        p.chinese_mode(false);
        p.code_page(2);
        p.text(&[0x82, b'!']);
        p.line_feed();
        let r = p.finish(true);
        assert_eq!(r.lines, vec!["打印 ¥".to_owned(), "é!".to_owned()]);
        assert!(r.cut);
        assert!(!p.has_output());
    }

    #[test]
    fn a_character_split_across_writes_is_joined() {
        let mut p = ReceiptPrinter::default();
        p.text(&[0xB4]);
        p.text(&[0xF2]);
        p.feed(2);
        let r = p.finish(false);
        assert_eq!(r.lines, vec!["打".to_owned(), String::new(), String::new()]);
    }
}
