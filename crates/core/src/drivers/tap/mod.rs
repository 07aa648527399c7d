//! `posdiag tap`: a transparent proxy (TCP) or a man in the middle on two serial ports that
//! decodes ISO 8583, ZVT or Concert traffic both ways.

mod decoder;
mod decoder_serial;
mod limits;
mod proxy;
mod pump;
mod serial;
mod stats;

pub use decoder::{StreamDecoder, TapProtocol};
pub use limits::TapLimits;
pub use proxy::{bind, serve, TapConfig, TapError, TapEvent, TapSide, TapTimeout};
pub use pump::Sink;
pub use serial::{open_side, serve_serial, SerialTapConfig, SerialTapError};
pub use stats::{TapStats, TapTotals};
