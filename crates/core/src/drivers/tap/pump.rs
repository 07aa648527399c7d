//! One direction of a tap, shared by the TCP proxy and the serial tap: read a chunk, pass it
//! on unchanged at once, then hand a copy to the decoder through a bounded queue it never
//! waits on. A slow decoder, a paused stdout or a full disk makes the tap skip decoding
//! (counted in [`TapStats`]), never forwarding.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};

use super::decoder::StreamDecoder;
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
    async fn send(&mut self, chunk: &[u8]) -> Result<bool, String>;
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

/// What the forwarding path hands to the decoder.
enum ToDecoder {
    Bytes(Vec<u8>),
    /// Bytes were forwarded but not decoded here (the decoder was behind; counted in
    /// [`TapStats::not_decoded`]): what the decoder holds can no longer be framed.
    Gap,
}

/// Copies one direction byte for byte and hands a copy to the decoder: through a bounded
/// queue it never waits on, or (`inline`, see `TapConfig::decode_inline`) on the same task.
/// Returns how it ended.
pub(crate) async fn pump<R, W>(
    from: R,
    to: W,
    mut decoder: StreamDecoder,
    frames: Sink<FrameRecord>,
    stats: Arc<TapStats>,
    inline: bool,
) -> PumpEnd
where
    R: AsyncRead + Unpin,
    W: Outlet,
{
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
async fn forward<R, W>(
    mut from: R,
    mut to: W,
    stats: &TapStats,
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
        let chunk = buf.get(..n).unwrap_or(&[]);
        match to.send(chunk).await {
            Ok(true) => stats.add(&stats.forwarded, n),
            Ok(false) => stats.add(&stats.not_forwarded, n),
            Err(e) => return PumpEnd::Failed(e),
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
