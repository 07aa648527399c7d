//! Area clock: the terminal's clock against the laptop's.
//!
//! A wrong clock makes batches settle at the wrong time and TLS fail when the date falls
//! outside a certificate's validity. The terminal reports local time; it is compared with the
//! laptop's local time at the moment the answer arrived.

use std::time::Duration;

use super::common::{no_answer, not_reported};
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::drivers::terminal::{ClockFact, TerminalProbe};
use crate::i18n::Text;
use crate::tr;

pub const DRIFT: CheckSpec = CheckSpec {
    id: "clock.drift",
    area: Area::Clock,
    title: Text::fixed("终端时钟", "terminal clock"),
};

pub async fn drift(probe: &TerminalProbe, tolerance: Duration) -> CheckResult {
    let facts = match probe.status().await {
        Ok(f) => f,
        Err(f) => return no_answer(DRIFT.id, Area::Clock, f),
    };
    let mut r = match &facts.clock {
        Some(clock) => judge(clock, tolerance),
        None => not_reported(DRIFT.id, Area::Clock),
    };
    r.frames = facts.frames.clone();
    r
}

fn judge(clock: &ClockFact, tolerance: Duration) -> CheckResult {
    let id = DRIFT.id;
    let tol = crate::durations::show(tolerance);
    let terminal = match &clock.terminal_time {
        Ok(t) => *t,
        Err(missing) => {
            return match &clock.reported_wrong {
                Some(said) => CheckResult::new(id, Area::Clock, CheckStatus::Fail, said.clone())
                    .with_cause(crate::cause!("clock.wrong")),
                None => CheckResult::new(id, Area::Clock, CheckStatus::Skip, missing.clone()),
            };
        }
    };
    let offset = crate::localtime::offset();
    let laptop = time::OffsetDateTime::from(clock.received_at).to_offset(offset);
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
    let wrong = magnitude > tolerance || clock.reported_wrong.is_some();
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
        .with_cause(crate::cause!("clock.wrong"))
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
