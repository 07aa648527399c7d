//! Plays a serial line whose two ends disagree on the baud rate, over a pty.
//!
//! A pty moves bytes at any rate, so the gate compares the settings the client configured on
//! the slave with the rate the simulated terminal "really" runs at. When they differ, what
//! the client sent is lost (the terminal's UART cannot read it) and the client gets noise
//! back, as from a real terminal answering at another rate. When they agree, bytes pass.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::garble::garble;
use crate::link::{Parity, PtyPair};

pub struct BaudGate {
    pty: PtyPair,
    true_baud: u32,
    /// Noise not yet written back to the client.
    noise: Vec<u8>,
}

impl BaudGate {
    pub fn new(pty: PtyPair, true_baud: u32) -> Self {
        BaudGate {
            pty,
            true_baud,
            noise: Vec::new(),
        }
    }

    /// True when the client's settings would garble the line. Stop bits are not compared:
    /// a receiver accepts one stop bit where two are sent.
    fn mismatched(&self) -> bool {
        match self.pty.client_settings() {
            Ok(s) => {
                s.baud != self.true_baud || s.parity != Parity::None || s.data_bits.bits() != 8
            }
            Err(_) => false,
        }
    }

    fn flush_noise(&mut self, cx: &mut Context<'_>) {
        while !self.noise.is_empty() {
            match Pin::new(&mut self.pty).poll_write(cx, &self.noise) {
                Poll::Ready(Ok(n)) if n > 0 => {
                    self.noise.drain(..n.min(self.noise.len()));
                }
                _ => break,
            }
        }
    }
}

impl AsyncRead for BaudGate {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            self.flush_noise(cx);
            let before = buf.filled().len();
            match Pin::new(&mut self.pty).poll_read(cx, buf) {
                Poll::Ready(Ok(())) => {
                    let got = buf.filled().len() - before;
                    if got == 0 || !self.mismatched() {
                        return Poll::Ready(Ok(()));
                    }
                    let mut reply = vec![0x06];
                    reply.extend_from_slice(buf.filled().get(before..).unwrap_or(&[]));
                    buf.set_filled(before);
                    let noise = garble(&reply);
                    self.noise.extend(noise);
                }
                other => return other,
            }
        }
    }
}

impl AsyncWrite for BaudGate {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.mismatched() {
            // The client cannot read this either: it arrives as noise.
            let noise = garble(data);
            self.noise.extend(noise);
            self.flush_noise(cx);
            return Poll::Ready(Ok(data.len()));
        }
        Pin::new(&mut self.pty).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.flush_noise(cx);
        Pin::new(&mut self.pty).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.pty).poll_shutdown(cx)
    }
}
