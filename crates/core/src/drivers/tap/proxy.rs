//! The tap: a transparent TCP proxy between a client (a terminal, a cash register) and its
//! upstream (the host, the terminal), decoding both directions live.
//!
//! It never alters a byte: what is read from one side is written to the other first, and a
//! copy goes to the decoder through a bounded queue it never waits on (`pump`): a slow
//! decoder, a paused stdout or a full disk makes the tap skip decoding (counted in
//! [`TapStats`]), never forwarding. Either side dropping is a state, reported and
//! survived: the tap keeps listening for the next client.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};

use super::decoder::{StreamDecoder, TapProtocol};
use super::pump::{pump, Outlet, PumpEnd, Sink};
use super::stats::TapStats;
use crate::frame::{Direction, FrameRecord};

/// Which side of the tap a state is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TapSide {
    Client,
    Upstream,
    /// The serial tap's cash-register port.
    Ecr,
    /// The serial tap's terminal port.
    Terminal,
}

/// What the tap reports besides frames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TapEvent {
    Listening {
        addr: SocketAddr,
    },
    ClientConnected {
        peer: SocketAddr,
    },
    UpstreamConnected {
        addr: String,
    },
    UpstreamUnreachable {
        addr: String,
        reason: String,
    },
    /// One side closed or failed; the session ends, the tap keeps listening.
    Dropped {
        side: TapSide,
        reason: String,
    },
    /// A serial tap's port is open (`settings`: "9600 8N2").
    PortOpen {
        side: TapSide,
        port: String,
        settings: String,
    },
    /// A serial tap's port went away (adapter pulled, cable out, read error); the tap reopens
    /// it every `retry_ms` and the other side goes on.
    PortLost {
        side: TapSide,
        port: String,
        reason: String,
        retry_ms: u64,
    },
    /// A lost port is open again; forwarding and decoding resume.
    PortBack {
        side: TapSide,
        port: String,
    },
}

/// Where to listen and where to forward.
#[derive(Debug, Clone)]
pub struct TapConfig {
    pub protocol: TapProtocol,
    pub listen: String,
    pub upstream: String,
    /// Bind a non-loopback address (off by default: a tap sees card traffic).
    pub allow_remote: bool,
    pub connect_timeout: Duration,
    /// Decode on the forwarding task, right after each chunk is passed on, instead of through
    /// the bounded queue. Only for a tap whose sinks are instant and whose traffic posdiag
    /// itself makes (the demo's own host tap, where a transaction is judged as soon as the
    /// terminal answers and the host's frames must already be in). Never for a tap in front
    /// of a real host or terminal.
    pub decode_inline: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum TapError {
    #[error("'{addr}' is not an address to listen on: use 127.0.0.1:PORT")]
    BadAddress { addr: String },
    #[error("the tap listens on loopback unless told otherwise; '{addr}' is not loopback (add --allow-remote if you mean it)")]
    NotLoopback { addr: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// Binds the listening socket (so the caller can report the address) and returns it.
pub async fn bind(config: &TapConfig) -> Result<TcpListener, TapError> {
    let addr: SocketAddr = config.listen.parse().map_err(|_| TapError::BadAddress {
        addr: config.listen.clone(),
    })?;
    if !addr.ip().is_loopback() && !config.allow_remote {
        return Err(TapError::NotLoopback {
            addr: config.listen.clone(),
        });
    }
    TcpListener::bind(addr)
        .await
        .map_err(|source| TapError::Bind {
            addr: config.listen.clone(),
            source,
        })
}

/// Serves clients one after another until the task is dropped.
pub async fn serve(
    listener: TcpListener,
    config: TapConfig,
    frames: Sink<FrameRecord>,
    events: Sink<TapEvent>,
    stats: Arc<TapStats>,
) {
    if let Ok(addr) = listener.local_addr() {
        events(TapEvent::Listening { addr });
    }
    loop {
        let Ok((client, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        events(TapEvent::ClientConnected { peer });
        let config = config.clone();
        let frames = frames.clone();
        let events = events.clone();
        let stats = stats.clone();
        tokio::spawn(async move { relay(client, config, frames, events, stats).await });
    }
}

async fn relay(
    client: TcpStream,
    config: TapConfig,
    frames: Sink<FrameRecord>,
    events: Sink<TapEvent>,
    stats: Arc<TapStats>,
) {
    let upstream =
        match tokio::time::timeout(config.connect_timeout, TcpStream::connect(&config.upstream))
            .await
        {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                events(TapEvent::UpstreamUnreachable {
                    addr: config.upstream.clone(),
                    reason: e.to_string(),
                });
                return;
            }
            Err(_) => {
                events(TapEvent::UpstreamUnreachable {
                    addr: config.upstream.clone(),
                    reason: format!(
                        "no answer within {}",
                        crate::durations::show(config.connect_timeout)
                    ),
                });
                return;
            }
        };
    events(TapEvent::UpstreamConnected {
        addr: config.upstream.clone(),
    });
    let _ = client.set_nodelay(true);
    let _ = upstream.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (upstream_read, upstream_write) = upstream.into_split();
    let forward = pump(
        client_read,
        TcpOutlet(upstream_write),
        StreamDecoder::new(config.protocol.clone(), Direction::Tx),
        frames.clone(),
        stats.clone(),
        config.decode_inline,
    );
    let backward = pump(
        upstream_read,
        TcpOutlet(client_write),
        StreamDecoder::new(config.protocol.clone(), Direction::Rx),
        frames,
        stats,
        config.decode_inline,
    );
    // A clean close of one direction is passed on (half-close) and the other direction goes
    // on; an error on either side ends the session.
    let mut forward = std::pin::pin!(forward);
    let mut backward = std::pin::pin!(backward);
    let (side, end, forward_done) = tokio::select! {
        end = &mut forward => (TapSide::Client, end, true),
        end = &mut backward => (TapSide::Upstream, end, false),
    };
    let reason = match end {
        PumpEnd::Closed => "closed the connection".to_owned(),
        PumpEnd::Failed(reason) => reason,
    };
    let failed = reason != "closed the connection";
    events(TapEvent::Dropped { side, reason });
    if failed {
        return;
    }
    let (other_side, other_end) = if forward_done {
        (TapSide::Upstream, backward.await)
    } else {
        (TapSide::Client, forward.await)
    };
    if let PumpEnd::Failed(reason) = other_end {
        events(TapEvent::Dropped {
            side: other_side,
            reason,
        });
    }
}

/// The other socket: a clean close is passed on as a half-close.
struct TcpOutlet(OwnedWriteHalf);

impl Outlet for TcpOutlet {
    async fn send(&mut self, chunk: &[u8]) -> Result<bool, String> {
        self.0
            .write_all(chunk)
            .await
            .map(|()| true)
            .map_err(|e| format!("the other side stopped accepting data: {e}"))
    }

    async fn close(&mut self) {
        let _ = self.0.shutdown().await;
    }
}
