//! The ESC/POS client: posdiag reading a receipt printer's status (docs/protocols/escpos.md §9).
//!
//! `client` runs exchanges over any byte stream (drain, requests, replies or "no reply");
//! `read` holds what an exchange found; `channel` opens serial or TCP 9100 links, reconnects,
//! and guards the actions that change the printer; `observe` turns wire events into
//! [`crate::frame::FrameRecord`]s for the Log tab and the capture.

mod channel;
mod client;
mod observe;
mod read;

pub use channel::{
    Confirmation, PrinterChannel, PrinterChannelError, PrinterEndpoint, PrinterFailure,
    PrinterRecord, PrinterTiming, TestPrint,
};
pub use client::{
    ClientStats, ClientTimeouts, PrinterClient, PrinterError, PrinterObserver, WireEvent,
};
pub use observe::{describe, frame_observer, reply_summary};
pub use read::{IdentityRead, StatusRead};

#[cfg(test)]
mod client_tests;
