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

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};

use super::decoder::{StreamDecoder, TapProtocol};
use super::stats::TapStats;
use crate::frame::{Direction, FrameRecord};

/// Which side of the tap a state is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TapSide {
    Client,
    Upstream,
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

/// Where the tap hands frames and events. A sink must never block (the decoder calls it):
/// one that prints or writes hands over to its own thread and drops what it cannot keep.
type Sink<T> = Arc<dyn Fn(T) + Send + Sync>;

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
        upstream_write,
        StreamDecoder::new(config.protocol.clone(), Direction::Tx),
        frames.clone(),
        stats.clone(),
        config.decode_inline,
    );
    let backward = pump(
        upstream_read,
        client_write,
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

/// How one direction ended.
enum PumpEnd {
    /// The sender closed its side cleanly (FIN); passed on as a half-close.
    Closed,
    Failed(String),
}

/// Bytes handed to the decoder: at most this many chunks wait (16 KiB each, so 4 MiB per
/// direction). When the decoder falls behind, chunks are skipped and counted; forwarding
/// never waits for it.
const DECODE_QUEUE_CHUNKS: usize = 256;

/// What the forwarding path hands to the decoder.
enum ToDecoder {
    Bytes(Vec<u8>),
    /// Bytes were forwarded but not decoded here (the decoder was behind; counted in
    /// [`TapStats::not_decoded`]): what the decoder holds can no longer be framed.
    Gap,
}

/// Copies one direction byte for byte and hands a copy to the decoder: through a bounded
/// queue it never waits on, or (see [`TapConfig::decode_inline`]) on the same task. Returns
/// how it ended.
async fn pump(
    from: OwnedReadHalf,
    to: OwnedWriteHalf,
    mut decoder: StreamDecoder,
    frames: Sink<FrameRecord>,
    stats: Arc<TapStats>,
    inline: bool,
) -> PumpEnd {
    if inline {
        let end = forward(from, to, &stats, |chunk| {
            for record in decoder.push(chunk) {
                frames(record);
            }
        })
        .await;
        for record in decoder.finish() {
            frames(record);
        }
        return end;
    }
    let (tx, rx) = tokio::sync::mpsc::channel(DECODE_QUEUE_CHUNKS);
    let decoding = tokio::spawn(decode(rx, decoder, frames, stats.clone()));
    let mut gap = false;
    let end = forward(from, to, &stats, |chunk| {
        if gap && tx.try_send(ToDecoder::Gap).is_ok() {
            gap = false;
        }
        if gap || tx.try_send(ToDecoder::Bytes(chunk.to_vec())).is_err() {
            gap = true;
            stats.add(&stats.not_decoded, chunk.len());
        }
    })
    .await;
    if gap {
        let _ = tx.try_send(ToDecoder::Gap);
    }
    drop(tx);
    // The decoder drains what it has, then ends; a stuck one is left behind, not waited on.
    let _ = tokio::time::timeout(Duration::from_secs(2), decoding).await;
    end
}

/// The forwarding loop: read, write all of it to the other side, then show `copy` the chunk.
async fn forward(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    stats: &TapStats,
    mut copy: impl FnMut(&[u8]),
) -> PumpEnd {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) => {
                let _ = to.shutdown().await;
                return PumpEnd::Closed;
            }
            Ok(n) => n,
            Err(e) => {
                let _ = to.shutdown().await;
                return PumpEnd::Failed(e.to_string());
            }
        };
        let chunk = buf.get(..n).unwrap_or(&[]);
        if let Err(e) = to.write_all(chunk).await {
            return PumpEnd::Failed(format!("the other side stopped accepting data: {e}"));
        }
        stats.add(&stats.forwarded, n);
        copy(chunk);
    }
}

/// Decodes what the forwarding path handed over, off the forwarding path.
async fn decode(
    mut rx: tokio::sync::mpsc::Receiver<ToDecoder>,
    mut decoder: StreamDecoder,
    frames: Sink<FrameRecord>,
    stats: Arc<TapStats>,
) {
    let mut hidden_before = 0;
    while let Some(item) = rx.recv().await {
        let records = match item {
            ToDecoder::Bytes(bytes) => decoder.push(&bytes),
            // A gap: whatever was buffered can no longer be framed.
            ToDecoder::Gap => decoder.finish(),
        };
        for record in records {
            frames(record);
        }
        let hidden = decoder.hidden_total();
        stats.add64(&stats.hidden, hidden - hidden_before);
        hidden_before = hidden;
    }
    for record in decoder.finish() {
        frames(record);
    }
    stats.add64(&stats.hidden, decoder.hidden_total() - hidden_before);
}
