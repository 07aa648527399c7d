//! The simulated payment terminal: its state (faults, what its recoveries fixed), what it
//! reports about itself, and the loop that answers the cash register. What it answers to each
//! command is `commands.rs` (administration), `payment.rs` / `payment_admin.rs` (money),
//! `preauth.rs` (reservations), `read_card.rs` and `vendor.rs`; serving it over a link is
//! `server.rs`.

use posdiag_core::catalogue::CauseId;
use posdiag_core::cause;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::Instant;

use super::commands::{self, Reply};
use super::faults::Fault;
use super::payment::{self, PaymentDesk};
use super::preauth;
use super::repairs::Repairs;
use super::terminal_state::{ClockShift, TerminalState};
use crate::drivers::zvt::transport::{ApduTransport, TransportError};
use crate::proto::zvt::codes::TerminalStatus;
use crate::proto::zvt::device::{DeviceState, LockBit, TerminalDiagnostics, TerminalLocks};
use crate::proto::zvt::message::{
    decode_ecr_message, Abort, EcrMessage, IntermediateStatus, PtMessage,
};
use crate::proto::zvt::values::{ZvtDate, ZvtDateTime, ZvtTime};

/// The synthetic test card presented to Read Card: UnionPay's public test number, never a
/// real card.
pub const TEST_CARD_PAN: &str = "6200000000000005";
pub(super) const TID: &str = super::acquirer::SIM_TERMINAL_TID;
pub(super) const SW_VERSION: &str = "posdiag-sim 1.0 (ZVT 13.08)";
/// How long the simulator waits for the ECR's `80 00 00` after each message (its T3).
const ECR_ACK_TIMEOUT: Duration = Duration::from_secs(5);

/// A simulated terminal with a fixed set of faults; clones share one payment desk (journal,
/// host and printer) and one state (what its recoveries fixed).
#[derive(Debug, Clone)]
pub struct TerminalSim {
    faults: Vec<Fault>,
    desk: Arc<PaymentDesk>,
    state: Arc<TerminalState>,
    /// Faults repaired while it runs (the demo's "simulate the repair").
    repairs: Repairs,
}

impl TerminalSim {
    pub fn new(faults: Vec<Fault>) -> Self {
        TerminalSim {
            faults,
            desk: Arc::new(PaymentDesk::default()),
            state: Arc::new(TerminalState::default()),
            repairs: Repairs::default(),
        }
    }

    /// Shares `repairs` with the rest of the simulator.
    pub fn with_repairs(mut self, repairs: Repairs) -> Self {
        self.repairs = repairs;
        self
    }

    /// The injected faults that still show: not cleared by a recovery the terminal ran
    /// (Initialisation…) and not repaired by hand (the demo's "simulate the repair").
    pub(super) fn active(&self) -> impl Iterator<Item = &Fault> + '_ {
        self.faults
            .iter()
            .filter(|f| !self.state.is_cleared(f.id()) && !self.repairs.is_repaired(f.id()))
    }

    /// Where it pays: its host, its printer, its journal.
    pub fn desk(&self) -> &PaymentDesk {
        &self.desk
    }

    /// True while fault `id` shows: injected, and not fixed by a recovery since.
    pub fn has(&self, id: CauseId) -> bool {
        self.active().any(|f| f.cause() == id)
    }

    /// The terminal no longer shows fault `id`: the recovery for it ran (Initialisation for
    /// `terminal.needs_init`…). Link faults are not cleared this way.
    pub fn clear(&self, id: CauseId) {
        self.state.clear(id);
    }

    pub fn faults(&self) -> &[Fault] {
        &self.faults
    }

    /// Everything a cash register can change about the terminal, as text: its journal
    /// (payments, trace and receipt numbers, batch) and its own state (faults a recovery
    /// cleared, terminal ID, clock). For tests that prove a probe changed nothing.
    pub fn state_snapshot(&self) -> String {
        format!("{}\n{:?}", self.desk.journal_state(), self.state)
    }

    /// The terminal ID it reports: set by the cash register (`06 1B`), else its own.
    pub(super) fn tid(&self) -> String {
        self.state.tid().unwrap_or_else(|| TID.to_owned())
    }

    pub(super) fn set_tid(&self, tid: Option<String>) {
        self.state.set_tid(tid);
    }

    /// Sets the terminal's clock to `at` (Set Date/Time, or the host's time in a Diagnosis):
    /// a wrong clock is right afterwards.
    pub(super) fn set_clock(&self, at: SystemTime) {
        let now = SystemTime::now();
        let shift = match at.duration_since(now) {
            Ok(ahead) => ClockShift {
                by: ahead,
                behind: false,
            },
            Err(e) => ClockShift {
                by: e.duration(),
                behind: true,
            },
        };
        self.state.set_clock(shift);
        self.clear(cause!("clock.wrong"));
    }

    /// The one terminal-status byte (a terminal reports its most urgent state).
    pub fn terminal_status(&self) -> TerminalStatus {
        let by_priority = [
            (
                cause!("power.low_voltage"),
                TerminalStatus::SupplyVoltageTooLow,
            ),
            (
                cause!("reader.not_answering"),
                TerminalStatus::CardReaderNotAnswering,
            ),
            (
                cause!("terminal.needs_init"),
                TerminalStatus::InitialisationRequired,
            ),
            (
                cause!("terminal.diagnosis_required"),
                TerminalStatus::DiagnosisRequired,
            ),
            (
                cause!("terminal.eod_required"),
                TerminalStatus::ReconciliationRequired,
            ),
            (cause!("reader.card_inserted"), TerminalStatus::CardInserted),
            (
                cause!("terminal.printer_not_ready"),
                TerminalStatus::PrinterNotReady,
            ),
        ];
        by_priority
            .into_iter()
            .find(|(id, _)| self.has(*id))
            .map_or(TerminalStatus::Ready, |(_, s)| s)
    }

    fn locks(&self) -> TerminalLocks {
        let bits: Vec<LockBit> = [
            (
                cause!("terminal.eod_required"),
                LockBit::ReconciliationWithClosure,
            ),
            (cause!("terminal.needs_init"), LockBit::Initialisation),
            (cause!("terminal.diagnosis_required"), LockBit::Diagnosis),
            (cause!("reader.not_answering"), LockBit::CardReaderNotFound),
            (cause!("reader.card_inserted"), LockBit::CardStillInserted),
            (cause!("power.low_battery"), LockBit::LowBattery),
            (cause!("terminal.printer_not_ready"), LockBit::Printer),
        ]
        .into_iter()
        .filter(|(id, _)| self.has(*id))
        .map(|(_, bit)| bit)
        .collect();
        TerminalLocks::from_bits(&bits)
    }

    /// The terminal's clock: now, shifted by `clock.wrong`.
    pub(super) fn clock(&self) -> ZvtDateTime {
        let mut now = SystemTime::now();
        let shifts = self.faults.iter().filter_map(|f| match f {
            Fault::ClockWrong { by, behind } if self.has(cause!("clock.wrong")) => {
                Some(ClockShift {
                    by: *by,
                    behind: *behind,
                })
            }
            _ => None,
        });
        for ClockShift { by, behind } in shifts.chain(self.state.clock()) {
            now = if behind {
                now.checked_sub(by).unwrap_or(now)
            } else {
                now.checked_add(by).unwrap_or(now)
            };
        }
        // Fault parsing bounds the skew; a clock still off the calendar reads as now.
        let t = crate::localtime::local(now)
            .or_else(|| crate::localtime::local(SystemTime::now()))
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        ZvtDateTime {
            date: ZvtDate {
                year: Some(t.year().clamp(0, 9999) as u16),
                month: u8::from(t.month()),
                day: t.day(),
            },
            time: ZvtTime {
                hour: t.hour(),
                minute: t.minute(),
                second: t.second(),
            },
        }
    }

    pub(super) fn diagnostics(&self) -> TerminalDiagnostics {
        let device_state = if self.has(cause!("keys.missing")) {
            DeviceState::NoKeysLoaded
        } else if self.has(cause!("terminal.needs_init")) {
            DeviceState::InitialisationNeeded
        } else {
            DeviceState::Ready
        };
        TerminalDiagnostics {
            tid: Some(self.tid()),
            device_name: Some("posdiag simulated terminal".to_owned()),
            sw_version: Some(SW_VERSION.to_owned()),
            serial_number: Some("20260001".to_owned()),
            device_state: Some(device_state),
            key_generation: (!self.has(cause!("keys.missing"))).then(|| "01".to_owned()),
            locks: Some(self.locks()),
            date_time: Some(self.clock()),
            reboot_time: Some(ZvtTime {
                hour: 3,
                minute: 0,
                second: 0,
            }),
        }
    }

    /// Answers commands on `transport` until the link closes.
    pub async fn serve<S: AsyncRead + AsyncWrite + Unpin + Send>(
        &self,
        transport: &mut ApduTransport<S>,
    ) -> Result<(), TransportError> {
        let forever = Instant::now() + Duration::from_secs(10 * 365 * 24 * 3600);
        loop {
            let (apdu, _) = match transport.recv(forever).await {
                Ok(received) => received,
                Err(TransportError::Closed { .. }) => return Ok(()),
                Err(e) => return Err(e),
            };
            let command = match decode_ecr_message(&apdu) {
                Ok(EcrMessage::Ack) | Ok(EcrMessage::NegativeAck { .. }) => continue,
                Ok(command) => command,
                Err(_) => {
                    // ZVT protocol error (9A): a command we could not parse.
                    send(transport, &nack(0x9A)).await?;
                    continue;
                }
            };
            if payment::is_payment_command(&command) {
                payment::run(self, &command, transport).await?;
                continue;
            }
            if let Some(op) = preauth::operation(&command) {
                preauth::run(self, op, transport).await?;
                continue;
            }
            match commands::answer(self, &command).await {
                Reply::Refuse(refusal) => send(transport, &refusal).await?,
                Reply::Run(sequence) => {
                    send(transport, &PtMessage::Ack).await?;
                    for message in sequence {
                        send(transport, &message).await?;
                        if !wait_for_ecr_ack(transport).await? {
                            break;
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn intermediate(code: u8) -> PtMessage {
    PtMessage::IntermediateStatus(IntermediateStatus {
        code,
        timeout_min: None,
        tlv: None,
    })
}

pub(super) fn abort(result_code: u8) -> PtMessage {
    PtMessage::Abort(Abort {
        result_code,
        ..Abort::default()
    })
}

/// `84 xx 00`: the command is refused with result code `xx` before it starts. The `00` is the
/// length byte: a negative acknowledgement carries no data (docs/protocols/zvt.md §2.1).
pub(super) fn nack(result_code: u8) -> PtMessage {
    PtMessage::NegativeAck {
        result_code,
        data: Vec::new(),
    }
}

pub(super) async fn send<S: AsyncRead + AsyncWrite + Unpin + Send>(
    transport: &mut ApduTransport<S>,
    message: &PtMessage,
) -> Result<(), TransportError> {
    let apdu = message
        .to_apdu()
        .map_err(|e| TransportError::Encode(e.to_string()))?;
    transport.send(&apdu).await
}

/// Waits for the ECR's `80 00 00`; false when it never came (the sequence stops there, as a
/// real terminal would abort it).
pub(super) async fn wait_for_ecr_ack<S: AsyncRead + AsyncWrite + Unpin + Send>(
    transport: &mut ApduTransport<S>,
) -> Result<bool, TransportError> {
    let deadline = Instant::now() + ECR_ACK_TIMEOUT;
    loop {
        match transport.recv(deadline).await {
            Ok((apdu, _)) => {
                if matches!(decode_ecr_message(&apdu), Ok(EcrMessage::Ack)) {
                    return Ok(true);
                }
            }
            Err(TransportError::Timeout { .. }) => return Ok(false),
            Err(e) => return Err(e),
        }
    }
}
