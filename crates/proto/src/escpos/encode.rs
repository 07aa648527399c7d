//! Reply bytes a printer in a given [`PrinterCondition`] sends, for the simulated printer.
//!
//! The encoders set exactly the bits the decoders read (same mask constants); unknown items
//! (`None`) encode as clear. `None` results mean the printer does not answer: GS r and GS I
//! wait behind the receive buffer and are held while the printer is offline
//! (docs/protocols/escpos.md §2.6, §6), and a
//! receipt printer does not answer the ink/peeler DLE EOT forms (§2.5).

use super::asb::{masks as asb, ASB_LEN};
use super::bits::{ASB_FIRST, DLE_EOT_REPLY};
use super::condition::PrinterCondition;
use super::identity::{
    masks as id_masks, PrinterIdentity, ID_HEADER, ID_TERMINATOR, MAX_ID_REPLY_LEN,
};
use super::query::{EotQuery, GsRQuery, IdQuery, Query};
use super::status::{eot1, eot2, eot3, eot4};
use super::transmit::masks as gsr;

fn bits(pairs: &[(Option<bool>, u8)]) -> u8 {
    pairs
        .iter()
        .filter(|(v, _)| *v == Some(true))
        .fold(0, |acc, (_, mask)| acc | mask)
}

/// The DLE EOT reply byte; `None` for the ink/peeler forms a receipt printer ignores.
pub fn encode_eot(c: &PrinterCondition, query: EotQuery) -> Option<u8> {
    let data = match query {
        EotQuery::PrinterStatus => bits(&[
            (c.drawer_pin3_high, eot1::DRAWER_PIN3_HIGH),
            (c.offline, eot1::OFFLINE),
            (c.waiting_online_recovery, eot1::WAITING_ONLINE_RECOVERY),
            (c.feed_button_pressed, eot1::FEED_BUTTON_PRESSED),
        ]),
        EotQuery::OfflineCause => bits(&[
            (c.cover_open, eot2::COVER_OPEN),
            (c.paper_fed_by_button, eot2::PAPER_FED_BY_BUTTON),
            (c.stopped_by_paper_end, eot2::STOPPED_BY_PAPER_END),
            (c.error_occurred, eot2::ERROR_OCCURRED),
        ]),
        EotQuery::ErrorCause => bits(&[
            (c.recoverable_error, eot3::RECOVERABLE_ERROR),
            (c.cutter_error, eot3::AUTOCUTTER_ERROR),
            (c.unrecoverable_error, eot3::UNRECOVERABLE_ERROR),
            (c.auto_recoverable_error, eot3::AUTO_RECOVERABLE_ERROR),
        ]),
        EotQuery::PaperSensor => bits(&[
            (c.paper_near_end, eot4::NEAR_END),
            (c.paper_out, eot4::PAPER_END),
        ]),
        EotQuery::InkA | EotQuery::InkB | EotQuery::Peeler => return None,
    };
    Some(DLE_EOT_REPLY.value | data)
}

/// The 4-byte Automatic Status Back packet.
pub fn encode_asb(c: &PrinterCondition) -> [u8; ASB_LEN] {
    [
        ASB_FIRST.value
            | bits(&[
                (c.drawer_pin3_high, asb::DRAWER_PIN3_HIGH),
                (c.offline, asb::OFFLINE),
                (c.cover_open, asb::COVER_OPEN),
                (c.paper_fed_by_button, asb::PAPER_FED_BY_BUTTON),
            ]),
        bits(&[
            (c.waiting_online_recovery, asb::WAITING_ONLINE_RECOVERY),
            (c.feed_button_pressed, asb::FEED_BUTTON_PRESSED),
            (c.recoverable_error, asb::RECOVERABLE_ERROR),
            (c.cutter_error, asb::AUTOCUTTER_ERROR),
            (c.unrecoverable_error, asb::UNRECOVERABLE_ERROR),
            (c.auto_recoverable_error, asb::AUTO_RECOVERABLE_ERROR),
        ]),
        bits(&[
            (c.paper_near_end, asb::NEAR_END),
            (c.paper_out, asb::PAPER_END),
        ]),
        0,
    ]
}

/// The GS r reply; `None` while offline (held) and for the TM-J ink query.
pub fn encode_gs_r(c: &PrinterCondition, query: GsRQuery) -> Option<u8> {
    if c.offline == Some(true) {
        return None;
    }
    match query {
        GsRQuery::Paper => Some(bits(&[
            (c.paper_near_end, gsr::NEAR_END),
            (c.paper_out, gsr::PAPER_END),
        ])),
        GsRQuery::Drawer => Some(bits(&[(c.drawer_pin3_high, gsr::DRAWER_PIN3_HIGH)])),
        GsRQuery::Ink => None,
    }
}

/// The GS I reply for `identity`; `None` when the item is unknown. One-byte IDs keep only the
/// bits a valid reply can carry; text is ASCII as is, other characters as GB18030, control
/// characters replaced by `?`, cut to fit the 99-byte transmit buffer.
pub fn encode_id(identity: &PrinterIdentity, query: IdQuery) -> Option<Vec<u8>> {
    // Bits 4 and 7 are fixed 0 in one-byte IDs.
    let byte = |v: Option<u8>| v.map(|b| vec![b & 0x6F]);
    match query {
        IdQuery::ModelId => byte(identity.model_id),
        IdQuery::TypeId => byte(identity.type_id.map(|t| {
            t & (id_masks::TWO_BYTE_CHARACTERS | id_masks::AUTOCUTTER | id_masks::DM_D_CONNECTED)
        })),
        IdQuery::FirmwareId => byte(identity.firmware_id),
        _ => {
            let text = identity.text(query)?;
            let limit = MAX_ID_REPLY_LEN.saturating_sub(1);
            let mut out = vec![ID_HEADER];
            let mut utf8 = [0u8; 4];
            for c in text.chars() {
                let c = if c.is_control() { '?' } else { c };
                // Whole characters only, so a cut never leaves half a GB18030 code.
                let (encoded, _, _) = encoding_rs::GB18030.encode(c.encode_utf8(&mut utf8));
                if out.len().saturating_add(encoded.len()) > limit {
                    break;
                }
                out.extend_from_slice(&encoded);
            }
            out.push(ID_TERMINATOR);
            Some(out)
        }
    }
}

/// The reply to any query, or `None` when the printer would not answer it.
pub fn encode_reply(
    c: &PrinterCondition,
    identity: &PrinterIdentity,
    query: Query,
) -> Option<Vec<u8>> {
    match query {
        Query::RealTime(q) => encode_eot(c, q).map(|b| vec![b]),
        Query::AutoStatusBack(_) => Some(encode_asb(c).to_vec()),
        Query::TransmitStatus(q) => encode_gs_r(c, q).map(|b| vec![b]),
        Query::PrinterId(q) => {
            if c.offline == Some(true) {
                None
            } else {
                encode_id(identity, q)
            }
        }
    }
}
