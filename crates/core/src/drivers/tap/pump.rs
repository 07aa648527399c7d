//! One direction of a tap, shared by the TCP proxy and the serial tap: read a chunk, pass it
//! on unchanged at once, then hand a copy to the decoder through a bounded queue it never
//! waits on (or, for the demo's own tap, decode it on the same task). A slow decoder, a paused
//! stdout or a full disk makes the tap skip decoding (counted in [`TapStats`]), never
//! forwarding; the bytes waiting for decoders and the decode rate are capped for the whole
//! tap ([`TapLimits`](super::TapLimits)), so decoding never takes the CPU forwarding needs.
//! Also when the connection last moved a byte, for the idle timeout.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::time::Instant;

use super::decoder::StreamDecoder;
use super::limits::{Budget, Rate};
use super::stats::TapStats;
use crate::frame::FrameRecord;

/// Where the tap hands frames and events. A sink must never block (the decoder calls it):
/// one that prints or writes hands over to its own thread and drops what it cannot keep.
pub type Sink<T> = Arc<dyn Fn(T) + Send + Sync>;

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

/// Bytes handed to the decoder: at most this many chunks wait (16 KiB each, so 4 MiB per
/// direction). When the decoder falls behind, chunks are skipped and counted; forwarding
/// never waits for it.
const DECODE_QUEUE_CHUNKS: usize = 256;

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

/// One direction's share of the tap.
pub(crate) struct Pump {
    pub(crate) decoder: StreamDecoder,
    pub(crate) frames: Sink<FrameRecord>,
    pub(crate) stats: Arc<TapStats>,
    /// Decode on the forwarding task (the demo's in-process tap, where every frame counts).
    pub(crate) inline: bool,
    pub(crate) budget: Budget,
    pub(crate) rate: Rate,
    pub(crate) activity: Activity,
}

/// Copies one direction byte for byte and hands a copy to the decoder: through a bounded
/// queue it never waits on, or (`inline`) on the same task. Returns how it ended.
pub(crate) async fn pump<R, W>(from: R, to: W, pump: Pump) -> PumpEnd
where
    R: AsyncRead + Unpin,
    W: Outlet,
{
    let Pump {
        mut decoder,
        frames,
        stats,
        inline,
        budget,
        rate,
        activity,
    } = pump;
    if inline {
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
    let (tx, rx) = tokio::sync::mpsc::channel(DECODE_QUEUE_CHUNKS);
    let decoding = tokio::spawn(decode(rx, decoder, frames, stats.clone()));
    let mut gap = false;
    let end = forward(from, to, &stats, &activity, |chunk| {
        if gap && tx.try_send(ToDecoder::Gap).is_ok() {
            gap = false;
        }
        // Taken from the budget before the copy is made; given back when it is dropped.
        let admitted = !gap && rate.try_take(chunk.len()) && budget.try_take(chunk.len());
        let queued = admitted.then(|| Queued {
            bytes: chunk.to_vec(),
            budget: budget.clone(),
        });
        if queued.is_none_or(|q| tx.try_send(ToDecoder::Bytes(q)).is_err()) {
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
        match to.send(chunk).await {
            Ok(true) => stats.add(&stats.forwarded, n),
            Ok(false) => stats.add(&stats.not_forwarded, n),
            Err(e) => {
                return PumpEnd::Failed(format!("the other side stopped accepting data: {e}"))
            }
        }
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
            ToDecoder::Bytes(queued) => decoder.push(&queued.bytes),
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
