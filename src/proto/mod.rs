//! Pure codecs: bytes ⇄ typed messages. No I/O, no tokio, and no panic on any input.

pub mod concert;
pub mod escpos;
pub mod iso8583;
pub mod nexo;
pub mod redact;
pub mod zvt;
