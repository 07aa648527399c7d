//! Moves whole ISO 8583 frames over a byte stream, delimited by the dialect's length prefix
//! (2-byte binary for CUP, 4 ASCII digits, or none — then a frame is what arrives before the
//! line goes quiet). Every frame seen is reported raw to an observer (which redacts it).
//!
//! The same code serves both roles: the host client and the simulated acquirer.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

use crate::frame::Direction;
use crate::proto::iso8583::{frame_length, Dialect, FrameLength};

/// Receives every frame with its direction; `garbage` marks bytes that are not a frame.
pub type FrameObserver = Arc<dyn Fn(Direction, &[u8], bool) + Send + Sync>;

/// With no length prefix, a frame ends when nothing more arrives for this long.
pub const QUIET_GAP: Duration = Duration::from_millis(80);

/// Counters of what the link carried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameStats {
    pub bytes_in: usize,
    pub bytes_out: usize,
    pub frames_in: usize,
    pub frames_out: usize,
    pub garbage_bytes: usize,
}

/// Why moving a frame failed.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("no frame within {}", crate::durations::show(*.waited))]
    Timeout { waited: Duration },
    #[error("the link closed: {reason}")]
    Closed { reason: String },
    #[error("the length prefix '{found}' is not readable: the peer does not speak this dialect's framing")]
    BadLengthPrefix { found: String },
    #[error("link error: {0}")]
    Io(#[from] std::io::Error),
}

/// A frame transport over a byte stream.
pub struct FrameTransport<S> {
    stream: S,
    dialect: Dialect,
    buffer: Vec<u8>,
    observer: Option<FrameObserver>,
    stats: FrameStats,
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send> FrameTransport<S> {
    pub fn new(stream: S, dialect: Dialect) -> Self {
        FrameTransport {
            stream,
            dialect,
            buffer: Vec::new(),
            observer: None,
            stats: FrameStats::default(),
        }
    }

    pub fn with_observer(mut self, observer: FrameObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    pub fn dialect(&self) -> &Dialect {
        &self.dialect
    }

    pub fn stats(&self) -> FrameStats {
        self.stats
    }

    pub fn stream_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    pub fn into_stream(self) -> S {
        self.stream
    }

    fn observe(&self, direction: Direction, frame: &[u8], garbage: bool) {
        if let Some(o) = &self.observer {
            o(direction, frame, garbage);
        }
    }

    /// Sends one complete frame (length prefix included).
    pub async fn send(&mut self, frame: &[u8]) -> Result<(), TransportError> {
        self.stream.write_all(frame).await?;
        self.stream.flush().await?;
        self.stats.bytes_out += frame.len();
        self.stats.frames_out += 1;
        self.observe(Direction::Tx, frame, false);
        Ok(())
    }

    /// Receives the next frame before `deadline`.
    pub async fn recv(&mut self, deadline: Instant) -> Result<Vec<u8>, TransportError> {
        loop {
            match frame_length(&self.dialect, &self.buffer) {
                FrameLength::Complete(n) => {
                    let frame: Vec<u8> = self.buffer.drain(..n.min(self.buffer.len())).collect();
                    return Ok(self.deliver(frame));
                }
                FrameLength::Incomplete { .. } => self.read_until(deadline).await?,
                FrameLength::Unframed => {
                    if self.buffer.is_empty() {
                        self.read_until(deadline).await?;
                        continue;
                    }
                    // Unframed: keep reading until the line goes quiet.
                    let quiet = Instant::now() + QUIET_GAP;
                    match self.read_until(quiet.min(deadline)).await {
                        Ok(()) => continue,
                        Err(TransportError::Timeout { .. }) => {
                            let frame = std::mem::take(&mut self.buffer);
                            return Ok(self.deliver(frame));
                        }
                        Err(e) => return Err(e),
                    }
                }
                FrameLength::Invalid => {
                    let junk = std::mem::take(&mut self.buffer);
                    self.stats.garbage_bytes += junk.len();
                    self.observe(Direction::Rx, &junk, true);
                    let shown = junk.get(..junk.len().min(4)).unwrap_or_default();
                    return Err(TransportError::BadLengthPrefix {
                        found: hex::encode_upper(shown),
                    });
                }
            }
        }
    }

    fn deliver(&mut self, frame: Vec<u8>) -> Vec<u8> {
        self.stats.frames_in += 1;
        self.observe(Direction::Rx, &frame, false);
        frame
    }

    /// Reads once, waiting at most until `deadline`.
    async fn read_until(&mut self, deadline: Instant) -> Result<(), TransportError> {
        let started = Instant::now();
        if started >= deadline {
            return Err(TransportError::Timeout {
                waited: Duration::ZERO,
            });
        }
        let mut chunk = [0u8; 4096];
        match tokio::time::timeout_at(deadline, self.stream.read(&mut chunk)).await {
            Ok(Ok(0)) => {
                if !self.buffer.is_empty() {
                    let partial = std::mem::take(&mut self.buffer);
                    self.stats.garbage_bytes += partial.len();
                    self.observe(Direction::Rx, &partial, true);
                }
                Err(TransportError::Closed {
                    reason: "the peer closed the connection".to_owned(),
                })
            }
            Ok(Ok(n)) => {
                self.stats.bytes_in += n;
                self.buffer
                    .extend_from_slice(chunk.get(..n).unwrap_or_default());
                Ok(())
            }
            Ok(Err(e)) => Err(TransportError::Io(e)),
            Err(_) => Err(TransportError::Timeout {
                waited: started.elapsed(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::iso8583::LengthPrefix;

    #[tokio::test]
    async fn frames_split_and_joined_on_the_wire() {
        let (a, mut b) = tokio::io::duplex(64);
        let mut t = FrameTransport::new(a, Dialect::cup());
        // Two frames in one write, the second split across writes.
        b.write_all(&[0x00, 0x02, 0xAA, 0xBB, 0x00, 0x03, 0x01])
            .await
            .unwrap_or_default();
        let deadline = Instant::now() + Duration::from_secs(1);
        assert_eq!(
            t.recv(deadline).await.ok(),
            Some(vec![0x00, 0x02, 0xAA, 0xBB])
        );
        b.write_all(&[0x02, 0x03]).await.unwrap_or_default();
        assert_eq!(
            t.recv(deadline).await.ok(),
            Some(vec![0x00, 0x03, 0x01, 0x02, 0x03])
        );
        assert!(matches!(
            t.recv(Instant::now() + Duration::from_millis(20)).await,
            Err(TransportError::Timeout { .. })
        ));
        drop(b);
        assert!(matches!(
            t.recv(deadline).await,
            Err(TransportError::Closed { .. })
        ));
    }

    #[tokio::test]
    async fn unframed_dialect_and_bad_prefix() {
        let mut d = Dialect::cup();
        d.length_prefix = LengthPrefix::None;
        let (a, mut b) = tokio::io::duplex(64);
        let mut t = FrameTransport::new(a, d);
        b.write_all(&[1, 2, 3]).await.unwrap_or_default();
        let deadline = Instant::now() + Duration::from_secs(1);
        assert_eq!(t.recv(deadline).await.ok(), Some(vec![1, 2, 3]));

        let mut d = Dialect::cup();
        d.length_prefix = LengthPrefix::Ascii4;
        let (a, mut b) = tokio::io::duplex(64);
        let mut t = FrameTransport::new(a, d);
        b.write_all(b"HTTP/1.1").await.unwrap_or_default();
        assert!(matches!(
            t.recv(deadline).await,
            Err(TransportError::BadLengthPrefix { .. })
        ));
    }
}
