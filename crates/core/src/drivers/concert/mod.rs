//! Ingenico Concert as a driver of the terminal layer: the frames a cash register and a Telium
//! terminal exchange, read as transaction observations ([`txn_observe`]), so a tapped Concert
//! line shows its payments and their verdicts as ZVT and nexo do. The codec is
//! `posdiag-proto`'s `concert`; the protocol notes are in docs/protocols/concert.md.
//!
//! Not yet: a Concert driver for the checks (`posdiag check` against a Concert terminal).

#[cfg(any(test, feature = "test-support"))]
pub mod script_frames;
pub mod txn_observe;
