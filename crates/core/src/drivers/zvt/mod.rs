//! The ZVT client: posdiag as the ECR talking to a payment terminal (docs/protocols/zvt.md).
//!
//! `transport` moves APDUs (serial block protocol or TCP); `client` runs command sequences
//! with T3/T4 and acknowledges everything the terminal sends; `observe` turns wire units into
//! redacted [`crate::frame::FrameRecord`]s for the Log tab and the capture; `txn_observe` reads
//! those frames back as terminal-layer observations for transactions and the guide; `facts` makes ZVT a
//! driver of the neutral terminal layer for checks ([`ZvtTerminal`]).

mod channel;
mod client;
mod facts;
mod observe;
#[cfg(any(test, feature = "test-support"))]
pub mod script_frames;
pub mod transport;
pub mod txn_codes;
pub mod txn_observe;
mod txn_observe_pt;

pub use channel::{
    ChannelError, CommandFailure, CommandRecord, ScanRow, WireSeen, ZvtChannel, ZvtEndpoint,
    ZvtTiming,
};
pub use client::{Exchange, ZvtClient, ZvtError, ZvtTimeouts};
pub use facts::{ZvtTerminal, SERVICE_BYTE_SEND_TLV};
pub use observe::frame_observer;
pub use transport::{ApduTransport, BlockTimers, Framing, LinkStats, TransportError, WireUnit};
