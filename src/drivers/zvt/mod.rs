//! The ZVT client: posdiag as the ECR talking to a payment terminal (zvt.md).
//!
//! `transport` moves APDUs (serial block protocol or TCP); `client` runs command sequences
//! with T3/T4 and acknowledges everything the terminal sends; `observe` turns wire units into
//! redacted [`crate::event::FrameRecord`]s for the Log tab and the capture; `facts` makes ZVT a
//! driver of the neutral terminal layer ([`ZvtTerminal`]).

mod channel;
mod client;
mod facts;
mod observe;
pub mod transport;

pub use channel::{
    ChannelError, CommandFailure, CommandRecord, ScanRow, WireSeen, ZvtChannel, ZvtEndpoint,
    ZvtTiming,
};
pub use client::{Exchange, ZvtClient, ZvtError, ZvtTimeouts};
pub use facts::{ZvtTerminal, SERVICE_BYTE_SEND_TLV};
pub use observe::frame_observer;
pub use transport::{ApduTransport, BlockTimers, Framing, LinkStats, TransportError, WireUnit};
