//! Where a device is: a serial port with its settings, or a TCP address.

use super::settings::SerialSettings;

/// A device's address on the laptop's side; the same for the terminal and the printer.
#[derive(Debug, Clone, PartialEq)]
pub enum Endpoint {
    Serial(SerialSettings),
    /// `HOST:PORT`.
    Tcp(String),
}

impl Endpoint {
    /// "/dev/ttyUSB0 9600 8N2", "tcp 192.168.1.50:20007".
    pub fn describe(&self) -> String {
        match self {
            Endpoint::Serial(s) => format!("{} {s}", s.port),
            Endpoint::Tcp(addr) => format!("tcp {addr}"),
        }
    }
}
