//! ISO 8583, China UnionPay POS dialect: a pure, table-driven codec (no I/O, never panics).
//!
//! - [`dialect`]: the dialect as profile data (framing, header, MTI, field overrides);
//!   [`Dialect::cup`] is the CUP POS default.
//! - [`spec`] and [`fields`]: a field's wire spec; the CUP field table (number, zh/en name, spec).
//! - [`codec`] and [`packing`]: one field ⇄ bytes (BCD nibbles, length prefixes, ASCII/GBK).
//! - [`message`]: [`Message`] encode/decode with byte spans; [`decode`], [`decode_partial`].
//! - [`codes`]: field 39 meanings, POS classes A–E, the success set.
//! - [`mac`]: CUP-ECB, X9.9 and X9.19 MACs over the MAC block.
//! - [`keys`]: the working-key block of a sign-on (field 62), sealed under a master key.
//! - [`redact`]: masking of PAN, track data, PIN block, keys and card data in field 55.
//! - [`explain`] and [`summary`]: the masked views for `decode iso8583`, the TUI and logs.
//!
//! Wire reference: `docs/protocols/iso8583-cup.md`.

pub mod codec;
pub mod codes;
mod des_key;
pub mod dialect;
pub mod error;
pub mod explain;
pub mod fields;
pub mod framing;
pub mod header;
pub mod keys;
pub mod mac;
pub mod message;
pub mod mti;
pub mod packing;
pub mod redact;
pub mod spec;
pub mod subfields;
pub mod summary;
pub mod tlv;
pub mod transaction;

pub use codec::FieldValue;
pub use codes::{PosClass, ResponseCode};
pub use dialect::{Dialect, Encoding, FieldOverride, FieldSpec, LengthKind, LengthPrefix, Pad};
pub use error::{DecodeError, DecodeWarning, EncodeError, Part};
pub use explain::{explain, Explanation};
pub use framing::{frame_length, DecodedEnvelope, Envelope, FrameLength};
pub use header::{CupHeader, ProcessingRequirement, Tpdu};
pub use keys::{KeyBlockError, KeyMode, KeyRole, MasterKey, WorkingKeys};
pub use mac::{MacAlgorithm, MacError, MacKey};
pub use message::{decode, decode_partial, DecodedField, DecodedMessage, Message, PartialDecode};
pub use mti::Mti;
pub use redact::{is_sound, redact_message, redact_partial, sensitive_spans};
pub use summary::{summarize, summary, summary_line};
pub use transaction::TransactionKind;
