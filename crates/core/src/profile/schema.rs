//! The profile schema (TOML). Every duration is humantime ("200ms", "5s", "3m").

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::i18n::Text;
use crate::link::SerialSettings;
use crate::proto::iso8583::{Dialect, KeyMode};

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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostSettings>,
    /// An Adyen terminal over nexo Retailer (local Terminal API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nexo: Option<super::nexo::NexoSettings>,
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
    /// How fast the simulated devices act: 0 instantly (checks, scripts, tests), 1 at the pace
    /// of a real terminal (card insertion, PIN entry and the host take seconds), 2 half as fast.
    #[serde(default)]
    pub pace: f64,
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
    /// ISO 4217 numeric currency sent with payments (BMP 49), e.g. 156 for CNY. Without it a
    /// ZVT terminal assumes EUR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<u16>,
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
    /// Run the terminal's own host diagnosis (ZVT `06 70` type 01): the terminal goes online
    /// to its host. Off by default.
    #[serde(default)]
    pub host_diagnosis_probe: bool,
}

/// The acquirer host channel (ISO 8583; docs/protocols/iso8583-cup.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostSettings {
    /// `HOST:PORT` of the acquirer's front end (the demo uses the simulated acquirer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<String>,
    /// Speak TLS to the host.
    #[serde(default)]
    pub tls: bool,
    /// Name the host's certificate must carry (default: the host part of `tcp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_server_name: Option<String>,
    /// PEM file of extra trusted certificates (the acquirer's private CA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_ca_file: Option<std::path::PathBuf>,
    /// The dialect as data: framing, TPDU, header, MAC algorithm, field overrides; omitted keys
    /// take the China UnionPay POS defaults.
    #[serde(default)]
    pub dialect: Dialect,
    /// Terminal ID (41) and merchant ID (42) posdiag uses toward the host.
    pub tid: String,
    pub mid: String,
    /// Batch number (60.2), six digits.
    #[serde(default = "default_batch")]
    pub batch: String,
    /// Operator code of the sign-on (63.1), three characters.
    #[serde(default = "default_operator")]
    pub operator: String,
    /// Working keys the sign-on asks for: single (60.3 = 001), double (003), double_with_tdk (004).
    #[serde(default)]
    pub key_mode: KeyMode,
    /// A TEST host's terminal master key (hex): decrypts the sign-on's working keys so MACs can
    /// be computed and verified. Never for a production host; never printed.
    #[serde(default, skip_serializing)]
    pub test_master_key: Option<HiddenKey>,
    /// Sign on during the checks. A sign-on renews the working keys of `tid` at the host, so the
    /// real terminal with that TID must sign on again: off by default.
    #[serde(default)]
    pub sign_on_probe: bool,
    #[serde(default = "default_connect_timeout", with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// How long to wait for a response.
    #[serde(default = "default_response_timeout", with = "humantime_serde")]
    pub response_timeout: Duration,
    /// Echo round trips measured by the latency check.
    #[serde(default = "default_latency_probes")]
    pub latency_probes: u32,
    /// Median round trip above which the latency check fails.
    #[serde(default = "default_latency_limit", with = "humantime_serde")]
    pub latency_limit: Duration,
}

/// A key written in a profile: its `Debug` never shows it and profiles never print it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct HiddenKey(String);

impl HiddenKey {
    pub fn new(hex: impl Into<String>) -> Self {
        HiddenKey(hex.into())
    }

    /// The key's hex, for parsing into a key type only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for HiddenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HiddenKey(<hidden>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TerminalProtocol {
    Zvt,
    /// Ingenico Concert: checks only (the ENQ/ACK presence probe); no payments from posdiag.
    Concert,
}

/// ZVT timers (docs/protocols/zvt.md §1.4).
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

fn default_response_timeout() -> Duration {
    Duration::from_secs(10)
}

fn default_batch() -> String {
    "000001".to_owned()
}

fn default_operator() -> String {
    "001".to_owned()
}

fn default_latency_probes() -> u32 {
    5
}

fn default_latency_limit() -> Duration {
    Duration::from_secs(1)
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
