//! Pure judgement of what came back to a probe: the protocol it names, silence, or an unknown
//! answer with its fingerprint; and the evidence, masked by the codec's own redaction.

use super::{Outcome, Protocol};
use crate::proto::concert::frame::ACK as CONCERT_ACK;
use crate::proto::concert::mask::redact_stream as concert_redact;
use crate::proto::escpos::bits::DLE_EOT_REPLY;
use crate::proto::zvt::apdu::ApduAssembler;
use crate::proto::zvt::fingerprint::fingerprint;
use crate::proto::zvt::frame::{SerialDeframer, SerialEvent};
use crate::proto::zvt::redact::redact_apdu;
use crate::proto::zvt::redact_serial_frame;

/// Silence, or an unknown answer fingerprinted.
fn unknown(bytes: &[u8]) -> Outcome {
    if bytes.is_empty() {
        Outcome::Silent
    } else {
        Outcome::Unknown {
            fingerprint: fingerprint(bytes),
        }
    }
}

/// Answer to `DLE EOT 1`: exactly one status byte with the fixed bits `0xx1xx10`.
pub fn judge_escpos(bytes: &[u8]) -> Outcome {
    match bytes {
        [b] if DLE_EOT_REPLY.matches(*b) => Outcome::Identified {
            protocol: Protocol::Escpos,
        },
        other => unknown(other),
    }
}

/// Answer to `ENQ`: a Concert terminal opens the session with `ACK`.
pub fn judge_concert(bytes: &[u8]) -> Outcome {
    match bytes {
        [CONCERT_ACK] => Outcome::Identified {
            protocol: Protocol::Concert,
        },
        other => unknown(other),
    }
}

/// The APDUs of the complete ZVT frames (good CRC) in serial-line bytes.
pub(super) fn frame_apdus(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut deframer = SerialDeframer::new();
    deframer
        .push(bytes)
        .into_iter()
        .filter_map(|e| match e {
            SerialEvent::Frame { apdu, .. } => Some(apdu),
            _ => None,
        })
        .collect()
}

/// How many complete ZVT frames (good CRC) are in serial-line bytes.
pub(super) fn zvt_frames(bytes: &[u8]) -> usize {
    frame_apdus(bytes).len()
}

/// Answer to a Status Enquiry on serial framing: at least one frame with a good CRC (an ACK
/// alone is not enough: a Concert terminal ACKs the `05` in the frame as an ENQ).
pub fn judge_zvt_serial(bytes: &[u8]) -> Outcome {
    if zvt_frames(bytes) > 0 {
        Outcome::Identified {
            protocol: Protocol::Zvt,
        }
    } else {
        unknown(bytes)
    }
}

/// The APDUs a terminal sent over TCP (complete ones only).
pub(super) fn zvt_apdus(bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut assembler = ApduAssembler::new();
    assembler.push(bytes);
    let mut out = Vec::new();
    while let Ok(Some((apdu, raw))) = assembler.pop_with_raw() {
        out.push((apdu.class, raw));
    }
    if let Some(apdu) = assembler.pop_short_ack() {
        out.push((apdu.class, vec![apdu.class, 0x00]));
    }
    out
}

/// Answer to a Status Enquiry APDU over TCP: an APDU with a terminal class (`80`/`84`
/// acknowledgement, `04` status, `06` completion).
pub fn judge_zvt_tcp(bytes: &[u8]) -> Outcome {
    let apdus = zvt_apdus(bytes);
    if !apdus.is_empty()
        && apdus
            .iter()
            .all(|(class, _)| matches!(class, 0x80 | 0x84 | 0x04 | 0x06))
    {
        Outcome::Identified {
            protocol: Protocol::Zvt,
        }
    } else {
        unknown(bytes)
    }
}

/// Evidence as hex: what the answering codec would store (card data masked, what could not
/// be parsed hidden whole).
pub(super) fn evidence(protocol: Option<Protocol>, tcp: bool, bytes: &[u8]) -> String {
    let masked = match protocol {
        Some(Protocol::Escpos) => bytes.to_vec(),
        Some(Protocol::Concert) => concert_redact(bytes),
        Some(Protocol::Zvt) if tcp => zvt_apdus(bytes)
            .into_iter()
            .flat_map(|(_, raw)| redact_apdu(&raw))
            .collect(),
        // ZVT serial and everything unknown: the serial redaction keeps ACK/NAK and frames
        // (redacted), keeps text (card-like digits masked), hides binary noise whole.
        _ => redact_serial_frame(bytes),
    };
    hex::encode_upper(masked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges() {
        assert!(matches!(judge_escpos(&[0x12]), Outcome::Identified { .. }));
        assert!(matches!(judge_escpos(&[0x92]), Outcome::Unknown { .. }));
        assert_eq!(judge_escpos(&[]), Outcome::Silent);
        assert!(matches!(judge_concert(&[0x06]), Outcome::Identified { .. }));
        assert!(matches!(judge_concert(&[0x15]), Outcome::Unknown { .. }));
        // ACK alone is not ZVT; ACK + a good frame is.
        assert!(matches!(judge_zvt_serial(&[0x06]), Outcome::Unknown { .. }));
        let framed = crate::proto::zvt::frame::encode_serial_frame(&[0x80, 0x00, 0x00]);
        let mut answer = vec![0x06];
        answer.extend(&framed);
        assert!(matches!(
            judge_zvt_serial(&answer),
            Outcome::Identified { .. }
        ));
        assert!(matches!(
            judge_zvt_tcp(&[0x80, 0x00, 0x00, 0x06, 0x0F, 0x00]),
            Outcome::Identified { .. }
        ));
        assert!(matches!(
            judge_zvt_tcp(b"VER|APP1.2|"),
            Outcome::Unknown { .. }
        ));
    }

    #[test]
    fn noise_is_hidden_in_evidence() {
        let noise = [0x00, 0xF8, 0x80, 0xFE, 0x00, 0xE0, 0x78, 0xFF];
        let ev = evidence(None, false, &noise);
        assert_ne!(ev, hex::encode_upper(noise));
    }
}
