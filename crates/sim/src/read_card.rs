//! Read Card `06 C0` as a terminal answers it: "insert card" (`04 FF 0A`), then one
//! Status-Information `04 0F` that ends the command — result `27 00`, the masked PAN, expiry
//! and card name, and the TLV container real terminals send with a card read (docs/protocols/zvt.md
//! §6, "after Read Card"; the Feig frames the zvt crate ships): `4C` card identifier, `1F4C` card
//! technology, `60 { 43 AID }` the card's applications. A card that cannot be read ends with
//! Abort `06 1E`.
//!
//! No completion `06 0F` follows the Status-Information: the card read is the answer (the zvt
//! crate's Read Card sequence and ecrterm both stop there; a `06 0F` after it would be taken
//! as the answer to the cash register's next command). No track data is sent: the simulated
//! card is presented contactless, which has none, so nothing sensitive ever leaves it.

use super::terminal::{abort, intermediate, TerminalSim, TEST_CARD_PAN};
use super::terminal_host::TEST_CARD_EXPIRY;
use crate::proto::redact::mask_pan;
use crate::proto::zvt::message::{PtMessage, StatusInformation};
use crate::proto::zvt::tlv::Tlv;
use posdiag_core::cause;

/// The simulated card's contactless identifier (synthetic).
const CARD_UID: [u8; 7] = [0x04, 0x62, 0x00, 0x00, 0x00, 0x00, 0x05];
/// UnionPay debit's application identifier.
const UNIONPAY_DEBIT_AID: [u8; 8] = [0xA0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x01];
/// TLV 1F4C as Feig terminals send it for a contactless card (01 in the crate's captures).
const TECHNOLOGY_CONTACTLESS: u8 = 0x01;

pub(super) fn answer(sim: &TerminalSim) -> Vec<PtMessage> {
    if sim.has(cause!("reader.not_answering")) {
        return vec![abort(0xE2)];
    }
    if sim.has(cause!("reader.unreadable")) {
        return vec![intermediate(0x0A), intermediate(0x0C), abort(0x64)];
    }
    let applications = Tlv::constructed(0x60, vec![Tlv::new(0x43, UNIONPAY_DEBIT_AID.to_vec())]);
    let Ok(applications) = applications else {
        return vec![abort(0xFF)];
    };
    let info = StatusInformation {
        result_code: Some(0x00),
        pan_masked: Some(mask_pan(TEST_CARD_PAN)),
        expiry: Some(TEST_CARD_EXPIRY.to_owned()),
        card_name: Some("UnionPay".to_owned()),
        tlv: Some(vec![
            Tlv::new(0x4C, CARD_UID.to_vec()),
            Tlv::new(0x1F4C, vec![TECHNOLOGY_CONTACTLESS]),
            applications,
        ]),
        ..StatusInformation::default()
    };
    vec![
        intermediate(0x0A),
        PtMessage::StatusInformation(Box::new(info)),
    ]
}
