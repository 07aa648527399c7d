//! The tap: a transparent TCP proxy between a client (a terminal, a cash register) and its
//! upstream (the host, the terminal), decoding both directions live.
//!
//! It never alters a byte: what is read from one side is written to the other first, and a
//! copy goes to the decoder through a bounded queue it never waits on (`pump`): a slow
//! decoder, a paused stdout or a full disk makes the tap skip decoding (counted in
//! [`TapStats`]), never forwarding. Either side dropping is a state, reported and
//! survived: the tap keeps listening for the next client. What the tap may hold is bounded
//! ([`TapLimits`]): connections, idle and half-open time, bytes waiting to be decoded.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::{TcpListener, TcpStream};

use super::decoder::{StreamDecoder, TapProtocol};
use super::limits::{Budget, Rate, Slot, TapLimits};
use super::pump::{pump, Activity, DecodeLane, Decoding, Outlet, Pump, PumpEnd, Sink};
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
    /// A client over [`TapLimits::max_connections`]: accepted and closed at once.
    Refused {
        peer: SocketAddr,
        max_connections: usize,
    },
    /// A connection closed by the tap after a timeout of [`TapLimits`].
    TimedOut {
        timeout: TapTimeout,
        after: Duration,
    },
}

/// Which timeout closed a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TapTimeout {
    /// No byte either way for [`TapLimits::idle_timeout`].
    Idle,
    /// One side had closed its half and the other did not finish within
    /// [`TapLimits::half_open_timeout`].
    HalfOpen,
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
    pub limits: TapLimits,
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
    let connections = Budget::new(config.limits.max_connections);
    let decode_budget = Budget::new(config.limits.decode_budget);
    let decode_rate = Rate::new(config.limits.decode_rate);
    loop {
        let Ok((client, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let Some(slot) = Slot::take(&connections) else {
            // Closed at once: a client waiting in the backlog would only time out later.
            drop(client);
            events(TapEvent::Refused {
                peer,
                max_connections: connections.cap(),
            });
            continue;
        };
        events(TapEvent::ClientConnected { peer });
        let link = Link {
            config: config.clone(),
            frames: frames.clone(),
            events: events.clone(),
            stats: stats.clone(),
            decode_budget: decode_budget.clone(),
            decode_rate: decode_rate.clone(),
        };
        tokio::spawn(async move {
            relay(client, link).await;
            drop(slot);
        });
    }
}

/// What one connection shares with the tap.
struct Link {
    config: TapConfig,
    frames: Sink<FrameRecord>,
    events: Sink<TapEvent>,
    stats: Arc<TapStats>,
    decode_budget: Budget,
    decode_rate: Rate,
}

/// One connection, then its decoding drained (so its frames are out before the tap goes on).
async fn relay(client: TcpStream, link: Link) {
    // One decoding task for both directions (frames in the order they crossed), unless the
    // demo's tap decodes on the forwarding tasks.
    let lane = (!link.config.decode_inline).then(|| {
        DecodeLane::start(
            link.config.protocol.clone(),
            link.frames.clone(),
            link.stats.clone(),
        )
    });
    relay_with(
        client,
        link,
        lane.as_ref().map(|(handle, _)| handle.clone()),
    )
    .await;
    if let Some((handle, task)) = lane {
        drop(handle);
        task.finish().await;
    }
}

async fn relay_with(client: TcpStream, link: Link, lane: Option<DecodeLane>) {
    let Link {
        config,
        frames,
        events,
        stats,
        decode_budget,
        decode_rate,
    } = link;
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
    let activity = Activity::new();
    let limits = config.limits;
    let shared = |direction| Pump {
        decoding: match &lane {
            Some(lane) => Decoding::Lane(lane.direction(direction)),
            None => Decoding::Inline(
                Box::new(StreamDecoder::new(config.protocol.clone(), direction)),
                frames.clone(),
            ),
        },
        stats: stats.clone(),
        budget: decode_budget.clone(),
        rate: decode_rate.clone(),
        activity: activity.clone(),
    };
    let forward = pump(
        client_read,
        TcpOutlet(upstream_write),
        shared(Direction::Tx),
    );
    let backward = pump(
        upstream_read,
        TcpOutlet(client_write),
        shared(Direction::Rx),
    );
    let idle = activity.idle_for(limits.idle_timeout);
    let mut idle = std::pin::pin!(idle);
    let timed_out = |timeout, after| events(TapEvent::TimedOut { timeout, after });
    // A clean close of one direction is passed on (half-close) and the other direction goes
    // on; an error on either side ends the session.
    let mut forward = std::pin::pin!(forward);
    let mut backward = std::pin::pin!(backward);
    let (side, end, forward_done) = tokio::select! {
        end = &mut forward => (TapSide::Client, end, true),
        end = &mut backward => (TapSide::Upstream, end, false),
        () = &mut idle => return timed_out(TapTimeout::Idle, limits.idle_timeout),
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
    let other = async {
        if forward_done {
            (TapSide::Upstream, backward.await)
        } else {
            (TapSide::Client, forward.await)
        }
    };
    let half_open = tokio::time::sleep(limits.half_open_timeout);
    let (other_side, other_end) = tokio::select! {
        ended = other => ended,
        () = &mut idle => return timed_out(TapTimeout::Idle, limits.idle_timeout),
        () = half_open => return timed_out(TapTimeout::HalfOpen, limits.half_open_timeout),
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
    async fn send(&mut self, chunk: &[u8]) -> std::io::Result<bool> {
        self.0.write_all(chunk).await.map(|()| true)
    }

    async fn close(&mut self) {
        let _ = self.0.shutdown().await;
    }
}
