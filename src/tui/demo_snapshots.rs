//! The first screen of `posdiag demo --fault host.decline=96`, from a real demo session (the
//! simulator, the real checks) folded into the TUI: the failures must be on it and counted.
//!
//! What changes from run to run (durations, TCP ports, wall-clock times) is replaced by fixed
//! values before the events reach the state, so the snapshot shows layout and words only.

use std::time::{Duration, SystemTime};

use super::app::{AppState, Tab};
use super::model::{CheckDescriptor, UiConfig, UiMode};
use super::snapshot_tests::{draw, snap};
use crate::checks::CheckStatus;
use crate::event::{Event, LinkState};
use crate::i18n::{Lang, Text};
use crate::profile::{load_profile, SimulatedLink};
use crate::session::{EventBus, SessionConfig};

/// The events of one demo check run with `fault`, made repeatable.
async fn demo_run(fault: &str) -> (Vec<CheckDescriptor>, Vec<Event>) {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    // TCP instead of a pty: the same session, without a /dev/pts/N name on screen.
    if let Some(sim) = profile.simulator.as_mut() {
        sim.terminal_link = SimulatedLink::Tcp;
    }
    let faults = vec![crate::sim::Fault::parse(fault).expect("fault")];
    let bus = EventBus::new();
    let mut events = bus.subscribe();
    let config = SessionConfig {
        profile,
        faults,
        serial: None,
        tcp: None,
    };
    let session = crate::session::open(config, bus.clone())
        .await
        .expect("session");
    let descriptors = session
        .specs(&[])
        .into_iter()
        .map(|s| CheckDescriptor {
            id: s.id.to_owned(),
            area: s.area,
            title: s.title,
        })
        .collect();
    session.run_checks(&[], None).await;
    let mut out = Vec::new();
    while let Ok(Some(event)) =
        tokio::time::timeout(Duration::from_millis(200), events.recv()).await
    {
        let done = matches!(event, Event::RunFinished { .. });
        out.push(steady(event));
        if done {
            break;
        }
    }
    (descriptors, out)
}

/// `event` with its run-dependent values fixed.
fn steady(event: Event) -> Event {
    let time = SystemTime::UNIX_EPOCH + Duration::from_millis(1_715_940_902_123);
    match event {
        Event::CheckFinished(mut r) => {
            r.duration = Duration::from_millis(12);
            r.summary = steady_text(&r.summary);
            for e in &mut r.evidence {
                e.value = scrub(&e.value);
            }
            for f in &mut r.frames {
                f.time = time;
                f.summary = scrub(&f.summary);
            }
            Event::CheckFinished(r)
        }
        Event::RunFinished { .. } => Event::RunFinished {
            duration: Duration::from_millis(1_234),
        },
        Event::Link { channel, state } => Event::Link {
            channel,
            state: match state {
                LinkState::Connected { .. } => LinkState::Connected {
                    target: "127.0.0.1:PORT".to_owned(),
                },
                other => other,
            },
        },
        Event::Frame(mut f) => {
            f.time = time;
            Event::Frame(f)
        }
        other => other,
    }
}

fn steady_text(t: &Text) -> Text {
    Text::new(scrub(&t.zh), scrub(&t.en))
}

/// Durations become `1.0 ms` (a bound such as `<0.1 ms`, below the clock's resolution, too),
/// TCP ports `PORT`; everything else stays.
fn scrub(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let before = i.checked_sub(1).map(|b| chars[b]);
        let starts_number = chars[i].is_ascii_digit()
            && !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == '.');
        if !starts_number {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let rest: String = chars[i..].iter().take(5).collect();
        let unit = [" ms", " s", " min"].iter().any(|u| {
            rest.strip_prefix(u)
                .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphabetic()))
        });
        let port = before == Some(':') && !number.contains('.') && number.len() >= 4;
        if unit {
            if out.ends_with('<') {
                out.pop();
            }
            out.push_str("1.0");
        } else if port {
            out.push_str("PORT");
        } else {
            out.push_str(&number);
        }
    }
    out
}

#[test]
fn scrub_fixes_durations_and_ports_only() {
    assert_eq!(
        scrub("已连接 localhost:39607（0.6 ms）at 10:15:02"),
        "已连接 localhost:PORT（1.0 ms）at 10:15:02"
    );
    assert_eq!(
        scrub("median 12 ms, 6.0 s; code 51"),
        "median 1.0 ms, 1.0 s; code 51"
    );
    // A round trip below the clock's resolution is shown as a bound.
    assert_eq!(
        scrub("min <0.1 ms / median 0.3 ms; a < 2"),
        "min 1.0 ms / median 1.0 ms; a < 2"
    );
}

fn demo_state(lang: Lang, descriptors: Vec<CheckDescriptor>, events: &[Event]) -> AppState {
    let config = UiConfig::new(lang, UiMode::Demo, Text::fixed("模拟器", "simulator"));
    let mut state = AppState::new(config, Vec::new(), descriptors);
    for e in events {
        state.apply(e);
    }
    state
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_host_decline_shows_its_failures_on_the_first_screen() {
    let (descriptors, events) = demo_run("host.decline=96").await;
    for lang in [Lang::En, Lang::Zh] {
        let state = demo_state(lang, descriptors.clone(), &events);
        assert_eq!(state.tab(), Tab::Checks);
        let problems = state.checks().problems();
        assert!(problems.fail + problems.error > 0, "the fault fails checks");

        // Every failed check is on the 80x24 screen, and the title counts them.
        let mut s = state.clone();
        let screen = super::fixtures::screen(draw(&mut s, 80, 24).backend().buffer());
        let fail = CheckStatus::Fail.word().get(lang).to_owned();
        let count = format!("{} {fail}", problems.fail);
        assert!(
            screen.lines().nth(1).is_some_and(|l| l.contains(&count)),
            "title counts {count}:\n{screen}"
        );
        for row in state.checks().rows() {
            let failed = row
                .result()
                .is_some_and(|r| matches!(r.status, CheckStatus::Fail | CheckStatus::Error));
            if failed {
                assert!(
                    screen.contains(&row.descriptor.id),
                    "{} on the first screen:\n{screen}",
                    row.descriptor.id
                );
            }
        }
        let name = format!("demo_host_decline_{}", lang.code());
        snap(&name, state);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plain_order_is_a_key_away_and_keeps_the_selection() {
    let (descriptors, events) = demo_run("host.decline=96").await;
    let mut state = demo_state(Lang::En, descriptors, &events);
    let first = |s: &AppState| {
        let order = s.checks().order();
        order
            .first()
            .map(|&i| s.checks().rows()[i].descriptor.id.clone())
    };
    let problems_first = first(&state);
    let selected = state.checks().selected().map(|r| r.descriptor.id.clone());
    super::input::handle_key(&mut state, super::fixtures::ch('o'));
    assert!(!state.checks().problems_first());
    assert_eq!(
        first(&state),
        Some(state.checks().rows()[0].descriptor.id.clone())
    );
    assert_ne!(first(&state), problems_first, "the order changed");
    assert_eq!(
        state.checks().selected().map(|r| r.descriptor.id.clone()),
        selected,
        "the selection stays on its check"
    );
    super::input::handle_key(&mut state, super::fixtures::ch('o'));
    assert_eq!(first(&state), problems_first);
}
