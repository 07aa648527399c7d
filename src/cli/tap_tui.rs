//! `posdiag tap` as a TUI: the Transactions tab fed by the tapped frames. posdiag only
//! watches here — nothing is sent to either side — so the keys that run things are hidden.

use std::path::PathBuf;

use crate::session::EventReceiver;
use tokio::sync::mpsc::unbounded_channel;

use super::exit::CliError;
use crate::drivers::terminal::TerminalProtocol;
use crate::event::Event;
use crate::i18n::{Lang, Text};
use crate::session::EventBus;
use crate::tui::{AppState, Tab, UiConfig, UiMode, UiRequest};

/// Runs the TUI until the user quits.
pub async fn run(
    lang: Lang,
    title: String,
    terminal: TerminalProtocol,
    capture: PathBuf,
    events: EventReceiver,
    bus: EventBus,
) -> Result<(), CliError> {
    let mut config = UiConfig::new(lang, UiMode::Tap, Text::same(title));
    config.capture_path = Some(capture);
    config.utc_offset = crate::localtime::offset();
    config.color = std::env::var_os("NO_COLOR").is_none();
    let mut state = AppState::new(config, Vec::new(), Vec::new());
    state.set_tab(Tab::Transactions);
    state.set_terminal_protocol(terminal);
    let (requests_tx, mut requests_rx) = unbounded_channel();
    // Nothing can be run from a tap; a request that still arrives is answered with why.
    let answer = tokio::spawn(async move {
        while let Some(request) = requests_rx.recv().await {
            if request == UiRequest::Quit {
                break;
            }
            bus.emit(Event::Notice(Text::fixed(
                "旁路监听模式只观察，不向任何一方发送。",
                "A tap only watches; it sends nothing to either side.",
            )));
        }
    });
    let outcome = crate::tui::run(state, events, requests_tx).await;
    answer.abort();
    outcome.map(drop).map_err(CliError::failure)
}
