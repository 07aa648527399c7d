//! In the demo, the simulated terminal's host connection runs through an in-process tap
//! (the same code as `posdiag tap`), so the session sees both sides of a payment: the
//! terminal over ZVT and the terminal's ISO 8583 traffic with the acquirer. In the field the
//! host side is seen the same way, with `posdiag tap` in front of the host.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;

use super::SimHandle;
use crate::drivers::tap::{self, TapConfig, TapEvent, TapProtocol};
use crate::event::{Event, FrameRecord};
use crate::proto::iso8583::Dialect;
use crate::session::EventBus;

/// The running tap; dropping it stops it.
pub struct HostTap {
    task: JoinHandle<()>,
}

impl Drop for HostTap {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Puts a tap between the simulated terminal and the simulated acquirer; its frames go on
/// `bus` as host frames. `None` when there is no acquirer to tap (none started, or closed by
/// `network.down`: the terminal then meets the closed port itself).
pub async fn tap_simulated_host(
    handle: &SimHandle,
    dialect: Dialect,
    bus: &EventBus,
) -> Option<HostTap> {
    let upstream = handle.host_tcp.filter(|_| !handle.host_closed)?;
    let config = TapConfig {
        protocol: TapProtocol::Iso8583(Box::new(dialect)),
        listen: "127.0.0.1:0".to_owned(),
        upstream: upstream.to_string(),
        allow_remote: false,
        connect_timeout: Duration::from_secs(2),
        decode_inline: true,
        limits: tap::TapLimits::default(),
    };
    let listener = tap::bind(&config).await.ok()?;
    let addr = listener.local_addr().ok()?;
    let frames = {
        let bus = bus.clone();
        Arc::new(move |frame: FrameRecord| bus.emit(Event::Frame(frame)))
    };
    // The terminal connects per transaction: its comings and goings are not link states.
    let events = Arc::new(|event: TapEvent| tracing::debug!("demo host tap: {event:?}"));
    let stats = Arc::new(tap::TapStats::default());
    let task = tokio::spawn(tap::serve(listener, config, frames, events, stats));
    handle.terminal.desk().set_host(Some(addr.to_string()));
    Some(HostTap { task })
}
