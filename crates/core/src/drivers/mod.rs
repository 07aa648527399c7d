//! Drivers: protocol clients on top of `proto/` codecs and `link/` transports.

pub mod concert;
pub mod escpos;
mod open;
pub(crate) use open::open_announced;
pub mod iso8583;
pub mod nexo;
pub mod tap;
pub mod terminal;
pub mod zvt;
