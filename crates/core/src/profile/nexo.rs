//! An Adyen terminal on the shop's network (nexo Retailer, local Terminal API) in a profile.
//! The shared key's passphrase is never part of a profile: it comes from the environment
//! variable `POSDIAG_NEXO_PASSPHRASE` or from the file `passphrase_file` names.
//!
//! ```toml
//! [nexo]
//! tcp = "192.168.1.60:8443"
//! tls_ca_file = "/etc/posdiag/adyen-terminal-test-root.pem"   # or tls_certificate = "…"
//! key_identifier = "ShopKey"
//! key_version = 1
//! poi_id = "P400Plus-275039202"
//! passphrase_file = "/etc/posdiag/nexo-passphrase"            # optional; else the variable
//! ```

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::load::{invalid, InvalidSetting};
use super::schema::HiddenKey;

/// The nexo terminal channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NexoSettings {
    /// `HOST:PORT` of the terminal (Adyen terminals listen on 8443).
    pub tcp: String,
    /// PEM of the CA that signs terminal certificates (Adyen's TEST or LIVE terminal root).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_ca_file: Option<PathBuf>,
    /// PEM of this terminal's own certificate, trusted as it is (instead of a CA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_certificate: Option<PathBuf>,
    /// The shared key's identifier and version, as configured for the terminal.
    pub key_identifier: String,
    pub key_version: u32,
    /// A file holding the passphrase (one line), readable only by the technician.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase_file: Option<PathBuf>,
    /// Only here to refuse it with a clear message: a passphrase never goes into a profile.
    #[serde(default, skip_serializing)]
    pub passphrase: Option<HiddenKey>,
    /// The terminal's POIID (MODEL-SERIAL), sent in every MessageHeader.
    pub poi_id: String,
    /// The register's SaleID.
    #[serde(default = "default_sale_id")]
    pub sale_id: String,
    /// ISO 4217 letters of the payments posdiag asks for (`posdiag txn pay`).
    #[serde(default = "default_currency")]
    pub currency: String,
    #[serde(default = "default_connect_timeout", with = "humantime_serde")]
    pub connect_timeout: Duration,
    /// Answer time for Login, Diagnosis, status queries, Abort.
    #[serde(default = "default_timeout", with = "humantime_serde")]
    pub timeout: Duration,
    /// Answer time for Payment and Reversal (card, PIN and host included).
    #[serde(default = "default_payment_timeout", with = "humantime_serde")]
    pub payment_timeout: Duration,
}

fn default_sale_id() -> String {
    "posdiag".to_owned()
}

fn default_currency() -> String {
    "EUR".to_owned()
}

fn default_connect_timeout() -> Duration {
    Duration::from_secs(3)
}

fn default_timeout() -> Duration {
    Duration::from_secs(10)
}

fn default_payment_timeout() -> Duration {
    Duration::from_secs(120)
}

impl NexoSettings {
    /// The PEM file to trust: the terminal's certificate or the CA.
    pub fn trust_file(&self) -> Option<&PathBuf> {
        self.tls_certificate.as_ref().or(self.tls_ca_file.as_ref())
    }

    /// What is wrong with these settings, if anything.
    pub fn validate(&self) -> Result<(), InvalidSetting> {
        if self.passphrase.is_some() {
            return Err(invalid(
                "nexo.passphrase",
                "is never read from a profile: put it in the environment variable POSDIAG_NEXO_PASSPHRASE or in a file named by nexo.passphrase_file",
            ));
        }
        if self.trust_file().is_none() {
            return Err(invalid(
                "nexo",
                "needs tls_ca_file (the terminal CA) or tls_certificate (the terminal's certificate), PEM",
            ));
        }
        if self.tls_ca_file.is_some() && self.tls_certificate.is_some() {
            return Err(invalid(
                "nexo",
                "has both tls_ca_file and tls_certificate: give one",
            ));
        }
        if self.key_identifier.trim().is_empty() {
            return Err(invalid("nexo.key_identifier", "is empty"));
        }
        if self.poi_id.trim().is_empty() {
            return Err(invalid(
                "nexo.poi_id",
                "is empty (the terminal's MODEL-SERIAL)",
            ));
        }
        if self.sale_id.is_empty() || self.sale_id.len() > 70 {
            return Err(invalid("nexo.sale_id", "must be 1 to 70 characters"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::profile::parse_profile;

    #[test]
    fn the_nexo_local_profile_has_a_nexo_terminal_and_a_passphrase_in_a_profile_is_refused() {
        let p = parse_profile(
            include_str!("../../../../profiles/nexo-local.toml"),
            "nexo-local",
        )
        .expect("nexo-local");
        let n = p.nexo.expect("[nexo]");
        assert_eq!((n.tcp.as_str(), n.key_version), ("127.0.0.3:8443", 1));
        assert!(n.trust_file().is_some());
        let text = include_str!("../../../../profiles/nexo-local.toml").replace(
            "key_version = 1",
            "key_version = 1\npassphrase = \"secret\"",
        );
        let e = parse_profile(&text, "test").unwrap_err().to_string();
        assert!(e.contains("POSDIAG_NEXO_PASSPHRASE"), "{e}");
        assert!(!e.contains("secret\""), "{e}");
        let text = include_str!("../../../../profiles/nexo-local.toml")
            .replace("tls_ca_file = \"adyen-terminal-ca.pem\"", "");
        let e = parse_profile(&text, "test").unwrap_err().to_string();
        assert!(e.contains("tls_ca_file"), "{e}");
        // One payment terminal per profile.
        let text = format!(
            "{}\n[terminal]\nprotocol = \"zvt\"\ntcp = \"10.0.0.5:20007\"\n",
            include_str!("../../../../profiles/nexo-local.toml")
        );
        let e = parse_profile(&text, "test").unwrap_err().to_string();
        assert!(e.contains("both name a payment terminal"), "{e}");
    }
}
