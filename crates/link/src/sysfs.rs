//! Facts about a serial port that only Linux's sysfs knows: the kernel driver, the FTDI latency
//! timer, the USB socket the adapter sits in, and the stable `/dev/serial/by-id|by-path` names.
//!
//! Every read is best effort: a missing file means "unknown", never an error. On other systems
//! the functions return nothing.

/// What sysfs tells about one tty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SysfsFacts {
    /// Kernel driver bound to the port ("ftdi_sio", "ch341", "cp210x", "pl2303", "cdc_acm").
    pub driver: Option<String>,
    /// FTDI only: milliseconds the chip holds received bytes before sending them over USB.
    pub latency_timer_ms: Option<u32>,
    /// The USB device's bus path ("1-2.3"): which socket, stable across re-plugging there.
    pub usb_path: Option<String>,
    /// Symlinks under /dev/serial/by-id and /dev/serial/by-path that point to this port.
    pub stable_paths: Vec<String>,
}

#[cfg(target_os = "linux")]
mod imp {
    use std::fs;
    use std::path::Path;

    use super::SysfsFacts;

    const TTY_CLASS: &str = "/sys/class/tty";

    /// True when /sys/class/tty exists (it does not in some containers); serialport's
    /// enumeration panics without it.
    pub(crate) fn tty_class_present() -> bool {
        Path::new(TTY_CLASS).is_dir()
    }

    /// The tty name of a port path: "/dev/ttyUSB0" → "ttyUSB0".
    fn tty_name(port: &str) -> Option<String> {
        let real = fs::canonicalize(port).ok()?;
        Some(real.file_name()?.to_string_lossy().into_owned())
    }

    pub(crate) fn facts(port: &str) -> SysfsFacts {
        let Some(tty) = tty_name(port) else {
            return SysfsFacts::default();
        };
        let class_dir = Path::new(TTY_CLASS).join(&tty);
        let device = fs::canonicalize(class_dir.join("device")).ok();
        let driver = device.as_deref().and_then(driver_of);
        let latency_timer_ms =
            fs::read_to_string(format!("/sys/bus/usb-serial/devices/{tty}/latency_timer"))
                .ok()
                .and_then(|s| s.trim().parse().ok());
        let usb_path = device.as_deref().and_then(|dev| {
            dev.ancestors()
                .find(|dir| dir.join("idVendor").is_file())
                .and_then(|dir| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        });
        SysfsFacts {
            driver,
            latency_timer_ms,
            usb_path,
            stable_paths: stable_paths(&tty),
        }
    }

    /// The driver of the device or its nearest parent. Since Linux 6.5 a UART's tty hangs off
    /// "serial-base" port/ctrl devices whose drivers ("port", "ctrl") say nothing; the real
    /// driver (serial8250, ftdi_sio, …) sits above them.
    fn driver_of(device: &Path) -> Option<String> {
        device.ancestors().take(4).find_map(|dir| {
            let link = fs::canonicalize(dir.join("driver")).ok()?;
            if link.to_string_lossy().contains("/bus/serial-base/") {
                return None;
            }
            Some(link.file_name()?.to_string_lossy().into_owned())
        })
    }

    fn stable_paths(tty: &str) -> Vec<String> {
        let mut out = Vec::new();
        for dir in ["/dev/serial/by-id", "/dev/serial/by-path"] {
            let Ok(entries) = fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let target = fs::canonicalize(entry.path()).ok();
                if target.as_deref().and_then(Path::file_name) == Some(tty.as_ref()) {
                    out.push(entry.path().to_string_lossy().into_owned());
                }
            }
        }
        out.sort();
        out
    }

    /// A legacy 8250 port with no UART behind it (`type` 0 = PORT_UNKNOWN): the kernel creates
    /// ttyS0…ttyS31 whether or not the hardware exists.
    pub(crate) fn is_phantom_uart(port: &str) -> bool {
        let Some(tty) = tty_name(port) else {
            return false;
        };
        fs::read_to_string(Path::new(TTY_CLASS).join(tty).join("type"))
            .map(|t| t.trim() == "0")
            .unwrap_or(false)
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::SysfsFacts;

    pub(crate) fn tty_class_present() -> bool {
        true
    }

    pub(crate) fn facts(_port: &str) -> SysfsFacts {
        SysfsFacts::default()
    }

    pub(crate) fn is_phantom_uart(_port: &str) -> bool {
        false
    }
}

pub(crate) use imp::{facts, is_phantom_uart, tty_class_present};
