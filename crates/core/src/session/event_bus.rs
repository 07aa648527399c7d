//! Fan-out of [`Event`]s to every subscriber (the TUI, the capture writer, tests).
//!
//! Each subscriber has a bounded queue, so a subscriber that stops reading (a TUI frozen by a
//! terminal that does not draw, a capture on a stalled disk) cannot make posdiag's memory grow
//! without end. When a queue is full the event is dropped for that subscriber only and
//! counted; as soon as there is room again the subscriber first receives a notice saying how
//! many events it missed, so a capture or a screen never looks complete when it is not.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::{channel, error::TrySendError, Receiver, Sender};

use crate::event::Event;
use crate::i18n::Text;

/// Events a subscriber may have waiting before new ones are dropped for it. A check run emits a
/// few hundred; a busy tap is rate-limited well below this per second.
pub const SUBSCRIBER_QUEUE: usize = 65_536;

/// What a subscriber reads.
pub type EventReceiver = Receiver<Event>;

struct Subscriber {
    tx: Sender<Event>,
    /// Events not delivered since the last notice.
    dropped: u64,
}

/// A cheap, clonable sender that delivers each event to all current subscribers.
#[derive(Clone, Default)]
pub struct EventBus {
    subscribers: Arc<Mutex<Vec<Subscriber>>>,
    capacity: Option<usize>,
}

impl EventBus {
    pub fn new() -> Self {
        Self::default()
    }

    /// A bus whose subscribers hold at most `capacity` events (tests of the dropping).
    pub fn with_capacity(capacity: usize) -> Self {
        EventBus {
            subscribers: Arc::default(),
            capacity: Some(capacity.max(2)),
        }
    }

    /// A new receiver of every event emitted from now on.
    pub fn subscribe(&self) -> EventReceiver {
        let (tx, rx) = channel(self.capacity.unwrap_or(SUBSCRIBER_QUEUE));
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.push(Subscriber { tx, dropped: 0 });
        }
        rx
    }

    /// Delivers `event` to every live subscriber; dropped receivers are forgotten, full ones
    /// miss it (and are told so once they have room).
    pub fn emit(&self, event: Event) {
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.retain_mut(|sub| deliver(sub, &event));
        }
    }

    /// Stops delivering: subscribers see their channel close once drained.
    pub fn close(&self) {
        if let Ok(mut subs) = self.subscribers.lock() {
            subs.clear();
        }
    }
}

/// Sends to one subscriber; false once its receiver is gone.
fn deliver(sub: &mut Subscriber, event: &Event) -> bool {
    if sub.dropped > 0 {
        match sub.tx.try_send(Event::Notice(missed(sub.dropped))) {
            Ok(()) => sub.dropped = 0,
            Err(TrySendError::Full(_)) => {
                sub.dropped += 1;
                return true;
            }
            Err(TrySendError::Closed(_)) => return false,
        }
    }
    match sub.tx.try_send(event.clone()) {
        Ok(()) => true,
        Err(TrySendError::Full(_)) => {
            sub.dropped += 1;
            true
        }
        Err(TrySendError::Closed(_)) => false,
    }
}

fn missed(count: u64) -> Text {
    crate::tr!(
        "posdiag 跟不上：此处漏掉了 {count} 个事件（帧、检测结果或提示），记录不完整",
        "posdiag could not keep up: {count} events (frames, check results or notices) are missing here; this record is incomplete"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(i: usize) -> Event {
        Event::Notice(Text::same(format!("n{i}")))
    }

    #[tokio::test]
    async fn a_subscriber_that_does_not_read_misses_events_and_is_told_how_many() {
        let bus = EventBus::with_capacity(4);
        let mut slow = bus.subscribe();
        let mut fast = bus.subscribe();
        let mut fast_seen = 0;
        for i in 0..10 {
            bus.emit(notice(i));
            while fast.try_recv().is_ok() {
                fast_seen += 1;
            }
        }
        assert_eq!(fast_seen, 10, "a reading subscriber misses nothing");
        let mut got = Vec::new();
        while let Ok(Event::Notice(t)) = slow.try_recv() {
            got.push(t.en.into_owned());
        }
        assert_eq!(got, ["n0", "n1", "n2", "n3"]);
        bus.emit(notice(10));
        let Ok(Event::Notice(t)) = slow.try_recv() else {
            panic!("a notice first");
        };
        assert!(t.en.contains("6 events"), "{}", t.en);
        assert!(matches!(slow.try_recv(), Ok(Event::Notice(t)) if t.en == "n10"));
    }

    #[tokio::test]
    async fn a_closed_receiver_is_forgotten() {
        let bus = EventBus::with_capacity(4);
        drop(bus.subscribe());
        bus.emit(notice(0));
        assert_eq!(bus.subscribers.lock().map(|s| s.len()).unwrap_or(9), 0);
    }
}
