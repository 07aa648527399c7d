//! Runs checks concurrently, each under its own timeout, reporting progress as events.
//!
//! A run takes about as long as its slowest check, not the sum. A check that does not finish
//! in time becomes an `error` result that says so; it never hangs the run.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use super::result::{Area, CheckResult, CheckStatus};
use crate::i18n::Text;

/// A check that can be listed before it runs (the Checks tab shows every one).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSpec {
    pub id: &'static str,
    pub area: Area,
    pub title: Text,
}

/// A check ready to run: its spec, its timeout and the work itself.
pub struct PlannedCheck<'a> {
    pub spec: CheckSpec,
    pub timeout: Duration,
    pub work: Pin<Box<dyn Future<Output = CheckResult> + Send + 'a>>,
}

/// A run's progress, as the runner reports it (the session puts it on the event bus).
#[derive(Debug, Clone)]
pub enum CheckProgress {
    Started { id: &'static str, area: Area },
    Finished(CheckResult),
}

/// Runs all checks at once; results come back in plan order.
pub async fn run_concurrently(
    plan: Vec<PlannedCheck<'_>>,
    emit: &(dyn Fn(CheckProgress) + Sync),
) -> Vec<CheckResult> {
    let futures = plan.into_iter().map(|check| async move {
        emit(CheckProgress::Started {
            id: check.spec.id,
            area: check.spec.area,
        });
        let started = Instant::now();
        let mut result = match tokio::time::timeout(check.timeout, check.work).await {
            Ok(result) => result,
            Err(_) => timed_out(&check.spec, check.timeout),
        };
        result.duration = started.elapsed();
        emit(CheckProgress::Finished(result.clone()));
        result
    });
    futures::future::join_all(futures).await
}

fn timed_out(spec: &CheckSpec, timeout: Duration) -> CheckResult {
    let t = crate::durations::show(timeout);
    CheckResult::new(
        spec.id,
        spec.area,
        CheckStatus::Error,
        crate::tr!("{t} 内未完成", "did not finish within {t}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &'static str) -> CheckSpec {
        CheckSpec {
            id,
            area: Area::Link,
            title: Text::same(id),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn runs_concurrently_and_times_out() {
        let plan = vec![
            PlannedCheck {
                spec: spec("a.slow"),
                timeout: Duration::from_secs(1),
                work: Box::pin(async {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    CheckResult::new("a.slow", Area::Link, CheckStatus::Pass, Text::same("x"))
                }),
            },
            PlannedCheck {
                spec: spec("b.fast"),
                timeout: Duration::from_secs(1),
                work: Box::pin(async {
                    tokio::time::sleep(Duration::from_millis(900)).await;
                    CheckResult::new("b.fast", Area::Link, CheckStatus::Pass, Text::same("x"))
                }),
            },
        ];
        let events = std::sync::Mutex::new(Vec::new());
        let started = tokio::time::Instant::now();
        let results = run_concurrently(plan, &|e| events.lock().unwrap().push(e)).await;
        assert!(started.elapsed() < Duration::from_millis(1100));
        assert_eq!(results[0].status, CheckStatus::Error);
        assert!(results[0].summary.en.contains("1.0 s"));
        assert_eq!(results[1].status, CheckStatus::Pass);
        assert_eq!(events.lock().unwrap().len(), 4);
    }
}
