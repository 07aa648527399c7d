//! A lost link is a state, and it comes back.
//!
//! When the terminal link is lost (USB adapter pulled, TCP reset) the channel reports `Lost`
//! and drops its client. [`Session::watch_link`] starts a task that, while the link is lost or
//! failed, calls `connect()` about once a second — the channel finds a re-plugged USB adapter
//! by its identity even under a new port name — until it is back. While the link is up and
//! idle the task notices, without sending a byte, that the peer went away.
//!
//! The retries would flood the bus with `Connecting`/`Failed` every second; the
//! [`LinkStateFilter`] between the channel and the bus keeps the word on screen `LINK LOST`
//! (with the latest reason) until the link is `CONNECTED` again, and drops repeats, so the
//! capture records the outage as one state, not hundreds.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::{EventBus, Session};
use crate::drivers::zvt::ZvtChannel;
use crate::event::{Event, LinkState};
use crate::i18n::Text;
use crate::tr;

/// How often a lost link is retried (and an idle one looked at).
pub const RETRY_EVERY: Duration = Duration::from_secs(1);

/// How long an idle link is read to notice that its peer went away.
const IDLE_READ: Duration = Duration::from_millis(20);

#[derive(Debug, Default)]
struct FilterState {
    /// The last state let through.
    last: Option<LinkState>,
    /// The watch task is reconnecting.
    retrying: bool,
    /// The link was connected at some point (a failure after that is a loss).
    was_connected: bool,
}

/// Sits between the channel's state reports and the bus (see the module doc).
#[derive(Debug, Default)]
pub struct LinkStateFilter {
    state: Mutex<FilterState>,
}

impl LinkStateFilter {
    /// What the bus should see of `state`, or `None` to drop it.
    pub fn pass(&self, state: LinkState) -> Option<LinkState> {
        let Ok(mut s) = self.state.lock() else {
            return Some(state);
        };
        let shown = match state {
            LinkState::Connecting { .. } if s.retrying => return None,
            LinkState::Failed { target, reason } if s.retrying && s.was_connected => {
                LinkState::Lost { target, reason }
            }
            other => other,
        };
        if matches!(shown, LinkState::Connected { .. }) {
            s.retrying = false;
            s.was_connected = true;
        }
        if s.last.as_ref() == Some(&shown) {
            return None;
        }
        s.last = Some(shown.clone());
        Some(shown)
    }

    fn last(&self) -> Option<LinkState> {
        self.state.lock().ok().and_then(|s| s.last.clone())
    }

    /// Enters retry mode; true the first time (so the user is told once).
    fn start_retrying(&self) -> bool {
        match self.state.lock() {
            Ok(mut s) if !s.retrying => {
                s.retrying = true;
                true
            }
            _ => false,
        }
    }
}

/// The running watch task; dropping it stops the task.
pub struct LinkWatch {
    task: JoinHandle<()>,
}

impl Drop for LinkWatch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Session {
    /// Keeps the terminal link up for an interactive session: reconnects a lost or failed
    /// link about once a second and notices an idle link going away. Headless runs do not
    /// use it (a failed connect there is exit code 3). `None` without a ZVT terminal channel
    /// (a Concert line is opened again by its next probe; nexo is HTTPS per exchange).
    /// Must be called inside a tokio runtime.
    pub fn watch_link(&self) -> Option<LinkWatch> {
        let Some(super::Terminal::Zvt(channel)) = self.terminal.clone() else {
            return None;
        };
        let task = tokio::spawn(watch(channel, self.link_filter.clone(), self.bus.clone()));
        Some(LinkWatch { task })
    }
}

async fn watch(channel: Arc<ZvtChannel>, filter: Arc<LinkStateFilter>, bus: EventBus) {
    let mut tick = tokio::time::interval(RETRY_EVERY);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    // Set while reconnecting after a loss (as opposed to a link that never came up).
    let mut recovering = false;
    loop {
        tick.tick().await;
        match filter.last() {
            Some(LinkState::Connected { .. } | LinkState::NoReply { .. }) => {
                channel.notice_idle_loss(IDLE_READ).await;
            }
            Some(state @ (LinkState::Lost { .. } | LinkState::Failed { .. })) => {
                if filter.start_retrying() {
                    if let LinkState::Lost { target, reason } = &state {
                        recovering = true;
                        bus.emit(Event::Notice(lost_notice(target, reason)));
                    }
                }
                if channel.connect().await.is_ok() {
                    bus.emit(Event::Notice(up_notice(&channel.target(), recovering)));
                    recovering = false;
                }
            }
            _ => {}
        }
    }
}

fn lost_notice(target: &str, reason: &str) -> Text {
    tr!(
        "终端连接丢失：{target}（{reason}）。posdiag 每秒重连一次；已记录的内容不会丢失。",
        "Terminal link lost: {target} ({reason}). posdiag reconnects every second; nothing captured is lost."
    )
}

fn up_notice(target: &str, recovering: bool) -> Text {
    crate::event::done_notice(if recovering {
        tr!(
            "终端连接已恢复：{target}。按 r 重新运行检查。",
            "Terminal link is back: {target}. Press r to run the checks again."
        )
    } else {
        tr!(
            "已连接终端：{target}。按 r 运行检查。",
            "Terminal connected: {target}. Press r to run the checks."
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lost() -> LinkState {
        LinkState::Lost {
            target: "tcp 127.0.0.1:20007".into(),
            reason: "the peer closed the connection".into(),
        }
    }

    #[test]
    fn retries_show_as_one_lost_state_until_connected() {
        let f = LinkStateFilter::default();
        let connected = LinkState::Connected {
            target: "tcp 127.0.0.1:20007".into(),
        };
        assert_eq!(f.pass(connected.clone()), Some(connected.clone()));
        // Repeats are dropped.
        assert_eq!(f.pass(connected.clone()), None);
        assert_eq!(f.pass(lost()), Some(lost()));
        assert!(f.start_retrying());
        assert!(!f.start_retrying());
        let connecting = LinkState::Connecting {
            target: "tcp 127.0.0.1:20007".into(),
        };
        assert_eq!(f.pass(connecting.clone()), None);
        let refused = LinkState::Failed {
            target: "tcp 127.0.0.1:20007".into(),
            reason: "refused".into(),
        };
        let shown = f.pass(refused.clone());
        assert!(matches!(shown, Some(LinkState::Lost { ref reason, .. }) if reason == "refused"));
        assert_eq!(f.pass(refused), None);
        assert_eq!(f.pass(connecting.clone()), None);
        assert_eq!(f.pass(connected.clone()), Some(connected));
        // Back to normal: a new attempt is shown again.
        assert_eq!(f.pass(connecting.clone()), Some(connecting));
    }

    #[test]
    fn a_link_that_never_came_up_stays_failed() {
        let f = LinkStateFilter::default();
        let failed = LinkState::Failed {
            target: "/dev/ttyUSB0".into(),
            reason: "not found".into(),
        };
        assert_eq!(f.pass(failed.clone()), Some(failed.clone()));
        f.start_retrying();
        assert_eq!(f.pass(failed), None);
        assert!(!lost_notice("a", "b").is_incomplete());
        assert!(!up_notice("a", false).is_incomplete());
    }
}
