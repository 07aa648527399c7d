//! `posdiag tap`: a transparent proxy that decodes ISO 8583 or ZVT traffic both ways.

mod decoder;
mod limits;
mod proxy;
mod pump;
mod stats;

pub use decoder::{StreamDecoder, TapProtocol};
pub use limits::TapLimits;
pub use proxy::{bind, serve, TapConfig, TapError, TapEvent, TapSide, TapTimeout};
pub use stats::{TapStats, TapTotals};
