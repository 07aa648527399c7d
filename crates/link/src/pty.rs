//! A pseudo-terminal pair for the simulator and tests: the simulator holds the master as an
//! async byte stream, and a client opens the slave path with [`super::open_serial`], the same
//! code that opens a real serial port.
//!
//! The pair keeps its own handle on the slave for its whole life. Without it, the master reads
//! EIO (hang-up) every time the client closes the slave, and a client that reconnects would
//! find a dead simulator. That handle is never made exclusive and never locked, so the client
//! can open the slave as often as it likes.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_serial::{ClearBuffer, SerialPort, SerialStream};

use super::error::LinkError;
use super::settings::SerialSettings;

/// A pseudo-terminal: master as an async stream, slave as a path a client opens.
pub struct PtyPair {
    master: SerialStream,
    /// Keeps the slave side alive between client connections; also where the client's
    /// termios (baud, framing) can be read back.
    slave: serialport::TTYPort,
    slave_path: String,
}

impl PtyPair {
    /// Creates the pair; the slave starts in raw mode (no echo, no line editing, no CR/LF
    /// translation). Must be called inside a tokio runtime.
    pub fn open() -> Result<PtyPair, LinkError> {
        let pty_error = |source: io::Error| LinkError::Io {
            target: "pty".to_string(),
            source,
        };
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(pty_error(io::Error::other(
                "PtyPair::open must be called inside a tokio runtime",
            )));
        }
        let (master, slave) = serialport::TTYPort::pair().map_err(|e| pty_error(e.into()))?;
        let slave_path = slave
            .name()
            .ok_or_else(|| pty_error(io::Error::other("the pty slave has no name")))?;
        set_cloexec(&master).map_err(pty_error)?;
        set_cloexec(&slave).map_err(pty_error)?;
        let master = SerialStream::try_from(master).map_err(|e| pty_error(e.into()))?;
        Ok(PtyPair {
            master,
            slave,
            slave_path,
        })
    }

    /// The path a client opens, e.g. `/dev/pts/5`.
    pub fn slave_path(&self) -> &str {
        &self.slave_path
    }

    /// The baud rate the client last configured on the slave. A pty moves bytes at any rate,
    /// so the simulator compares this with the rate it pretends to run at to play a mismatch.
    pub fn slave_baud(&self) -> Result<u32, LinkError> {
        self.slave.baud_rate().map_err(|e| self.error(e))
    }

    /// Everything the client configured on the slave: baud, framing, flow control.
    pub fn client_settings(&self) -> Result<SerialSettings, LinkError> {
        let s = &self.slave;
        let read = || -> tokio_serial::Result<SerialSettings> {
            Ok(SerialSettings {
                port: self.slave_path.clone(),
                baud: s.baud_rate()?,
                data_bits: s.data_bits()?.into(),
                parity: s.parity()?.into(),
                stop_bits: s.stop_bits()?.into(),
                flow_control: s.flow_control()?.into(),
            })
        };
        read().map_err(|e| self.error(e))
    }

    /// Drops bytes the master wrote that no client has read yet (written while no client was
    /// connected), so the next client does not start with stale data.
    pub fn discard_pending(&self) -> Result<(), LinkError> {
        self.slave
            .clear(ClearBuffer::Input)
            .map_err(|e| self.error(e))
    }

    fn error(&self, e: tokio_serial::Error) -> LinkError {
        LinkError::Io {
            target: format!("pty {}", self.slave_path),
            source: e.into(),
        }
    }
}

fn set_cloexec(fd: &impl std::os::unix::io::AsRawFd) -> io::Result<()> {
    // SAFETY: F_GETFD/F_SETFD only read and write the descriptor flags of an fd we own.
    let rc = unsafe {
        let flags = libc::fcntl(fd.as_raw_fd(), libc::F_GETFD);
        if flags < 0 {
            flags
        } else {
            libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, flags | libc::FD_CLOEXEC)
        }
    };
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

impl AsyncRead for PtyPair {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.master).poll_read(cx, buf)
    }
}

impl AsyncWrite for PtyPair {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.master).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.master).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.master).poll_shutdown(cx)
    }
}

impl std::fmt::Debug for PtyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PtyPair")
            .field("slave_path", &self.slave_path)
            .finish()
    }
}
