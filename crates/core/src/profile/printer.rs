//! The receipt printer's channel in a profile: ESC/POS status over a serial port or TCP 9100.
//!
//! ```toml
//! [printer]
//! protocol = "escpos"
//! tcp = "192.168.1.50:9100"        # or a [printer.serial] table
//! connect_timeout = "3s"
//! drawer_open_level = "low"        # which level of drawer pin 3 means "open" at this site
//! identify = true                  # ask GS I (maker, model, font) while the printer is online
//!
//! [printer.timeouts]
//! status = "1s"                    # one batch of DLE EOT 1-4
//! id = "500ms"                     # each GS I request
//! drain_quiet = "50ms"             # silence that ends draining stale input
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::link::SerialSettings;
use crate::proto::escpos::DrawerOpenLevel;

/// The printer channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterSettings {
    pub protocol: PrinterProtocol,
    /// Serial settings; the port may be left empty and given with `--serial PORT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<SerialSettings>,
    /// `HOST:PORT` of a network printer (default port 9100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<String>,
    #[serde(default = "default_connect_timeout", with = "humantime_serde")]
    pub connect_timeout: Duration,
    #[serde(default)]
    pub timeouts: PrinterTimeouts,
    /// Which level of drawer kick-out pin 3 means "drawer open": it depends on the drawer.
    #[serde(default)]
    pub drawer_open_level: DrawerOpenLevel,
    /// Ask the printer's identity (GS I) while it is online.
    #[serde(default = "default_identify")]
    pub identify: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrinterProtocol {
    Escpos,
}

/// How long posdiag waits for the printer (docs/protocols/escpos.md §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterTimeouts {
    /// Replies to one batch of real-time status requests (DLE EOT 1-4).
    #[serde(with = "humantime_serde")]
    pub status: Duration,
    /// The reply to each GS I request (asked one at a time).
    #[serde(with = "humantime_serde")]
    pub id: Duration,
    /// Silence that ends draining input before a query, when stale input is likely.
    #[serde(with = "humantime_serde")]
    pub drain_quiet: Duration,
}

impl Default for PrinterTimeouts {
    fn default() -> Self {
        PrinterTimeouts {
            status: Duration::from_secs(1),
            id: Duration::from_millis(500),
            drain_quiet: Duration::from_millis(50),
        }
    }
}

fn default_connect_timeout() -> Duration {
    Duration::from_secs(3)
}

fn default_identify() -> bool {
    true
}
