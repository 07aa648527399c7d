//! Serial port enumeration for `posdiag ports` and the Connect screen: each port with its USB
//! identity (VID:PID, strings, serial number), chip family, Linux driver facts and the known
//! pitfalls, plus machine-wide notes. Serialises to JSON; [`PortReport::render_text`] is the
//! text form.
//!
//! serialport is built without libudev; on Linux it then scans /sys/class/tty itself and still
//! reads VID:PID, manufacturer, product and serial number from sysfs. We add what it does not
//! read (driver, latency timer, stable names) and drop the phantom ttyS ports the kernel
//! creates for UARTs that do not exist.

use serde::{Deserialize, Serialize};

use super::chips::{identify_chip, ChipFamily};
use super::host::{self, HostOs};
use super::pitfalls::{chip_pitfalls, ChipContext};
use super::sysfs;
use crate::i18n::Text;

/// How a port is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PortKind {
    Usb,
    Pci,
    Bluetooth,
    /// On the mainboard or of a kind the OS does not say.
    Other,
}

/// A USB device's descriptor as far as it identifies an adapter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UsbInfo {
    #[serde(with = "hex16")]
    pub vid: u16,
    #[serde(with = "hex16")]
    pub pid: u16,
    pub manufacturer: Option<String>,
    pub product: Option<String>,
    pub serial_number: Option<String>,
}

impl UsbInfo {
    /// "1A86:7523".
    pub fn vid_pid(&self) -> String {
        format!("{:04X}:{:04X}", self.vid, self.pid)
    }
}

/// How much a note matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteLevel {
    Info,
    /// Likely to break the link or slow it down.
    Warn,
}

/// A known pitfall or fact, with an id scripts can match on ("chip.ch34x_brltty").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortNote {
    pub id: String,
    pub level: NoteLevel,
    pub text: Text,
}

impl PortNote {
    pub fn new(id: &str, level: NoteLevel, text: Text) -> Self {
        PortNote {
            id: id.to_string(),
            level,
            text,
        }
    }
}

/// One serial port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortInfo {
    /// The name to open: `/dev/ttyUSB0`, `/dev/cu.usbserial-1420`, `COM3`.
    pub name: String,
    pub kind: PortKind,
    pub usb: Option<UsbInfo>,
    /// The USB-serial chip; `None` for non-USB ports and for devices with their own USB serial
    /// interface (CDC-ACM).
    pub chip: Option<ChipFamily>,
    /// Kernel driver (Linux).
    pub driver: Option<String>,
    /// FTDI latency timer in ms (Linux).
    pub latency_timer_ms: Option<u32>,
    /// USB bus path, i.e. the socket ("1-2.3", Linux).
    pub usb_path: Option<String>,
    /// Names that survive re-plugging: /dev/serial/by-id/…, /dev/serial/by-path/… (Linux).
    pub stable_paths: Vec<String>,
    pub notes: Vec<PortNote>,
}

/// Everything `posdiag ports` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortReport {
    pub os: HostOs,
    pub ports: Vec<PortInfo>,
    /// Notes about the machine (brltty, no ports found, enumeration failed).
    pub notes: Vec<PortNote>,
}

/// The ports present now, with identity and driver facts but without notes; cheap enough to
/// poll while waiting for an adapter to come back.
pub fn scan_ports() -> Vec<PortInfo> {
    enumerate().unwrap_or_default()
}

/// Names of the ports present now, for error messages.
pub fn port_names() -> Vec<String> {
    scan_ports().into_iter().map(|p| p.name).collect()
}

/// The full report: ports with their pitfalls, and machine-wide notes.
pub fn list_ports() -> PortReport {
    let os = HostOs::current();
    let brltty = host::detect_brltty();
    let (mut ports, failure) = match enumerate() {
        Ok(ports) => (ports, None),
        Err(why) => (Vec::new(), Some(why)),
    };
    for port in &mut ports {
        annotate(port, os, brltty.present());
    }
    let mut notes = host::host_notes(os, ports.len(), brltty);
    if let Some(why) = failure {
        notes.insert(
            0,
            PortNote::new(
                "host.enumeration_failed",
                NoteLevel::Warn,
                crate::tr!("无法列出串口：{why}", "could not list serial ports: {why}"),
            ),
        );
    }
    PortReport { os, ports, notes }
}

fn enumerate() -> Result<Vec<PortInfo>, String> {
    if !sysfs::tty_class_present() {
        // serialport panics when /sys/class/tty is missing (some containers).
        return Err("/sys/class/tty is missing".to_string());
    }
    let raw = tokio_serial::available_ports().map_err(|e| e.to_string())?;
    let mut ports: Vec<PortInfo> = raw
        .into_iter()
        .filter_map(|info| {
            let (kind, usb) = match info.port_type {
                tokio_serial::SerialPortType::UsbPort(u) => (
                    PortKind::Usb,
                    Some(UsbInfo {
                        vid: u.vid,
                        pid: u.pid,
                        manufacturer: non_empty(u.manufacturer),
                        product: non_empty(u.product),
                        serial_number: non_empty(u.serial_number),
                    }),
                ),
                tokio_serial::SerialPortType::PciPort => (PortKind::Pci, None),
                tokio_serial::SerialPortType::BluetoothPort => (PortKind::Bluetooth, None),
                tokio_serial::SerialPortType::Unknown => (PortKind::Other, None),
            };
            if usb.is_none() && sysfs::is_phantom_uart(&info.port_name) {
                return None;
            }
            Some(port_info(info.port_name, kind, usb))
        })
        .collect();
    ports.sort_by_key(|p| natural_key(&p.name));
    ports.dedup_by(|a, b| a.name == b.name);
    Ok(ports)
}

fn port_info(name: String, kind: PortKind, usb: Option<UsbInfo>) -> PortInfo {
    let facts = sysfs::facts(&name);
    let cdc_acm = facts.driver.as_deref() == Some("cdc_acm")
        || name.contains("ttyACM")
        || name.contains("usbmodem");
    let chip = match &usb {
        Some(u) if !cdc_acm => Some(identify_chip(
            u.vid,
            u.pid,
            u.manufacturer.as_deref(),
            u.product.as_deref(),
        )),
        _ => None,
    };
    PortInfo {
        name,
        kind,
        usb,
        chip,
        driver: facts.driver,
        latency_timer_ms: facts.latency_timer_ms,
        usb_path: facts.usb_path,
        stable_paths: facts.stable_paths,
        notes: Vec::new(),
    }
}

/// Adds the chip pitfalls and OS notes of one port.
fn annotate(port: &mut PortInfo, os: HostOs, brltty_present: bool) {
    let tty = port.name.rsplit(['/', '\\']).next().unwrap_or(&port.name);
    let mut notes = Vec::new();
    if let Some(note) = host::check_permission(&port.name) {
        notes.push(note);
    }
    match (port.chip, &port.usb) {
        (Some(chip), Some(usb)) => notes.extend(chip_pitfalls(
            chip,
            &ChipContext {
                os,
                tty,
                serial_number: usb.serial_number.as_deref(),
                product: usb.product.as_deref(),
                latency_timer_ms: port.latency_timer_ms,
                brltty_present,
            },
        )),
        (None, Some(_)) => notes.push(PortNote::new(
            "port.cdc_acm",
            NoteLevel::Info,
            Text::fixed(
                "设备自带的 USB 串口（CDC-ACM），无需转接器驱动",
                "the device's own USB serial interface (CDC-ACM); no adapter driver involved",
            ),
        )),
        _ => {}
    }
    notes.extend(host::naming_notes(os, &port.name));
    port.notes = notes;
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Sorts ttyUSB2 before ttyUSB10 and COM3 before COM12.
fn natural_key(name: &str) -> (String, u64) {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let (stem, number) = name.split_at(name.len() - digits);
    (stem.to_string(), number.parse().unwrap_or(0))
}

/// VID/PID as the four hex digits everyone writes ("1A86"), not as decimal numbers.
pub(crate) mod hex16 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u16, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{v:04X}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
        let text = String::deserialize(d)?;
        u16::from_str_radix(text.trim_start_matches("0x"), 16).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn ch340(name: &str) -> PortInfo {
        let mut p = port_info(
            name.to_string(),
            PortKind::Usb,
            Some(UsbInfo {
                vid: 0x1A86,
                pid: 0x7523,
                manufacturer: None,
                product: Some("USB Serial".into()),
                serial_number: None,
            }),
        );
        annotate(&mut p, HostOs::Linux, true);
        p
    }

    #[test]
    fn natural_order() {
        let mut names = vec!["COM12", "COM3", "/dev/ttyUSB10", "/dev/ttyUSB2"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(names, ["/dev/ttyUSB2", "/dev/ttyUSB10", "COM3", "COM12"]);
    }

    #[test]
    fn report_renders_in_both_languages_and_serialises() {
        let report = PortReport {
            os: HostOs::Linux,
            ports: vec![ch340("/dev/ttyUSB0")],
            notes: host::host_notes(
                HostOs::Linux,
                1,
                host::Brltty {
                    installed: true,
                    running: true,
                },
            ),
        };
        let en = report.render_text(Lang::En);
        assert!(en.starts_with("Serial ports: 1\n"), "{en}");
        assert!(en.contains("USB  1A86:7523  WCH CH340"), "{en}");
        assert!(en.contains("serial number: none"), "{en}");
        assert!(en.contains("! brltty"), "{en}");
        let zh = report.render_text(Lang::Zh);
        assert!(
            zh.contains("串口：1 个") && zh.contains("序列号：无"),
            "{zh}"
        );
        assert!(report.has_warnings());

        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["ports"][0]["usb"]["vid"], "1A86");
        assert_eq!(json["ports"][0]["chip"], "ch340");
        assert_eq!(json["notes"][0]["id"], "host.brltty");
        let back: PortReport = serde_json::from_value(json).unwrap();
        assert_eq!(back, report);
    }

    #[test]
    fn cdc_acm_devices_have_no_adapter_chip() {
        let mut p = port_info(
            "/dev/ttyACM0".into(),
            PortKind::Usb,
            Some(UsbInfo {
                vid: 0x11CA,
                pid: 0x0219,
                manufacturer: Some("VeriFone".into()),
                product: None,
                serial_number: Some("123".into()),
            }),
        );
        annotate(&mut p, HostOs::Linux, false);
        assert_eq!(p.chip, None);
        assert!(p.notes.iter().any(|n| n.id == "port.cdc_acm"));
    }

    #[test]
    fn listing_this_machine_does_not_fail() {
        let report = list_ports();
        for port in &report.ports {
            assert!(!port.name.is_empty());
        }
        let _ = report.render_text(Lang::Zh);
    }
}
