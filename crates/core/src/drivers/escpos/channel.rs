//! One receipt-printer channel: opens the link (serial, or TCP 9100), runs status and
//! identity reads on it one at a time, notices a lost link and reopens it (a USB adapter is
//! found again by its identity, even under a new port name; a network printer that dropped
//! an idle connection is reconnected once and the read repeated).
//!
//! Test print and recovery change the printer, so they take a [`Confirmation`]: only code
//! that asked the operator creates one.

use std::sync::{Arc, Mutex};

use super::client::{ClientTimeouts, PrinterClient, PrinterError};
use super::observe::frame_observer;
use super::read::{IdentityRead, StatusRead};
use crate::drivers::open_announced;
use crate::frame::{FrameRecord, LinkState, Sink};
use crate::link::{
    connect_tcp, is_link_lost, open_serial_following, BoxedLink, LinkError, PortIdentity,
};
use crate::proto::escpos::commands::Recovery;
use crate::proto::escpos::receipt::test_receipt;
use crate::proto::escpos::{FlowControl, Problem, Severity};

/// Where the printer is.
pub type PrinterEndpoint = crate::link::Endpoint;

/// Timing of a printer channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrinterTiming {
    pub client: ClientTimeouts,
    pub connect: std::time::Duration,
}

/// A read that worked, with the frames behind it.
#[derive(Debug, Clone)]
pub struct PrinterRecord<T> {
    pub read: T,
    pub frames: Vec<FrameRecord>,
}

/// Why an operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PrinterChannelError {
    #[error("{0}")]
    Link(#[from] LinkError),
    #[error("{0}")]
    Printer(#[from] PrinterError),
    /// The test print was not sent: the printer reported these problems first.
    #[error("the printer is not ready to print: {}", problem_names(.problems))]
    NotReady { problems: Vec<Problem> },
}

fn problem_names(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.name().en.into_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An operation that failed, with what was seen on the wire.
#[derive(Debug)]
pub struct PrinterFailure {
    pub error: PrinterChannelError,
    pub frames: Vec<FrameRecord>,
}

/// The operator agreed to an action that changes the printer (paper, or its error state).
/// Create one only after asking (the TUI's confirmation dialog, or an explicit flag headless).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Confirmation(());

impl Confirmation {
    pub fn given_by_operator() -> Self {
        Confirmation(())
    }
}

/// A test print: the status before (it must be ready), the bytes sent, the status after.
/// No ESC/POS reply confirms that paper came out; the status after shows whether printing
/// ran into paper end, an open cover or a cutter error.
#[derive(Debug, Clone)]
pub struct TestPrint {
    pub before: StatusRead,
    pub after: StatusRead,
    pub bytes_sent: usize,
}

/// A receipt-printer channel.
pub struct PrinterChannel {
    timing: PrinterTiming,
    endpoint: Mutex<PrinterEndpoint>,
    identity: Option<PortIdentity>,
    client: tokio::sync::Mutex<Option<PrinterClient<BoxedLink>>>,
    recent: Arc<Mutex<Vec<FrameRecord>>>,
    on_frame: Sink<FrameRecord>,
    on_state: Sink<LinkState>,
}

impl PrinterChannel {
    pub fn new(
        endpoint: PrinterEndpoint,
        timing: PrinterTiming,
        on_frame: Sink<FrameRecord>,
        on_state: Sink<LinkState>,
    ) -> Self {
        let identity = match &endpoint {
            PrinterEndpoint::Serial(s) => PortIdentity::lookup(&s.port),
            PrinterEndpoint::Tcp(_) => None,
        };
        PrinterChannel {
            timing,
            endpoint: Mutex::new(endpoint),
            identity,
            client: tokio::sync::Mutex::new(None),
            recent: Arc::new(Mutex::new(Vec::new())),
            on_frame,
            on_state,
        }
    }

    pub fn endpoint(&self) -> PrinterEndpoint {
        self.endpoint
            .lock()
            .map(|e| e.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    pub fn target(&self) -> String {
        self.endpoint().describe()
    }

    pub fn timing(&self) -> PrinterTiming {
        self.timing
    }

    async fn open_link(&self, endpoint: &PrinterEndpoint) -> Result<BoxedLink, LinkError> {
        match endpoint {
            PrinterEndpoint::Serial(s) => {
                // A re-plugged adapter may come back under another name: remember it.
                let (link, used) = open_serial_following(s, self.identity.as_ref())?;
                if used.port != s.port {
                    if let Ok(mut e) = self.endpoint.lock() {
                        *e = PrinterEndpoint::Serial(used);
                    }
                }
                Ok(Box::new(link))
            }
            PrinterEndpoint::Tcp(addr) => {
                Ok(Box::new(connect_tcp(addr, self.timing.connect).await?))
            }
        }
    }

    fn make_client(&self, link: BoxedLink, endpoint: &PrinterEndpoint) -> PrinterClient<BoxedLink> {
        // XON/XOFF only exist on serial lines; on TCP 11/13 are just bytes that fit no reply.
        let flow = match endpoint {
            PrinterEndpoint::Serial(_) => FlowControl::XonXoff,
            PrinterEndpoint::Tcp(_) => FlowControl::None,
        };
        let sink = {
            let on_frame = self.on_frame.clone();
            let recent = self.recent.clone();
            Arc::new(move |frame: FrameRecord| {
                if let Ok(mut r) = recent.lock() {
                    r.push(frame.clone());
                }
                on_frame(frame);
            })
        };
        PrinterClient::new(link, flow, self.timing.client).with_observer(frame_observer(sink))
    }

    /// Opens the link if it is not open. Reports the state as it changes.
    pub async fn connect(&self) -> Result<(), LinkError> {
        let mut guard = self.client.lock().await;
        self.ensure_open(&mut guard).await.map(|_| ())
    }

    /// Opens the link if needed; true when it was opened now.
    async fn ensure_open(
        &self,
        slot: &mut Option<PrinterClient<BoxedLink>>,
    ) -> Result<bool, LinkError> {
        if slot.is_some() {
            return Ok(false);
        }
        let endpoint = self.endpoint();
        let opening = self.open_link(&endpoint);
        let link = open_announced(&self.on_state, endpoint.describe(), opening, || {
            self.endpoint().describe()
        });
        let link = link.await?;
        *slot = Some(self.make_client(link, &self.endpoint()));
        Ok(true)
    }

    fn take_frames(&self) -> Vec<FrameRecord> {
        self.recent
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }

    fn failure(&self, error: PrinterChannelError) -> PrinterFailure {
        PrinterFailure {
            error,
            frames: self.take_frames(),
        }
    }

    /// A lost link drops the client (the next operation reopens it) and says so.
    fn note_error(&self, slot: &mut Option<PrinterClient<BoxedLink>>, error: &PrinterError) {
        let lost = match error {
            PrinterError::Closed { .. } => true,
            PrinterError::Io(e) => is_link_lost(e),
        };
        if lost {
            *slot = None;
            (self.on_state)(LinkState::Lost {
                target: self.target(),
                reason: error.to_string(),
            });
        }
    }

    fn note_status(&self, read: &StatusRead) {
        let state = if read.silent() {
            LinkState::NoReply {
                target: self.target(),
            }
        } else {
            LinkState::Connected {
                target: self.target(),
            }
        };
        (self.on_state)(state);
    }

    /// Reads DLE EOT 1-4 under the channel lock. A link found closed that had been open from
    /// before (the printer dropped an idle connection, or was power-cycled) is reopened once.
    async fn status_locked(
        &self,
        slot: &mut Option<PrinterClient<BoxedLink>>,
    ) -> Result<StatusRead, PrinterChannelError> {
        for attempt in 0..2 {
            let opened_now = self.ensure_open(slot).await?;
            let Some(client) = slot.as_mut() else {
                break;
            };
            match client.status().await {
                Ok(read) => {
                    self.note_status(&read);
                    return Ok(read);
                }
                Err(e) => {
                    self.note_error(slot, &e);
                    if opened_now || attempt == 1 || slot.is_some() {
                        return Err(e.into());
                    }
                }
            }
        }
        Err(PrinterChannelError::Printer(PrinterError::Closed {
            reason: "not open".to_owned(),
        }))
    }

    /// One real-time status read (DLE EOT 1-4), opening the link first if needed.
    pub async fn status(&self) -> Result<PrinterRecord<StatusRead>, PrinterFailure> {
        let mut guard = self.client.lock().await;
        self.take_frames();
        match self.status_locked(&mut guard).await {
            Ok(read) => Ok(PrinterRecord {
                read,
                frames: self.take_frames(),
            }),
            Err(e) => Err(self.failure(e)),
        }
    }

    /// The printer's identity (GS I). Ask only when a status read said it is online.
    pub async fn identify(&self) -> Result<PrinterRecord<IdentityRead>, PrinterFailure> {
        let mut guard = self.client.lock().await;
        self.take_frames();
        if let Err(e) = self.ensure_open(&mut guard).await {
            return Err(self.failure(e.into()));
        }
        let Some(client) = guard.as_mut() else {
            return Err(self.failure(
                PrinterError::Closed {
                    reason: "not open".to_owned(),
                }
                .into(),
            ));
        };
        match client.identify().await {
            Ok(read) => Ok(PrinterRecord {
                read,
                frames: self.take_frames(),
            }),
            Err(e) => {
                self.note_error(&mut guard, &e);
                Err(self.failure(e.into()))
            }
        }
    }

    /// Prints posdiag's test receipt (ASCII and Chinese lines as GB18030, then a cut), only
    /// when a status read just before shows the printer online with no failure. `stamp`
    /// (time, profile) is printed as a line of its own.
    pub async fn test_print(
        &self,
        _confirmed: Confirmation,
        stamp: &str,
    ) -> Result<PrinterRecord<TestPrint>, PrinterFailure> {
        let mut guard = self.client.lock().await;
        self.take_frames();
        let before = match self.status_locked(&mut guard).await {
            Ok(read) => read,
            Err(e) => return Err(self.failure(e)),
        };
        let blocking: Vec<Problem> = before
            .problems()
            .into_iter()
            .filter(|p| p.severity() == Severity::Failure)
            .collect();
        if !blocking.is_empty() || before.condition().offline != Some(false) {
            let problems = if blocking.is_empty() {
                vec![Problem::Offline]
            } else {
                blocking
            };
            return Err(self.failure(PrinterChannelError::NotReady { problems }));
        }
        let receipt = test_receipt(stamp);
        let lines = receipt.iter().filter(|b| **b == b'\n').count();
        let sent = match guard.as_mut() {
            Some(client) => client.send_print(&receipt, lines).await,
            None => Err(PrinterError::Closed {
                reason: "not open".to_owned(),
            }),
        };
        if let Err(e) = sent {
            self.note_error(&mut guard, &e);
            return Err(self.failure(e.into()));
        }
        let after = match self.status_locked(&mut guard).await {
            Ok(read) => read,
            Err(e) => return Err(self.failure(e)),
        };
        Ok(PrinterRecord {
            read: TestPrint {
                before,
                after,
                bytes_sent: receipt.len(),
            },
            frames: self.take_frames(),
        })
    }

    /// Sends DLE ENQ `recovery` (after a cutter error or jam has been cleared), then reads the
    /// status again to show whether the printer recovered. Head overheat does not apply: the
    /// printer resumes by itself when the head cools.
    pub async fn recover(
        &self,
        _confirmed: Confirmation,
        recovery: Recovery,
    ) -> Result<PrinterRecord<StatusRead>, PrinterFailure> {
        let mut guard = self.client.lock().await;
        self.take_frames();
        if let Err(e) = self.ensure_open(&mut guard).await {
            return Err(self.failure(e.into()));
        }
        let sent = match guard.as_mut() {
            Some(client) => client.send_recovery(recovery).await,
            None => Err(PrinterError::Closed {
                reason: "not open".to_owned(),
            }),
        };
        if let Err(e) = sent {
            self.note_error(&mut guard, &e);
            return Err(self.failure(e.into()));
        }
        match self.status_locked(&mut guard).await {
            Ok(read) => Ok(PrinterRecord {
                read,
                frames: self.take_frames(),
            }),
            Err(e) => Err(self.failure(e)),
        }
    }

    /// Closes the link (the next operation reopens it). A network printer often takes one
    /// connection on 9100 at a time: close to let the shop's POS print again.
    pub async fn close(&self) {
        *self.client.lock().await = None;
        (self.on_state)(LinkState::Disconnected);
    }
}
