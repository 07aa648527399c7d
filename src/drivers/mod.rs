//! Drivers: protocol clients on top of `proto/` codecs and `link/` transports.

pub mod iso8583;
pub mod zvt;
