//! Area clock: the terminal's clock (TLV 34 { 1F0E, 1F0F }) against the laptop's.
//!
//! A wrong clock makes batches settle at the wrong time and TLS fail when the date falls
//! outside a certificate's validity. The terminal reports local time; it is compared with the
//! laptop's local time at the moment the answer arrived.

use std::time::Duration;

use super::common::no_answer;
use super::probe::TerminalProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::i18n::Text;
use crate::proto::zvt::codes::TerminalStatus;
use crate::tr;

pub const DRIFT: CheckSpec = CheckSpec {
    id: "clock.drift",
    area: Area::Clock,
    title: Text::fixed("终端时钟", "terminal clock"),
};

pub async fn drift(probe: &TerminalProbe, tolerance: Duration) -> CheckResult {
    let snapshot = match probe.status().await {
        Ok(s) => s,
        Err(f) => return no_answer(DRIFT.id, Area::Clock, f),
    };
    let mut r = judge(snapshot, tolerance);
    r.frames = snapshot.record.frames.clone();
    r
}

fn judge(snapshot: &super::probe::StatusSnapshot, tolerance: Duration) -> CheckResult {
    let id = DRIFT.id;
    let tol = crate::durations::show(tolerance);
    let status_says_wrong =
        snapshot.completion.terminal_status == TerminalStatus::DateTimeIncorrect;
    let Some(terminal) = snapshot
        .diagnostics
        .date_time
        .and_then(|dt| dt.to_primitive())
    else {
        if status_says_wrong {
            return CheckResult::new(
                id,
                Area::Clock,
                CheckStatus::Fail,
                tr!(
                    "终端报告日期/时间错误（状态 62）",
                    "the terminal reports its date/time incorrect (status 62)"
                ),
            )
            .with_cause("clock.wrong");
        }
        return CheckResult::new(
            id,
            Area::Clock,
            CheckStatus::Skip,
            tr!(
                "终端未报告时钟（TLV 34）",
                "the terminal did not report its clock (TLV 34)"
            ),
        );
    };
    let offset = crate::localtime::offset();
    let laptop = time::OffsetDateTime::from(snapshot.received_at).to_offset(offset);
    // The terminal reports whole seconds; compare whole seconds.
    let laptop = time::PrimitiveDateTime::new(laptop.date(), laptop.time())
        .replace_nanosecond(0)
        .unwrap_or(time::PrimitiveDateTime::new(laptop.date(), laptop.time()));
    let delta = terminal - laptop;
    let ahead = delta.is_positive();
    // The terminal reports whole seconds: round, so a 3h skew does not read "2h 59m 59s".
    let millis = delta.whole_milliseconds().unsigned_abs();
    let magnitude = Duration::from_secs(u64::try_from((millis + 500) / 1000).unwrap_or(u64::MAX));
    let drift = crate::durations::show(magnitude);
    let fmt = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let terminal_text = terminal.format(&fmt).unwrap_or_default();
    let laptop_text = laptop.format(&fmt).unwrap_or_default();
    let wrong = magnitude > tolerance || status_says_wrong;
    let mut r = if wrong {
        let (zh_dir, en_dir) = if ahead {
            ("快", "ahead")
        } else {
            ("慢", "behind")
        };
        CheckResult::new(
            id,
            Area::Clock,
            CheckStatus::Fail,
            tr!(
                "终端时钟{zh_dir}了 {drift}（允许 {tol}）：通过诊断或管理菜单校时",
                "the terminal clock is {drift} {en_dir} (tolerance {tol}): set it via a diagnosis or the admin menu"
            ),
        )
        .with_cause("clock.wrong")
    } else {
        CheckResult::new(
            id,
            Area::Clock,
            CheckStatus::Pass,
            tr!(
                "终端时钟偏差 {drift}（允许 {tol}）",
                "terminal clock within {drift} (tolerance {tol})"
            ),
        )
    };
    r = r
        .with_evidence(Text::fixed("终端时间", "terminal time"), terminal_text)
        .with_evidence(Text::fixed("电脑时间", "laptop time"), laptop_text)
        .with_evidence(
            Text::fixed("偏差", "drift"),
            format!("{}{drift}", if ahead { "+" } else { "-" }),
        );
    r
}
