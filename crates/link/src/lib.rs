//! Byte transports: serial ports, TCP, and a pseudo-terminal pair for the simulator and tests,
//! all behind one narrow trait, [`Link`], so drivers do not care which one they talk over.
//!
//! Also here: serial port enumeration with USB identity and chip pitfalls (`posdiag ports`),
//! finding an adapter again after it was re-plugged, and the errors a technician can act on.
//!
//! ```text
//! settings.rs   SerialSettings, the short form "9600 8N2", autodetect candidates
//! error.rs      LinkError with a bilingual message and what to do
//! os_error.rs   OS error → not found / permission / busy / link lost
//! serial.rs     open_serial → SerialLink (tokio-serial)
//! tcp.rs        connect_tcp → TcpLink
//! tls.rs        connect_tls → TlsLink (rustls) with the handshake's facts
//! certificate.rs a server certificate's subject, issuer and validity against the clock
//! pty.rs        PtyPair: a pty whose slave is opened with open_serial (unix)
//! ports.rs      list_ports → PortReport (JSON via serde)
//! ports_text.rs PortReport::render_text for `posdiag ports`
//! chips.rs      USB-serial chip families from VID:PID and descriptor strings
//! pitfalls.rs   each chip's known pitfalls as bilingual notes
//! sysfs.rs      Linux-only port facts from /sys (latency timer, driver, by-id links)
//! host.rs       machine-wide notes (brltty, dialout, OS naming rules)
//! identity.rs   PortIdentity, find_port: the same adapter under a new name
//! ```

use posdiag_proto as proto;
use posdiag_proto::{durations, i18n, localtime, tr};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite};

use crate::i18n::Text;

/// Implements `AsyncRead` and `AsyncWrite` for a link type by handing every call to its
/// `stream` field.
macro_rules! delegate_async_io {
    ($ty:ty) => {
        impl tokio::io::AsyncRead for $ty {
            fn poll_read(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &mut tokio::io::ReadBuf<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                std::pin::Pin::new(&mut self.stream).poll_read(cx, buf)
            }
        }

        impl tokio::io::AsyncWrite for $ty {
            fn poll_write(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &[u8],
            ) -> std::task::Poll<std::io::Result<usize>> {
                std::pin::Pin::new(&mut self.stream).poll_write(cx, buf)
            }

            fn poll_flush(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                std::pin::Pin::new(&mut self.stream).poll_flush(cx)
            }

            fn poll_shutdown(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<std::io::Result<()>> {
                std::pin::Pin::new(&mut self.stream).poll_shutdown(cx)
            }
        }
    };
}
pub(crate) use delegate_async_io;

pub mod cert_judge;
pub mod certificate;
pub mod chips;
mod endpoint;
pub mod error;
mod host;
pub mod identity;
mod os_error;
pub mod pitfalls;
pub mod ports;
mod ports_text;
#[cfg(unix)]
pub mod pty;
pub mod serial;
pub mod settings;
mod sysfs;
pub mod tcp;
pub mod tls;

pub use chips::{identify_chip, ChipFamily};
pub use endpoint::Endpoint;
pub use error::{is_link_lost, LinkError, SettingsProblem};
pub use host::HostOs;
pub use identity::{find_port, match_port, open_serial_following, PortIdentity};
pub use ports::{
    list_ports, port_names, scan_ports, NoteLevel, PortInfo, PortKind, PortNote, PortReport,
    UsbInfo,
};
#[cfg(unix)]
pub use pty::PtyPair;
pub use serial::{open_serial, SerialLink};
pub use settings::{DataBits, FlowControl, Framing, Parity, SerialSettings, StopBits};
pub use tcp::{connect_tcp, TcpLink};

/// Which kind of transport a link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    Serial,
    Tcp,
}

impl LinkKind {
    pub fn label(self) -> Text {
        match self {
            LinkKind::Serial => Text::fixed("串口", "serial"),
            LinkKind::Tcp => Text::fixed("TCP", "TCP"),
        }
    }
}

/// The RS-232 input lines as the PC (DTE) sees them (docs/field-guide.md §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct ModemLines {
    /// Clear To Send: the device allows us to send.
    pub cts: bool,
    /// Data Set Ready: the device is powered / ready.
    pub dsr: bool,
    /// Data Carrier Detect.
    pub dcd: bool,
    /// Ring Indicator.
    pub ri: bool,
}

/// A byte stream to a device plus the few control operations diagnostics need.
///
/// Serial ports, TCP connections and a pty (which is opened as a serial port) are
/// interchangeable behind it. Reads and writes are the tokio traits; an error on them for
/// which [`is_link_lost`] is true means the link is gone, and so does a read of 0 bytes.
pub trait Link: AsyncRead + AsyncWrite + Send + Unpin {
    /// What this link is connected to, for the status bar and captures:
    /// "/dev/ttyUSB0 9600 8N2", "tcp 127.0.0.1:20007".
    fn target(&self) -> String;

    fn kind(&self) -> LinkKind;

    /// CTS, DSR, DCD and RI. `Ok(None)` when this link has no modem lines (TCP, a pty, an
    /// adapter that does not report them); an error only when the link itself failed.
    fn modem_lines(&mut self) -> Result<Option<ModemLines>, LinkError>;

    /// Drives DTR. A no-op on links without modem lines.
    fn set_dtr(&mut self, on: bool) -> Result<(), LinkError>;

    /// Drives RTS. A no-op on links without modem lines.
    fn set_rts(&mut self, on: bool) -> Result<(), LinkError>;

    /// Changes baud rate, framing and flow control on an open serial link (the baud scan);
    /// input received under the old settings is discarded. The port name is not changed.
    /// [`LinkError::NotSerial`] on TCP.
    fn reconfigure(&mut self, settings: &SerialSettings) -> Result<(), LinkError>;
}

/// A link of any kind.
pub type BoxedLink = Box<dyn Link>;

impl Link for BoxedLink {
    fn target(&self) -> String {
        (**self).target()
    }
    fn kind(&self) -> LinkKind {
        (**self).kind()
    }
    fn modem_lines(&mut self) -> Result<Option<ModemLines>, LinkError> {
        (**self).modem_lines()
    }
    fn set_dtr(&mut self, on: bool) -> Result<(), LinkError> {
        (**self).set_dtr(on)
    }
    fn set_rts(&mut self, on: bool) -> Result<(), LinkError> {
        (**self).set_rts(on)
    }
    fn reconfigure(&mut self, settings: &SerialSettings) -> Result<(), LinkError> {
        (**self).reconfigure(settings)
    }
}
