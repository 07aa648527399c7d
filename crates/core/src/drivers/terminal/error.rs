//! Why a terminal query failed, with what the terminal and the wire said.

use crate::frame::FrameRecord;
use crate::i18n::Text;
use crate::link::LinkError;

/// Why a query got no usable answer.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    /// The link could not be opened (port, permission, TCP …).
    #[error("{0}")]
    Link(#[from] LinkError),
    /// The link is open; the terminal did not answer (in time). `text` says what was awaited.
    #[error("{}", .text.en)]
    NoAnswer { text: Text },
    /// The terminal answered and refused; `code` as the protocol shows it (`"83"`, `"Busy"`).
    #[error("{}", .text.en)]
    Refused { code: String, text: Text },
    /// The exchange broke otherwise (a protocol error, an encoding failure, a closed link).
    #[error("{}", .text.en)]
    Protocol { text: Text },
}

impl TerminalError {
    /// What went wrong and what to check, in both languages.
    pub fn text(&self) -> Text {
        match self {
            TerminalError::Link(e) => {
                let (m, h) = (e.message(), e.hint());
                Text::new(
                    format!("{}；{}", m.zh, h.zh),
                    format!("{} — {}", m.en, h.en),
                )
            }
            TerminalError::NoAnswer { text }
            | TerminalError::Refused { text, .. }
            | TerminalError::Protocol { text } => text.clone(),
        }
    }
}

/// What the wire carried during a failed query (for the link check).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireSummary {
    /// Bytes received in all.
    pub bytes_in: usize,
    /// Bytes that never formed a frame of the protocol.
    pub unframed_bytes: usize,
    /// The first of those bytes (for the fingerprint and the evidence).
    pub unframed_sample: Vec<u8>,
}

/// A query that failed, with the frames and bytes seen.
#[derive(Debug)]
pub struct TerminalFailure {
    pub error: TerminalError,
    /// The frames exchanged (already redacted).
    pub frames: Vec<FrameRecord>,
    pub wire: WireSummary,
}
