//! Ingenico Concert as a driver of the terminal layer: the terminal's line and its read-only
//! presence probe for the checks ([`line`], [`facts`]), and the frames a cash register and a
//! Telium terminal exchange read as transaction observations ([`txn_observe`]), so a tapped
//! Concert line shows its payments and their verdicts as ZVT and nexo do. The codec is
//! `posdiag-proto`'s `concert`; the protocol notes are in docs/protocols/concert.md.
//!
//! Not yet: payments run by posdiag itself over Concert (`posdiag txn`).

mod facts;
mod line;
#[cfg(test)]
mod line_tests;
#[cfg(any(test, feature = "test-support"))]
pub mod script_frames;
pub mod txn_observe;

pub use facts::ConcertTerminal;
pub use line::{ConcertLine, Presence};
