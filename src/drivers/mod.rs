//! Drivers: protocol clients on top of `proto/` codecs and `link/` transports.

pub mod escpos;
pub mod zvt;
