//! The channels a session opens on the profile's endpoints: the ZVT terminal channel and the
//! acquirer host channel, each emitting its frames and link states on the session's bus.

use std::sync::Arc;

use super::{endpoint, EventBus, LinkStateFilter, Session};
use crate::drivers::iso8583::HostChannel;
use crate::drivers::zvt::{BlockTimers, ZvtChannel, ZvtEndpoint, ZvtTimeouts, ZvtTiming};
use crate::event::{Channel, Event};

impl Session {
    pub(super) fn host_channel(
        endpoint: crate::drivers::iso8583::HostEndpoint,
        settings: &crate::profile::HostSettings,
        bus: &EventBus,
    ) -> HostChannel {
        let frames = bus.clone();
        let states = bus.clone();
        HostChannel::new(
            endpoint,
            endpoint::host_config(settings),
            Arc::new(move |frame| frames.emit(Event::Frame(frame))),
            Arc::new(move |state| {
                states.emit(Event::Link {
                    channel: Channel::Host,
                    state,
                })
            }),
        )
    }

    pub(super) fn terminal_channel(
        endpoint: ZvtEndpoint,
        settings: &crate::profile::TerminalSettings,
        bus: &EventBus,
        filter: Arc<LinkStateFilter>,
    ) -> ZvtChannel {
        let t = settings.timers;
        let timing = ZvtTiming {
            block: BlockTimers { t1: t.t1, t2: t.t2 },
            command: ZvtTimeouts { t3: t.t3, t4: t.t4 },
            connect: settings.connect_timeout,
        };
        let frames = bus.clone();
        let states = bus.clone();
        ZvtChannel::new(
            endpoint,
            timing,
            Arc::new(move |frame| frames.emit(Event::Frame(frame))),
            Arc::new(move |state| {
                if let Some(state) = filter.pass(state) {
                    states.emit(Event::Link {
                        channel: Channel::Terminal,
                        state,
                    })
                }
            }),
        )
    }
}
