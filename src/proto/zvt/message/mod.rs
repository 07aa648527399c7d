//! Typed ZVT messages: what posdiag (the ECR) sends and what the PT answers, each with encode
//! and decode, plus the command-code table.

mod completion;
mod ecr;
mod ecr_decode;
mod fields;
mod names;
mod pt;
mod status_info;

pub use completion::{Abort, Completion, StatusEnquiryCompletion};
pub use ecr::{
    AbortCommand, Authorisation, Diagnosis, DiagnosisKind, EcrMessage, EndOfDay, ReadCard,
    Registration, RepeatReceipt, Reversal, SetDateTimeInPt, StatusEnquiry,
};
pub use ecr_decode::decode_ecr_message;
pub use names::{command_name, CommandCode};
pub use pt::{
    decode_pt_message, IntermediateStatus, PrintLine, PrintTextBlock, PtMessage, SetDateTimeInEcr,
};
pub use status_info::StatusInformation;

pub(crate) use ecr_decode::decode_ecr_at;
pub(crate) use pt::decode_pt_at;

use super::apdu::Apdu;

/// Offset of the first data byte when `apdu` is sent with the shortest header.
pub(crate) fn data_offset(apdu: &Apdu) -> usize {
    if apdu.data.len() < 0xFF {
        3
    } else {
        5
    }
}

/// True for codes only the PT sends (replies, print and status messages); used when the
/// direction of an APDU is unknown.
pub fn is_pt_message(class: u8, instr: u8) -> bool {
    matches!(
        [class, instr],
        [0x04, 0x01]
            | [0x04, 0x0E]
            | [0x04, 0x0F]
            | [0x04, 0xFF]
            | [0x06, 0x0F]
            | [0x06, 0x1E]
            | [0x06, 0xD1]
            | [0x06, 0xD3]
    ) || class == 0x80
        || class == 0x84
}
