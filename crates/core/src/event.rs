//! The one event stream: link state, frames on the wire, check progress and results.
//!
//! Producers (links, drivers, the check runner) send [`Event`]s on a channel; the TUI loop and
//! the capture writer consume them. Everything in an event is already redacted: a frame's raw
//! bytes have their sensitive spans overwritten before the event is built.

use std::time::Duration;

use crate::checks::{Area, CheckResult};
pub use crate::frame::{Channel, Direction, FrameRecord, LinkState};
use crate::i18n::Text;

/// Everything that happens in a session.
#[derive(Debug, Clone)]
pub enum Event {
    Link {
        channel: Channel,
        state: LinkState,
    },
    Frame(FrameRecord),
    CheckStarted {
        id: String,
        area: Area,
    },
    CheckFinished(CheckResult),
    RunFinished {
        duration: Duration,
    },
    /// A message for the user that is not tied to a check (e.g. an error opening a channel).
    Notice(Text),
}

/// How a notice reporting a success begins: screens show it as done, not with a warning sign,
/// and a reader of a capture or report sees the same mark.
pub const DONE_MARK: &str = "✓ ";

/// `text` marked as reporting a success (see [`DONE_MARK`]).
pub fn done_notice(text: Text) -> Text {
    Text::new(
        format!("{DONE_MARK}{}", text.zh),
        format!("{DONE_MARK}{}", text.en),
    )
}

/// True when the notice reports a success.
pub fn is_done_notice(text: &Text) -> bool {
    text.en.starts_with(DONE_MARK)
}

pub use crate::proto::serde_fmt::{hex_bytes, time_ms};
