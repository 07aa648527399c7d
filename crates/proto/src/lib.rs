//! Pure codecs: bytes ⇄ typed messages. No I/O, no tokio, and no panic on any input.

//!
//! The bottom of the workspace: also the vocabulary every layer shares — bilingual text
//! ([`i18n`]), the diagnosis areas ([`area`]), duration and local-time formatting.

pub mod durations;
pub mod i18n;
pub mod localtime;

pub mod area;
pub mod concert;
pub mod escpos;
pub mod iso8583;
pub mod nexo;
pub mod redact;
pub mod serde_fmt;
pub mod zvt;
