//! One direction of a tap, shared by the TCP proxy and the serial tap: read a chunk, hand a
//! copy to the decoder through a bounded queue it never waits on (or, for the demo's own tap,
//! decode it on the same task), then pass it on unchanged. Both directions of a connection
//! share one queue and one decoding task ([`DecodeLane`]), and a chunk is queued before it is
//! passed on, so frames come out in the order they crossed the tap: a request before the
//! answer it caused. (With a queue per direction, a fast host's answer was sometimes decoded
//! before its request, and the transaction was never reported.) A slow decoder, a paused
//! stdout or a full disk makes the tap skip decoding (counted in [`TapStats`]), never
//! forwarding; the bytes waiting for decoders and the decode rate are capped for the whole
//! tap ([`TapLimits`](super::TapLimits)), so decoding never takes the CPU forwarding needs.
//! Also when the connection last moved a byte, for the idle timeout.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::time::Instant;

use super::decoder::{StreamDecoder, TapProtocol};
use super::limits::{Budget, Rate};
use super::stats::TapStats;
use crate::frame::{Direction, FrameRecord};

/// Where the tap hands frames and events. A sink must never block (the decoder calls it):
/// one that prints or writes hands over to its own thread and drops what it cannot keep.
pub use crate::frame::Sink;

/// Where one direction's bytes go: the other TCP socket, or the other serial port (which may
/// be absent for a while when its adapter is pulled).
pub(crate) trait Outlet: Send {
    /// Writes all of `chunk`. `Ok(false)`: the other side is absent, the bytes could not be
    /// passed on (and are counted as such); `Err`: the other side stopped accepting data.
    async fn send(&mut self, chunk: &[u8]) -> std::io::Result<bool>;
    /// This direction ended cleanly: pass the end on where the transport has one (TCP FIN).
    async fn close(&mut self);
}

/// How one direction ended.
pub(crate) enum PumpEnd {
    /// The sender closed its side cleanly (FIN, EOF).
    Closed,
    Failed(String),
}

/// Bytes handed to the decoder: at most this many chunks wait (16 KiB each, so 8 MiB per
/// connection). When the decoder falls behind, chunks are skipped and counted; forwarding
/// never waits for it.
const DECODE_QUEUE_CHUNKS: usize = 512;

/// When a connection last moved a byte, either way (milliseconds since it began).
#[derive(Clone)]
pub(crate) struct Activity {
    began: Instant,
    last_ms: Arc<AtomicU64>,
}

impl Activity {
    pub(crate) fn new() -> Self {
        Activity {
            began: Instant::now(),
            last_ms: Arc::new(AtomicU64::new(0)),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.began.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// Ends once nothing moved for `idle`.
    pub(crate) async fn idle_for(&self, idle: Duration) {
        loop {
            let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
            let deadline = self.began + last + idle;
            if Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}

/// Bytes waiting for the decoder, counted against the tap's decode budget until dropped
/// (decoded, or thrown away with a decoder that was left behind).
struct Queued {
    bytes: Vec<u8>,
    budget: Budget,
}

impl Drop for Queued {
    fn drop(&mut self) {
        self.budget.give(self.bytes.len());
    }
}

/// What the forwarding path hands to the decoder.
enum ToDecoder {
    Bytes(Queued),
    /// Bytes were forwarded but not decoded here (the decoder was behind; counted in
    /// [`TapStats::not_decoded`]): what the decoder holds can no longer be framed.
    Gap,
}

/// How one direction's bytes are decoded.
pub(crate) enum Decoding {
    /// On the forwarding task (the demo's in-process tap, where every frame counts).
    Inline(Box<StreamDecoder>, Sink<FrameRecord>),
    /// Off the forwarding path, through the connection's lane.
    Lane(DecodeLane),
}

/// One direction's handle on a connection's decoding: both directions send into one bounded
/// queue, which one task decodes in order. Clone it with [`DecodeLane::direction`].
#[derive(Clone)]
pub(crate) struct DecodeLane {
    tx: tokio::sync::mpsc::Sender<(Direction, ToDecoder)>,
    direction: Direction,
}

/// The task decoding a lane; it ends once every [`DecodeLane`] handle is gone.
pub(crate) struct LaneTask(tokio::task::JoinHandle<()>);

impl LaneTask {
    /// Waits for the lane to drain what it holds; a stuck decoder is left behind, not waited
    /// on, after two seconds.
    pub(crate) async fn finish(self) {
        let _ = tokio::time::timeout(Duration::from_secs(2), self.0).await;
    }
}

impl DecodeLane {
    /// Starts a connection's decoding task (inside a tokio runtime); the handle is for Tx.
    pub(crate) fn start(
        protocol: TapProtocol,
        frames: Sink<FrameRecord>,
        stats: Arc<TapStats>,
    ) -> (DecodeLane, LaneTask) {
        let (tx, rx) = tokio::sync::mpsc::channel(DECODE_QUEUE_CHUNKS);
        let task = tokio::spawn(decode(rx, protocol, frames, stats));
        let lane = DecodeLane {
            tx,
            direction: Direction::Tx,
        };
        (lane, LaneTask(task))
    }

    /// A handle for the bytes going `direction`.
    pub(crate) fn direction(&self, direction: Direction) -> DecodeLane {
        DecodeLane {
            tx: self.tx.clone(),
            direction,
        }
    }

    fn try_send(&self, item: ToDecoder) -> bool {
        self.tx.try_send((self.direction, item)).is_ok()
    }
}

/// One direction's share of the tap.
pub(crate) struct Pump {
    pub(crate) decoding: Decoding,
    pub(crate) stats: Arc<TapStats>,
    pub(crate) budget: Budget,
    pub(crate) rate: Rate,
    pub(crate) activity: Activity,
}

/// Copies one direction byte for byte and hands a copy to the decoder first: through the
/// lane's bounded queue it never waits on, or (inline) on the same task. Returns how it ended.
pub(crate) async fn pump<R, W>(from: R, to: W, pump: Pump) -> PumpEnd
where
    R: AsyncRead + Unpin,
    W: Outlet,
{
    let Pump {
        decoding,
        stats,
        budget,
        rate,
        activity,
    } = pump;
    let lane = match decoding {
        Decoding::Inline(mut decoder, frames) => {
            let end = forward(from, to, &stats, &activity, |chunk| {
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
        Decoding::Lane(lane) => lane,
    };
    let mut gap = false;
    let end = forward(from, to, &stats, &activity, |chunk| {
        if gap && lane.try_send(ToDecoder::Gap) {
            gap = false;
        }
        // Taken from the budget before the copy is made; given back when it is dropped.
        let admitted = !gap && rate.try_take(chunk.len()) && budget.try_take(chunk.len());
        let queued = admitted.then(|| Queued {
            bytes: chunk.to_vec(),
            budget: budget.clone(),
        });
        if queued.is_none_or(|q| !lane.try_send(ToDecoder::Bytes(q))) {
            gap = true;
            stats.add(&stats.not_decoded, chunk.len());
        }
    })
    .await;
    // This direction ended (a serial port may come back): what its decoder holds can no
    // longer be framed.
    let _ = lane.try_send(ToDecoder::Gap);
    end
}

/// The forwarding loop: read, show `copy` the chunk, then write all of it to the other side.
async fn forward<R, W>(
    mut from: R,
    mut to: W,
    stats: &TapStats,
    activity: &Activity,
    mut copy: impl FnMut(&[u8]),
) -> PumpEnd
where
    R: AsyncRead + Unpin,
    W: Outlet,
{
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) => {
                to.close().await;
                return PumpEnd::Closed;
            }
            Ok(n) => n,
            Err(e) => {
                to.close().await;
                return PumpEnd::Failed(e.to_string());
            }
        };
        activity.touch();
        let chunk = buf.get(..n).unwrap_or(&[]);
        // Queued for decoding before it is passed on: the answer it causes cannot overtake it.
        copy(chunk);
        match to.send(chunk).await {
            Ok(true) => stats.add(&stats.forwarded, n),
            Ok(false) => stats.add(&stats.not_forwarded, n),
            Err(e) => {
                return PumpEnd::Failed(format!("the other side stopped accepting data: {e}"))
            }
        }
    }
}

/// Decodes what the forwarding paths of both directions handed over, in the order they did,
/// off the forwarding path.
async fn decode(
    mut rx: tokio::sync::mpsc::Receiver<(Direction, ToDecoder)>,
    protocol: TapProtocol,
    frames: Sink<FrameRecord>,
    stats: Arc<TapStats>,
) {
    let mut tx_decoder = StreamDecoder::new(protocol.clone(), Direction::Tx);
    let mut rx_decoder = StreamDecoder::new(protocol, Direction::Rx);
    let mut hidden_before = 0;
    while let Some((direction, item)) = rx.recv().await {
        let decoder = match direction {
            Direction::Tx => &mut tx_decoder,
            Direction::Rx => &mut rx_decoder,
        };
        let records = match item {
            ToDecoder::Bytes(queued) => decoder.push(&queued.bytes),
            // A gap: whatever was buffered can no longer be framed.
            ToDecoder::Gap => decoder.finish(),
        };
        for record in records {
            frames(record);
        }
        let hidden = tx_decoder.hidden_total() + rx_decoder.hidden_total();
        stats.add64(&stats.hidden, hidden - hidden_before);
        hidden_before = hidden;
    }
    for decoder in [&mut tx_decoder, &mut rx_decoder] {
        for record in decoder.finish() {
            frames(record);
        }
    }
    let hidden = tx_decoder.hidden_total() + rx_decoder.hidden_total();
    stats.add64(&stats.hidden, hidden - hidden_before);
}
