//! The local UTC offset, read once at start-up.
//!
//! The `time` crate refuses to read the local offset once other threads exist (on Unix the
//! environment could change under it), so the CLI reads it first thing and everything else
//! asks here.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use time::{OffsetDateTime, UtcOffset};

use crate::i18n::{Lang, Text};

static OFFSET: OnceLock<UtcOffset> = OnceLock::new();

/// Reads the local offset; call before starting any thread. Later calls change nothing.
pub fn init() {
    let offset = UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC);
    let _ = OFFSET.set(offset);
}

/// The local offset (UTC when unknown or not initialised).
pub fn offset() -> UtcOffset {
    OFFSET.get().copied().unwrap_or(UtcOffset::UTC)
}

/// `t` as a calendar date and time at `offset`, or `None` when it lies outside the years the
/// calendar can show (-9999..=9999). Captures are user files: a time far past year 9999 is a
/// value to report, and `OffsetDateTime::from(SystemTime)` would panic on it.
pub fn at_offset(t: SystemTime, offset: UtcOffset) -> Option<OffsetDateTime> {
    let nanos = match t.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_nanos()).ok()?,
        Err(before) => i128::try_from(before.duration().as_nanos())
            .ok()?
            .checked_neg()?,
    };
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()?
        .checked_to_offset(offset)
}

/// `t` at the local offset (see [`at_offset`]).
pub fn local(t: SystemTime) -> Option<OffsetDateTime> {
    at_offset(t, offset())
}

/// Milliseconds since 1970-01-01 UTC, negative before it, for times no calendar date can show.
pub fn unix_millis(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_millis()).unwrap_or(i128::MAX),
        Err(before) => i128::try_from(before.duration().as_millis()).map_or(i128::MIN, |m| -m),
    }
}

/// `t` formatted with `format` at the local offset; a time outside the calendar is written as
/// what it is (see [`out_of_calendar`]).
pub fn format_local(
    t: SystemTime,
    format: &[time::format_description::BorrowedFormatItem<'_>],
    lang: Lang,
) -> String {
    local(t)
        .filter(|dt| (0..=9999).contains(&dt.year()))
        .and_then(|dt| dt.format(format).ok())
        .unwrap_or_else(|| out_of_calendar(t).get(lang).to_owned())
}

/// The text for a time no calendar date can show:
/// `unix time 253402300800000 ms (outside years 0–9999)`.
pub fn out_of_calendar(t: SystemTime) -> Text {
    let ms = unix_millis(t);
    crate::tr!(
        "Unix 时间 {ms} 毫秒（超出 0–9999 年）",
        "unix time {ms} ms (outside years 0–9999)"
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn times_past_year_9999_are_values_not_panics() {
        let far = UNIX_EPOCH + Duration::from_millis(u64::MAX);
        assert!(local(far).is_none());
        assert!(at_offset(far, UtcOffset::UTC).is_none());
        let f = time::macros::format_description!("[year]-[month]-[day]");
        assert_eq!(
            format_local(far, f, Lang::En),
            format!("unix time {} ms (outside years 0–9999)", u64::MAX)
        );
        // The last representable second still reads as a date.
        let last = UNIX_EPOCH + Duration::from_secs(253_402_300_799);
        assert_eq!(
            at_offset(last, UtcOffset::UTC).map(|d| d.year()),
            Some(9999)
        );
        // Near the edge, an offset that would cross into year 10000 is refused, not a panic.
        let plus_one = UtcOffset::from_hms(1, 0, 0).expect("offset");
        assert!(at_offset(last, plus_one).is_none());
        let before = UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(unix_millis(before), -1000);
    }
}
