//! Finding a USB-serial adapter again after it was pulled out and plugged back in.
//!
//! Port names are not stable: `/dev/ttyUSB0` may come back as `/dev/ttyUSB1`, `COM3` as `COM7`.
//! What is stable is the USB identity: VID:PID, the serial number when the chip has one (FTDI,
//! CP210x), otherwise the USB socket. The session polls [`find_port`] while the link is lost.

use serde::{Deserialize, Serialize};

use super::error::LinkError;
use super::ports::{scan_ports, PortInfo};
use super::serial::{open_serial, SerialLink};
use super::settings::SerialSettings;

/// What identifies an adapter across re-plugging.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PortIdentity {
    #[serde(with = "super::ports::hex16")]
    pub vid: u16,
    #[serde(with = "super::ports::hex16")]
    pub pid: u16,
    /// Present on FTDI and CP210x, mostly absent on CH340 and PL2303.
    pub serial_number: Option<String>,
    /// The name the adapter had when it was last seen.
    pub port_name: String,
    /// USB bus path (socket) when known (Linux): tells identical adapters without serial
    /// numbers apart.
    pub usb_path: Option<String>,
}

impl PortIdentity {
    /// The identity of a USB port; `None` for ports that are not USB.
    pub fn of(port: &PortInfo) -> Option<PortIdentity> {
        let usb = port.usb.as_ref()?;
        Some(PortIdentity {
            vid: usb.vid,
            pid: usb.pid,
            serial_number: usb.serial_number.clone(),
            port_name: port.name.clone(),
            usb_path: port.usb_path.clone(),
        })
    }

    /// The identity of the port now called `port_name` (also accepts a /dev/serial/by-id or
    /// by-path name for it); `None` when it is absent or not USB.
    pub fn lookup(port_name: &str) -> Option<PortIdentity> {
        let wanted = canonical(port_name);
        scan_ports()
            .iter()
            .find(|p| p.name == port_name || canonical(&p.name) == wanted)
            .and_then(PortIdentity::of)
            .map(|mut id| {
                id.port_name = port_name.to_string();
                id
            })
    }

    /// "1A86:7523", with the serial number when there is one.
    pub fn describe(&self) -> String {
        match &self.serial_number {
            Some(serial) => format!("{:04X}:{:04X} #{serial}", self.vid, self.pid),
            None => format!("{:04X}:{:04X}", self.vid, self.pid),
        }
    }
}

/// The current name of the adapter `identity` describes, if it is plugged in and can be told
/// apart from the others.
pub fn find_port(identity: &PortIdentity) -> Option<String> {
    match_port(identity, &scan_ports())
}

/// Opens the serial port of `settings`; when that port is gone and `identity` finds the same
/// USB adapter under another name (re-plugged), opens that one instead. Returns the settings
/// actually used, so the caller can remember the new name.
pub fn open_serial_following(
    settings: &SerialSettings,
    identity: Option<&PortIdentity>,
) -> Result<(SerialLink, SerialSettings), LinkError> {
    let mut settings = settings.clone();
    if !std::path::Path::new(&settings.port).exists() {
        if let Some(found) = identity.and_then(find_port) {
            settings.port = found;
        }
    }
    let link = open_serial(&settings)?;
    Ok((link, settings))
}

/// The matching rules of [`find_port`] over a given port list:
///
/// - VID:PID must match.
/// - With a serial number, it must match too; then the port is certain.
/// - Without one, a single candidate is taken; among several, the one in the same USB socket,
///   else the one with the same name. Otherwise nothing: guessing could open the printer
///   instead of the terminal.
pub fn match_port(identity: &PortIdentity, ports: &[PortInfo]) -> Option<String> {
    let candidates: Vec<&PortInfo> = ports
        .iter()
        .filter(|p| {
            p.usb
                .as_ref()
                .is_some_and(|u| u.vid == identity.vid && u.pid == identity.pid)
        })
        .collect();
    let serial_of = |p: &PortInfo| p.usb.as_ref().and_then(|u| u.serial_number.clone());

    if let Some(serial) = identity.serial_number.as_deref().filter(|s| !s.is_empty()) {
        let same_serial: Vec<&PortInfo> = candidates
            .iter()
            .copied()
            .filter(|p| serial_of(p).as_deref() == Some(serial))
            .collect();
        // Multi-port chips (FT2232) share one serial number across interfaces.
        return same_serial
            .iter()
            .find(|p| identity.usb_path.is_some() && p.usb_path == identity.usb_path)
            .or_else(|| same_serial.iter().find(|p| p.name == identity.port_name))
            .or(same_serial.first())
            .map(|p| p.name.clone());
    }

    match candidates.as_slice() {
        [] => None,
        [only] => Some(only.name.clone()),
        several => several
            .iter()
            .find(|p| identity.usb_path.is_some() && p.usb_path == identity.usb_path)
            .or_else(|| several.iter().find(|p| p.name == identity.port_name))
            .map(|p| p.name.clone()),
    }
}

fn canonical(name: &str) -> std::path::PathBuf {
    std::fs::canonicalize(name).unwrap_or_else(|_| name.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::{PortKind, UsbInfo};

    fn port(name: &str, vid: u16, pid: u16, serial: Option<&str>, usb_path: &str) -> PortInfo {
        PortInfo {
            name: name.into(),
            kind: PortKind::Usb,
            usb: Some(UsbInfo {
                vid,
                pid,
                manufacturer: None,
                product: None,
                serial_number: serial.map(str::to_string),
            }),
            chip: None,
            driver: None,
            latency_timer_ms: None,
            usb_path: Some(usb_path.into()),
            stable_paths: vec![],
            notes: vec![],
        }
    }

    fn identity(serial: Option<&str>, name: &str, usb_path: Option<&str>) -> PortIdentity {
        PortIdentity {
            vid: 0x0403,
            pid: 0x6001,
            serial_number: serial.map(str::to_string),
            port_name: name.into(),
            usb_path: usb_path.map(str::to_string),
        }
    }

    #[test]
    fn serial_number_finds_the_adapter_under_a_new_name() {
        let ports = [
            port("/dev/ttyUSB0", 0x0403, 0x6001, Some("B"), "1-1"),
            port("/dev/ttyUSB1", 0x0403, 0x6001, Some("A"), "1-2"),
        ];
        let id = identity(Some("A"), "/dev/ttyUSB0", Some("1-1"));
        assert_eq!(match_port(&id, &ports).as_deref(), Some("/dev/ttyUSB1"));
        let gone = identity(Some("C"), "/dev/ttyUSB0", None);
        assert_eq!(match_port(&gone, &ports), None);
    }

    #[test]
    fn without_serial_a_single_candidate_is_taken() {
        let ports = [
            port("/dev/ttyUSB3", 0x0403, 0x6001, None, "1-4"),
            port("/dev/ttyUSB0", 0x1A86, 0x7523, None, "1-1"),
        ];
        let id = identity(None, "/dev/ttyUSB0", Some("1-1"));
        assert_eq!(match_port(&id, &ports).as_deref(), Some("/dev/ttyUSB3"));
    }

    #[test]
    fn identical_adapters_are_told_apart_by_socket_or_not_at_all() {
        let ports = [
            port("/dev/ttyUSB0", 0x0403, 0x6001, None, "1-1"),
            port("/dev/ttyUSB1", 0x0403, 0x6001, None, "1-2"),
        ];
        let by_socket = identity(None, "/dev/ttyUSB5", Some("1-2"));
        assert_eq!(
            match_port(&by_socket, &ports).as_deref(),
            Some("/dev/ttyUSB1")
        );
        let by_name = identity(None, "/dev/ttyUSB0", None);
        assert_eq!(
            match_port(&by_name, &ports).as_deref(),
            Some("/dev/ttyUSB0")
        );
        let ambiguous = identity(None, "/dev/ttyUSB7", Some("2-9"));
        assert_eq!(match_port(&ambiguous, &ports), None);
    }

    #[test]
    fn identity_of_a_port_and_its_description() {
        let p = port("COM7", 0x1A86, 0x7523, None, "1-1");
        let id = PortIdentity::of(&p).unwrap();
        assert_eq!(id.describe(), "1A86:7523");
        assert_eq!(id.port_name, "COM7");
        let id = identity(Some("FT1234"), "COM3", None);
        assert_eq!(id.describe(), "0403:6001 #FT1234");
    }

    #[test]
    fn unknown_ports_have_no_identity() {
        assert_eq!(PortIdentity::lookup("/dev/ttyDOESNOTEXIST"), None);
        assert_eq!(
            find_port(&identity(Some("no-such-serial"), "x", None)),
            None
        );
    }
}
