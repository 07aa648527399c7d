//! TLS to a nexo terminal the way Adyen's libraries do it: trust only the terminal CA (or the
//! terminal's own certificate) from a PEM file, never the public roots, and instead of the
//! usual host-name check accept the certificate when its subject CN is a terminal name,
//! `MODEL-SERIAL.(test|live).terminal.adyen.com` (docs/protocols/nexo.md, "Transport"). The
//! address dialled is an IP on the shop's network and is never compared with the certificate.

use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use rustls::client::danger::ServerCertVerified;
use rustls::client::verify_server_cert_signed_by_trust_anchor;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, ClientConfig, RootCertStore};

use super::error::NexoClientError;
use crate::link::cert_judge::{CertJudge, JudgeCertificate};
use crate::link::certificate::{CertificateInfo, Validity};

/// What the library accepts, in words (for the error message).
pub const EXPECTED_NAME: &str = "MODEL-SERIAL.test|live.terminal.adyen.com";

/// True when `cn` is a terminal certificate name as Adyen's libraries accept it:
/// `^(([a-zA-Z0-9]+-[a-zA-Z0-9]+)|legacy-terminal-certificate)\.(live|test)\.terminal\.adyen\.com$`.
pub fn is_terminal_name(cn: &str) -> bool {
    let Some(rest) = cn
        .strip_suffix(".live.terminal.adyen.com")
        .or_else(|| cn.strip_suffix(".test.terminal.adyen.com"))
    else {
        return false;
    };
    if rest == "legacy-terminal-certificate" {
        return true;
    }
    let alnum = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    match rest.split_once('-') {
        Some((model, serial)) => alnum(model) && alnum(serial),
        None => false,
    }
}

/// The subject common name of a DER certificate, if it has one.
pub fn common_name(der: &[u8]) -> Option<String> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let cn = cert
        .subject()
        .iter_common_name()
        .next()
        .and_then(|a| a.as_str().ok())
        .map(str::to_owned);
    cn
}

/// How the certificate check went, kept for the error message after a failed handshake.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// CN of the terminal's certificate ("" when it has none).
    pub name: Option<String>,
    pub failure: Option<CertFailure>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertFailure {
    Name,
    Untrusted,
    NotYetValid,
    Expired,
}

/// A rustls client configuration trusting what `trust_file` holds.
pub fn client_config(
    trust_file: &Path,
    seen: Arc<Mutex<Seen>>,
) -> Result<ClientConfig, NexoClientError> {
    let trust_error = |reason: String| NexoClientError::TrustFile {
        path: trust_file.to_owned(),
        reason,
    };
    let certs =
        CertificateDer::pem_file_iter(trust_file).map_err(|e| trust_error(e.to_string()))?;
    let mut roots = RootCertStore::empty();
    let mut pinned = Vec::new();
    for cert in certs {
        let cert = cert.map_err(|e| trust_error(e.to_string()))?;
        // A CA becomes a trust anchor; a terminal's own certificate is trusted as it is.
        let _ = roots.add(cert.clone());
        pinned.push(cert.as_ref().to_vec());
    }
    if pinned.is_empty() {
        return Err(trust_error(
            "no PEM certificate in the file (give the terminal CA or the terminal's certificate)"
                .to_owned(),
        ));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(CertJudge::new(
        provider.clone(),
        TerminalVerifier {
            roots: Arc::new(roots),
            pinned,
            provider: provider.clone(),
            seen,
        },
    ));
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| trust_error(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(config)
}

#[derive(Debug)]
struct TerminalVerifier {
    roots: Arc<RootCertStore>,
    pinned: Vec<Vec<u8>>,
    provider: Arc<CryptoProvider>,
    seen: Arc<Mutex<Seen>>,
}

impl TerminalVerifier {
    fn note(&self, name: Option<String>, failure: Option<CertFailure>) {
        if let Ok(mut s) = self.seen.lock() {
            *s = Seen { name, failure };
        }
    }

    fn check(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<(), CertFailure> {
        if self
            .pinned
            .iter()
            .any(|p| p.as_slice() == end_entity.as_ref())
        {
            return match CertificateInfo::parse(end_entity)
                .map(|i| i.validity_at(SystemTime::now()))
            {
                Some(Validity::NotYetValid { .. }) => Err(CertFailure::NotYetValid),
                Some(Validity::Expired { .. }) => Err(CertFailure::Expired),
                _ => Ok(()),
            };
        }
        let parsed = ParsedCertificate::try_from(end_entity).map_err(|_| CertFailure::Untrusted)?;
        verify_server_cert_signed_by_trust_anchor(
            &parsed,
            &self.roots,
            intermediates,
            now,
            self.provider.signature_verification_algorithms.all,
        )
        .map_err(|e| match e {
            rustls::Error::InvalidCertificate(
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. },
            ) => CertFailure::NotYetValid,
            rustls::Error::InvalidCertificate(
                CertificateError::Expired | CertificateError::ExpiredContext { .. },
            ) => CertFailure::Expired,
            _ => CertFailure::Untrusted,
        })
    }
}

impl JudgeCertificate for TerminalVerifier {
    fn judge(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let name = common_name(end_entity);
        let result = self.check(end_entity, intermediates, now).and_then(|()| {
            if name.as_deref().is_some_and(is_terminal_name) {
                Ok(())
            } else {
                Err(CertFailure::Name)
            }
        });
        self.note(name, result.err());
        match result {
            Ok(()) => Ok(ServerCertVerified::assertion()),
            Err(CertFailure::Name) => Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName,
            )),
            Err(CertFailure::NotYetValid) => Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidYet,
            )),
            Err(CertFailure::Expired) => {
                Err(rustls::Error::InvalidCertificate(CertificateError::Expired))
            }
            Err(CertFailure::Untrusted) => Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        }
    }
}

/// The error for a failed handshake, from what the verifier saw.
pub fn handshake_error(
    addr: &str,
    trust_file: &Path,
    seen: &Seen,
    error: &io::Error,
) -> NexoClientError {
    let found = seen
        .name
        .clone()
        .unwrap_or_else(|| "(no common name)".to_owned());
    match seen.failure {
        Some(CertFailure::Name) => NexoClientError::CertificateName {
            addr: addr.to_owned(),
            found,
            expected: EXPECTED_NAME.to_owned(),
        },
        Some(CertFailure::Untrusted) => NexoClientError::CertificateUntrusted {
            addr: addr.to_owned(),
            found,
            trust: trust_file.to_owned(),
        },
        Some(CertFailure::NotYetValid) => NexoClientError::ClockSkew {
            addr: addr.to_owned(),
            found,
            state: "not yet valid",
        },
        Some(CertFailure::Expired) => NexoClientError::ClockSkew {
            addr: addr.to_owned(),
            found,
            state: "expired",
        },
        None => NexoClientError::Tls {
            addr: addr.to_owned(),
            reason: error.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_names_as_the_library_accepts_them() {
        for ok in [
            "P400Plus-275039202.test.terminal.adyen.com",
            "V400m-123.live.terminal.adyen.com",
            "legacy-terminal-certificate.live.terminal.adyen.com",
        ] {
            assert!(is_terminal_name(ok), "{ok}");
        }
        for bad in [
            "P400Plus.test.terminal.adyen.com",
            "P400Plus-27-5.test.terminal.adyen.com",
            "P400Plus-275039202.dev.terminal.adyen.com",
            "P400Plus-275039202.test.terminal.adyen.com.evil.example",
            "localhost",
            "",
        ] {
            assert!(!is_terminal_name(bad), "{bad}");
        }
    }
}
