//! Text fitting measured in terminal cells (CJK is two), plus the formats shared by the views.

use std::time::SystemTime;

use time::UtcOffset;

use crate::i18n::{display_width, truncate_to_width};

/// `s` cut from the left to at most `cells` cells, with `…` where it was cut: the end of a path
/// is the part worth keeping.
pub fn truncate_left(s: &str, cells: usize) -> String {
    if display_width(s) <= cells {
        return s.to_string();
    }
    if cells == 0 {
        return String::new();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1; // the ellipsis
    for ch in s.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w > cells {
            break;
        }
        kept.push(ch);
        used += w;
    }
    let mut out = String::from("…");
    out.extend(kept.iter().rev());
    out
}

/// `s` cut or padded with spaces to exactly `cells` cells.
pub fn fit(s: &str, cells: usize) -> String {
    let cut = truncate_to_width(s, cells);
    let pad = cells.saturating_sub(display_width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

/// Word-wraps `s` into lines of at most `cells` cells. Latin words stay whole unless longer
/// than a line; CJK text breaks between any two characters (it has no spaces), except that
/// closing punctuation (，。）…) never starts a line.
pub fn wrap(s: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(1);
    let mut out = Lines {
        cells,
        lines: Vec::new(),
        line: String::new(),
        used: 0,
    };
    for (i, word) in s.split(' ').enumerate() {
        let mut gap = i > 0;
        let mut rest = word;
        while !rest.is_empty() {
            // A run of narrow characters is one unit; each wide character is its own.
            let first = rest.chars().next().map_or(0, char_width);
            let len = if first > 1 {
                rest.chars().next().map_or(0, char::len_utf8)
            } else {
                rest.find(|c: char| char_width(c) > 1).unwrap_or(rest.len())
            };
            let (unit, tail) = rest.split_at(len);
            out.push(unit, gap);
            gap = false;
            rest = tail;
        }
    }
    out.finish()
}

fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Closing punctuation that must not begin a line.
fn is_closing(unit: &str) -> bool {
    matches!(
        unit,
        "，" | "。" | "、" | "；" | "：" | "！" | "？" | "）" | "」" | "』" | "》" | "】"
    )
}

struct Lines {
    cells: usize,
    lines: Vec<String>,
    line: String,
    used: usize,
}

impl Lines {
    fn push(&mut self, unit: &str, gap: bool) {
        let w = display_width(unit);
        let sep = usize::from(gap && !self.line.is_empty());
        if self.used + sep + w <= self.cells {
            if sep == 1 {
                self.line.push(' ');
            }
            self.line.push_str(unit);
            self.used += sep + w;
            return;
        }
        if w <= self.cells {
            // Closing punctuation takes the character before it along to the new line.
            let wide_last = self.line.chars().last().is_some_and(|c| char_width(c) > 1);
            let carried = if is_closing(unit) && wide_last {
                self.line.pop()
            } else {
                None
            };
            self.break_line();
            if let Some(c) = carried {
                self.line.push(c);
                self.used = char_width(c);
            }
            self.push(unit, false);
            return;
        }
        // Longer than a line: break it between characters, from the current line on.
        if sep == 1 && self.used + 1 < self.cells {
            self.line.push(' ');
            self.used += 1;
        }
        for ch in unit.chars() {
            let cw = char_width(ch);
            if self.used + cw > self.cells && !self.line.is_empty() {
                self.break_line();
            }
            self.line.push(ch);
            self.used += cw;
        }
    }

    fn break_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.lines.push(line.trim_end().to_string());
        self.used = 0;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.line.is_empty() || self.lines.is_empty() {
            self.lines.push(self.line);
        }
        self.lines
    }
}

/// Wall-clock time of a frame as `HH:MM:SS.mmm` at `offset`.
pub fn clock(time: SystemTime, offset: UtcOffset) -> String {
    // A capture may hold any time; one past year 9999 has no clock reading to show.
    let Some(t) = crate::localtime::at_offset(time, offset) else {
        return "--:--:--.---".to_owned();
    };
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Bytes as spaced upper-case hex, "05 01 03".
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{b:02X}"));
    }
    out
}

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The spinner glyph for tick `n`.
pub fn spinner(n: usize) -> &'static str {
    SPINNER[n % SPINNER.len()]
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn left_truncation_keeps_the_file_name() {
        assert_eq!(truncate_left("/home/tech/cap.jsonl", 10), "…cap.jsonl");
        assert_eq!(truncate_left("/tmp/a", 10), "/tmp/a");
        assert_eq!(truncate_left("/数据/抓包.jsonl", 9), "…包.jsonl");
        assert_eq!(truncate_left("abc", 0), "");
    }

    #[test]
    fn fit_pads_cjk_by_cells() {
        assert_eq!(fit("终端", 6), "终端  ");
        assert_eq!(display_width(&fit("打印机缺纸了", 7)), 7);
    }

    #[test]
    fn wrap_breaks_words_and_cjk() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(
            wrap("读卡器无应答请检查", 8),
            vec!["读卡器无", "应答请检", "查"]
        );
        assert_eq!(wrap("", 5), vec![""]);
        // Mixed text: the CJK run fills the line rather than leaving a gap, Latin words and
        // numbers stay whole, and closing punctuation does not start a line.
        assert_eq!(
            wrap("posdiag 发送命令 posdiag 打印", 12),
            vec!["posdiag 发送", "命令 posdiag", "打印"]
        );
        assert_eq!(
            wrap("请使用 /dev/serial/by-path。", 21),
            vec!["请使用", "/dev/serial/by-path。"]
        );
        assert_eq!(wrap("诊断（06 70）", 7), vec!["诊断（", "06 70）"]);
        assert_eq!(
            wrap("终端将关闭批次：结算", 14),
            vec!["终端将关闭批", "次：结算"]
        );
        for line in wrap("a verylongwordthatdoesnotfit here", 6) {
            assert!(display_width(&line) <= 6, "{line}");
        }
    }

    #[test]
    fn clock_and_hex_formats() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(36_000_000 + 61_123);
        assert_eq!(clock(t, UtcOffset::UTC), "10:01:01.123");
        assert_eq!(hex(&[0x05, 0x01, 0xff]), "05 01 FF");
    }
}
