//! Fan-out of [`Event`]s to every subscriber (the TUI, the capture writer, tests).

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::event::Event;

/// A cheap, clonable sender that delivers each event to all current subscribers.
#[derive(Clone, Default)]
pub struct EventBus {
    subscribers: Arc<Mutex<Vec<UnboundedSender<Event>>>>,
}

impl EventBus {
    pub fn new() -> Self {
        Self::default()
    }

    /// A new receiver of every event emitted from now on.
    pub fn subscribe(&self) -> UnboundedReceiver<Event> {
        let (tx, rx) = unbounded_channel();
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.push(tx);
        }
        rx
    }

    /// Delivers `event` to every live subscriber; dropped receivers are forgotten.
    pub fn emit(&self, event: Event) {
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.retain(|tx| tx.send(event.clone()).is_ok());
        }
    }

    /// Stops delivering: subscribers see their channel close once drained.
    pub fn close(&self) {
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.clear();
        }
    }
}
