//! One decoded reply of any kind, and decoding the bytes of a reply to a known query.

use serde::Serialize;

use super::asb::AsbStatus;
use super::asb::ASB_LAYOUTS;
use super::bits::ReplyLayout;
use super::error::EscPosDecodeError;
use super::identity::{
    id_byte_layout, parse_id_block, FirmwareId, IdReply, ModelId, TypeId, ID_HEADER, ID_TERMINATOR,
};
use super::query::{EotQuery, GsRQuery, IdQuery, Query};
use super::status::{
    ErrorCause, InkAStatus, InkBStatus, OfflineCause, PaperSensor, PeelerStatus, PrinterStatus,
};
use super::transmit::{DrawerStatus, InkStatus, PaperStatus};

/// A reply that passed its fixed bits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reply", content = "status", rename_all = "snake_case")]
pub enum Reply {
    /// DLE EOT 1.
    PrinterStatus(PrinterStatus),
    /// DLE EOT 2.
    OfflineCause(OfflineCause),
    /// DLE EOT 3.
    ErrorCause(ErrorCause),
    /// DLE EOT 4.
    PaperSensor(PaperSensor),
    /// DLE EOT 7 1.
    InkA(InkAStatus),
    /// DLE EOT 7 2.
    InkB(InkBStatus),
    /// DLE EOT 8 3.
    Peeler(PeelerStatus),
    /// Automatic Status Back.
    Asb(AsbStatus),
    /// GS r 1.
    TransmitPaper(PaperStatus),
    /// GS r 2.
    TransmitDrawer(DrawerStatus),
    /// GS r 4.
    TransmitInk(InkStatus),
    /// GS I n.
    Id(IdReply),
}

/// Decodes one reply byte to a one-byte query. Offsets in errors are 0.
pub fn decode_byte(query: Query, byte: u8) -> Result<Reply, EscPosDecodeError> {
    Ok(match query {
        Query::RealTime(q) => match q {
            EotQuery::PrinterStatus => Reply::PrinterStatus(PrinterStatus::decode(byte)?),
            EotQuery::OfflineCause => Reply::OfflineCause(OfflineCause::decode(byte)?),
            EotQuery::ErrorCause => Reply::ErrorCause(ErrorCause::decode(byte)?),
            EotQuery::PaperSensor => Reply::PaperSensor(PaperSensor::decode(byte)?),
            EotQuery::InkA => Reply::InkA(InkAStatus::decode(byte)?),
            EotQuery::InkB => Reply::InkB(InkBStatus::decode(byte)?),
            EotQuery::Peeler => Reply::Peeler(PeelerStatus::decode(byte)?),
        },
        Query::TransmitStatus(q) => match q {
            GsRQuery::Paper => Reply::TransmitPaper(PaperStatus::decode(byte)?),
            GsRQuery::Drawer => Reply::TransmitDrawer(DrawerStatus::decode(byte)?),
            GsRQuery::Ink => Reply::TransmitInk(InkStatus::decode(byte)?),
        },
        Query::PrinterId(IdQuery::ModelId) => Reply::Id(IdReply::Model {
            value: ModelId::decode(byte)?,
        }),
        Query::PrinterId(IdQuery::TypeId) => Reply::Id(IdReply::Type {
            value: TypeId::decode(byte)?,
        }),
        Query::PrinterId(IdQuery::FirmwareId) => Reply::Id(IdReply::Firmware {
            value: FirmwareId::decode(byte)?,
        }),
        Query::PrinterId(_) | Query::AutoStatusBack(_) => {
            return Err(EscPosDecodeError::WrongLength {
                query,
                expected: expected_len(query),
                got: 1,
            })
        }
    })
}

/// Decodes the complete reply to `query`: exactly one byte, four ASB bytes, or one text block.
pub fn decode_reply(query: Query, bytes: &[u8]) -> Result<Reply, EscPosDecodeError> {
    if bytes.is_empty() {
        return Err(EscPosDecodeError::Empty);
    }
    match query {
        Query::AutoStatusBack(_) => AsbStatus::decode(bytes).map(Reply::Asb),
        Query::PrinterId(id) if id.is_text() => {
            parse_id_block(id, bytes).map(|value| Reply::Id(IdReply::Text { query: id, value }))
        }
        _ => match bytes {
            [byte] => decode_byte(query, *byte),
            _ => Err(EscPosDecodeError::WrongLength {
                query,
                expected: 1,
                got: bytes.len(),
            }),
        },
    }
}

/// Fixed length of a reply, or 0 for the variable-length text blocks.
fn expected_len(query: Query) -> usize {
    match query {
        Query::AutoStatusBack(_) => super::asb::ASB_LEN,
        Query::PrinterId(id) if id.is_text() => 0,
        _ => 1,
    }
}

impl Reply {
    /// The GS I reply inside, if this is one.
    pub fn as_id(&self) -> Option<&IdReply> {
        match self {
            Reply::Id(id) => Some(id),
            _ => None,
        }
    }

    /// The bytes as the printer sent them (without any interleaved XON/XOFF).
    pub fn raw(&self) -> Vec<u8> {
        match self {
            Reply::Asb(a) => a.raw().to_vec(),
            Reply::Id(IdReply::Text { value, .. }) => {
                let mut v = Vec::with_capacity(value.raw.len().saturating_add(2));
                v.push(ID_HEADER);
                v.extend_from_slice(&value.raw);
                v.push(ID_TERMINATOR);
                v
            }
            other => other.status_bytes().into_iter().map(|(b, _)| b).collect(),
        }
    }

    /// Each status byte with its layout, for explaining bit by bit (empty for text replies).
    pub fn status_bytes(&self) -> Vec<(u8, &'static ReplyLayout)> {
        match self {
            Reply::PrinterStatus(s) => vec![(s.raw(), PrinterStatus::layout())],
            Reply::OfflineCause(s) => vec![(s.raw(), OfflineCause::layout())],
            Reply::ErrorCause(s) => vec![(s.raw(), ErrorCause::layout())],
            Reply::PaperSensor(s) => vec![(s.raw(), PaperSensor::layout())],
            Reply::InkA(s) => vec![(s.raw(), InkAStatus::layout())],
            Reply::InkB(s) => vec![(s.raw(), InkBStatus::layout())],
            Reply::Peeler(s) => vec![(s.raw(), PeelerStatus::layout())],
            Reply::Asb(a) => a.raw().into_iter().zip(ASB_LAYOUTS.iter()).collect(),
            Reply::TransmitPaper(s) => vec![(s.raw(), PaperStatus::layout())],
            Reply::TransmitDrawer(s) => vec![(s.raw(), DrawerStatus::layout())],
            Reply::TransmitInk(s) => vec![(s.raw(), InkStatus::layout())],
            Reply::Id(IdReply::Model { value }) => vec![(value.raw(), ModelId::layout())],
            Reply::Id(IdReply::Type { value }) => vec![(value.raw(), TypeId::layout())],
            Reply::Id(IdReply::Firmware { value }) => {
                vec![(value.raw(), FirmwareId::layout())]
            }
            Reply::Id(IdReply::Text { .. }) => Vec::new(),
        }
    }
}

/// The reply layout of a one-byte query (`None` for ASB and text blocks).
pub fn byte_layout(query: Query) -> Option<&'static ReplyLayout> {
    match query {
        Query::RealTime(q) => Some(super::status::eot_layout(q)),
        Query::TransmitStatus(q) => Some(super::transmit::gs_r_layout(q)),
        Query::PrinterId(q) => id_byte_layout(q),
        Query::AutoStatusBack(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escpos::AsbTriggers;

    #[test]
    fn lengths_are_checked() {
        let eot1 = Query::RealTime(EotQuery::PrinterStatus);
        assert!(matches!(
            decode_reply(eot1, &[0x12, 0x12]),
            Err(EscPosDecodeError::WrongLength { got: 2, .. })
        ));
        assert!(matches!(
            decode_reply(Query::AutoStatusBack(AsbTriggers::STANDARD), &[0x10]),
            Err(EscPosDecodeError::WrongLength { expected: 4, .. })
        ));
        assert_eq!(decode_reply(eot1, &[0x16]).unwrap().raw(), vec![0x16]);
    }
}
