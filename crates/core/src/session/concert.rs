//! The session's Concert terminal: a profile whose `[terminal]` says `protocol = "concert"` gets
//! a Concert line instead of the ZVT channel, and the checks its driver. Payments are not run
//! over Concert by posdiag (yet); a tap shows the cash register's.

use std::sync::Arc;

use super::channels::{frame_sink, terminal_states};
use super::{EventBus, LinkStateFilter};
use crate::drivers::concert::ConcertLine;
use crate::link::Endpoint;
use crate::profile::{TerminalProtocol, TerminalSettings};

/// The Concert line of a `[terminal]` that speaks Concert; `None` for any other protocol.
pub(super) fn line(
    settings: &TerminalSettings,
    endpoint: &Endpoint,
    bus: &EventBus,
    filter: Arc<LinkStateFilter>,
) -> Option<Arc<ConcertLine>> {
    if settings.protocol != TerminalProtocol::Concert {
        return None;
    }
    Some(Arc::new(ConcertLine::new(
        endpoint.clone(),
        settings.connect_timeout,
        frame_sink(bus),
        terminal_states(bus, filter),
    )))
}
