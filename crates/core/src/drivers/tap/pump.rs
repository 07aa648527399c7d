//! One direction of a tapped connection: bytes copied from one side to the other first, then
//! a copy handed to the decoder through a bounded queue it never waits on (or, for the demo's
//! own tap, decoded on the same task). Also when the connection last moved a byte, for the
//! idle timeout.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::time::Instant;

use super::decoder::StreamDecoder;
use super::limits::{Budget, Rate};
use super::proxy::Sink;
use super::stats::TapStats;
use crate::frame::FrameRecord;

/// How one direction ended.
pub(super) enum PumpEnd {
    /// The sender closed its side cleanly (FIN); passed on as a half-close.
    Closed,
    Failed(String),
}

/// Bytes handed to the decoder: at most this many chunks wait (16 KiB each, so 4 MiB per
/// direction). When the decoder falls behind, chunks are skipped and counted; forwarding
/// never waits for it.
const DECODE_QUEUE_CHUNKS: usize = 256;

/// When a connection last moved a byte, either way (milliseconds since it began).
#[derive(Clone)]
pub(super) struct Activity {
    began: Instant,
    last_ms: Arc<AtomicU64>,
}

impl Activity {
    pub(super) fn new() -> Self {
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
    pub(super) async fn idle_for(&self, idle: Duration) {
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

/// One direction's share of the connection.
pub(super) struct Pump {
    pub(super) decoder: StreamDecoder,
    pub(super) frames: Sink<FrameRecord>,
    pub(super) stats: Arc<TapStats>,
    pub(super) inline: bool,
    pub(super) budget: Budget,
    pub(super) rate: Rate,
    pub(super) activity: Activity,
}

/// Copies one direction byte for byte and hands a copy to the decoder: through a bounded
/// queue it never waits on, or (see [`TapConfig::decode_inline`]) on the same task. Returns
/// how it ended.
pub(super) async fn pump(from: OwnedReadHalf, to: OwnedWriteHalf, pump: Pump) -> PumpEnd {
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
async fn forward(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    stats: &TapStats,
    activity: &Activity,
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
        activity.touch();
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
