//! The terminal UI: the only module that knows ratatui and crossterm.
//!
//! The outside (the CLI, later the session) builds an [`AppState`] from a [`UiConfig`], the
//! [`ConnectEntry`]s and the [`CheckDescriptor`]s, then calls [`run`] with the session's
//! [`Event`](crate::event::Event) stream and a sender for the [`UiRequest`]s the user makes.
//!
//! - `app`: the state and how events fold into it
//! - `keys`: the bindings table (data), `input`: keys → state changes and requests
//! - `view`: drawing, one module per screen area (layout diagram there)
//! - `run`: the event loop and the terminal guard
//! - `theme`: colours, which always double a word

mod app;
mod input;
mod keys;
mod model;
mod run;
mod theme;
mod view;

#[cfg(test)]
mod command_snapshots;
#[cfg(test)]
mod connect_snapshots;
#[cfg(test)]
mod demo_snapshots;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod guide_snapshots;
#[cfg(test)]
mod log_snapshots;
#[cfg(test)]
mod replay_snapshots;
#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
mod txn_protocol_snapshots;
#[cfg(test)]
mod txn_snapshots;

pub use app::{
    AppState, CheckRow, CheckTable, FrameLog, GuidePhase, Popup, Progress, ReplayPosition, Tab,
    TestReceipt,
};
pub use input::handle_key;
pub use keys::{Action, Binding, Key, Scope, BINDINGS};
pub use model::{
    CheckDescriptor, ConnectAsk, ConnectEntry, ConnectKind, PrinterAction, ReplayRecord,
    ReplaySource, UiConfig, UiMode, UiRequest,
};
pub use run::{drive, run};
pub use theme::{link_color, status_color, Theme};
pub use view::render;
