//! One probe on the wire: send a few bytes, collect what comes back until the answer is
//! complete or the window closes.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

/// Most bytes kept from one answer (a probe needs headers, never a stream).
const MAX_HEARD: usize = 4096;

/// What came back.
#[derive(Debug, Default)]
pub(super) struct Heard {
    pub bytes: Vec<u8>,
    /// The peer closed the connection (or the port failed).
    pub closed: bool,
}

/// Sends `send` (nothing when empty) and reads until `done` says the answer is complete or
/// `window` passes.
pub(super) async fn exchange<L: AsyncRead + AsyncWrite + Unpin>(
    link: &mut L,
    send: &[u8],
    window: Duration,
    done: impl Fn(&[u8]) -> bool,
) -> Heard {
    let mut heard = Heard::default();
    if !send.is_empty() && (link.write_all(send).await.is_err() || link.flush().await.is_err()) {
        heard.closed = true;
        return heard;
    }
    let deadline = Instant::now() + window;
    let mut buf = [0u8; 512];
    while !done(&heard.bytes) && heard.bytes.len() < MAX_HEARD {
        match tokio::time::timeout_at(deadline, link.read(&mut buf)).await {
            Err(_) => break,
            Ok(Ok(0)) | Ok(Err(_)) => {
                heard.closed = true;
                break;
            }
            Ok(Ok(n)) => heard.bytes.extend_from_slice(buf.get(..n).unwrap_or(&[])),
        }
    }
    heard
}

/// Sends bytes without waiting for an answer (acknowledgements, closing a session).
pub(super) async fn send_only<L: AsyncWrite + Unpin>(link: &mut L, bytes: &[u8]) {
    let _ = link.write_all(bytes).await;
    let _ = link.flush().await;
}
