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
pub use names::{command_name, is_known_code, CommandCode};
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

/// Who sent an APDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    /// The cash register (posdiag, when it drives the terminal).
    Ecr,
    /// The payment terminal.
    Pt,
}

/// Codes only the PT sends: status and print messages, completion and abort, and Feig's
/// Request for Data (`04 0C`, the terminal asking for the next file part).
fn pt_only(class: u8, instr: u8) -> bool {
    matches!(
        [class, instr],
        [0x04, 0x01]
            | [0x04, 0x0C]
            | [0x04, 0x0E]
            | [0x04, 0x0F]
            | [0x04, 0xFF]
            | [0x06, 0x0F]
            | [0x06, 0x1E]
            | [0x06, 0xD1]
            | [0x06, 0xD3]
    )
}

/// Who sends `class instr`, when the code alone tells: `None` for the acknowledgements
/// (`80 00`, `84 xx`), which both sides send, and for codes ZVT does not define. Commands
/// (`05`, `06`, `08` and proprietary `0F` classes) are the ECR's.
pub fn sender_of(class: u8, instr: u8) -> Option<Sender> {
    if pt_only(class, instr) {
        return Some(Sender::Pt);
    }
    match class {
        0x80 | 0x84 => None,
        0x0F => Some(Sender::Ecr),
        _ if !matches!(
            CommandCode::from_bytes(class, instr),
            CommandCode::Other { .. }
        ) =>
        {
            Some(Sender::Ecr)
        }
        _ => None,
    }
}

/// True for codes decoded with the PT's layouts when the direction of an APDU is unknown:
/// the PT-only codes and the acknowledgements.
pub fn is_pt_message(class: u8, instr: u8) -> bool {
    pt_only(class, instr) || class == 0x80 || class == 0x84
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn senders_by_code() {
        assert_eq!(sender_of(0x04, 0x0C), Some(Sender::Pt));
        assert_eq!(sender_of(0x06, 0x0F), Some(Sender::Pt));
        assert_eq!(sender_of(0x08, 0x13), Some(Sender::Ecr));
        assert_eq!(sender_of(0x0F, 0xA1), Some(Sender::Ecr));
        assert_eq!(sender_of(0x05, 0x01), Some(Sender::Ecr));
        assert_eq!(sender_of(0x80, 0x00), None);
        assert_eq!(sender_of(0x84, 0x9C), None);
        assert_eq!(sender_of(0x07, 0x07), None);
    }
}
