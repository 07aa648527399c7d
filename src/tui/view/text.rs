//! Text fitting measured in terminal cells (CJK is two), plus the formats shared by the views.

use std::time::{Duration, SystemTime};

use time::{OffsetDateTime, UtcOffset};

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

/// Word-wraps `s` into lines of at most `cells` cells; words longer than a line (and CJK runs,
/// which have no spaces) are broken between characters.
pub fn wrap(s: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in s.split(' ') {
        let w = display_width(word);
        let sep = usize::from(!line.is_empty());
        if used + sep + w <= cells {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            used += sep + w;
            continue;
        }
        if !line.is_empty() && w <= cells {
            lines.push(std::mem::take(&mut line));
            line.push_str(word);
            used = w;
            continue;
        }
        // Break the word itself, continuing on the current line.
        if sep == 1 && used + 1 < cells {
            line.push(' ');
            used += 1;
        }
        for ch in word.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
            if used + cw > cells && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(ch);
            used += cw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Wall-clock time of a frame as `HH:MM:SS.mmm` at `offset`.
pub fn clock(time: SystemTime, offset: UtcOffset) -> String {
    let t = OffsetDateTime::from(time).to_offset(offset);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// A duration in humantime, to the millisecond ("1s 203ms").
pub fn duration(d: Duration) -> String {
    let ms = Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    if ms.is_zero() && !d.is_zero() {
        return "<1ms".to_string();
    }
    humantime::format_duration(ms).to_string()
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
        for line in wrap("a verylongwordthatdoesnotfit here", 6) {
            assert!(display_width(&line) <= 6, "{line}");
        }
    }

    #[test]
    fn clock_and_duration_formats() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_millis(36_000_000 + 61_123);
        assert_eq!(clock(t, UtcOffset::UTC), "10:01:01.123");
        assert_eq!(duration(Duration::from_micros(1_203_456)), "1s 203ms");
        assert_eq!(duration(Duration::from_micros(10)), "<1ms");
        assert_eq!(hex(&[0x05, 0x01, 0xff]), "05 01 FF");
    }
}
