//! Reads host frames back into ISO 8583 messages for the transaction model: the same redacted
//! [`FrameRecord`]s live (from the channels and the tap) and in replay (from a capture).
//! (The terminal channel is read by its protocol's driver, `drivers::terminal::reader`.)
//!
//! ISO 8583 frames are decoded with the profile's dialect; the PAN in a redacted frame is
//! masked again for display, whatever the mask nibbles decode to.

use crate::frame::FrameRecord;
use crate::proto::iso8583::transaction::TransactionKind;
use crate::proto::iso8583::{decode, Dialect, ProcessingRequirement};
use crate::proto::redact::mask_pan;

/// What the model needs from one ISO 8583 frame.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IsoSeen {
    pub mti: String,
    pub response: bool,
    pub kind: Option<TransactionKind>,
    pub tid: Option<String>,
    pub stan: Option<String>,
    /// 60.2.
    pub batch: Option<String>,
    /// Field 4, minor units.
    pub amount: Option<u64>,
    /// Field 2, masked.
    pub card: Option<String>,
    /// Field 39: the response code, or a reversal's reason.
    pub code: Option<String>,
    pub rrn: Option<String>,
    pub auth_code: Option<String>,
    /// Field 13, MMDD.
    pub date: Option<String>,
    /// Header 处理要求 = 3.
    pub wants_sign_on: bool,
    /// 对账应答代码 of a settlement response (field 48, position 31).
    pub settlement_flag: Option<char>,
    /// The original STAN a void names (61.2).
    pub original_stan: Option<String>,
}

fn text(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Reads one host frame; `None` when it does not decode.
pub fn read_iso(dialect: &Dialect, frame: &FrameRecord) -> Option<IsoSeen> {
    if frame.error {
        return None;
    }
    let m = decode(dialect, &frame.raw).ok()?;
    let response = m.mti.is_response();
    let field60 = m.str(60);
    let card = m.field(2).map(|f| mask_pan(f.display().trim()));
    Some(IsoSeen {
        mti: m.mti.as_str().to_owned(),
        response,
        kind: Some(m.transaction()),
        tid: text(m.str(41)),
        stan: text(m.str(11)),
        batch: field60.and_then(|f| f.get(2..8)).map(str::to_owned),
        amount: m.str(4).and_then(|a| a.trim().parse().ok()),
        card,
        code: text(m.str(39)).map(|c| c.to_ascii_uppercase()),
        rrn: text(m.str(37)),
        auth_code: text(m.str(38)),
        date: text(m.str(13)),
        wants_sign_on: m.processing_requirement() == Some(ProcessingRequirement::ReSignOn),
        settlement_flag: m.str(48).and_then(|f| f.chars().nth(30)),
        original_stan: m.str(61).and_then(|f| f.get(6..12)).map(str::to_owned),
    })
}
