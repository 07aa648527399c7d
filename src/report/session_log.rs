//! The part of posdiag's log file that belongs to one capture's session.
//!
//! Every run appends to the same log file, so a report copies only the lines written while its
//! capture was recorded: from a little before the capture began to a little after its last
//! record. A line is dated by the RFC 3339 UTC time tracing puts first
//! (`2024-05-17T10:15:02.123456Z  INFO …`); a line without one (the rest of a multi-line
//! message) goes with the line before it.

use std::io::{BufRead, Write};
use std::time::{Duration, SystemTime};

/// Lines this long before the capture's start still belong to it (start-up messages are
/// logged before the capture file is created).
pub const BEFORE: Duration = Duration::from_secs(5);
/// Lines this long after the last record still belong to it (shutdown messages).
pub const AFTER: Duration = Duration::from_secs(5);

/// Copies the lines of `log` dated within `from - BEFORE ..= until + AFTER` to `out`; returns
/// how many lines were copied. Bytes that are not UTF-8 are replaced, not dropped.
pub fn copy_session_lines(
    log: impl BufRead,
    mut out: impl Write,
    from: SystemTime,
    until: SystemTime,
) -> std::io::Result<usize> {
    let start = from.checked_sub(BEFORE).unwrap_or(SystemTime::UNIX_EPOCH);
    let end = until.checked_add(AFTER).unwrap_or(until);
    let mut keep = false;
    let mut copied = 0;
    for line in log.split(b'\n') {
        let line = line?;
        let text = String::from_utf8_lossy(&line);
        if let Some(at) = line_time(&text) {
            keep = at >= start && at <= end;
        }
        if keep {
            writeln!(out, "{}", text.trim_end_matches('\r'))?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// The time a tracing line starts with, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
pub fn line_time(line: &str) -> Option<SystemTime> {
    let stamp = line.split_whitespace().next()?;
    let stamp = stamp.strip_suffix('Z')?;
    let (date, clock) = stamp.split_once('T')?;
    let mut d = date.split('-');
    let year: i32 = d.next()?.parse().ok()?;
    let month: u8 = d.next()?.parse().ok()?;
    let day: u8 = d.next()?.parse().ok()?;
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut t = hms.split(':');
    let hour: u8 = t.next()?.parse().ok()?;
    let minute: u8 = t.next()?.parse().ok()?;
    let second: u8 = t.next()?.parse().ok()?;
    // Nanoseconds from up to nine fraction digits.
    let digits: String = fraction.chars().take(9).collect();
    let nanos: u32 = if digits.is_empty() {
        0
    } else {
        let n: u32 = digits.parse().ok()?;
        n * 10u32.pow(9 - u32::try_from(digits.len()).ok()?)
    };
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let clock = time::Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    Some(
        time::PrimitiveDateTime::new(date, clock)
            .assume_utc()
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(stamp: &str) -> SystemTime {
        line_time(stamp).expect("a time")
    }

    #[test]
    fn reads_the_tracing_time() {
        let t = at("2024-05-17T10:15:02.123456Z  INFO posdiag::cli: started");
        let since = t
            .duration_since(SystemTime::UNIX_EPOCH)
            .expect("after 1970");
        assert_eq!(since.as_secs(), 1_715_940_902);
        assert_eq!(since.subsec_micros(), 123_456);
        assert_eq!(line_time("  at src/main.rs:5"), None);
        assert_eq!(line_time("2024-13-01T00:00:00Z x"), None);
        assert_eq!(line_time(""), None);
    }

    #[test]
    fn only_this_sessions_lines_are_copied() {
        let log = "\
2024-05-17T09:00:00.000000Z  INFO posdiag::cli: posdiag started (an older run)
2024-05-17T09:00:01.000000Z ERROR posdiag::cli: old failure
2024-05-17T10:14:58.500000Z  INFO posdiag::cli: posdiag started (this run)
2024-05-17T10:15:02.000000Z  WARN posdiag::session: link lost
  caused by: device unplugged
2024-05-17T10:16:03.000000Z  INFO posdiag::cli: quit
2024-05-17T11:00:00.000000Z  INFO posdiag::cli: posdiag started (a later run)
  with a second line
";
        let from = at("2024-05-17T10:15:00Z");
        let until = at("2024-05-17T10:16:00Z");
        let mut out = Vec::new();
        let n = copy_session_lines(log.as_bytes(), &mut out, from, until).expect("copies");
        let out = String::from_utf8(out).expect("utf-8");
        assert_eq!(n, 4, "{out}");
        assert!(out.contains("(this run)") && out.contains("caused by: device unplugged"));
        assert!(out.contains("quit"));
        assert!(
            !out.contains("older run") && !out.contains("old failure"),
            "{out}"
        );
        assert!(
            !out.contains("later run") && !out.contains("second line"),
            "{out}"
        );
    }
}
