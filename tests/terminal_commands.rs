//! Terminal commands run by hand (after the TUI's confirmation) against the simulated
//! terminal over TCP, and the terminal link coming back after it was lost: a TCP terminal that
//! stops and starts again on the same port, and (Unix) a serial device that goes away and
//! comes back behind the same name.

use std::time::Duration;

use posdiag::event::{Channel, Event, LinkState};
use posdiag::profile::{load_profile, SimulatedLink};
use posdiag::session::EventReceiver;
use posdiag::session::{CommandEnd, EventBus, Session, SessionConfig, TerminalCommand};
use posdiag::sim::{Fault, SimConfig, TEST_CARD_PAN};

/// The demo with its built-in simulator on TCP.
async fn demo_over_tcp(faults: &[&str], bus: &EventBus) -> Session {
    let (mut profile, _) = load_profile("demo").expect("demo profile");
    profile.simulator.as_mut().expect("simulator").terminal_link = SimulatedLink::Tcp;
    let faults = faults
        .iter()
        .map(|f| Fault::parse(f).expect("fault"))
        .collect();
    let config = SessionConfig {
        profile,
        faults,
        serial: None,
        tcp: None,
    };
    posdiag::session::open(config, bus.clone())
        .await
        .expect("session")
}

fn notices(rx: &mut EventReceiver) -> Vec<String> {
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        if let Event::Notice(t) = e {
            out.push(t.en.into_owned());
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confirmed_commands_run_against_the_simulator() {
    let bus = EventBus::new();
    let mut events = bus.subscribe();
    let session = demo_over_tcp(&[], &bus).await;

    let print = session
        .run_terminal_command(TerminalCommand::PrintSystemConfiguration)
        .await;
    assert!(print.succeeded(), "{print:#?}");
    assert_eq!(
        print.print_lines.first().map(String::as_str),
        Some("SYSTEM CONFIGURATION")
    );
    assert!(print
        .print_lines
        .iter()
        .any(|l| l.starts_with("TID      29001006")));
    let seen = notices(&mut events);
    assert!(
        seen.iter().any(
            |n| n.starts_with("✓ Print System Configuration (06 1A): done")
                && n.contains("SYSTEM CONFIGURATION")
        ),
        "{seen:?}"
    );

    let diagnosis = session
        .run_terminal_command(TerminalCommand::DiagnosisLine)
        .await;
    assert_eq!(
        diagnosis.end,
        CommandEnd::Completed {
            result_code: Some(0)
        }
    );
    assert_eq!(diagnosis.statuses.len(), 1, "{diagnosis:#?}");
    assert!(diagnosis.statuses[0]
        .en
        .contains("waiting for FEP (host) response"));
    // The type-01 TLV went on the wire.
    assert!(diagnosis
        .frames
        .iter()
        .any(|f| f.raw == [0x06, 0x70, 0x05, 0x06, 0x03, 0x1B, 0x01, 0x01]));

    let registration = session
        .run_terminal_command(TerminalCommand::Registration)
        .await;
    assert!(registration.succeeded());
    assert!(registration.summary().en.contains("terminal id 29001006"));
    // The profile's default config byte DE; the password (000000, which the simulator
    // accepted) is a secret, so the recorded frame has it overwritten with EE.
    assert!(registration
        .frames
        .iter()
        .any(|f| f.raw == [0x06, 0x00, 0x04, 0xEE, 0xEE, 0xEE, 0xDE]));

    // Abort ends at the terminal's acknowledgement (no Completion follows).
    let abort = session.run_terminal_command(TerminalCommand::Abort).await;
    assert_eq!(abort.end, CommandEnd::Acknowledged, "{abort:#?}");
    // The simulator answers Log-Off with a Completion, which is taken.
    let logoff = session.run_terminal_command(TerminalCommand::LogOff).await;
    assert!(logoff.succeeded(), "{logoff:#?}");

    let status = session
        .run_terminal_command(TerminalCommand::StatusEnquiry)
        .await;
    assert!(status.summary().en.contains("terminal status 00 PT ready"));

    // End-of-Day settles with the simulated acquirer (an empty batch here).
    let eod = session
        .run_terminal_command(TerminalCommand::EndOfDay)
        .await;
    assert_eq!(
        eod.end,
        CommandEnd::Completed {
            result_code: Some(0)
        },
        "{eod:#?}"
    );
    // Initialisation (the recovery for terminal status 51) goes online and completes.
    let init = session
        .run_terminal_command(TerminalCommand::Initialisation)
        .await;
    assert_eq!(
        init.end,
        CommandEnd::Completed {
            result_code: Some(0)
        },
        "{init:#?}"
    );
    let mut seen = Vec::new();
    let mut last_link = None;
    while let Ok(e) = events.try_recv() {
        match e {
            Event::Notice(t) => seen.push(t.en.into_owned()),
            Event::Link { state, .. } => last_link = Some(state),
            _ => {}
        }
    }
    assert!(
        seen.iter().any(|n| n
            .trim_start_matches("✓ ")
            .starts_with("Initialisation (06 93): done")),
        "{seen:?}"
    );
    // The link stayed up.
    assert!(
        matches!(last_link, None | Some(LinkState::Connected { .. })),
        "{last_link:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_card_shows_only_the_masked_card_number() {
    let bus = EventBus::new();
    let mut events = bus.subscribe();
    let session = demo_over_tcp(&[], &bus).await;
    let read = session
        .run_terminal_command(TerminalCommand::ReadCard)
        .await;
    assert!(read.succeeded(), "{read:#?}");
    let summary = read.summary();
    assert!(summary.en.contains("620000******0005"), "{}", summary.en);
    let everything = format!("{read:?} {:?}", notices(&mut events));
    assert!(!everything.contains(TEST_CARD_PAN), "full PAN leaked");

    let unreadable = demo_over_tcp(&["reader.unreadable"], &EventBus::new()).await;
    let read = unreadable
        .run_terminal_command(TerminalCommand::ReadCard)
        .await;
    assert_eq!(read.end, CommandEnd::Aborted { result_code: 0x64 });
    assert!(!read.succeeded());
}

/// Waits until the terminal link reaches a state `want` accepts; the states seen on the way.
async fn wait_for_link(
    rx: &mut EventReceiver,
    within: Duration,
    want: impl Fn(&LinkState) -> bool,
) -> Result<Vec<LinkState>, Vec<LinkState>> {
    let deadline = tokio::time::Instant::now() + within;
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(Event::Link {
                channel: Channel::Terminal,
                state,
            })) => {
                let done = want(&state);
                seen.push(state);
                if done {
                    return Ok(seen);
                }
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => return Err(seen),
        }
    }
}

fn is_connected(s: &LinkState) -> bool {
    matches!(s, LinkState::Connected { .. })
}

fn is_lost(s: &LinkState) -> bool {
    matches!(s, LinkState::Lost { .. })
}

/// A session on a real terminal profile pointed at `serial` or `tcp`.
async fn live_session(
    profile: &str,
    serial: Option<String>,
    tcp: Option<String>,
    bus: &EventBus,
) -> Session {
    let (profile, _) = load_profile(profile).expect("profile");
    let config = SessionConfig {
        profile,
        faults: Vec::new(),
        serial,
        tcp,
    };
    posdiag::session::open(config, bus.clone())
        .await
        .expect("session")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcp_terminal_that_goes_away_comes_back() {
    let sim = posdiag::sim::start(SimConfig {
        terminal_tcp: Some("127.0.0.1:0".into()),
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let addr = sim.terminal_tcp.expect("tcp endpoint").to_string();

    let bus = EventBus::new();
    let mut events = bus.subscribe();
    // A second subscriber plays the capture writer: it must see the frames from before the
    // loss and after it.
    let mut capture = bus.subscribe();
    let session = live_session("zvt-tcp", None, Some(addr.clone()), &bus).await;
    let _watch = session.watch_link().expect("terminal channel");

    let first = session
        .run_terminal_command(TerminalCommand::StatusEnquiry)
        .await;
    assert!(first.succeeded(), "{first:#?}");
    wait_for_link(&mut events, Duration::from_secs(2), is_connected)
        .await
        .expect("connected");

    // The terminal goes away while the link is idle: noticed without sending anything.
    drop(sim);
    let seen = wait_for_link(&mut events, Duration::from_secs(5), is_lost)
        .await
        .unwrap_or_else(|seen| panic!("no LINK LOST; saw {seen:?}"));
    assert!(!seen.iter().any(is_connected), "{seen:?}");

    // Retries while it is away keep the word LINK LOST (no CONNECTING / FAILED flicker).
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let mut during = Vec::new();
    while let Ok(e) = events.try_recv() {
        match e {
            Event::Link { state, .. } => during.push(state),
            Event::Notice(t) => assert!(!t.is_incomplete()),
            _ => {}
        }
    }
    assert!(during.iter().all(is_lost), "{during:?}");

    // It comes back on the same port: posdiag reconnects by itself.
    let _back = posdiag::sim::start(SimConfig {
        terminal_tcp: Some(addr.clone()),
        ..SimConfig::default()
    })
    .await
    .expect("simulator again on the same port");
    wait_for_link(&mut events, Duration::from_secs(5), is_connected)
        .await
        .unwrap_or_else(|seen| panic!("did not reconnect; saw {seen:?}"));
    let again = session
        .run_terminal_command(TerminalCommand::StatusEnquiry)
        .await;
    assert!(again.succeeded(), "{again:#?}");

    let mut frames = 0;
    let mut notices: Vec<String> = Vec::new();
    // The "link is back" notice comes from the reconnect task: give it a moment under load.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !notices.iter().any(|n| n.contains("Terminal link is back")) {
        match tokio::time::timeout_at(deadline, capture.recv()).await {
            Ok(Some(Event::Frame(_))) => frames += 1,
            Ok(Some(Event::Notice(t))) => notices.push(t.en.into_owned()),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    while let Ok(e) = capture.try_recv() {
        match e {
            Event::Frame(_) => frames += 1,
            Event::Notice(t) => notices.push(t.en.into_owned()),
            _ => {}
        }
    }
    // Both Status-Enquiries with their acknowledgements and completions.
    assert!(frames >= 8, "{frames} frames");
    assert!(
        notices.iter().any(|n| n.starts_with("Terminal link lost")),
        "{notices:?}"
    );
    assert!(
        notices.iter().any(|n| n.contains("Terminal link is back")),
        "{notices:?}"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serial_device_that_goes_away_comes_back() {
    // The simulated terminal on a pty, reached through a stable name (like /dev/serial/by-id):
    // the pty goes away with the simulator, and a new one comes back behind the same name.
    let dir = tempfile::tempdir().expect("tempdir");
    let stable = dir.path().join("ttyTERMINAL");
    let start_pty = || async {
        posdiag::sim::start(SimConfig {
            terminal_pty: true,
            ..SimConfig::default()
        })
        .await
        .expect("simulator on a pty")
    };
    let sim = start_pty().await;
    std::os::unix::fs::symlink(sim.terminal_pty.as_ref().expect("pty"), &stable).expect("link");

    let bus = EventBus::new();
    let mut events = bus.subscribe();
    let port = stable.display().to_string();
    let session = live_session("zvt-serial", Some(port), None, &bus).await;
    let _watch = session.watch_link().expect("terminal channel");
    let first = session
        .run_terminal_command(TerminalCommand::StatusEnquiry)
        .await;
    assert!(first.succeeded(), "{first:#?}");

    drop(sim);
    wait_for_link(&mut events, Duration::from_secs(5), is_lost)
        .await
        .unwrap_or_else(|seen| panic!("no LINK LOST; saw {seen:?}"));

    let sim = start_pty().await;
    std::fs::remove_file(&stable).expect("unlink");
    std::os::unix::fs::symlink(sim.terminal_pty.as_ref().expect("pty"), &stable).expect("link");
    wait_for_link(&mut events, Duration::from_secs(5), is_connected)
        .await
        .unwrap_or_else(|seen| panic!("did not reconnect; saw {seen:?}"));
    let again = session
        .run_terminal_command(TerminalCommand::StatusEnquiry)
        .await;
    assert!(again.succeeded(), "{again:#?}");
}
