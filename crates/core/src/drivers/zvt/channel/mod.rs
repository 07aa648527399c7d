//! One ZVT terminal channel: opens the link, runs commands on it one at a time, notices a
//! lost link and reopens it (a USB adapter found again by its identity, even under a new
//! port name), and can scan serial settings for the one the terminal answers at.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::client::{Exchange, ZvtClient, ZvtError, ZvtTimeouts};
use super::observe::frame_observer;
use super::transport::{ApduTransport, BlockTimers, Framing, LinkStats, TransportError};
use crate::drivers::open_announced;
use crate::frame::{FrameRecord, LinkState, Sink};
use crate::link::{
    connect_tcp, is_link_lost, open_serial_following, BoxedLink, LinkError, ModemLines,
    PortIdentity,
};
use crate::proto::zvt::message::{CommandCode, EcrMessage};

/// Where the terminal is.
pub type ZvtEndpoint = crate::link::Endpoint;

/// Timing of a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZvtTiming {
    pub block: BlockTimers,
    pub command: ZvtTimeouts,
    pub connect: Duration,
}

/// A command that ran, with the frames behind it.
#[derive(Debug, Clone)]
pub struct CommandRecord {
    pub exchange: Exchange,
    pub frames: Vec<FrameRecord>,
}

/// A command that failed, with what was seen on the wire (for the link check).
#[derive(Debug)]
pub struct CommandFailure {
    pub error: ChannelError,
    pub frames: Vec<FrameRecord>,
    pub stats: LinkStats,
    pub garbage: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    #[error("{0}")]
    Link(#[from] LinkError),
    #[error("{0}")]
    Zvt(#[from] ZvtError),
}

mod error_text;
mod scan;

pub use scan::ScanRow;

/// What the channel has received so far, readable while a command is still in flight (the
/// link check uses it when the command outlives the check's time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireSeen {
    /// Units received: APDUs, ACK/NAK, bad frames, garbage.
    pub rx_units: usize,
    /// Valid APDUs received.
    pub rx_apdus: usize,
    /// The first bytes received that were not ZVT.
    pub garbage: Vec<u8>,
}

/// A ZVT terminal channel.
pub struct ZvtChannel {
    timing: ZvtTiming,
    endpoint: Mutex<ZvtEndpoint>,
    identity: Option<PortIdentity>,
    client: tokio::sync::Mutex<Option<ZvtClient<BoxedLink>>>,
    context: Arc<Mutex<Option<CommandCode>>>,
    recent: Arc<Mutex<Vec<FrameRecord>>>,
    seen: Arc<Mutex<WireSeen>>,
    on_frame: Sink<FrameRecord>,
    on_state: Sink<LinkState>,
}

impl ZvtChannel {
    pub fn new(
        endpoint: ZvtEndpoint,
        timing: ZvtTiming,
        on_frame: Sink<FrameRecord>,
        on_state: Sink<LinkState>,
    ) -> Self {
        let identity = match &endpoint {
            ZvtEndpoint::Serial(s) => PortIdentity::lookup(&s.port),
            ZvtEndpoint::Tcp(_) => None,
        };
        ZvtChannel {
            timing,
            endpoint: Mutex::new(endpoint),
            identity,
            client: tokio::sync::Mutex::new(None),
            context: Arc::new(Mutex::new(None)),
            recent: Arc::new(Mutex::new(Vec::new())),
            seen: Arc::new(Mutex::new(WireSeen::default())),
            on_frame,
            on_state,
        }
    }

    pub fn endpoint(&self) -> ZvtEndpoint {
        self.endpoint
            .lock()
            .map(|e| e.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    pub fn target(&self) -> String {
        self.endpoint().describe()
    }

    pub fn is_serial(&self) -> bool {
        matches!(self.endpoint(), ZvtEndpoint::Serial(_))
    }

    pub fn timing(&self) -> ZvtTiming {
        self.timing
    }

    async fn open_link(&self, endpoint: &ZvtEndpoint) -> Result<BoxedLink, LinkError> {
        match endpoint {
            ZvtEndpoint::Serial(s) => {
                // A re-plugged adapter may come back under another name: remember it.
                let (link, used) = open_serial_following(s, self.identity.as_ref())?;
                if used.port != s.port {
                    if let Ok(mut e) = self.endpoint.lock() {
                        *e = ZvtEndpoint::Serial(used);
                    }
                }
                Ok(Box::new(link))
            }
            ZvtEndpoint::Tcp(addr) => Ok(Box::new(connect_tcp(addr, self.timing.connect).await?)),
        }
    }

    fn make_client(
        &self,
        link: BoxedLink,
        framing: Framing,
        block: BlockTimers,
        command: ZvtTimeouts,
    ) -> ZvtClient<BoxedLink> {
        let sink = {
            let on_frame = self.on_frame.clone();
            let recent = self.recent.clone();
            let seen = self.seen.clone();
            Arc::new(move |frame: FrameRecord| {
                if frame.direction == crate::frame::Direction::Rx {
                    if let Ok(mut s) = seen.lock() {
                        s.rx_units += 1;
                        if frame.error {
                            let room = 256usize.saturating_sub(s.garbage.len());
                            let take = frame.raw.len().min(room);
                            s.garbage
                                .extend_from_slice(frame.raw.get(..take).unwrap_or(&[]));
                        } else if frame.raw.len() > 1 {
                            s.rx_apdus += 1;
                        }
                    }
                }
                if let Ok(mut r) = recent.lock() {
                    r.push(frame.clone());
                }
                on_frame(frame);
            })
        };
        let transport = ApduTransport::new(link, framing, block)
            .with_observer(frame_observer(self.context.clone(), sink));
        ZvtClient::new(transport, command, self.context.clone())
    }

    fn framing(endpoint: &ZvtEndpoint) -> Framing {
        match endpoint {
            ZvtEndpoint::Serial(_) => Framing::Serial,
            ZvtEndpoint::Tcp(_) => Framing::Tcp,
        }
    }

    /// Opens the link if it is not open. Reports the state as it changes.
    pub async fn connect(&self) -> Result<(), LinkError> {
        let mut guard = self.client.lock().await;
        self.ensure_open(&mut guard).await
    }

    async fn ensure_open(&self, slot: &mut Option<ZvtClient<BoxedLink>>) -> Result<(), LinkError> {
        if slot.is_some() {
            return Ok(());
        }
        let endpoint = self.endpoint();
        let opening = self.open_link(&endpoint);
        let link = open_announced(&self.on_state, endpoint.describe(), opening, || {
            self.endpoint().describe()
        });
        let link = link.await?;
        let endpoint = self.endpoint();
        *slot = Some(self.make_client(
            link,
            Self::framing(&endpoint),
            self.timing.block,
            self.timing.command,
        ));
        Ok(())
    }

    /// Runs one command (opening the link first if needed).
    pub async fn run(&self, message: &EcrMessage) -> Result<CommandRecord, CommandFailure> {
        let mut guard = self.client.lock().await;
        if let Ok(mut r) = self.recent.lock() {
            r.clear();
        }
        let take_frames = || {
            self.recent
                .lock()
                .map(|mut r| std::mem::take(&mut *r))
                .unwrap_or_default()
        };
        if let Err(e) = self.ensure_open(&mut guard).await {
            return Err(CommandFailure {
                error: e.into(),
                frames: take_frames(),
                stats: LinkStats::default(),
                garbage: Vec::new(),
            });
        }
        let Some(client) = guard.as_mut() else {
            return Err(CommandFailure {
                error: ChannelError::Link(LinkError::Lost {
                    target: self.target(),
                    reason: "not open".to_owned(),
                }),
                frames: take_frames(),
                stats: LinkStats::default(),
                garbage: Vec::new(),
            });
        };
        let before = client.stats();
        let result = client.run(message).await;
        let stats = diff(client.stats(), before);
        let garbage = client.garbage_sample().to_vec();
        match result {
            Ok(exchange) => {
                if stats.apdus_in > 0 {
                    (self.on_state)(LinkState::Connected {
                        target: self.target(),
                    });
                }
                Ok(CommandRecord {
                    exchange,
                    frames: take_frames(),
                })
            }
            Err(error) => {
                let lost = match &error {
                    ZvtError::Transport(TransportError::Closed { .. }) => true,
                    ZvtError::Transport(TransportError::Io(e)) => is_link_lost(e),
                    _ => false,
                };
                if lost {
                    *guard = None;
                    (self.on_state)(LinkState::Lost {
                        target: self.target(),
                        reason: error.to_string(),
                    });
                } else if matches!(error, ZvtError::Refused { .. }) {
                    // A refusal (`84 xx`) is an answer: the link is fine.
                    (self.on_state)(LinkState::Connected {
                        target: self.target(),
                    });
                } else {
                    (self.on_state)(LinkState::NoReply {
                        target: self.target(),
                    });
                }
                Err(CommandFailure {
                    error: error.into(),
                    frames: take_frames(),
                    stats,
                    garbage,
                })
            }
        }
    }

    /// Notices, without sending anything, that an idle link went away (the peer closed the
    /// TCP connection, the USB adapter was pulled): reads for `window` and, on end of stream or
    /// a lost-link error, drops the client and reports `Lost`. Does nothing while a command
    /// runs or when the link is not open. True when the link was found lost.
    pub async fn notice_idle_loss(&self, window: Duration) -> bool {
        let Ok(mut guard) = self.client.try_lock() else {
            return false;
        };
        let Some(client) = guard.as_mut() else {
            return false;
        };
        let reason = match client.transport_mut().recv(Instant::now() + window).await {
            Err(TransportError::Closed { reason }) => reason,
            Err(TransportError::Io(e)) if is_link_lost(&e) => e.to_string(),
            // Silence, or something the terminal sent on its own (already logged).
            _ => return false,
        };
        *guard = None;
        (self.on_state)(LinkState::Lost {
            target: self.target(),
            reason,
        });
        true
    }

    /// What was received since the channel was created.
    pub fn wire_seen(&self) -> WireSeen {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Frames of the command in flight so far.
    pub fn frames_so_far(&self) -> Vec<FrameRecord> {
        self.recent.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// CTS, DSR, DCD and RI, when the link has them.
    pub async fn modem_lines(&self) -> Option<ModemLines> {
        let mut guard = self.client.try_lock().ok()?;
        let client = guard.as_mut()?;
        client
            .transport_mut()
            .stream_mut()
            .modem_lines()
            .ok()
            .flatten()
    }

    /// Closes the link (the next command reopens it).
    pub async fn close(&self) {
        *self.client.lock().await = None;
        (self.on_state)(LinkState::Disconnected);
    }
}

fn diff(after: LinkStats, before: LinkStats) -> LinkStats {
    LinkStats {
        bytes_in: after.bytes_in.saturating_sub(before.bytes_in),
        bytes_out: after.bytes_out.saturating_sub(before.bytes_out),
        apdus_in: after.apdus_in.saturating_sub(before.apdus_in),
        garbage_bytes: after.garbage_bytes.saturating_sub(before.garbage_bytes),
        crc_errors: after.crc_errors.saturating_sub(before.crc_errors),
        naks_received: after.naks_received.saturating_sub(before.naks_received),
        naks_sent: after.naks_sent.saturating_sub(before.naks_sent),
        block_retries: after.block_retries.saturating_sub(before.block_retries),
    }
}
