//! Drivers: protocol clients on top of `proto/` codecs and `link/` transports.

pub mod concert;
pub mod escpos;
pub mod iso8583;
pub mod nexo;
pub mod tap;
pub mod terminal;
pub mod zvt;
