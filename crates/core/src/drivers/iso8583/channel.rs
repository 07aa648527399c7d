//! One acquirer-host channel: opens the TCP (or TLS) connection, runs exchanges on it one at a
//! time, reports link states, and reopens the connection after it was lost.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::client::{HostClient, HostError, HostExchange, SignOn, TerminalIdentity};
use super::observe::frame_observer;
use super::transport::{FrameTransport, TransportError};
use crate::drivers::open_announced;
use crate::frame::{FrameRecord, LinkState, Sink};
use crate::link::tls::{connect_tls, TlsSettings};
use crate::link::{connect_tcp, is_link_lost, BoxedLink, LinkError};
use crate::proto::iso8583::{Dialect, KeyMode, MasterKey};

/// Where the host is.
#[derive(Debug, Clone, PartialEq)]
pub enum HostEndpoint {
    Tcp(String),
    Tls { addr: String, tls: TlsSettings },
}

impl HostEndpoint {
    pub fn addr(&self) -> &str {
        match self {
            HostEndpoint::Tcp(a) => a,
            HostEndpoint::Tls { addr, .. } => addr,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            HostEndpoint::Tcp(a) => format!("tcp {a}"),
            HostEndpoint::Tls { addr, .. } => format!("tls {addr}"),
        }
    }
}

/// What the channel needs besides the endpoint.
#[derive(Debug, Clone)]
pub struct HostConfig {
    pub dialect: Dialect,
    pub identity: TerminalIdentity,
    pub connect_timeout: Duration,
    pub response_timeout: Duration,
    /// A test host's master key: decrypts the sign-on's working keys (never printed).
    pub master_key: Option<MasterKey>,
}

/// An exchange that ran, with the frames behind it.
#[derive(Debug, Clone)]
pub struct HostRecord<T> {
    pub outcome: T,
    pub frames: Vec<FrameRecord>,
}

/// An exchange that failed, with what was seen on the wire.
#[derive(Debug)]
pub struct HostFailure {
    pub error: HostChannelError,
    pub frames: Vec<FrameRecord>,
}

#[derive(Debug, thiserror::Error)]
pub enum HostChannelError {
    #[error("{0}")]
    Link(#[from] LinkError),
    #[error("{0}")]
    Host(#[from] HostError),
}

/// An acquirer-host channel.
pub struct HostChannel {
    endpoint: HostEndpoint,
    config: HostConfig,
    client: tokio::sync::Mutex<Option<HostClient<BoxedLink>>>,
    recent: Arc<Mutex<Vec<FrameRecord>>>,
    on_frame: Sink<FrameRecord>,
    on_state: Sink<LinkState>,
}

impl HostChannel {
    pub fn new(
        endpoint: HostEndpoint,
        config: HostConfig,
        on_frame: Sink<FrameRecord>,
        on_state: Sink<LinkState>,
    ) -> Self {
        HostChannel {
            endpoint,
            config,
            client: tokio::sync::Mutex::new(None),
            recent: Arc::new(Mutex::new(Vec::new())),
            on_frame,
            on_state,
        }
    }

    pub fn endpoint(&self) -> &HostEndpoint {
        &self.endpoint
    }

    pub fn config(&self) -> &HostConfig {
        &self.config
    }

    pub fn target(&self) -> String {
        self.endpoint.describe()
    }

    async fn open_link(&self) -> Result<BoxedLink, LinkError> {
        let timeout = self.config.connect_timeout;
        match &self.endpoint {
            HostEndpoint::Tcp(addr) => Ok(Box::new(connect_tcp(addr, timeout).await?)),
            HostEndpoint::Tls { addr, tls } => {
                let (link, _report) = connect_tls(addr, tls, timeout)
                    .await
                    .map_err(|e| e.into_link_error(addr))?;
                Ok(Box::new(link))
            }
        }
    }

    fn make_client(&self, link: BoxedLink) -> HostClient<BoxedLink> {
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
        let dialect = self.config.dialect.clone();
        let transport =
            FrameTransport::new(link, dialect.clone()).with_observer(frame_observer(dialect, sink));
        HostClient::new(
            transport,
            self.config.identity.clone(),
            self.config.response_timeout,
        )
    }

    /// Opens the connection if it is not open.
    pub async fn connect(&self) -> Result<(), LinkError> {
        let mut guard = self.client.lock().await;
        self.ensure_open(&mut guard).await
    }

    async fn ensure_open(&self, slot: &mut Option<HostClient<BoxedLink>>) -> Result<(), LinkError> {
        if slot.is_some() {
            return Ok(());
        }
        let target = self.target();
        let link = open_announced(&self.on_state, target, self.open_link(), || self.target());
        *slot = Some(self.make_client(link.await?));
        Ok(())
    }

    fn take_frames(&self) -> Vec<FrameRecord> {
        self.recent
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }

    /// Signs on with the configured master key.
    pub async fn sign_on(&self, mode: KeyMode) -> Result<HostRecord<SignOn>, HostFailure> {
        let master = self.config.master_key.clone();
        let mut guard = self.client.lock().await;
        self.begin(&mut guard).await?;
        let result = match guard.as_mut() {
            Some(c) => c.sign_on(mode, master.as_ref()).await,
            None => return Err(self.not_open()),
        };
        self.finish(&mut guard, result)
    }

    /// One echo test.
    pub async fn echo(&self) -> Result<HostRecord<HostExchange>, HostFailure> {
        let mut guard = self.client.lock().await;
        self.begin(&mut guard).await?;
        let result = match guard.as_mut() {
            Some(c) => c.echo().await,
            None => return Err(self.not_open()),
        };
        self.finish(&mut guard, result)
    }

    /// True once a sign-on delivered a MAC key the channel can use.
    pub async fn has_mac_key(&self) -> bool {
        self.client
            .lock()
            .await
            .as_ref()
            .is_some_and(HostClient::has_mac_key)
    }

    async fn begin(&self, slot: &mut Option<HostClient<BoxedLink>>) -> Result<(), HostFailure> {
        self.take_frames();
        self.ensure_open(slot).await.map_err(|e| HostFailure {
            error: e.into(),
            frames: self.take_frames(),
        })
    }

    fn not_open(&self) -> HostFailure {
        HostFailure {
            error: HostChannelError::Link(LinkError::Lost {
                target: self.target(),
                reason: "not open".to_owned(),
            }),
            frames: self.take_frames(),
        }
    }

    fn finish<T>(
        &self,
        slot: &mut Option<HostClient<BoxedLink>>,
        result: Result<T, HostError>,
    ) -> Result<HostRecord<T>, HostFailure> {
        match result {
            Ok(outcome) => Ok(HostRecord {
                outcome,
                frames: self.take_frames(),
            }),
            Err(error) => {
                let lost = match &error {
                    HostError::Transport(TransportError::Closed { .. }) => true,
                    HostError::Transport(TransportError::Io(e)) => is_link_lost(e),
                    _ => false,
                };
                if lost {
                    *slot = None;
                    (self.on_state)(LinkState::Lost {
                        target: self.target(),
                        reason: error.to_string(),
                    });
                } else if matches!(error, HostError::NoResponse { .. }) {
                    (self.on_state)(LinkState::NoReply {
                        target: self.target(),
                    });
                }
                Err(HostFailure {
                    error: error.into(),
                    frames: self.take_frames(),
                })
            }
        }
    }

    /// Closes the connection (the next exchange reopens it).
    pub async fn close(&self) {
        *self.client.lock().await = None;
        (self.on_state)(LinkState::Disconnected);
    }
}
