//! The ISO 8583 host client: posdiag as a China UnionPay POS terminal talking to an acquirer
//! (docs/protocols/iso8583-cup.md).
//!
//! `transport` moves whole frames delimited by the dialect's length prefix; `client` pairs
//! responses with requests (MTI class, TID, STAN) and runs sign-on and echo with MACs;
//! `channel` owns the TCP/TLS connection and its link states; `observe` turns frames into
//! redacted [`crate::frame::FrameRecord`]s for the Log tab and the capture.

mod channel;
mod client;
mod observe;
pub mod transport;

pub use channel::{
    HostChannel, HostChannelError, HostConfig, HostEndpoint, HostFailure, HostRecord,
};
pub use client::{
    HostClient, HostError, HostExchange, MacCheck, SignOn, TerminalIdentity, ECHO_NETWORK_CODE,
};
pub use observe::{frame_observer, frame_record};
pub use transport::{FrameObserver, FrameStats, FrameTransport, TransportError};
