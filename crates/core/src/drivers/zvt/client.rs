//! Runs one ZVT command sequence as the ECR (docs/protocols/zvt.md §2.2).
//!
//! Command → `80 00 00` (or `84 xx`) within T3 → the terminal is master and may send
//! intermediate status, status information and print lines, each acknowledged at once →
//! Completion (`06 0F`) or Abort (`06 1E`) within T4, which every `04 FF` / `04 0F` restarts.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::Instant;

use super::transport::{ApduTransport, LinkStats, TransportError};
use crate::proto::zvt::apdu::Apdu;
use crate::proto::zvt::message::{decode_pt_message, CommandCode, EcrMessage, PtMessage};

/// T3 and T4 (T1 and T2 belong to the serial block layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZvtTimeouts {
    pub t3: Duration,
    pub t4: Duration,
}

/// Everything the terminal said in answer to one command.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub command: CommandCode,
    /// Intermediate status, status information, print lines… in arrival order.
    pub messages: Vec<PtMessage>,
    /// The Completion or Abort that ended the sequence (`Ack` for a command that ends at the
    /// acknowledgement, such as Abort, when no Completion followed).
    pub end: PtMessage,
}

impl Exchange {
    /// The Status-Enquiry completion, when the command was one.
    pub fn status_completion(
        &self,
    ) -> Option<&crate::proto::zvt::message::StatusEnquiryCompletion> {
        match &self.end {
            PtMessage::StatusEnquiryCompletion(c) => Some(c),
            _ => None,
        }
    }
}

/// Why a command did not complete.
#[derive(Debug, thiserror::Error)]
pub enum ZvtError {
    #[error("{0}")]
    Transport(#[from] TransportError),
    #[error("the terminal did not acknowledge the command within T3 ({})", crate::durations::show(*.t3))]
    NoAcknowledgement { t3: Duration },
    #[error("the terminal refused the command: result code {result_code:02X}")]
    Refused { result_code: u8 },
    #[error("the terminal did not complete the command within T4 ({})", crate::durations::show(*.t4))]
    NoCompletion {
        t4: Duration,
        messages: Vec<PtMessage>,
    },
    #[error("cannot encode the command: {0}")]
    Encode(String),
}

/// A ZVT client over any byte stream.
pub struct ZvtClient<S> {
    transport: ApduTransport<S>,
    timeouts: ZvtTimeouts,
    /// The command in flight, read by the frame observer to decode replies in context.
    context: Arc<Mutex<Option<CommandCode>>>,
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send> ZvtClient<S> {
    pub fn new(
        transport: ApduTransport<S>,
        timeouts: ZvtTimeouts,
        context: Arc<Mutex<Option<CommandCode>>>,
    ) -> Self {
        ZvtClient {
            transport,
            timeouts,
            context,
        }
    }

    pub fn stats(&self) -> LinkStats {
        self.transport.stats()
    }

    /// The first bytes received that were not ZVT (for fingerprinting).
    pub fn garbage_sample(&self) -> &[u8] {
        self.transport.garbage_sample()
    }

    /// Gives the byte stream back (to reconfigure it, or to build another client on it).
    pub fn into_stream(self) -> S {
        self.transport.into_stream()
    }

    pub fn transport_mut(&mut self) -> &mut ApduTransport<S> {
        &mut self.transport
    }

    /// Sends `message` and follows the sequence to its Completion or Abort.
    pub async fn run(&mut self, message: &EcrMessage) -> Result<Exchange, ZvtError> {
        let command = message.command_code();
        if let Ok(mut c) = self.context.lock() {
            *c = Some(command);
        }
        let apdu = message
            .to_apdu()
            .map_err(|e| ZvtError::Encode(e.to_string()))?;
        self.transport.reset();
        self.transport.send(&apdu).await?;

        let mut messages = Vec::new();
        let t3_deadline = Instant::now() + self.timeouts.t3;
        loop {
            let received = match self.transport.recv(t3_deadline).await {
                Ok((apdu, _raw)) => apdu,
                Err(TransportError::Timeout { .. }) => {
                    return Err(ZvtError::NoAcknowledgement {
                        t3: self.timeouts.t3,
                    })
                }
                Err(e) => return Err(e.into()),
            };
            match self.decode(&received, command) {
                PtMessage::Ack if ends_at_ack(command) => {
                    return self.after_final_ack(command, messages).await
                }
                PtMessage::Ack => break,
                PtMessage::NegativeAck { result_code, .. } => {
                    return Err(ZvtError::Refused { result_code })
                }
                // Some terminals skip the acknowledgement and answer at once.
                end if end.ends_command() => {
                    self.acknowledge().await?;
                    return Ok(Exchange {
                        command,
                        messages,
                        end,
                    });
                }
                other => {
                    if other.needs_ack() {
                        self.acknowledge().await?;
                    }
                    messages.push(other);
                }
            }
        }

        let mut t4_deadline = Instant::now() + self.timeouts.t4;
        loop {
            let received = match self.transport.recv(t4_deadline).await {
                Ok((apdu, _raw)) => apdu,
                Err(TransportError::Timeout { .. }) => {
                    return Err(ZvtError::NoCompletion {
                        t4: self.timeouts.t4,
                        messages,
                    })
                }
                Err(e) => return Err(e.into()),
            };
            let message = self.decode(&received, command);
            if message.needs_ack() {
                self.acknowledge().await?;
            }
            if message.restarts_t4() {
                t4_deadline = Instant::now() + self.t4_after(&message);
            }
            if message.ends_command() {
                return Ok(Exchange {
                    command,
                    messages,
                    end: message,
                });
            }
            if ends_at_status_information(command, &message) {
                self.take_trailing_completion().await?;
                return Ok(Exchange {
                    command,
                    messages,
                    end: message,
                });
            }
            messages.push(message);
        }
    }

    /// Abort and Log-Off end at the terminal's `80 00 00`; some terminals still send a
    /// Completion, which is taken (and acknowledged) when it comes within T3.
    async fn after_final_ack(
        &mut self,
        command: CommandCode,
        messages: Vec<PtMessage>,
    ) -> Result<Exchange, ZvtError> {
        let grace = Instant::now() + self.timeouts.t3;
        let end = match self.transport.recv(grace).await {
            Ok((apdu, _raw)) => {
                let message = self.decode(&apdu, command);
                if message.needs_ack() {
                    self.acknowledge().await?;
                }
                message
            }
            Err(TransportError::Timeout { .. }) => PtMessage::Ack,
            Err(e) => return Err(e.into()),
        };
        Ok(Exchange {
            command,
            messages,
            end,
        })
    }

    /// A terminal that still sends a Completion after the card read's Status-Information gets
    /// it acknowledged here, so it is not taken for the answer to the next command.
    async fn take_trailing_completion(&mut self) -> Result<(), ZvtError> {
        let grace = Instant::now() + TRAILING_COMPLETION_GRACE;
        match self.transport.recv(grace).await {
            Ok(_) => self.acknowledge().await,
            Err(TransportError::Timeout { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// `04 FF` may carry a new T4 in minutes.
    fn t4_after(&self, message: &PtMessage) -> Duration {
        match message {
            PtMessage::IntermediateStatus(s) => match s.timeout_min {
                Some(min) if min > 0 => Duration::from_secs(u64::from(min) * 60),
                _ => self.timeouts.t4,
            },
            _ => self.timeouts.t4,
        }
    }

    /// A message we cannot decode is kept as `Other` and still acknowledged, so the terminal
    /// is not left waiting (and does not auto-reverse because of our parser).
    fn decode(&self, apdu: &Apdu, command: CommandCode) -> PtMessage {
        decode_pt_message(apdu, Some(command)).unwrap_or_else(|_| PtMessage::Other(apdu.clone()))
    }

    async fn acknowledge(&mut self) -> Result<(), ZvtError> {
        let ack = EcrMessage::Ack
            .to_apdu()
            .map_err(|e| ZvtError::Encode(e.to_string()))?;
        self.transport.send(&ack).await?;
        Ok(())
    }
}

/// How long a card read waits for a Completion some terminals send after its
/// Status-Information.
const TRAILING_COMPLETION_GRACE: Duration = Duration::from_millis(300);

/// Read Card ends with the Status-Information that carries the card (or an Abort): real
/// terminals send no Completion after it (the zvt crate's Feig captures; ecrterm).
fn ends_at_status_information(command: CommandCode, message: &PtMessage) -> bool {
    command == CommandCode::ReadCard && matches!(message, PtMessage::StatusInformation(_))
}

/// Commands whose sequence ends at the acknowledgement: the terminal does not become master
/// (docs/protocols/zvt.md §5.1: Abort `06 B0` is answered `80 00 00` or `84 xx`; Log-Off `06 02`
/// likewise).
fn ends_at_ack(command: CommandCode) -> bool {
    matches!(command, CommandCode::Abort | CommandCode::LogOff)
}
