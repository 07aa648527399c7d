//! ZVT as a driver of the protocol-neutral terminal layer ([`crate::drivers::terminal`]).
//!
//! [`ZvtTerminal`] runs the read-only Status-Enquiry, Read Card and Diagnosis on a
//! [`ZvtChannel`] and reads the answers as neutral facts: the status byte, the TLV 1F55 lock
//! bits and the E4 device state become per-area facts with knowledge-base cause ids and the
//! recovery the ZVT spec gives (docs/protocols/zvt.md). One file per area.

mod card_read;
mod clock;
mod failure;
mod host_diagnosis;
mod keys;
mod link;
mod power;
mod printer;
mod reader;
mod state;
mod status;

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::ZvtChannel;
use crate::drivers::terminal::{
    Answered, LinkProgress, SettingsScan, StatusFacts, TerminalDriver, TerminalFailure,
    TerminalFuture, TerminalProtocol, WrongAnswer,
};
use crate::frame::FrameRecord;
use crate::link::ModemLines;
use crate::proto::zvt::values::Password;

pub use status::SERVICE_BYTE_SEND_TLV;

/// A ZVT terminal as the checks see it: its channel and the ECR password.
pub struct ZvtTerminal {
    channel: Arc<ZvtChannel>,
    password: Password,
}

impl ZvtTerminal {
    /// `password` is the terminal's ECR password (the spec puts it before the service byte).
    pub fn new(channel: Arc<ZvtChannel>, password: Password) -> Self {
        ZvtTerminal { channel, password }
    }
}

impl TerminalDriver for ZvtTerminal {
    fn protocol(&self) -> TerminalProtocol {
        TerminalProtocol::Zvt
    }

    fn target(&self) -> String {
        self.channel.target()
    }

    fn query_status(&self) -> TerminalFuture<'_, Result<StatusFacts, TerminalFailure>> {
        Box::pin(status::query(&self.channel, self.password))
    }

    fn progress(&self) -> LinkProgress {
        link::progress(&self.channel)
    }

    fn frames_so_far(&self) -> Vec<FrameRecord> {
        self.channel.frames_so_far()
    }

    fn classify_unframed(&self, bytes: &[u8]) -> WrongAnswer {
        WrongAnswer::from_fingerprint(bytes)
    }

    fn scan_settings(&self, deadline: Instant) -> TerminalFuture<'_, Option<SettingsScan>> {
        Box::pin(link::scan(&self.channel, deadline))
    }

    fn modem_lines(&self) -> TerminalFuture<'_, Option<ModemLines>> {
        Box::pin(self.channel.modem_lines())
    }

    fn read_card(
        &self,
        timeout: Duration,
    ) -> TerminalFuture<'_, Option<Result<Answered, TerminalFailure>>> {
        Box::pin(async move { Some(card_read::read(&self.channel, timeout).await) })
    }

    fn host_diagnosis(&self) -> TerminalFuture<'_, Option<Result<Answered, TerminalFailure>>> {
        Box::pin(async move { Some(host_diagnosis::run(&self.channel).await) })
    }
}
