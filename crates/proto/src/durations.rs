//! The one way posdiag writes a duration for a person to read: on screen, in text and markdown
//! reports, in replays and in transaction timelines.
//!
//! A technician compares numbers across screens ("the host took 6.0 s here, 3.4 ms there"), so
//! every place uses the same units and precision: a space before the unit, one decimal where
//! the number is small enough for the decimal to matter, whole units beyond.
//!
//! | duration          | written     |
//! |-------------------|-------------|
//! | 0                 | `0 ms`      |
//! | under 0.1 ms      | `<0.1 ms`   |
//! | under 10 ms       | `3.4 ms`    |
//! | under 1 s         | `340 ms`    |
//! | under 1 min       | `6.0 s`     |
//! | under 1 h         | `2 min 05 s`|
//! | longer            | `1 h 02 min`|
//!
//! Machine-readable outputs (JSON, captures) keep their integer `*_ms` fields; profiles keep the
//! humantime syntax they are written in (`3s`), which is input, not display.

use std::time::Duration;

/// `d` for a person to read, e.g. `6.0 s`, `3.4 ms`, `<0.1 ms`.
pub fn show(d: Duration) -> String {
    let us = d.as_micros();
    if us == 0 {
        return "0 ms".to_owned();
    }
    if us < 100 {
        return "<0.1 ms".to_owned();
    }
    // Each step rounds to its own precision, then checks it still belongs to that step, so
    // 9.96 ms reads "10 ms", not "10.0 ms".
    let tenth_ms = (us + 50) / 100;
    if tenth_ms < 100 {
        return format!("{}.{} ms", tenth_ms / 10, tenth_ms % 10);
    }
    let ms = (us + 500) / 1_000;
    if ms < 1_000 {
        return format!("{ms} ms");
    }
    let tenth_s = (us + 50_000) / 100_000;
    if tenth_s < 600 {
        return format!("{}.{} s", tenth_s / 10, tenth_s % 10);
    }
    let s = (us + 500_000) / 1_000_000;
    if s < 3_600 {
        return format!("{} min {:02} s", s / 60, s % 60);
    }
    let min = (s + 30) / 60;
    format!("{} h {:02} min", min / 60, min % 60)
}

/// Time since a start, for timelines: `+0 ms`, `+55 ms`, `+5.4 s`.
pub fn after(d: Duration) -> String {
    format!("+{}", show(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(n: u64) -> Duration {
        Duration::from_micros(n)
    }

    #[test]
    fn every_range_has_its_unit_and_precision() {
        assert_eq!(show(Duration::ZERO), "0 ms");
        assert_eq!(show(us(10)), "<0.1 ms");
        assert_eq!(show(us(99)), "<0.1 ms");
        assert_eq!(show(us(100)), "0.1 ms");
        assert_eq!(show(us(3_400)), "3.4 ms");
        assert_eq!(show(us(1_300)), "1.3 ms");
        assert_eq!(show(us(9_940)), "9.9 ms");
        assert_eq!(show(us(9_960)), "10 ms");
        assert_eq!(show(us(340_000)), "340 ms");
        assert_eq!(show(us(999_400)), "999 ms");
        assert_eq!(show(us(999_600)), "1.0 s");
        assert_eq!(show(us(6_002_000)), "6.0 s");
        assert_eq!(show(us(1_203_456)), "1.2 s");
        assert_eq!(show(us(59_960_000)), "1 min 00 s");
        assert_eq!(show(Duration::from_secs(125)), "2 min 05 s");
        assert_eq!(show(Duration::from_secs(3_720)), "1 h 02 min");
        assert!(show(Duration::MAX).ends_with(" min"));
    }

    #[test]
    fn timeline_offsets_carry_a_plus() {
        assert_eq!(after(Duration::ZERO), "+0 ms");
        assert_eq!(after(Duration::from_millis(55)), "+55 ms");
        assert_eq!(after(Duration::from_millis(5_360)), "+5.4 s");
    }
}
