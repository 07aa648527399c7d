//! A failed ZVT command as a neutral [`TerminalFailure`], with the same wording as everywhere
//! ([`ChannelError::text`]).

use crate::drivers::terminal::{TerminalError, TerminalFailure, WireSummary};
use crate::drivers::zvt::{ChannelError, CommandFailure, TransportError, ZvtError};

/// The neutral failure of a ZVT command.
pub(super) fn failure(f: CommandFailure) -> TerminalFailure {
    let wire = WireSummary {
        bytes_in: f.stats.bytes_in,
        unframed_bytes: f.stats.garbage_bytes,
        unframed_sample: f.garbage,
    };
    TerminalFailure {
        error: error(f.error),
        frames: f.frames,
        wire,
    }
}

/// The neutral error of a ZVT channel error.
pub(super) fn error(e: ChannelError) -> TerminalError {
    let text = e.text();
    match e {
        ChannelError::Link(link) => TerminalError::Link(link),
        ChannelError::Zvt(ZvtError::Refused { result_code }) => TerminalError::Refused {
            code: format!("{result_code:02X}"),
            text,
        },
        ChannelError::Zvt(
            ZvtError::NoAcknowledgement { .. }
            | ZvtError::NoCompletion { .. }
            | ZvtError::Transport(TransportError::Timeout { .. } | TransportError::NoAck { .. }),
        ) => TerminalError::NoAnswer { text },
        ChannelError::Zvt(_) => TerminalError::Protocol { text },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_keeps_its_result_code_and_wording() {
        let e = ChannelError::Zvt(ZvtError::Refused { result_code: 0x83 });
        let text = e.text();
        match error(e) {
            TerminalError::Refused { code, text: t } => {
                assert_eq!(code, "83");
                assert_eq!(t, text);
            }
            other => panic!("{other:?}"),
        }
    }
}
