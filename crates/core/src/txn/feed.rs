//! Reads frames back into protocol messages for the transaction model: the same redacted
//! [`FrameRecord`]s live (from the channels and the tap) and in replay (from a capture).
//!
//! ZVT replies are decoded in the context of the last command the cash register sent, as the
//! terminal means them. ISO 8583 frames are decoded with the profile's dialect; the PAN in a
//! redacted frame is masked again for display, whatever the mask nibbles decode to.

use crate::event::{Direction, FrameRecord};
use crate::proto::iso8583::transaction::TransactionKind;
use crate::proto::iso8583::{decode, Dialect, ProcessingRequirement};
use crate::proto::redact::mask_pan;
use crate::proto::zvt::message::{decode_ecr_message, decode_pt_message, CommandCode};
use crate::proto::zvt::{decode_serial_frame, Apdu, EcrMessage, PtMessage};

/// A ZVT message with the side that sent it.
#[derive(Debug, Clone, PartialEq)]
pub enum ZvtSeen {
    /// Cash register → terminal.
    Ecr(EcrMessage),
    /// Terminal → cash register, decoded in the context of the command it answers.
    Pt(PtMessage),
}

/// Decodes the terminal channel's frames, keeping the command in flight as context.
#[derive(Debug, Clone, Default)]
pub struct ZvtReader {
    context: Option<CommandCode>,
}

/// The APDU bytes of a frame: serial framing removed; ACK/NAK bytes and errors give `None`.
fn apdu_bytes(frame: &FrameRecord) -> Option<Vec<u8>> {
    if frame.error {
        return None;
    }
    if frame.raw.starts_with(&[0x10, 0x02]) {
        return decode_serial_frame(&frame.raw).ok();
    }
    (frame.raw.len() >= 3).then(|| frame.raw.clone())
}

impl ZvtReader {
    pub fn read(&mut self, frame: &FrameRecord) -> Option<ZvtSeen> {
        let apdu = Apdu::decode(&apdu_bytes(frame)?).ok()?;
        match frame.direction {
            Direction::Tx => {
                let message = decode_ecr_message(&apdu).ok()?;
                if !matches!(message, EcrMessage::Ack | EcrMessage::NegativeAck { .. }) {
                    self.context = Some(message.command_code());
                }
                Some(ZvtSeen::Ecr(message))
            }
            Direction::Rx => decode_pt_message(&apdu, self.context).ok().map(ZvtSeen::Pt),
        }
    }
}

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
    let card = m.field(2).map(|f| mask_pan(f.display.trim()));
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
