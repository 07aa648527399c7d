//! The one event loop: key presses, session events and (only while something runs) a slow
//! spinner tick, `select!`ed together; the screen is redrawn only after something changed, so an
//! idle screen costs no CPU.
//!
//! The terminal is put back on every path: a guard restores it (mouse capture off, raw mode
//! off, main screen) when the loop returns or fails, and a panic hook does the same before the
//! panic message is printed. Left on, mouse capture would fill the shell with escape codes.

use std::io;
use std::time::Duration;

use crate::session::EventReceiver;
use anyhow::Context;
use crossterm::event::{DisableMouseCapture, EnableMouseCapture, Event as TermEvent, EventStream};
use futures::{Stream, StreamExt};
use ratatui::backend::Backend;
use ratatui::Terminal;
use tokio::sync::mpsc::UnboundedSender;
use tokio::time::MissedTickBehavior;

use super::app::AppState;
use super::input::{handle_key, handle_mouse};
use super::model::UiRequest;
use super::view;
use crate::i18n::Text;

/// Spinner speed; ticks run only while a check runs.
const TICK: Duration = Duration::from_millis(125);

/// Session events folded into the state before one redraw, so a burst of frames draws once.
const MAX_BATCH: usize = 256;

/// Restores the terminal when dropped (normal return, `?`, or unwinding).
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Mouse capture off, then ratatui's restore (raw mode off, main screen). Errors are ignored:
/// this runs while leaving, when nothing better can be done.
fn restore() {
    let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
}

/// Restores the terminal (with mouse capture off) before the previous panic hook (ratatui's,
/// which prints the message on the main screen) runs.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
        previous(info);
    }));
}

/// Runs the TUI on the real terminal until the user quits; returns the final state (results,
/// frames) for the caller to report.
///
/// `events` is the session's event stream; `requests` receives what the user asked for
/// ([`UiRequest::Quit`] last). When `events` closes the UI stays up until the user quits.
pub async fn run(
    state: AppState,
    events: EventReceiver,
    requests: UnboundedSender<UiRequest>,
) -> anyhow::Result<AppState> {
    // Installs a panic hook that restores the terminal, then enters raw mode and the alternate
    // screen.
    // The guard comes first so a half-done setup (raw mode on, alternate screen failed) is undone.
    let _guard = TerminalGuard;
    let mut terminal = ratatui::try_init().context("could not set up the terminal for the TUI")?;
    install_panic_hook();
    crossterm::execute!(io::stdout(), EnableMouseCapture)
        .context("could not turn on the mouse for the TUI")?;
    drive(&mut terminal, EventStream::new(), state, events, requests).await
}

/// The loop itself, over any backend and any stream of terminal events (tests use a
/// `TestBackend` and a scripted stream).
pub async fn drive<B, S>(
    terminal: &mut Terminal<B>,
    mut input: S,
    mut state: AppState,
    mut events: EventReceiver,
    requests: UnboundedSender<UiRequest>,
) -> anyhow::Result<AppState>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = io::Result<TermEvent>> + Unpin,
{
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut events_open = true;
    let mut dirty = true;

    loop {
        if dirty {
            let size = terminal
                .size()
                .context("could not read the terminal size")?;
            state.set_viewport(ratatui::layout::Rect::new(0, 0, size.width, size.height));
            let mut hits = Default::default();
            terminal
                .draw(|frame| hits = view::render_with_hits(frame, &state))
                .context("could not draw the screen")?;
            state.set_hits(hits);
            dirty = false;
        }
        let ticking = state.needs_tick();
        tokio::select! {
            input_event = input.next() => match input_event {
                Some(Ok(TermEvent::Key(key))) => {
                    dirty = true;
                    if let Some(request) = handle_key(&mut state, key) {
                        let quit = request == UiRequest::Quit;
                        if requests.send(request).is_err() && !quit {
                            state.notify(session_gone());
                        }
                        if quit {
                            return Ok(state);
                        }
                    }
                    send_outbox(&mut state, &requests);
                }
                Some(Ok(TermEvent::Mouse(mouse))) => {
                    dirty = true;
                    handle_mouse(&mut state, mouse);
                }
                Some(Ok(TermEvent::Resize(_, _))) => dirty = true,
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e).context("could not read from the terminal"),
                // The terminal's input ended (e.g. it was closed): nobody is left to quit.
                None => {
                    let _ = requests.send(UiRequest::Quit);
                    return Ok(state);
                }
            },
            event = events.recv(), if events_open => match event {
                Some(event) => {
                    state.apply(&event);
                    let mut batch = 1;
                    while batch < MAX_BATCH {
                        match events.try_recv() {
                            Ok(event) => state.apply(&event),
                            Err(_) => break,
                        }
                        batch += 1;
                    }
                    send_outbox(&mut state, &requests);
                    dirty = true;
                }
                None => events_open = false,
            },
            _ = tick.tick(), if ticking => {
                state.tick();
                dirty = true;
            }
        }
    }
}

/// Sends the requests the state made besides a key's own (several checks, a notice to record).
fn send_outbox(state: &mut AppState, requests: &UnboundedSender<UiRequest>) {
    let mut gone = false;
    for request in state.take_requests() {
        gone |= requests.send(request).is_err();
    }
    if gone {
        state.notify(session_gone());
    }
}

fn session_gone() -> Text {
    Text::fixed(
        "会话已结束，无法执行此操作。请退出后重新启动 posdiag。",
        "The session has ended, so this cannot be done. Quit and start posdiag again.",
    )
}

#[cfg(test)]
mod tests;
