//! Where the terminal and the host are: from the profile, the `--serial` / `--tcp` overrides,
//! or the endpoints of simulated devices.

use crate::drivers::iso8583::{HostConfig, HostEndpoint, TerminalIdentity};
use crate::drivers::zvt::ZvtEndpoint;
use crate::link::tls::TlsSettings;
use crate::link::SerialSettings;
use crate::profile::{HostSettings, TerminalSettings};
use crate::proto::iso8583::MasterKey;

#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error("the profile gives no serial port: add --serial PORT (see 'posdiag ports') or --tcp HOST:PORT")]
    NoPort,
    #[error("the profile '{0}' has no terminal channel")]
    NoTerminal(String),
    #[error("the simulator did not start an endpoint for the terminal")]
    NoSimulatorEndpoint,
    #[error("the simulator did not start an endpoint for the printer")]
    NoSimulatorPrinter,
    #[error("the profile gives no host address: add tcp = \"HOST:PORT\" under [host] or --tcp HOST:PORT")]
    NoHostAddress,
    #[error("the simulator did not start the acquirer host")]
    NoSimulatorHost,
}

/// The endpoint of a real acquirer host (`tcp` overrides the profile's address).
pub fn host_endpoint(h: &HostSettings, tcp: Option<&str>) -> Result<HostEndpoint, EndpointError> {
    let addr = tcp
        .map(str::to_owned)
        .or_else(|| h.tcp.clone())
        .ok_or(EndpointError::NoHostAddress)?;
    Ok(with_tls(h, addr))
}

fn with_tls(h: &HostSettings, addr: String) -> HostEndpoint {
    if h.tls {
        HostEndpoint::Tls {
            addr,
            tls: TlsSettings {
                server_name: h.tls_server_name.clone(),
                ca_file: h.tls_ca_file.clone(),
            },
        }
    } else {
        HostEndpoint::Tcp(addr)
    }
}

/// The host channel's configuration from the profile.
pub fn host_config(h: &HostSettings) -> HostConfig {
    HostConfig {
        dialect: h.dialect.clone(),
        identity: TerminalIdentity {
            tid: h.tid.clone(),
            mid: h.mid.clone(),
            batch: h.batch.clone(),
            operator: h.operator.clone(),
        },
        connect_timeout: h.connect_timeout,
        response_timeout: h.response_timeout,
        // Validated when the profile loaded.
        master_key: h
            .test_master_key
            .as_ref()
            .and_then(|k| MasterKey::from_hex(k.expose()).ok()),
    }
}

/// The endpoint of a real terminal.
pub fn terminal_endpoint(
    t: &TerminalSettings,
    serial: Option<&str>,
    tcp: Option<&str>,
) -> Result<ZvtEndpoint, EndpointError> {
    if let Some(addr) = tcp {
        return Ok(ZvtEndpoint::Tcp(with_default_port(addr)));
    }
    let base = t.serial.clone().unwrap_or_else(|| {
        SerialSettings::parse("", "9600 8N2").unwrap_or_else(|_| SerialSettings::new("", 9600))
    });
    if let Some(port) = serial {
        return Ok(ZvtEndpoint::Serial(SerialSettings {
            port: port.to_owned(),
            ..base
        }));
    }
    if let Some(s) = &t.serial {
        if !s.port.is_empty() {
            return Ok(ZvtEndpoint::Serial(s.clone()));
        }
        if t.tcp.is_none() {
            return Err(EndpointError::NoPort);
        }
    }
    match &t.tcp {
        Some(addr) => Ok(ZvtEndpoint::Tcp(with_default_port(addr))),
        None => Err(EndpointError::NoPort),
    }
}

/// ZVT's default ECR port is 20007.
fn with_default_port(addr: &str) -> String {
    let has_port = addr.rsplit_once(':').is_some_and(|(host, port)| {
        !host.is_empty() && !host.ends_with(':') && port.parse::<u16>().is_ok()
    });
    if has_port {
        addr.to_owned()
    } else {
        format!("{addr}:20007")
    }
}

#[cfg(test)]
mod tests {
    use super::with_default_port;

    #[test]
    fn default_zvt_port() {
        assert_eq!(with_default_port("10.0.0.5"), "10.0.0.5:20007");
        assert_eq!(with_default_port("10.0.0.5:22000"), "10.0.0.5:22000");
        assert_eq!(with_default_port("pos.local"), "pos.local:20007");
    }
}
