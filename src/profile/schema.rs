//! The profile schema (TOML). Every duration is humantime ("200ms", "5s", "3m").

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::i18n::Text;
use crate::link::SerialSettings;

/// A site profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub description: Text,
    /// Present when the profile runs against posdiag's built-in simulator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulator: Option<SimulatorSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal: Option<TerminalSettings>,
    /// The receipt printer (ESC/POS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printer: Option<super::printer::PrinterSettings>,
    #[serde(default)]
    pub checks: CheckSettings,
}

/// How the built-in simulator is reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulatorSettings {
    /// The terminal's link: a pty pair (serial framing, Unix only) or TCP on loopback.
    #[serde(default)]
    pub terminal_link: SimulatedLink,
    /// The printer's link: TCP on loopback (a network printer on 9100) or a pty.
    #[serde(default = "default_printer_link")]
    pub printer_link: SimulatedLink,
}

fn default_printer_link() -> SimulatedLink {
    SimulatedLink::Tcp
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SimulatedLink {
    /// A pseudo-terminal on Unix, TCP elsewhere.
    #[default]
    Pty,
    Tcp,
}

/// The payment terminal's ECR channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalSettings {
    pub protocol: TerminalProtocol,
    /// Serial settings; the port may be left empty and given with `--serial PORT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<SerialSettings>,
    /// `HOST:PORT` for ZVT over TCP (default port 20007).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<String>,
    /// The terminal's 6-digit password (used by Registration and administrative commands).
    #[serde(default = "default_password")]
    pub password: String,
    /// Registration config byte (0x08 asks for intermediate status).
    #[serde(default = "default_config_byte")]
    pub config_byte: u8,
    #[serde(default)]
    pub timers: ZvtTimers,
    #[serde(default = "default_connect_timeout", with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// Run the card-read test automatically (needs a test card at the terminal; the
    /// simulator presents one). Off by default: Read Card prompts the cardholder.
    #[serde(default)]
    pub read_card_probe: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TerminalProtocol {
    Zvt,
}

/// ZVT timers (zvt.md §1.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZvtTimers {
    /// Serial inter-byte gap.
    #[serde(with = "humantime_serde")]
    pub t1: Duration,
    /// Serial block → ACK/NAK.
    #[serde(with = "humantime_serde")]
    pub t2: Duration,
    /// Command → acknowledgement.
    #[serde(with = "humantime_serde")]
    pub t3: Duration,
    /// Acknowledgement → completion; restarted by every intermediate status.
    #[serde(with = "humantime_serde")]
    pub t4: Duration,
}

impl Default for ZvtTimers {
    fn default() -> Self {
        ZvtTimers {
            t1: Duration::from_millis(200),
            t2: Duration::from_secs(5),
            t3: Duration::from_secs(5),
            t4: Duration::from_secs(180),
        }
    }
}

/// Timeouts and thresholds of the checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSettings {
    /// Default timeout of one check.
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
    /// Per-check timeouts by check id, e.g. `"reader.card_read" = "30s"`.
    #[serde(default, with = "duration_map")]
    pub timeouts: BTreeMap<String, Duration>,
    /// Terminal clock drift tolerated before the clock check fails.
    #[serde(with = "humantime_serde")]
    pub clock_tolerance: Duration,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            timeout: Duration::from_secs(10),
            timeouts: BTreeMap::new(),
            clock_tolerance: Duration::from_secs(300),
        }
    }
}

impl CheckSettings {
    /// The timeout of the check `id`.
    pub fn timeout_for(&self, id: &str) -> Duration {
        self.timeouts.get(id).copied().unwrap_or(self.timeout)
    }
}

fn default_password() -> String {
    "000000".to_owned()
}

fn default_config_byte() -> u8 {
    0xDE
}

fn default_connect_timeout() -> Duration {
    Duration::from_secs(3)
}

/// A map of check id → humantime duration.
mod duration_map {
    use std::collections::BTreeMap;
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        m: &BTreeMap<String, Duration>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let text: BTreeMap<&str, String> = m
            .iter()
            .map(|(k, v)| (k.as_str(), humantime::format_duration(*v).to_string()))
            .collect();
        text.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Duration>, D::Error> {
        let text = BTreeMap::<String, String>::deserialize(d)?;
        text.into_iter()
            .map(|(k, v)| {
                humantime::parse_duration(&v)
                    .map(|d| (k.clone(), d))
                    .map_err(|e| {
                        serde::de::Error::custom(format!(
                            "timeout of '{k}': {e} (use e.g. \"500ms\", \"10s\")"
                        ))
                    })
            })
            .collect()
    }
}
