//! Pure codecs: bytes ⇄ typed messages. No I/O, no tokio, and no panic on any input.

pub mod area;
pub mod escpos;
pub mod hex_bytes;
pub mod iso8583;
pub mod nexo;
pub mod redact;
pub mod zvt;
