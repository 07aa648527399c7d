//! The terminal channel's frames read by the driver of the protocol the terminal speaks:
//! one place that names every driver, so the tracker and the guide name none.

use super::observe::TerminalEvent;
use super::protocol::TerminalProtocol;
use crate::drivers::zvt::txn_observe::ZvtTxnObserver;
use crate::frame::FrameRecord;

/// Reads the terminal channel's frames (in wire order) into observations.
#[derive(Debug, Clone)]
pub enum TerminalReader {
    Zvt(ZvtTxnObserver),
}

impl Default for TerminalReader {
    fn default() -> Self {
        Self::new(TerminalProtocol::default())
    }
}

impl TerminalReader {
    pub fn new(protocol: TerminalProtocol) -> Self {
        match protocol {
            TerminalProtocol::Zvt => TerminalReader::Zvt(ZvtTxnObserver::default()),
        }
    }

    pub fn protocol(&self) -> TerminalProtocol {
        match self {
            TerminalReader::Zvt(_) => TerminalProtocol::Zvt,
        }
    }

    /// What one frame shows; `None` when it shows nothing (an acknowledgement, bytes that
    /// do not decode).
    pub fn read(&mut self, frame: &FrameRecord) -> Option<TerminalEvent> {
        match self {
            TerminalReader::Zvt(z) => z.read(frame),
        }
    }
}
