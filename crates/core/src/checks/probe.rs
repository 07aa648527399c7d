//! The shared terminal probe: one Status-Enquiry per run, read by every terminal check.
//!
//! ZVT is master/slave on one line, so checks of the same terminal cannot talk to it at once;
//! they share this one read-only probe (service byte 0x04 asks for the TLV with 1F55, E4 and
//! the terminal clock) and each interprets it for its own area.

use std::sync::Arc;
use std::time::SystemTime;

use tokio::sync::OnceCell;

use crate::drivers::zvt::{CommandFailure, CommandRecord, ZvtChannel};
use crate::proto::zvt::device::TerminalDiagnostics;
use crate::proto::zvt::message::{EcrMessage, StatusEnquiry, StatusEnquiryCompletion};
use crate::proto::zvt::values::Password;

/// What the Status-Enquiry returned.
#[derive(Debug)]
pub struct StatusSnapshot {
    pub completion: StatusEnquiryCompletion,
    pub diagnostics: TerminalDiagnostics,
    pub record: CommandRecord,
    /// The laptop's clock when the answer arrived (for the clock check).
    pub received_at: SystemTime,
}

/// The outcome of the probe: a snapshot, or what went wrong on the wire.
pub type StatusOutcome = Result<StatusSnapshot, CommandFailure>;

/// Service byte asking the terminal to send its TLV container in the completion.
pub const SERVICE_BYTE_SEND_TLV: u8 = 0x04;

/// One probe per check run.
pub struct TerminalProbe {
    channel: Arc<ZvtChannel>,
    password: Password,
    status: OnceCell<StatusOutcome>,
}

impl TerminalProbe {
    /// `password` is the terminal's ECR password (the spec puts it before the service byte).
    pub fn new(channel: Arc<ZvtChannel>, password: Password) -> Self {
        TerminalProbe {
            channel,
            password,
            status: OnceCell::new(),
        }
    }

    pub fn channel(&self) -> &Arc<ZvtChannel> {
        &self.channel
    }

    /// The Status-Enquiry outcome, asked once and shared.
    pub async fn status(&self) -> &StatusOutcome {
        self.status
            .get_or_init(|| async {
                let query = EcrMessage::StatusEnquiry(StatusEnquiry {
                    password: Some(self.password),
                    service_byte: Some(SERVICE_BYTE_SEND_TLV),
                    tlv: None,
                });
                let record = self.channel.run(&query).await?;
                let received_at = SystemTime::now();
                match record.exchange.status_completion().cloned() {
                    Some(completion) => Ok(StatusSnapshot {
                        diagnostics: completion.diagnostics(),
                        completion,
                        record,
                        received_at,
                    }),
                    None => Err(CommandFailure {
                        error: crate::drivers::zvt::ChannelError::Zvt(
                            crate::drivers::zvt::ZvtError::Refused {
                                result_code: abort_code(&record),
                            },
                        ),
                        frames: record.frames,
                        stats: Default::default(),
                        garbage: Vec::new(),
                    }),
                }
            })
            .await
    }
}

fn abort_code(record: &CommandRecord) -> u8 {
    match &record.exchange.end {
        crate::proto::zvt::message::PtMessage::Abort(a) => a.result_code,
        _ => 0xFF,
    }
}
