//! `posdiag tap`: a transparent proxy that decodes ISO 8583 or ZVT traffic both ways.

mod decoder;
mod proxy;
mod stats;

pub use decoder::{StreamDecoder, TapProtocol};
pub use proxy::{bind, serve, TapConfig, TapError, TapEvent, TapSide};
pub use stats::{TapStats, TapTotals};
