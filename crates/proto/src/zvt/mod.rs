//! ZVT (ECR ↔ payment terminal), the pure codec: serial framing, APDUs, BMPs, TLV, typed
//! messages, code tables, redaction, one-line summaries, peer fingerprinting and the
//! `posdiag decode zvt` explanation. No I/O; no function panics on any input.

// Data from a device is never indexed, unwrapped or trusted to fit.
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

pub mod apdu;
pub mod bmp;
pub mod codes;
pub mod crc;
pub mod datetime;
pub mod deframer;
pub mod device;
pub mod error;
pub mod explain;
mod explain_feig;
#[cfg(test)]
mod explain_tests;
mod explain_tree;
mod explain_values;
pub mod feig;
pub mod fingerprint;
pub mod frame;
pub mod message;
pub(crate) mod reader;
pub mod redact;
mod redact_serial;
mod redact_text;
pub mod summary;
pub mod tags;
pub mod tlv;
pub mod values;

pub use apdu::{Apdu, ApduAssembler};
pub use codes::{intermediate_status, result_code, TerminalStatus};
pub use device::TerminalDiagnostics;
pub use error::{DecodeReason, ZvtDecodeError, ZvtEncodeError};
pub use explain::{explain, Explanation};
pub use fingerprint::{fingerprint, Fingerprint};
pub use frame::{decode_serial_frame, encode_serial_frame, SerialDeframer, SerialEvent};
pub use message::{decode_ecr_message, decode_pt_message, CommandCode, EcrMessage, PtMessage};
pub use redact::{redact_apdu, redact_apdu_checked, redact_serial_frame};
pub use summary::{summarize, summarize_text};
