//! The TUI modes: `posdiag` (Connect screen), `posdiag demo`, `posdiag tui --profile P`.
//!
//! One event bus feeds the TUI and the capture for the whole run; sessions opened from the
//! Connect screen emit on the same bus. User requests from the TUI (checks, confirmed terminal
//! commands, connecting) are served by a task here. Every session keeps its terminal link up
//! while the TUI runs ([`Session::watch_link`]); errors reach the user as bilingual notices.

use std::process::ExitCode;
use std::sync::Arc;

use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};
use tokio::sync::Mutex;

use super::args::{GlobalArgs, TuiArgs};
use super::exit::{self, CliError};
use super::setup::{load_session_config, open_capture_with_dialect, CaptureIncomplete};
use crate::event::Event;
use crate::i18n::{Lang, Text};
use crate::link::scan_ports;
use crate::session::{
    CommandEnd, CommandOutcome, EventBus, LinkWatch, Session, SessionConfig, TerminalCommand,
    TxnError, TxnRequest,
};

mod demo;
mod errors;
mod printer;
mod targets;

pub use demo::run_demo;

use crate::tui::{AppState, CheckDescriptor, ConnectEntry, Tab, UiConfig, UiMode, UiRequest};
use errors::{cannot_connect, cannot_open, profile_error_text, session_error_text};
use targets::{connect_targets, target_config, ConnectTarget};

/// `posdiag` with no command: the Connect screen.
pub fn run_connect_screen(global: &GlobalArgs, lang: Lang) -> Result<ExitCode, CliError> {
    run_ui(
        global,
        lang,
        UiMode::Live,
        Text::fixed("连接", "connect").into(),
        None,
        connect_targets(&scan_ports()),
    )
}

/// `posdiag tui --profile P [--serial PORT | --tcp HOST:PORT]`.
pub fn run_profile(global: &GlobalArgs, args: &TuiArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let config = load_session_config(None, &args.connect, &[])?;
    let title = Text::same(config.profile.name.clone());
    // The Connect tab offers the other devices and profiles, to move on without restarting.
    let targets = connect_targets(&scan_ports());
    run_ui(
        global,
        lang,
        UiMode::Live,
        title.into(),
        Some(config),
        targets,
    )
}

fn descriptors(session: &Session) -> Vec<CheckDescriptor> {
    session
        .specs(&[])
        .into_iter()
        .map(|s| CheckDescriptor {
            id: s.id.to_owned(),
            area: s.area,
            title: s.title,
        })
        .collect()
}

/// The session's title, and what to show first on the notice line (a demo scenario's story).
struct Heading {
    title: Text,
    intro: Option<Text>,
}

impl From<Text> for Heading {
    fn from(title: Text) -> Self {
        Heading { title, intro: None }
    }
}

fn run_ui(
    global: &GlobalArgs,
    lang: Lang,
    mode: UiMode,
    heading: Heading,
    initial: Option<SessionConfig>,
    targets: Vec<ConnectTarget>,
) -> Result<ExitCode, CliError> {
    let entries: Vec<ConnectEntry> = targets.iter().map(|t| t.entry.clone()).collect();
    let Heading { title, intro } = heading;
    let runtime = super::runtime()?;
    let result: Result<Result<std::path::PathBuf, CaptureIncomplete>, CliError> =
        runtime.block_on(async {
            let bus = EventBus::new();
            let ui_events = bus.subscribe();
            let capture_events = bus.subscribe();
            let profile_name = initial
                .as_ref()
                .map_or_else(|| "-".to_owned(), |c| c.profile.name.clone());
            let dialect = initial
                .as_ref()
                .and_then(|c| c.profile.host.as_ref())
                .map(|h| h.dialect.clone());
            let faults = initial
                .as_ref()
                .map(|c| c.faults.iter().map(|f| f.arg()).collect())
                .unwrap_or_default();
            let opened = match initial {
                Some(config) => Some(
                    crate::session::open(config, bus.clone())
                        .await
                        .map_err(CliError::usage)?,
                ),
                None => None,
            };
            // The capture's header names what is checked (the report's title); "-" only when the
            // Connect screen starts with nothing open.
            let target = opened
                .as_ref()
                .map_or_else(|| "-".to_owned(), Session::target);
            let protocol = opened.as_ref().map(Session::terminal_protocol);
            let capture = open_capture_with_dialect(
                global,
                &profile_name,
                &target,
                faults,
                capture_events,
                dialect.clone(),
            )?;
            let session = match opened {
                Some(session) => Some(go_live(session, &title, &bus).await),
                None => None,
            };
            let checks = session
                .as_ref()
                .map(|l| descriptors(&l.session))
                .unwrap_or_default();
            let mut config = UiConfig::new(lang, mode, title);
            config.capture_path = Some(capture.path().to_owned());
            config.utc_offset = crate::localtime::offset();
            config.color = std::env::var_os("NO_COLOR").is_none();
            let opened = session.is_some();
            let mut state = AppState::new(config, entries, checks);
            // A session opened at start runs its checks at once: show them, not the Connect tab.
            if opened {
                state.set_tab(Tab::Checks);
            }
            if let Some(intro) = intro {
                state.notify(intro);
            }
            if let Some(dialect) = dialect {
                state.set_host_dialect(dialect);
            }
            if let Some(protocol) = protocol {
                state.set_terminal_protocol(protocol);
            }
            let (requests_tx, requests_rx) = unbounded_channel();
            let session = Arc::new(Mutex::new(session));
            let auto_run = session.lock().await.is_some();
            let server = tokio::spawn(serve_requests(
                requests_rx,
                session.clone(),
                bus.clone(),
                targets,
            ));
            if auto_run {
                run_checks(session.clone(), None);
            }
            let outcome = crate::tui::run(state, ui_events, requests_tx).await;
            server.abort();
            session.lock().await.take();
            bus.close();
            let capture_result = capture.finish().await;
            outcome.map_err(CliError::failure)?;
            Ok(capture_result)
        });
    match result? {
        Ok(path) => {
            match lang {
                Lang::Zh => eprintln!("抓包已保存：{}", path.display()),
                Lang::En => eprintln!("capture saved: {}", path.display()),
            }
            Ok(exit::OK)
        }
        Err(incomplete) => {
            incomplete.report(lang);
            Ok(exit::code(CaptureIncomplete::exit_code(0)))
        }
    }
}

/// A session of the TUI with the task that keeps its terminal link up.
struct LiveSession {
    session: Arc<Session>,
    _watch: Option<LinkWatch>,
}

type SharedSession = Arc<Mutex<Option<LiveSession>>>;

/// Connects `session` now, so a link that cannot come up is explained at once (the link
/// check then tells why in detail), and starts keeping the link up.
async fn go_live(session: Session, label: &Text, bus: &EventBus) -> LiveSession {
    if let Err(e) = session.connect().await {
        bus.emit(Event::Notice(cannot_connect(label, &e)));
    }
    let watch = session.watch_link();
    LiveSession {
        session: Arc::new(session),
        _watch: watch,
    }
}

async fn current(session: &SharedSession) -> Option<Arc<Session>> {
    session.lock().await.as_ref().map(|l| l.session.clone())
}

fn run_checks(session: SharedSession, single: Option<String>) {
    tokio::spawn(async move {
        if let Some(s) = current(&session).await {
            s.run_checks(&[], single.as_deref()).await;
        }
    });
}

/// Checks the user asked for. With no session open nothing can run: that is said, and the run
/// ends at once (so the guide's "Fixed?" learns its checks did not run instead of waiting).
fn requested_checks(session: SharedSession, bus: EventBus, single: Option<String>) {
    tokio::spawn(async move {
        match current(&session).await {
            Some(s) => {
                s.run_checks(&[], single.as_deref()).await;
            }
            None => {
                bus.emit(Event::Notice(Text::fixed(
                    "没有打开的会话，无法运行检查：先在连接页 (1) 选择设备。",
                    "No session is open, so no check can run: choose a device on the Connect tab (1) first.",
                )));
                bus.emit(Event::RunFinished {
                    duration: std::time::Duration::ZERO,
                });
            }
        }
    });
}

/// Runs a command the user confirmed in the TUI; the session announces the outcome.
fn run_terminal_command(session: SharedSession, bus: EventBus, command: TerminalCommand) {
    tokio::spawn(async move {
        match current(&session).await {
            Some(s) => {
                s.run_terminal_command(command).await;
            }
            None => {
                let outcome = CommandOutcome::new(command, CommandEnd::NoTerminal);
                bus.emit(Event::Notice(outcome.summary()));
            }
        }
    });
}

/// Runs a transaction the user confirmed in the TUI; the session announces the outcome.
fn run_transaction(session: SharedSession, bus: EventBus, request: TxnRequest) {
    tokio::spawn(async move {
        let (refused, protocol) = match current(&session).await {
            Some(s) => (
                s.run_transaction(request, None)
                    .await
                    .err()
                    .map(|e| e.text()),
                s.terminal_protocol(),
            ),
            None => (
                Some(TxnError::NoTerminal.text()),
                crate::drivers::terminal::TerminalProtocol::Zvt,
            ),
        };
        if let Some(why) = refused {
            let name = request.name_on(protocol);
            bus.emit(Event::Notice(Text::new(
                format!("{}：{}", name.zh, why.zh),
                format!("{}: {}", name.en, why.en),
            )));
        }
    });
}

/// What notices call a Connect line: its title, with the address typed for it.
fn connect_label(title: &Text, typed: Option<&str>) -> Text {
    match typed {
        Some(address) => Text::new(
            format!("{} {address}", title.zh),
            format!("{} {address}", title.en),
        ),
        None => title.clone(),
    }
}

async fn serve_requests(
    mut requests: UnboundedReceiver<UiRequest>,
    session: SharedSession,
    bus: EventBus,
    targets: Vec<ConnectTarget>,
) {
    while let Some(request) = requests.recv().await {
        match request {
            UiRequest::RunAllChecks => requested_checks(session.clone(), bus.clone(), None),
            UiRequest::RunCheck(id) => requested_checks(session.clone(), bus.clone(), Some(id)),
            UiRequest::TerminalCommand(command) => {
                run_terminal_command(session.clone(), bus.clone(), command)
            }
            UiRequest::Printer(action) => {
                printer::run_printer_action(session.clone(), bus.clone(), action)
            }
            // On the bus, so the capture records it (a fix attempt in the guide) and the TUI
            // shows it.
            UiRequest::RecordNotice(text) => bus.emit(Event::Notice(text)),
            UiRequest::Transaction(request) => {
                run_transaction(session.clone(), bus.clone(), request)
            }
            UiRequest::SimulateRepair(cause) => {
                let text = match current(&session).await {
                    Some(s) => s.simulate_repair(&cause),
                    None => Text::fixed("没有打开的会话", "no session is open"),
                };
                bus.emit(Event::Notice(text));
            }
            UiRequest::Connect(_) | UiRequest::ConnectTo { .. } => {
                let (i, typed) = match &request {
                    UiRequest::ConnectTo { index, address } => (*index, Some(address.as_str())),
                    UiRequest::Connect(i) => (*i, None),
                    _ => continue,
                };
                let Some(target) = targets.get(i) else {
                    continue;
                };
                let label = &connect_label(&target.entry.title, typed);
                let config = match target_config(target, typed) {
                    Ok(config) => config,
                    Err(e) => {
                        bus.emit(Event::Notice(cannot_open(label, profile_error_text(&e))));
                        continue;
                    }
                };
                // The old session goes first: it may hold the port the new one opens.
                session.lock().await.take();
                match crate::session::open(config, bus.clone()).await {
                    Ok(s) => {
                        *session.lock().await = Some(go_live(s, label, &bus).await);
                        run_checks(session.clone(), None);
                    }
                    Err(e) => bus.emit(Event::Notice(cannot_open(label, session_error_text(&e)))),
                }
            }
            UiRequest::Quit => break,
        }
    }
}
