//! The printer channel of a session: where the printer is (the profile, `--serial` /
//! `--tcp` when the profile has no terminal, or the simulator) and the channel itself.

use std::sync::Arc;

use super::endpoint::EndpointError;
use super::event_bus::EventBus;
use crate::drivers::escpos::{ClientTimeouts, PrinterChannel, PrinterEndpoint, PrinterTiming};
use crate::event::Channel;
use crate::link::SerialSettings;
use crate::profile::PrinterSettings;

/// Epson's factory serial setting (the DTR/DSR handshake is not needed to read status).
const DEFAULT_SERIAL: &str = "9600 8N1";

pub fn default_serial() -> SerialSettings {
    SerialSettings::parse("", DEFAULT_SERIAL).unwrap_or_else(|_| SerialSettings::new("", 9600))
}

/// The endpoint of a real printer. `serial` / `tcp` are the command line's overrides; the
/// session passes them only when the profile's printer is its only channel.
pub fn printer_endpoint(
    p: &PrinterSettings,
    serial: Option<&str>,
    tcp: Option<&str>,
) -> Result<PrinterEndpoint, EndpointError> {
    if let Some(addr) = tcp {
        return Ok(PrinterEndpoint::Tcp(with_default_port(addr)));
    }
    if let Some(port) = serial {
        let base = p.serial.clone().unwrap_or_else(default_serial);
        return Ok(PrinterEndpoint::Serial(SerialSettings {
            port: port.to_owned(),
            ..base
        }));
    }
    if let Some(s) = &p.serial {
        if !s.port.is_empty() {
            return Ok(PrinterEndpoint::Serial(s.clone()));
        }
        if p.tcp.is_none() {
            return Err(EndpointError::NoPort);
        }
    }
    match &p.tcp {
        Some(addr) => Ok(PrinterEndpoint::Tcp(with_default_port(addr))),
        None => Err(EndpointError::NoPort),
    }
}

/// Raw printing on a network printer is port 9100.
fn with_default_port(addr: &str) -> String {
    let has_port = addr.rsplit_once(':').is_some_and(|(host, port)| {
        !host.is_empty() && !host.ends_with(':') && port.parse::<u16>().is_ok()
    });
    if has_port {
        addr.to_owned()
    } else {
        format!("{addr}:9100")
    }
}

/// A printer channel whose frames and states go to the bus.
pub fn printer_channel(
    endpoint: PrinterEndpoint,
    p: &PrinterSettings,
    bus: &EventBus,
) -> Arc<PrinterChannel> {
    let timing = PrinterTiming {
        client: ClientTimeouts {
            status: p.timeouts.status,
            id: p.timeouts.id,
            drain_quiet: p.timeouts.drain_quiet,
        },
        connect: p.connect_timeout,
    };
    Arc::new(PrinterChannel::new(
        endpoint,
        timing,
        super::channels::frame_sink(bus),
        super::channels::link_states(bus, Channel::Printer),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> PrinterSettings {
        let profile = crate::profile::parse_profile(
            &format!("name = \"p\"\ndescription = {{ zh = \"打印\", en = \"p\" }}\n{text}"),
            "test",
        )
        .expect("profile");
        profile.printer.expect("printer")
    }

    #[test]
    fn overrides_and_default_port() {
        let tcp = settings("[printer]\nprotocol = \"escpos\"\ntcp = \"10.1.1.9\"\n");
        assert_eq!(
            printer_endpoint(&tcp, None, None).unwrap(),
            PrinterEndpoint::Tcp("10.1.1.9:9100".to_owned())
        );
        assert_eq!(
            printer_endpoint(&tcp, None, Some("127.0.0.1:9101")).unwrap(),
            PrinterEndpoint::Tcp("127.0.0.1:9101".to_owned())
        );
        let serial = settings(
            "[printer]\nprotocol = \"escpos\"\n[printer.serial]\nport = \"\"\nbaud = 19200\n",
        );
        assert!(matches!(
            printer_endpoint(&serial, None, None),
            Err(EndpointError::NoPort)
        ));
        match printer_endpoint(&serial, Some("/dev/ttyUSB3"), None).unwrap() {
            PrinterEndpoint::Serial(s) => {
                assert_eq!((s.port.as_str(), s.baud), ("/dev/ttyUSB3", 19200))
            }
            other => panic!("{other:?}"),
        }
    }
}
