//! The terminal channel's frames read by the driver of the protocol the terminal speaks:
//! one place that names every driver, so the tracker and the guide name none.

use super::observe::TerminalEvent;
use super::protocol::TerminalProtocol;
use crate::drivers::concert::txn_observe::ConcertTxnObserver;
use crate::drivers::nexo::txn_observe::NexoTxnObserver;
use crate::drivers::zvt::txn_observe::ZvtTxnObserver;
use crate::frame::FrameRecord;

/// Reads the terminal channel's frames (in wire order) into observations.
#[derive(Debug, Clone)]
pub enum TerminalReader {
    Zvt(ZvtTxnObserver),
    Nexo(NexoTxnObserver),
    Concert(ConcertTxnObserver),
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
            TerminalProtocol::Nexo => TerminalReader::Nexo(NexoTxnObserver::default()),
            TerminalProtocol::Concert => TerminalReader::Concert(ConcertTxnObserver),
        }
    }

    pub fn protocol(&self) -> TerminalProtocol {
        match self {
            TerminalReader::Zvt(_) => TerminalProtocol::Zvt,
            TerminalReader::Nexo(_) => TerminalProtocol::Nexo,
            TerminalReader::Concert(_) => TerminalProtocol::Concert,
        }
    }

    /// What one frame shows; `None` when it shows nothing (an acknowledgement, bytes that
    /// do not decode).
    pub fn read(&mut self, frame: &FrameRecord) -> Option<TerminalEvent> {
        self.read_all(frame).into_iter().next()
    }

    /// Everything one frame shows, in order: a nexo answer is one message that both reports
    /// (amount, card, ids) and ends the command, where ZVT sends one frame for each.
    pub fn read_all(&mut self, frame: &FrameRecord) -> Vec<TerminalEvent> {
        match self {
            TerminalReader::Zvt(z) => z.read(frame).into_iter().collect(),
            TerminalReader::Nexo(n) => n.read(frame),
            TerminalReader::Concert(c) => c.read(frame),
        }
    }
}
