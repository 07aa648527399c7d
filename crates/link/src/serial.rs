//! Serial ports on tokio-serial: open with every setting applied, DTR and RTS asserted, and
//! failures turned into errors a technician can act on.
//!
//! A pseudo-terminal slave (the simulator's [`super::PtyPair`]) is opened through this same
//! code; it has no modem lines, so those operations are no-ops there.

use std::io;

use tokio_serial::{ClearBuffer, SerialPort, SerialPortBuilderExt, SerialStream};

use super::error::{LinkError, SettingsProblem};
use super::settings::SerialSettings;
use super::{Link, LinkKind, ModemLines};

/// An open serial port.
pub struct SerialLink {
    stream: SerialStream,
    settings: SerialSettings,
    /// A pty has no modem lines; asking for them only produces errors.
    pty: bool,
}

/// Opens `settings.port` with every setting of `settings`, DTR and RTS asserted (RTS is left to
/// the driver under hardware flow control). Must be called inside a tokio runtime.
pub fn open_serial(settings: &SerialSettings) -> Result<SerialLink, LinkError> {
    settings.validate()?;
    let port = settings.port.trim();
    if port.is_empty() {
        return Err(LinkError::PortNotFound {
            port: String::new(),
            available: super::ports::port_names(),
        });
    }
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(LinkError::Io {
            target: port.to_string(),
            source: io::Error::other("open_serial must be called inside a tokio runtime"),
        });
    }
    let pty = is_pseudo_terminal(port);
    let builder = tokio_serial::new(port, settings.baud)
        .data_bits(settings.data_bits.into())
        .parity(settings.parity.into())
        .stop_bits(settings.stop_bits.into())
        .flow_control(settings.flow_control.into())
        .dtr_on_open(true)
        // TIOCEXCL is a flag of the tty, not of our handle. serialport clears it when the port
        // is dropped, but not when the process dies (killed, Ctrl-C): on a pty whose slave the
        // simulator keeps open, the flag would then outlive us and every later open by a
        // non-root user fails with EBUSY (verified on Linux 6.x). Real ports reset on last close.
        .exclusive(!pty);
    let mut stream = builder
        .open_native_async()
        .map_err(|err| open_failure(settings, err))?;
    if !pty && settings.flow_control != super::FlowControl::Hardware {
        // Some adapters leave RTS low after open; devices wired for RTS/CTS then never talk.
        let _ = stream.write_request_to_send(true);
    }
    let mut settings = settings.clone();
    settings.port = port.to_string();
    Ok(SerialLink {
        stream,
        settings,
        pty,
    })
}

impl SerialLink {
    /// The settings the port was opened or last reconfigured with.
    pub fn settings(&self) -> &SerialSettings {
        &self.settings
    }

    /// True when the port is a pseudo-terminal (the simulator), which has no modem lines.
    pub fn is_pty(&self) -> bool {
        self.pty
    }

    fn error(&self, err: tokio_serial::Error) -> LinkError {
        serial_error(&self.target(), err)
    }
}

impl Link for SerialLink {
    fn target(&self) -> String {
        format!("{} {}", self.settings.port, self.settings)
    }

    fn kind(&self) -> LinkKind {
        LinkKind::Serial
    }

    fn modem_lines(&mut self) -> Result<Option<ModemLines>, LinkError> {
        if self.pty {
            return Ok(None);
        }
        match read_modem_lines(&mut self.stream) {
            Ok(lines) => Ok(Some(lines)),
            Err(err) if super::is_link_lost(&err) => Err(LinkError::from_io(&self.target(), err)),
            // ENOTTY / EINVAL and the like: this adapter does not report its lines.
            Err(_) => Ok(None),
        }
    }

    fn set_dtr(&mut self, on: bool) -> Result<(), LinkError> {
        if self.pty {
            return Ok(());
        }
        self.stream
            .write_data_terminal_ready(on)
            .map_err(|e| self.error(e))
    }

    fn set_rts(&mut self, on: bool) -> Result<(), LinkError> {
        if self.pty {
            return Ok(());
        }
        self.stream
            .write_request_to_send(on)
            .map_err(|e| self.error(e))
    }

    fn reconfigure(&mut self, settings: &SerialSettings) -> Result<(), LinkError> {
        settings.validate()?;
        let s = &mut self.stream;
        let applied = s
            .set_baud_rate(settings.baud)
            .and_then(|()| s.set_data_bits(settings.data_bits.into()))
            .and_then(|()| s.set_parity(settings.parity.into()))
            .and_then(|()| s.set_stop_bits(settings.stop_bits.into()))
            .and_then(|()| s.set_flow_control(settings.flow_control.into()))
            .and_then(|()| s.clear(ClearBuffer::Input));
        if let Err(err) = applied {
            return Err(match err.kind() {
                tokio_serial::ErrorKind::InvalidInput => LinkError::InvalidSettings {
                    input: settings.to_string(),
                    problem: SettingsProblem::Rejected(err.to_string()),
                },
                _ => self.error(err),
            });
        }
        let port = std::mem::take(&mut self.settings.port);
        self.settings = settings.clone();
        self.settings.port = port;
        Ok(())
    }
}

super::delegate_async_io!(SerialLink);

/// The OS handle, for ioctls this module does not wrap (line error counters, break).
#[cfg(unix)]
impl std::os::unix::io::AsRawFd for SerialLink {
    fn as_raw_fd(&self) -> std::os::unix::io::RawFd {
        self.stream.as_raw_fd()
    }
}

impl std::fmt::Debug for SerialLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SerialLink")
            .field("target", &self.target())
            .field("pty", &self.pty)
            .finish()
    }
}

/// serialport drops the OS error code, so lost-ness is judged from its kind.
fn serial_error(target: &str, err: tokio_serial::Error) -> LinkError {
    let lost = match err.kind() {
        tokio_serial::ErrorKind::NoDevice => true,
        tokio_serial::ErrorKind::Io(kind) => super::is_link_lost(&io::Error::from(kind)),
        // nix's wording for EIO / ENXIO / ENODEV, which serialport reports as Unknown.
        tokio_serial::ErrorKind::Unknown => matches!(
            err.description.as_str(),
            "I/O error" | "No such device or address" | "No such device"
        ),
        _ => false,
    };
    if lost {
        LinkError::Lost {
            target: target.to_string(),
            reason: err.to_string(),
        }
    } else {
        LinkError::Io {
            target: target.to_string(),
            source: io::Error::from(err),
        }
    }
}

/// Turns a failed open into the precise reason. serialport keeps only a description, so the
/// port is opened once more with std to learn the OS error code; that open has no effect when
/// it fails, and when it succeeds the first failure was the exclusive lock or the settings.
fn open_failure(settings: &SerialSettings, err: tokio_serial::Error) -> LinkError {
    let port = settings.port.trim();
    match probe_open(port) {
        Err(os_err) => LinkError::from_open_error(port, os_err, super::ports::port_names),
        Ok(()) => match err.kind() {
            // EBUSY from TIOCEXCL or a held flock: another program has it.
            tokio_serial::ErrorKind::NoDevice => LinkError::PortBusy {
                port: port.to_string(),
            },
            tokio_serial::ErrorKind::InvalidInput => LinkError::InvalidSettings {
                input: settings.to_string(),
                problem: SettingsProblem::Rejected(err.to_string()),
            },
            _ => LinkError::Io {
                target: port.to_string(),
                source: io::Error::from(err),
            },
        },
    }
}

#[cfg(unix)]
fn probe_open(port: &str) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        // Non-blocking so a macOS /dev/tty.* does not wait for carrier.
        .custom_flags(libc::O_NOCTTY | libc::O_NONBLOCK)
        .open(port)
        .map(drop)
}

#[cfg(windows)]
fn probe_open(port: &str) -> io::Result<()> {
    // COM10 and above only open with the device namespace prefix.
    let path = if port.starts_with('\\') {
        port.to_string()
    } else {
        format!(r"\\.\{port}")
    };
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map(drop)
}

#[cfg(not(any(unix, windows)))]
fn probe_open(port: &str) -> io::Result<()> {
    std::fs::metadata(port).map(drop)
}

#[cfg(unix)]
fn read_modem_lines(stream: &mut SerialStream) -> io::Result<ModemLines> {
    use std::os::unix::io::AsRawFd;
    let mut bits: libc::c_int = 0;
    // SAFETY: TIOCMGET writes one c_int through the pointer, which points to a live local;
    // the fd is owned by `stream` and open for the duration of the call.
    let rc = unsafe { libc::ioctl(stream.as_raw_fd(), libc::TIOCMGET as _, &mut bits) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(ModemLines {
        cts: bits & libc::TIOCM_CTS != 0,
        dsr: bits & libc::TIOCM_DSR != 0,
        dcd: bits & libc::TIOCM_CAR != 0,
        ri: bits & libc::TIOCM_RNG != 0,
    })
}

#[cfg(not(unix))]
fn read_modem_lines(stream: &mut SerialStream) -> io::Result<ModemLines> {
    Ok(ModemLines {
        cts: stream.read_clear_to_send()?,
        dsr: stream.read_data_set_ready()?,
        dcd: stream.read_carrier_detect()?,
        ri: stream.read_ring_indicator()?,
    })
}

/// True for a pseudo-terminal slave, judged by its device path.
fn is_pseudo_terminal(port: &str) -> bool {
    let path = std::fs::canonicalize(port).unwrap_or_else(|_| port.into());
    let path = path.to_string_lossy();
    if cfg!(target_os = "linux") {
        path.starts_with("/dev/pts/")
    } else if cfg!(target_os = "macos") {
        path.strip_prefix("/dev/ttys")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pty_paths_are_recognised() {
        if cfg!(target_os = "linux") {
            assert!(is_pseudo_terminal("/dev/pts/5"));
        }
        assert!(!is_pseudo_terminal("/dev/ttyUSB0"));
        assert!(!is_pseudo_terminal("COM3"));
    }

    #[test]
    fn serial_errors_that_mean_unplugged_are_lost() {
        let lost = serial_error(
            "t",
            tokio_serial::Error::new(tokio_serial::ErrorKind::Unknown, "I/O error"),
        );
        assert!(lost.is_lost());
        let other = serial_error(
            "t",
            tokio_serial::Error::new(tokio_serial::ErrorKind::Unknown, "Invalid argument"),
        );
        assert!(!other.is_lost());
    }
}
