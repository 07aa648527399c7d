//! "What does this port speak?": read-only probes, each with a short timeout, for every
//! protocol posdiag knows, on a serial port (with the usual line settings) or a TCP port.
//! First it listens for what the device sends by itself, then it asks: ESC/POS `DLE EOT 1`,
//! Concert `ENQ`, ZVT Status Enquiry (`05 01`), on TCP also a TLS handshake (nexo), and an
//! ISO 8583 echo only when asked. It stops at the first answer that names a protocol; unknown
//! answers are fingerprinted (`proto::zvt::fingerprint`). See docs/identify.md.
//!
//! Nothing sent changes a device: every probe is a status question or a handshake that is
//! closed again without a request.

use std::time::Duration;

use serde::Serialize;

use crate::i18n::Text;
use crate::link::LinkError;
use crate::proto::zvt::fingerprint::Fingerprint;

mod iso_echo;
mod judge;
mod serial;
mod tcp;
mod tls_probe;
mod wire;

pub use judge::{judge_concert, judge_escpos, judge_zvt_serial, judge_zvt_tcp};

/// The protocols identify can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    Zvt,
    Concert,
    Escpos,
    Nexo,
    Iso8583,
}

impl Protocol {
    pub fn label(self) -> Text {
        match self {
            Protocol::Zvt => Text::fixed("ZVT 支付终端", "ZVT payment terminal"),
            Protocol::Concert => Text::fixed(
                "Ingenico Concert 支付终端",
                "Ingenico Concert payment terminal",
            ),
            Protocol::Escpos => Text::fixed("ESC/POS 小票打印机", "ESC/POS receipt printer"),
            Protocol::Nexo => Text::fixed(
                "HTTPS，像是 nexo/Adyen 终端",
                "HTTPS, looks like a nexo/Adyen terminal",
            ),
            Protocol::Iso8583 => Text::fixed("ISO 8583 收单主机", "ISO 8583 acquirer host"),
        }
    }
}

/// Where to look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Serial(String),
    /// `HOST:PORT`.
    Tcp(String),
}

impl Target {
    pub fn describe(&self) -> String {
        match self {
            Target::Serial(p) => p.clone(),
            Target::Tcp(a) => format!("tcp {a}"),
        }
    }
}

/// How long each step may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentifyOptions {
    /// Listen this long before sending anything.
    pub listen: Duration,
    /// Wait this long for the first answer to a probe.
    pub probe_window: Duration,
    /// Also send an ISO 8583 network-management echo (0800/0820).
    pub iso8583: bool,
}

impl Default for IdentifyOptions {
    fn default() -> Self {
        IdentifyOptions {
            listen: Duration::from_millis(300),
            probe_window: Duration::from_millis(400),
            iso8583: false,
        }
    }
}

/// Which question was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Probe {
    /// Sent nothing, listened.
    Listen,
    EscposDleEot,
    ConcertEnq,
    ZvtStatusEnquiry,
    TlsHandshake,
    Iso8583Echo,
}

impl Probe {
    pub fn label(self) -> Text {
        match self {
            Probe::Listen => Text::fixed("监听", "listen"),
            Probe::EscposDleEot => Text::fixed("ESC/POS DLE EOT 1", "ESC/POS DLE EOT 1"),
            Probe::ConcertEnq => Text::fixed("Concert ENQ", "Concert ENQ"),
            Probe::ZvtStatusEnquiry => {
                Text::fixed("ZVT 状态查询 05 01", "ZVT Status Enquiry 05 01")
            }
            Probe::TlsHandshake => Text::fixed("TLS 握手", "TLS handshake"),
            Probe::Iso8583Echo => Text::fixed("ISO 8583 回响 0820", "ISO 8583 echo 0820"),
        }
    }
}

/// What one probe got back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// The answer names the protocol.
    Identified { protocol: Protocol },
    /// Nothing came back in time.
    Silent,
    /// Something came back that is not this protocol.
    Unknown { fingerprint: Fingerprint },
    /// The connection was refused or closed before an answer.
    Closed,
}

/// One probe with its settings and what came back (redacted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    pub probe: Probe,
    /// "9600 8N2" on serial, "tcp" on TCP.
    pub settings: String,
    pub outcome: Outcome,
    /// What came back, as hex, masked by the codec's redaction.
    pub evidence_hex: String,
}

/// The result: what answered (if anything), and every probe tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentifyReport {
    pub target: String,
    pub protocol: Option<Protocol>,
    pub settings: Option<String>,
    pub evidence_hex: Option<String>,
    /// `posdiag check --profile …` for what answered, when posdiag has a profile for it.
    pub profile: Option<String>,
    /// What the answer shows, in words.
    pub detail: Option<Text>,
    /// The most telling unknown answer, when nothing was identified.
    pub unknown: Option<Fingerprint>,
    pub tried: Vec<Attempt>,
}

impl IdentifyReport {
    fn new(target: &Target, tried: Vec<Attempt>, detail: Option<Text>) -> Self {
        let hit = tried.iter().find_map(|a| match a.outcome {
            Outcome::Identified { protocol } => Some((protocol, a)),
            _ => None,
        });
        let unknown = tried
            .iter()
            .filter_map(|a| match &a.outcome {
                Outcome::Unknown { fingerprint } => Some(fingerprint.clone()),
                _ => None,
            })
            // A readable banner tells more than noise.
            .max_by_key(|f| u8::from(!f.likely_baud_mismatch));
        IdentifyReport {
            target: target.describe(),
            protocol: hit.map(|(p, _)| p),
            settings: hit.map(|(_, a)| a.settings.clone()),
            evidence_hex: hit.map(|(_, a)| a.evidence_hex.clone()),
            profile: hit.and_then(|(p, a)| profile_command(p, target, &a.settings)),
            detail: if hit.is_some() { detail } else { None },
            unknown: if hit.is_some() { None } else { unknown },
            tried,
        }
    }

    /// True when something answered that is not silence (identified or not).
    pub fn anything_answered(&self) -> bool {
        self.tried.iter().any(|a| {
            matches!(
                a.outcome,
                Outcome::Identified { .. } | Outcome::Unknown { .. }
            )
        })
    }
}

/// The check command for what answered, or None when posdiag has no profile for it.
fn profile_command(protocol: Protocol, target: &Target, settings: &str) -> Option<String> {
    let (profile, arg) = match (protocol, target) {
        (Protocol::Zvt, Target::Serial(p)) => ("zvt-serial", format!("--serial {p}")),
        (Protocol::Zvt, Target::Tcp(a)) => ("zvt-tcp", format!("--tcp {a}")),
        (Protocol::Concert, Target::Serial(p)) => ("concert-serial", format!("--serial {p}")),
        // The serial profile with --tcp: the address replaces its port.
        (Protocol::Concert, Target::Tcp(a)) => ("concert-serial", format!("--tcp {a}")),
        (Protocol::Escpos, Target::Serial(p)) => ("escpos-serial", format!("--serial {p}")),
        (Protocol::Escpos, Target::Tcp(a)) => ("escpos-tcp", format!("--tcp {a}")),
        (Protocol::Nexo, Target::Tcp(a)) => ("nexo-local", format!("--tcp {a}")),
        (Protocol::Iso8583, Target::Tcp(a)) => ("cup-host", format!("--tcp {a}")),
        _ => return None,
    };
    let mut line = format!("posdiag check --profile {profile} {arg}");
    // The serial profiles say 9600 8N2 (ZVT), 9600 7E1 (Concert) and 9600 8N1 (printer);
    // anything else must be written into a copy of the profile.
    let default = match protocol {
        Protocol::Zvt => "9600 8N2",
        Protocol::Concert => "9600 7E1",
        _ => "9600 8N1",
    };
    if matches!(target, Target::Serial(_)) && settings != default {
        line.push_str(&format!("   # set {settings} in a copy of the profile"));
    }
    Some(line)
}

/// Why identify could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum IdentifyError {
    #[error("{0}")]
    Open(#[from] LinkError),
    #[error("cannot connect to {addr}: {reason}")]
    Connect { addr: String, reason: String },
}

/// Runs the probes against `target`.
pub async fn identify(
    target: &Target,
    options: &IdentifyOptions,
) -> Result<IdentifyReport, IdentifyError> {
    let (tried, detail) = match target {
        Target::Serial(port) => (serial::run(port, options).await?, None),
        Target::Tcp(addr) => tcp::run(addr, options).await?,
    };
    Ok(IdentifyReport::new(target, tried, detail))
}
