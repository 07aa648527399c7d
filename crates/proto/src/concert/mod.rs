//! Ingenico Concert, protocol E and E+ (the cash-register ⇄ payment-terminal protocol of the
//! French "Association du Paiement", spoken by Ingenico Telium terminals): the control bytes of
//! the ENQ/ACK/NAK/EOT handshake, STX … ETX LRC frames, the fixed-width payment request and the
//! terminal's answer in its short and full forms, what the result codes mean (zh + en), and the
//! masking of card data carried in the answer's "repport" field.
//!
//! Pure: no I/O, and no panic on any bytes (the lints below hold the whole module to it).
//! See docs/protocols/concert.md for the layout and its sources.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

pub mod answer;
pub mod explain;
pub mod fields;
pub mod frame;
pub mod mask;
#[cfg(test)]
mod props;
pub mod request;
pub mod result;

pub use answer::{Answer, AnswerForm, ANSWER_LEN_FULL, ANSWER_LEN_SHORT};
pub use explain::{explain, Explanation};
pub use fields::FieldError;
pub use frame::{
    decode_frame, encode_frame, lrc, tokenize, Control, Deframer, FrameError, Token, ACK, ENQ, EOT,
    ETX, NAK, STX,
};
pub use mask::{mask_repport, redact_stream, MaskedRepport};
pub use request::{Request, REQUEST_LEN_E, REQUEST_LEN_E_PLUS};
pub use result::{Outcome, ResultCode};
