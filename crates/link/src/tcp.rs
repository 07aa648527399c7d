//! TCP links: a terminal's ECR port over Ethernet, a printer on 9100, an acquirer host.
//!
//! Connecting resolves the name and tries every address within one overall timeout, so a
//! technician waits at most `timeout`, and each failure says what to check.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::time::Instant;

use super::error::LinkError;
use super::settings::SerialSettings;
use super::{Link, LinkKind, ModemLines};

/// An open TCP connection.
pub struct TcpLink {
    stream: TcpStream,
    /// What the user asked for ("pos.local:20007"), shown next to the address it resolved to.
    requested: String,
    peer: SocketAddr,
}

/// Connects to `addr` ("192.168.1.20:20007", "pos.local:20007", "[::1]:20007"), resolving the
/// name and trying each address until one answers, all within `timeout`. Sets TCP_NODELAY:
/// the protocols here are small request/response frames.
pub async fn connect_tcp(addr: &str, timeout: Duration) -> Result<TcpLink, LinkError> {
    let requested = addr.trim();
    let (host, port) = split_host_port(requested).ok_or_else(|| LinkError::BadAddress {
        addr: requested.to_string(),
    })?;
    let deadline = Instant::now() + timeout;

    let candidates: Vec<SocketAddr> =
        match tokio::time::timeout_at(deadline, tokio::net::lookup_host((host, port))).await {
            Err(_elapsed) => {
                return Err(LinkError::Resolve {
                    host: host.to_string(),
                    reason: format!("no answer within {}", crate::durations::show(timeout)),
                })
            }
            Ok(Err(err)) => {
                return Err(LinkError::Resolve {
                    host: host.to_string(),
                    reason: err.to_string(),
                })
            }
            Ok(Ok(addrs)) => addrs.collect(),
        };
    if candidates.is_empty() {
        return Err(LinkError::Resolve {
            host: host.to_string(),
            reason: "no addresses".to_string(),
        });
    }

    let mut last_error = None;
    for candidate in candidates {
        match tokio::time::timeout_at(deadline, TcpStream::connect(candidate)).await {
            Err(_elapsed) => {
                return Err(LinkError::TcpTimeout {
                    addr: requested.to_string(),
                    timeout,
                })
            }
            Ok(Ok(stream)) => return TcpLink::with_request(stream, requested),
            Ok(Err(err)) => last_error = Some(err),
        }
    }
    let err = last_error.unwrap_or_else(|| io::Error::other("no address to connect to"));
    Err(connect_error(requested, timeout, err))
}

impl TcpLink {
    /// Wraps an already connected stream (an accepted connection, a proxy leg).
    pub fn from_stream(stream: TcpStream) -> Result<TcpLink, LinkError> {
        let peer = stream.peer_addr().map_err(|source| LinkError::Io {
            target: "tcp".to_string(),
            source,
        })?;
        TcpLink::with_request(stream, &peer.to_string())
    }

    fn with_request(stream: TcpStream, requested: &str) -> Result<TcpLink, LinkError> {
        let peer = stream.peer_addr().map_err(|source| LinkError::Io {
            target: format!("tcp {requested}"),
            source,
        })?;
        stream.set_nodelay(true).map_err(|source| LinkError::Io {
            target: format!("tcp {requested}"),
            source,
        })?;
        Ok(TcpLink {
            stream,
            requested: requested.to_string(),
            peer,
        })
    }

    pub fn peer_addr(&self) -> SocketAddr {
        self.peer
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }

    /// The stream itself, e.g. to split it into halves.
    pub fn into_inner(self) -> TcpStream {
        self.stream
    }
}

impl Link for TcpLink {
    fn target(&self) -> String {
        let peer = self.peer.to_string();
        if peer == self.requested {
            format!("tcp {peer}")
        } else {
            format!("tcp {} ({peer})", self.requested)
        }
    }

    fn kind(&self) -> LinkKind {
        LinkKind::Tcp
    }

    fn modem_lines(&mut self) -> Result<Option<ModemLines>, LinkError> {
        Ok(None)
    }

    fn set_dtr(&mut self, _on: bool) -> Result<(), LinkError> {
        Ok(())
    }

    fn set_rts(&mut self, _on: bool) -> Result<(), LinkError> {
        Ok(())
    }

    fn reconfigure(&mut self, _settings: &SerialSettings) -> Result<(), LinkError> {
        Err(LinkError::NotSerial {
            target: self.target(),
        })
    }
}

super::delegate_async_io!(TcpLink);

impl std::fmt::Debug for TcpLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpLink")
            .field("target", &self.target())
            .finish()
    }
}

/// "host:port", "1.2.3.4:port", "[v6]:port" → (host, port). None without a valid port.
fn split_host_port(addr: &str) -> Option<(&str, u16)> {
    let (host, port) = if let Some(rest) = addr.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        (host, after.strip_prefix(':')?)
    } else {
        let (host, port) = addr.rsplit_once(':')?;
        if host.contains(':') {
            // A bare IPv6 address without brackets: the port is ambiguous.
            return None;
        }
        (host, port)
    };
    let port = port.parse::<u16>().ok().filter(|p| *p != 0)?;
    if host.is_empty() {
        return None;
    }
    Some((host, port))
}

fn connect_error(addr: &str, timeout: Duration, err: io::Error) -> LinkError {
    let addr = addr.to_string();
    match err.kind() {
        io::ErrorKind::ConnectionRefused => LinkError::TcpRefused { addr },
        io::ErrorKind::TimedOut => LinkError::TcpTimeout { addr, timeout },
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            LinkError::TcpUnreachable { addr }
        }
        _ => LinkError::Io {
            target: format!("tcp {addr}"),
            source: err,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_into_host_and_port() {
        assert_eq!(
            split_host_port("192.168.1.20:20007"),
            Some(("192.168.1.20", 20007))
        );
        assert_eq!(split_host_port("pos.local:9100"), Some(("pos.local", 9100)));
        assert_eq!(split_host_port("[::1]:20007"), Some(("::1", 20007)));
        assert_eq!(split_host_port("192.168.1.20"), None);
        assert_eq!(split_host_port("::1:20007"), None);
        assert_eq!(split_host_port(":20007"), None);
        assert_eq!(split_host_port("host:0"), None);
        assert_eq!(split_host_port("host:99999"), None);
    }

    #[test]
    fn connect_errors_map_to_what_to_check() {
        let t = Duration::from_secs(2);
        let map = |kind| connect_error("10.0.0.9:20007", t, io::Error::from(kind));
        assert!(
            matches!(map(io::ErrorKind::ConnectionRefused), LinkError::TcpRefused { addr } if addr == "10.0.0.9:20007")
        );
        assert!(matches!(
            map(io::ErrorKind::TimedOut),
            LinkError::TcpTimeout { .. }
        ));
        assert!(matches!(
            map(io::ErrorKind::NetworkUnreachable),
            LinkError::TcpUnreachable { .. }
        ));
        assert!(matches!(map(io::ErrorKind::Other), LinkError::Io { .. }));
    }
}
