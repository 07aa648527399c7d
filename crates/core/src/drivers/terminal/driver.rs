//! The trait a terminal protocol driver implements for the checks.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

use super::{Answered, LinkProgress, SettingsScan, StatusFacts, TerminalFailure};
use super::{TerminalProtocol, WrongAnswer};
use crate::frame::FrameRecord;
use crate::link::ModemLines;

/// Where a driver's frames go as they happen (the session's bus).
pub type FrameSink = crate::frame::Sink<FrameRecord>;

/// A boxed future, so the trait can be used as `dyn TerminalDriver`.
pub type TerminalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One payment terminal behind one protocol, as the checks use it.
///
/// Queries run one at a time on the terminal's line (the driver serialises them); none of
/// them moves money. A query that fails returns what the wire carried, so the link check can
/// tell silence from noise from another protocol.
pub trait TerminalDriver: Send + Sync {
    fn protocol(&self) -> TerminalProtocol;

    /// Where the terminal is ("serial /dev/ttyUSB0 9600 8N1", "tcp 10.0.0.5:20007").
    fn target(&self) -> String;

    /// The read-only status query: opens the link if needed and asks the terminal for its
    /// state, every area it reports. Asked once per check run ([`super::TerminalProbe`]).
    fn query_status(&self) -> TerminalFuture<'_, Result<StatusFacts, TerminalFailure>>;

    /// What arrived so far while a query is still waiting.
    fn progress(&self) -> LinkProgress;

    /// The frames seen so far (already redacted), for a query that has not finished.
    fn frames_so_far(&self) -> Vec<FrameRecord>;

    /// What bytes that never formed a frame look like.
    fn classify_unframed(&self, bytes: &[u8]) -> WrongAnswer;

    /// On a serial line, tries the usual settings until the terminal answers or `deadline`;
    /// `None` on links without settings (TCP).
    fn scan_settings(&self, deadline: Instant) -> TerminalFuture<'_, Option<SettingsScan>>;

    /// The RS-232 input lines, on a serial line that reports them.
    fn modem_lines(&self) -> TerminalFuture<'_, Option<ModemLines>>;

    /// False when the protocol has no read-only card read (only a payment reads a card there):
    /// the card-read test is then skipped whatever the profile says.
    fn reads_cards(&self) -> bool {
        true
    }

    /// Asks the terminal to read a test card, waiting up to `timeout` for it. Only masked card
    /// data may reach the fact or the frames. `None` (the default): the protocol has no such
    /// command, and `reads_cards()` says so too.
    fn read_card(
        &self,
        _timeout: Duration,
    ) -> TerminalFuture<'_, Option<Result<Answered, TerminalFailure>>> {
        Box::pin(async { None })
    }

    /// False when the protocol has no diagnosis of the terminal's host connection at all: the
    /// host diagnosis check then says so instead of asking for it to be enabled.
    fn diagnoses_host(&self) -> bool {
        true
    }

    /// The terminal's own diagnosis of its host connection (it goes online, no financial
    /// effect). `None` (the default): the protocol has no such command, and
    /// `diagnoses_host()` says so too.
    fn host_diagnosis(&self) -> TerminalFuture<'_, Option<Result<Answered, TerminalFailure>>> {
        Box::pin(async { None })
    }
}
