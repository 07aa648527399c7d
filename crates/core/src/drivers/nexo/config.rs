//! How to reach one nexo terminal: address, trust, shared key, ids and timeouts, from a
//! profile's `[nexo]` section or given directly (tests, the simulator's demo).

use std::path::PathBuf;
use std::time::Duration;

use super::error::NexoClientError;
use super::requests::Parties;
use crate::proto::nexo::SecurityKey;

/// How to reach the terminal.
#[derive(Debug, Clone)]
pub struct NexoConfig {
    /// `HOST:PORT`, port 8443 on a real terminal.
    pub addr: String,
    /// PEM: the terminal CA (Adyen's TEST or LIVE root) or the terminal's own certificate.
    pub trust_file: PathBuf,
    /// The shared key; None sends plain messages (a terminal set up without encryption).
    pub key: Option<SecurityKey>,
    pub parties: Parties,
    pub connect_timeout: Duration,
    /// For Login, Diagnosis, status queries, Abort.
    pub timeout: Duration,
    /// For Payment and Reversal (the cardholder and the host take time).
    pub payment_timeout: Duration,
}

impl NexoConfig {
    /// The configuration a `[nexo]` profile section describes; the passphrase comes from
    /// `passphrase_file` (given to the command) or the profile's file, else the environment.
    pub fn from_settings(
        settings: &crate::profile::NexoSettings,
        passphrase_file: Option<&std::path::Path>,
    ) -> Result<NexoConfig, NexoClientError> {
        let trust_file =
            settings
                .trust_file()
                .cloned()
                .ok_or_else(|| NexoClientError::TrustFile {
                    path: PathBuf::new(),
                    reason: "the profile names no tls_ca_file or tls_certificate".to_owned(),
                })?;
        let file = passphrase_file.or(settings.passphrase_file.as_deref());
        let key =
            super::passphrase::security_key(&settings.key_identifier, settings.key_version, file)?;
        Ok(NexoConfig {
            addr: settings.tcp.clone(),
            trust_file,
            key: Some(key),
            parties: Parties {
                sale_id: settings.sale_id.clone(),
                poi_id: settings.poi_id.clone(),
            },
            connect_timeout: settings.connect_timeout,
            timeout: settings.timeout,
            payment_timeout: settings.payment_timeout,
        })
    }
}
