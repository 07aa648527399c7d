//! The shared Status-Enquiry (`05 01`, service byte 0x04: send the TLV with 1F55, E4 and the
//! clock) and its reading as neutral [`StatusFacts`], area by area.

use std::time::SystemTime;

use super::failure::{error, failure};
use crate::drivers::terminal::{IdentityFact, StatusFacts, TerminalFailure};
use crate::drivers::zvt::{ChannelError, CommandRecord, ZvtChannel, ZvtError};
use crate::i18n::Text;
use crate::proto::zvt::codes::TerminalStatus;
use crate::proto::zvt::device::TerminalDiagnostics;
use crate::proto::zvt::message::StatusEnquiryCompletion;
use crate::proto::zvt::message::{EcrMessage, PtMessage, StatusEnquiry};
use crate::proto::zvt::values::Password;

/// Service byte asking the terminal to send its TLV container in the completion.
pub const SERVICE_BYTE_SEND_TLV: u8 = 0x04;

/// What the Status-Enquiry returned, as every area reads it.
pub(super) struct Snapshot<'a> {
    pub completion: &'a StatusEnquiryCompletion,
    pub diagnostics: &'a TerminalDiagnostics,
    pub received_at: SystemTime,
}

impl Snapshot<'_> {
    pub fn status(&self) -> TerminalStatus {
        self.completion.terminal_status
    }
}

/// Asks the Status-Enquiry and reads it.
pub(super) async fn query(
    channel: &ZvtChannel,
    password: Password,
) -> Result<StatusFacts, TerminalFailure> {
    let query = EcrMessage::StatusEnquiry(StatusEnquiry {
        password: Some(password),
        service_byte: Some(SERVICE_BYTE_SEND_TLV),
        tlv: None,
    });
    let record = channel.run(&query).await.map_err(failure)?;
    let received_at = SystemTime::now();
    let Some(completion) = record.exchange.status_completion() else {
        let refused = ChannelError::Zvt(ZvtError::Refused {
            result_code: abort_code(&record),
        });
        return Err(TerminalFailure {
            error: error(refused),
            frames: record.frames,
            wire: Default::default(),
        });
    };
    let diagnostics = completion.diagnostics();
    let snapshot = Snapshot {
        completion,
        diagnostics: &diagnostics,
        received_at,
    };
    let mut facts = read(&snapshot);
    facts.frames = record.frames.clone();
    Ok(facts)
}

/// Every area of one answer.
pub(super) fn read(s: &Snapshot<'_>) -> StatusFacts {
    StatusFacts {
        state: super::state::state(s),
        identity: IdentityFact {
            software_version: s
                .completion
                .sw_version
                .clone()
                .or_else(|| s.diagnostics.sw_version.clone()),
            terminal_id: s.diagnostics.tid.clone(),
        },
        power_supply: Some(super::power::supply(s)),
        battery: Some(super::power::battery(s)),
        reader: Some(super::reader::status(s)),
        printer: Some(super::printer::printer(s)),
        keys: Some(super::keys::keys(s)),
        clock: Some(super::clock::clock(s)),
        host: None,
        frames: Vec::new(),
    }
}

fn abort_code(record: &CommandRecord) -> u8 {
    match &record.exchange.end {
        PtMessage::Abort(a) => a.result_code,
        _ => 0xFF,
    }
}

/// The cause id a terminal-status code points at, if any.
pub(super) fn cause_of_status(status: TerminalStatus) -> Option<crate::catalogue::CauseId> {
    use TerminalStatus as S;
    Some(match status {
        S::SupplyVoltageTooLow => crate::cause!("power.low_voltage"),
        S::CardReaderNotAnswering => crate::cause!("reader.not_answering"),
        S::CardInserted | S::CardNotCompletelyRemoved => crate::cause!("reader.card_inserted"),
        S::CardLockingMechanismDefect | S::ShutterClosed => crate::cause!("reader.defective"),
        S::InitialisationRequired => crate::cause!("terminal.needs_init"),
        S::DiagnosisRequired | S::MerchantCardLocked => {
            crate::cause!("terminal.diagnosis_required")
        }
        S::ReconciliationRequired => crate::cause!("terminal.eod_required"),
        S::OutOfOrder => crate::cause!("terminal.out_of_order"),
        S::MemoryFull | S::MerchantJournalFull => crate::cause!("terminal.memory_full"),
        S::TerminalActivationRequired | S::OptDataNotAvailable => {
            crate::cause!("terminal.activation_required")
        }
        S::PleaseWait => crate::cause!("terminal.busy"),
        S::RemoteMaintenanceActivated => crate::cause!("terminal.remote_maintenance"),
        S::CardProfileInvalid => crate::cause!("terminal.card_profile_invalid"),
        S::PrinterNotReady => super::printer::CAUSE,
        S::DateTimeIncorrect => crate::cause!("clock.wrong"),
        S::Ready | S::PartialIssueOfGoods | S::Other(_) => return None,
    })
}

/// "51 initialisation required" in both languages.
pub(super) fn status_text(status: TerminalStatus) -> Text {
    let m = status.meaning();
    Text::new(
        format!("{:02X} {}", status.to_byte(), m.zh),
        format!("{:02X} {}", status.to_byte(), m.en),
    )
}

/// The "terminal status" evidence label.
pub(super) const STATUS_LABEL: Text = Text::fixed("终端状态", "terminal status");
