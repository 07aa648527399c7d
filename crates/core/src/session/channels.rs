//! The channels a session opens on the profile's endpoints: the ZVT terminal channel and the
//! acquirer host channel, each emitting its frames and link states on the session's bus.

use std::sync::Arc;

use super::{endpoint, EventBus, LinkStateFilter, Session};
use crate::drivers::iso8583::HostChannel;
use crate::drivers::zvt::{BlockTimers, ZvtChannel, ZvtEndpoint, ZvtTimeouts, ZvtTiming};
use crate::event::{Channel, Event};
use crate::frame::{FrameRecord, LinkState, Sink};

impl Session {
    pub(super) fn host_channel(
        endpoint: crate::drivers::iso8583::HostEndpoint,
        settings: &crate::profile::HostSettings,
        bus: &EventBus,
    ) -> HostChannel {
        HostChannel::new(
            endpoint,
            endpoint::host_config(settings),
            frame_sink(bus),
            link_states(bus, Channel::Host),
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
        ZvtChannel::new(
            endpoint,
            timing,
            frame_sink(bus),
            terminal_states(bus, filter),
        )
    }
}

/// A channel's frames, onto the bus.
pub(super) fn frame_sink(bus: &EventBus) -> Sink<FrameRecord> {
    let bus = bus.clone();
    Arc::new(move |frame| bus.emit(Event::Frame(frame)))
}

/// A channel's link states, onto the bus.
pub(super) fn link_states(bus: &EventBus, channel: Channel) -> Sink<LinkState> {
    let bus = bus.clone();
    Arc::new(move |state| bus.emit(Event::Link { channel, state }))
}

/// The terminal's link states, onto the bus through the session's filter (which holds back
/// the flicker of a reconnect).
pub(super) fn terminal_states(bus: &EventBus, filter: Arc<LinkStateFilter>) -> Sink<LinkState> {
    let bus = bus.clone();
    Arc::new(move |state| {
        if let Some(state) = filter.pass(state) {
            bus.emit(Event::Link {
                channel: Channel::Terminal,
                state,
            })
        }
    })
}
