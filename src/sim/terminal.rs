//! The simulated payment terminal's behaviour: what it answers to each ECR command, with the
//! injected faults applied. Serving it over a link is `server.rs`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::Instant;

use super::faults::{decline_applies_without_card, Fault};
use super::payment::{self, PaymentDesk};
use super::repairs::Repairs;
use crate::drivers::zvt::transport::{ApduTransport, TransportError};
use crate::proto::zvt::bmp::Bmp;
use crate::proto::zvt::codes::TerminalStatus;
use crate::proto::zvt::device::{DeviceState, LockBit, TerminalDiagnostics, TerminalLocks};
use crate::proto::zvt::message::{
    decode_ecr_message, Abort, Completion, EcrMessage, IntermediateStatus, PrintLine, PtMessage,
    StatusEnquiryCompletion, StatusInformation,
};
use crate::proto::zvt::values::{ZvtDate, ZvtDateTime, ZvtTime};

/// The synthetic test card presented to Read Card: UnionPay's public test number, never a
/// real card.
pub const TEST_CARD_PAN: &str = "6200000000000005";
const TEST_CARD_EXPIRY: &str = "2912";
pub(super) const TID: &str = super::acquirer::SIM_TERMINAL_TID;
const SW_VERSION: &str = "posdiag-sim 1.0 (ZVT 13.08)";
/// Currency of the simulated shop: CNY.
const CURRENCY: u16 = 156;
/// How long the simulator waits for the ECR's `80 00 00` after each message (its T3).
const ECR_ACK_TIMEOUT: Duration = Duration::from_secs(5);

/// A simulated terminal with a fixed set of faults; clones share one payment desk (journal,
/// host and printer).
#[derive(Debug, Clone)]
pub struct TerminalSim {
    faults: Vec<Fault>,
    desk: Arc<PaymentDesk>,
    /// Faults repaired while it runs (the demo's "simulate the repair").
    repairs: Repairs,
}

impl TerminalSim {
    pub fn new(faults: Vec<Fault>) -> Self {
        TerminalSim {
            faults,
            desk: Arc::new(PaymentDesk::default()),
            repairs: Repairs::default(),
        }
    }

    /// Shares `repairs` with the rest of the simulator.
    pub fn with_repairs(mut self, repairs: Repairs) -> Self {
        self.repairs = repairs;
        self
    }

    /// The injected faults not repaired since.
    fn active(&self) -> impl Iterator<Item = &Fault> + '_ {
        self.faults
            .iter()
            .filter(|f| !self.repairs.is_repaired(f.id()))
    }

    /// Where it pays: its host, its printer, its journal.
    pub fn desk(&self) -> &PaymentDesk {
        &self.desk
    }

    pub fn has(&self, id: &str) -> bool {
        self.active().any(|f| f.id() == id)
    }

    pub fn faults(&self) -> &[Fault] {
        &self.faults
    }

    /// The one terminal-status byte (a terminal reports its most urgent state).
    pub fn terminal_status(&self) -> TerminalStatus {
        let by_priority = [
            ("power.low_voltage", TerminalStatus::SupplyVoltageTooLow),
            (
                "reader.not_answering",
                TerminalStatus::CardReaderNotAnswering,
            ),
            (
                "terminal.needs_init",
                TerminalStatus::InitialisationRequired,
            ),
            (
                "terminal.diagnosis_required",
                TerminalStatus::DiagnosisRequired,
            ),
            (
                "terminal.eod_required",
                TerminalStatus::ReconciliationRequired,
            ),
            ("reader.card_inserted", TerminalStatus::CardInserted),
            (
                "terminal.printer_not_ready",
                TerminalStatus::PrinterNotReady,
            ),
        ];
        by_priority
            .into_iter()
            .find(|(id, _)| self.has(id))
            .map_or(TerminalStatus::Ready, |(_, s)| s)
    }

    fn locks(&self) -> TerminalLocks {
        let bits: Vec<LockBit> = [
            ("terminal.eod_required", LockBit::ReconciliationWithClosure),
            ("terminal.needs_init", LockBit::Initialisation),
            ("terminal.diagnosis_required", LockBit::Diagnosis),
            ("reader.not_answering", LockBit::CardReaderNotFound),
            ("reader.card_inserted", LockBit::CardStillInserted),
            ("power.low_battery", LockBit::LowBattery),
            ("terminal.printer_not_ready", LockBit::Printer),
        ]
        .into_iter()
        .filter(|(id, _)| self.has(id))
        .map(|(_, bit)| bit)
        .collect();
        TerminalLocks::from_bits(&bits)
    }

    /// The terminal's clock: now, shifted by `clock.wrong`.
    pub(super) fn clock(&self) -> ZvtDateTime {
        let mut now = SystemTime::now();
        for f in self.active() {
            if let Fault::ClockWrong { by, behind } = f {
                now = if *behind { now - *by } else { now + *by };
            }
        }
        let offset = crate::localtime::offset();
        let t = time::OffsetDateTime::from(now).to_offset(offset);
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

    fn diagnostics(&self) -> TerminalDiagnostics {
        let device_state = if self.has("keys.missing") {
            DeviceState::NoKeysLoaded
        } else if self.has("terminal.needs_init") {
            DeviceState::InitialisationNeeded
        } else {
            DeviceState::Ready
        };
        TerminalDiagnostics {
            tid: Some(TID.to_owned()),
            device_name: Some("posdiag simulated terminal".to_owned()),
            sw_version: Some(SW_VERSION.to_owned()),
            serial_number: Some("20260001".to_owned()),
            device_state: Some(device_state),
            key_generation: (!self.has("keys.missing")).then(|| "01".to_owned()),
            locks: Some(self.locks()),
            date_time: Some(self.clock()),
            reboot_time: Some(ZvtTime {
                hour: 3,
                minute: 0,
                second: 0,
            }),
        }
    }

    /// What the terminal sends after its `80 00 00`, or the result code it refuses with.
    pub fn respond(&self, command: &EcrMessage) -> Result<Vec<PtMessage>, u8> {
        match command {
            EcrMessage::StatusEnquiry(q) => {
                let wants_tlv = q.service_byte.is_some_and(|b| b & 0x04 != 0);
                let tlv = if wants_tlv {
                    Some(self.diagnostics().to_tlv().map_err(|_| 0xFFu8)?)
                } else {
                    None
                };
                let skip_sw = q.service_byte.is_some_and(|b| b & 0x02 != 0);
                Ok(vec![PtMessage::StatusEnquiryCompletion(
                    StatusEnquiryCompletion {
                        sw_version: (!skip_sw).then(|| SW_VERSION.to_owned()),
                        terminal_status: self.terminal_status(),
                        tlv,
                    },
                )])
            }
            EcrMessage::Registration(_) => {
                let status_byte = if self.has("terminal.needs_init") {
                    0x01
                } else if self.has("terminal.diagnosis_required") {
                    0x02
                } else {
                    0x00
                };
                Ok(vec![PtMessage::Completion(Completion {
                    status_byte: Some(status_byte),
                    tid: Some(TID.to_owned()),
                    currency: Some(CURRENCY),
                    ..Completion::default()
                })])
            }
            EcrMessage::Diagnosis(_) => Ok(self.diagnosis()),
            EcrMessage::ReadCard(_) => Ok(self.read_card()),
            EcrMessage::PrintSystemConfiguration => Ok(self.print_configuration()),
            EcrMessage::LogOff => Ok(vec![PtMessage::Completion(Completion::default())]),
            EcrMessage::Abort(_) => Ok(Vec::new()),
            _ => Err(0x83),
        }
    }

    /// Diagnosis goes online to the host: the host and network faults show here too (A3 no
    /// connection, A1 remote station does not respond, a numeric decline passed through).
    fn diagnosis(&self) -> Vec<PtMessage> {
        let declined = self.active().find_map(|f| match f {
            // Diagnosis carries no card: a card code (51) does not fail it.
            Fault::HostDecline { code } if decline_applies_without_card(code) => {
                code.parse::<u8>().ok().filter(|c| (1..=99).contains(c))
            }
            _ => None,
        });
        let failure = if self.has("network.down") {
            Some(0xA3)
        } else if self.has("host.timeout") {
            Some(0xA1)
        } else {
            declined
        };
        match failure {
            Some(code) => vec![intermediate(0x04), abort(code)],
            None => vec![
                intermediate(0x04),
                PtMessage::Completion(Completion {
                    result_code: Some(0x00),
                    ..Completion::default()
                }),
            ],
        }
    }

    fn read_card(&self) -> Vec<PtMessage> {
        if self.has("reader.not_answering") {
            return vec![abort(0xE2)];
        }
        if self.has("reader.unreadable") {
            return vec![intermediate(0x0A), intermediate(0x0C), abort(0x64)];
        }
        let track2 = format!("{TEST_CARD_PAN}D{TEST_CARD_EXPIRY}1011234567");
        let info = StatusInformation {
            result_code: Some(0x00),
            other_bmps: vec![Bmp::new(0x23, pack_nibbles(&track2))],
            ..StatusInformation::default()
        };
        vec![
            intermediate(0x0A),
            PtMessage::StatusInformation(Box::new(info)),
            PtMessage::Completion(Completion {
                result_code: Some(0x00),
                ..Completion::default()
            }),
        ]
    }

    fn print_configuration(&self) -> Vec<PtMessage> {
        let d = self.diagnostics();
        let mut lines = vec![
            "SYSTEM CONFIGURATION".to_owned(),
            format!("TID      {TID}"),
            format!("SW       {SW_VERSION}"),
            format!("CLOCK    {}", self.clock()),
            format!("STATUS   {:02X}", self.terminal_status().to_byte()),
        ];
        if let Some(state) = d.device_state {
            lines.push(format!("DEVICE   {:02X}", state.to_byte()));
        }
        let last = lines.len().saturating_sub(1);
        let mut out: Vec<PtMessage> = lines
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                PtMessage::PrintLine(PrintLine {
                    attribute: if i == last { 0xC0 } else { 0x00 },
                    text,
                })
            })
            .collect();
        out.push(PtMessage::Completion(Completion::default()));
        out
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
            match self.respond(&command) {
                Err(code) => send(transport, &nack(code)).await?,
                Ok(sequence) => {
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

fn nack(result_code: u8) -> PtMessage {
    PtMessage::NegativeAck {
        result_code,
        data: vec![0x00],
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

/// Packs hex-digit characters (0-9, D separator) into bytes, padding an odd count with F.
fn pack_nibbles(digits: &str) -> Vec<u8> {
    let nibbles: Vec<u8> = digits
        .chars()
        .filter_map(|c| c.to_digit(16).map(|d| d as u8))
        .collect();
    nibbles
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => (hi << 4) | lo,
            [hi] => (hi << 4) | 0x0F,
            _ => 0xFF,
        })
        .collect()
}
