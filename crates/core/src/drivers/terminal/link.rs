//! What the link check needs beyond the status query: what arrived so far while a query is
//! still waiting, what a wrong answer looks like, and the serial settings scan.

use crate::i18n::Text;
use crate::link::SerialSettings;

/// What the terminal has sent so far, readable while a query is still in flight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkProgress {
    /// Units received at all: frames, acknowledgements, bad frames, noise.
    pub units_in: usize,
    /// Valid frames of the protocol received.
    pub frames_in: usize,
    /// The first bytes received that were not the protocol.
    pub unframed_sample: Vec<u8>,
}

/// What a peer that does not answer in the protocol most likely is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrongAnswerKind {
    /// Noise as from a baud rate or framing mismatch (cause `link.garbled`).
    BaudMismatch,
    /// Something recognisable that is not this protocol (the protocol's wrong-peer cause).
    OtherProtocol,
}

/// The driver's reading of bytes that never formed a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct WrongAnswer {
    pub kind: WrongAnswerKind,
    /// What the bytes look like ("an ESC/POS printer's status byte" …).
    pub description: Text,
}

impl WrongAnswer {
    /// What bytes that never formed a frame look like, by their shape: noise as from a wrong
    /// baud rate, or a recognisable banner, HTTP, TLS, a printer's status byte …
    pub fn from_fingerprint(bytes: &[u8]) -> WrongAnswer {
        let fp = crate::proto::zvt::fingerprint(bytes);
        WrongAnswer {
            kind: if fp.likely_baud_mismatch {
                WrongAnswerKind::BaudMismatch
            } else {
                WrongAnswerKind::OtherProtocol
            },
            description: fp.description,
        }
    }
}

/// One serial setting tried by the scan.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanRow {
    pub settings: SerialSettings,
    /// The terminal answered the protocol's read-only query at this setting.
    pub answered: bool,
    pub bytes_in: usize,
    pub unframed_bytes: usize,
}

/// The settings scan of a garbled serial line.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingsScan {
    /// The profile's setting (not tried again).
    pub current: SerialSettings,
    /// The settings tried, in order, until one answered or time ran out.
    pub rows: Vec<ScanRow>,
    /// How many settings the scan had in mind.
    pub planned: usize,
}

/// The usual settings, the profile's framing first at each rate, the current one left out.
pub fn scan_order(current: &SerialSettings) -> Vec<SerialSettings> {
    let mut all = SerialSettings::autodetect_candidates(&current.port);
    all.retain(|s| !(s.baud == current.baud && s.framing() == current.framing()));
    all.sort_by_key(|s| (s.baud, s.framing() != current.framing()));
    all
}
