//! What can go wrong talking to a nexo terminal, each case with the data a technician needs to
//! act: the address, the key identifier and version, the certificate name that was found.
//! Every message is one line; none carries the passphrase, a key or card data.

use std::path::PathBuf;
use std::time::Duration;

use crate::durations::show;

/// Why an exchange with the terminal failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NexoClientError {
    #[error("cannot read the terminal's certificate or CA file '{}': {reason}", path.display())]
    TrustFile { path: PathBuf, reason: String },

    #[error("cannot read the nexo passphrase: {reason}")]
    Passphrase { reason: String },

    #[error("'{addr}' is not HOST:PORT of a terminal")]
    BadAddress { addr: String },

    #[error("the terminal at {addr} refuses the connection (nothing listens on that port: check the address, port 8443 and that the terminal is on)")]
    Refused { addr: String },

    #[error("no connection to the terminal at {addr} within {} (address, network or firewall)", show(*.timeout))]
    ConnectTimeout { addr: String, timeout: Duration },

    #[error("cannot connect to the terminal at {addr}: {reason}")]
    Unreachable { addr: String, reason: String },

    #[error("the certificate of {addr} names '{found}', not a terminal ({expected}): wrong address, or not an Adyen terminal")]
    CertificateName {
        addr: String,
        found: String,
        expected: String,
    },

    #[error("the certificate of {addr} ('{found}') is not signed by the CA in '{}': wrong CA file (TEST vs LIVE?) or another device", trust.display())]
    CertificateUntrusted {
        addr: String,
        found: String,
        trust: PathBuf,
    },

    #[error("the certificate of {addr} ('{found}') is {state} by this computer's clock: check the date and time here and on the terminal")]
    ClockSkew {
        addr: String,
        found: String,
        /// "not yet valid" or "expired".
        state: &'static str,
    },

    #[error("TLS with the terminal at {addr} failed: {reason}")]
    Tls { addr: String, reason: String },

    #[error("the terminal at {addr} rejects shared key '{key_id}' version {key_version}: wrong passphrase, key identifier or version (compare with the terminal's settings)")]
    WrongKey {
        addr: String,
        key_id: String,
        key_version: u32,
    },

    #[error("the terminal at {addr} answers with key '{their_id}' version {their_version}, this computer has '{key_id}' version {key_version}: set the same key version on both sides")]
    WrongKeyVersion {
        addr: String,
        key_id: String,
        key_version: u32,
        their_id: String,
        their_version: u32,
    },

    #[error("no answer from the terminal at {addr} to {category} (service {service_id}) within {}{}", show(*.timeout), if *.outcome_unknown { ": the outcome is unknown, ask for the transaction status before charging again" } else { "" })]
    Timeout {
        addr: String,
        category: String,
        service_id: String,
        timeout: Duration,
        /// True for a payment or reversal: the money may have moved.
        outcome_unknown: bool,
    },

    #[error("the terminal at {addr} closed the connection during {category} (service {service_id}){}", if *.outcome_unknown { ": the outcome is unknown, ask for the transaction status before charging again" } else { "" })]
    ConnectionLost {
        addr: String,
        category: String,
        service_id: String,
        outcome_unknown: bool,
    },

    #[error("the terminal at {addr} answers HTTP {status}: {message}")]
    Http {
        addr: String,
        status: u16,
        message: String,
    },

    #[error("the terminal at {addr} answers something that is not a nexo message: {reason}")]
    BadAnswer { addr: String, reason: String },
}

impl NexoClientError {
    /// The cause id (kb/*.toml) this error points at.
    pub fn cause_id(&self) -> Option<&'static str> {
        Some(match self {
            NexoClientError::Refused { .. }
            | NexoClientError::ConnectTimeout { .. }
            | NexoClientError::Unreachable { .. } => "link.tcp_unreachable",
            NexoClientError::CertificateName { .. } => "network.cert_name_mismatch",
            NexoClientError::CertificateUntrusted { .. } => "network.cert_untrusted",
            NexoClientError::ClockSkew { .. } => "clock.wrong",
            NexoClientError::Tls { .. } => "network.tls_failed",
            NexoClientError::WrongKey { .. } | NexoClientError::WrongKeyVersion { .. } => {
                "keys.shared_key_mismatch"
            }
            e @ (NexoClientError::Timeout { .. } | NexoClientError::ConnectionLost { .. }) => {
                if e.outcome_unknown() {
                    "funds.outcome_unknown"
                } else {
                    "link.silent"
                }
            }
            NexoClientError::TrustFile { .. }
            | NexoClientError::Passphrase { .. }
            | NexoClientError::BadAddress { .. }
            | NexoClientError::Http { .. }
            | NexoClientError::BadAnswer { .. } => return None,
        })
    }

    /// True when a payment or reversal may have completed on the terminal although no answer
    /// came: settle it with TransactionStatus before anything else.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            NexoClientError::Timeout {
                outcome_unknown: true,
                ..
            } | NexoClientError::ConnectionLost {
                outcome_unknown: true,
                ..
            }
        )
    }
}
