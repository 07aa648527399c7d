//! ESC/POS receipt-printer status codec (docs/protocols/escpos.md): request builders, fixed-bit
//! checked reply decoders, the combined printer condition with fixes, a sans-I/O reply reader, the
//! explanation behind `posdiag decode escpos`, and encoders for the simulated printer.
//!
//! Pure: no I/O, and no panic on any input.

pub mod asb;
pub mod bits;
pub mod commands;
pub mod condition;
pub mod encode;
pub mod error;
pub mod explain;
pub mod hex;
pub mod identity;
pub mod input;
pub mod problem;
pub mod query;
pub mod receipt;
pub mod render;
pub mod reply;
pub mod status;
pub mod stream;
pub mod transmit;

pub use asb::AsbStatus;
pub use bits::{BitState, FixedBits};
pub use condition::{DrawerOpenLevel, PrinterCondition};
pub use error::{CommandError, EscPosDecodeError};
pub use explain::{explain, explain_hex, ExplainNode, Explanation};
pub use hex::parse_hex;
pub use identity::{FontLanguage, IdReply, IdText, PrinterIdentity};
pub use problem::{Problem, Severity};
pub use query::{AsbTriggers, EotQuery, GsRQuery, IdQuery, Query, ReplyShape};
pub use reply::{decode_byte, decode_reply, Reply};
pub use status::{ErrorCause, OfflineCause, PaperSensor, PrinterStatus};
pub use stream::{FlowControl, ReplyReader, StreamItem};
