//! Pure codecs: bytes ⇄ typed messages. No I/O, no tokio, and no panic on any input.

pub mod redact;
pub mod zvt;
