//! Pure codecs: bytes ⇄ typed messages. No I/O, no tokio, and no panic on any input.

// Codecs meet bytes from any device and any file: nothing here may panic on them.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

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
