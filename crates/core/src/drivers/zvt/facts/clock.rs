//! The terminal's clock: TLV 34 { 1F0E date, 1F0F time }, and status 62 (date/time wrong).

use super::status::Snapshot;
use crate::drivers::terminal::ClockFact;
use crate::proto::zvt::codes::TerminalStatus;
use crate::tr;

pub(super) fn clock(s: &Snapshot<'_>) -> ClockFact {
    ClockFact {
        terminal_time: s
            .diagnostics
            .date_time
            .and_then(|dt| dt.to_primitive())
            .ok_or_else(|| {
                tr!(
                    "终端未报告时钟（TLV 34）",
                    "the terminal did not report its clock (TLV 34)"
                )
            }),
        received_at: s.received_at,
        reported_wrong: (s.status() == TerminalStatus::DateTimeIncorrect).then(|| {
            tr!(
                "终端报告日期/时间错误（状态 62）",
                "the terminal reports its date/time incorrect (status 62)"
            )
        }),
    }
}
