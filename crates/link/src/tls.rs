//! TLS links (rustls) to an acquirer host, and the facts of the handshake for the network
//! check: protocol, cipher suite, timings and the server certificate — kept even when
//! verification fails, so an expired or not-yet-valid certificate can be shown and named.
//!
//! Trust: the Mozilla roots (webpki-roots) plus an optional CA file from the profile (acquirers
//! often use a private CA).

use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Instant;

use super::certificate::CertificateInfo;
use super::error::LinkError;
use super::settings::SerialSettings;
use super::tcp::connect_tcp;
use super::{Link, LinkKind, ModemLines};

/// How to reach a host over TLS.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TlsSettings {
    /// Name the certificate must carry (default: the host part of the address).
    pub server_name: Option<String>,
    /// PEM file with extra trusted certificates (a private CA, or a test host's own).
    pub ca_file: Option<PathBuf>,
}

/// What the handshake showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsReport {
    pub protocol: String,
    pub cipher: String,
    pub tcp_connect: Duration,
    pub handshake: Duration,
    pub certificate: Option<CertificateInfo>,
}

/// Why the TLS handshake failed, in the terms a technician acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsFailure {
    Expired,
    NotYetValid,
    /// Not signed by a trusted CA (self-signed, private CA not configured, bad signature).
    Untrusted,
    /// Valid certificate for another name.
    NameMismatch,
    Other,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{0}")]
    Connect(#[from] LinkError),
    #[error("cannot read the CA file '{}': {reason}", path.display())]
    CaFile { path: PathBuf, reason: String },
    #[error("'{name}' is not a valid TLS server name: set tls_server_name in the profile")]
    ServerName { name: String },
    #[error("no TLS handshake with {addr} within {}", crate::durations::show(*.timeout))]
    Timeout { addr: String, timeout: Duration },
    #[error("TLS handshake with {addr} failed: {reason}")]
    Handshake {
        addr: String,
        kind: TlsFailure,
        reason: String,
        /// The server's certificate, when it sent one (kept even when verification failed).
        certificate: Option<Box<CertificateInfo>>,
    },
}

impl TlsError {
    /// The error as a link error (what channels report).
    pub fn into_link_error(self, addr: &str) -> LinkError {
        match self {
            TlsError::Connect(e) => e,
            other => LinkError::Io {
                target: format!("tls {addr}"),
                source: io::Error::other(other.to_string()),
            },
        }
    }
}

/// A TLS connection.
pub struct TlsLink {
    stream: tokio_rustls::client::TlsStream<TcpStream>,
    target: String,
}

/// Connects and completes the handshake, all within `timeout`.
pub async fn connect_tls(
    addr: &str,
    settings: &TlsSettings,
    timeout: Duration,
) -> Result<(TlsLink, TlsReport), TlsError> {
    let started = Instant::now();
    let seen = Arc::new(Mutex::new(None));
    let config = client_config(settings, seen.clone())?;
    let name = settings
        .server_name
        .clone()
        .unwrap_or_else(|| host_part(addr).to_owned());
    let server_name =
        ServerName::try_from(name.clone()).map_err(|_| TlsError::ServerName { name })?;
    let tcp = connect_tcp(addr, timeout).await?;
    let tcp_connect = started.elapsed();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let deadline = started + timeout;
    let handshake_started = Instant::now();
    let result =
        tokio::time::timeout_at(deadline, connector.connect(server_name, tcp.into_inner())).await;
    let certificate = seen.lock().ok().and_then(|s| {
        s.as_ref()
            .and_then(|der: &Vec<u8>| CertificateInfo::parse(der))
    });
    let stream = match result {
        Err(_) => {
            return Err(TlsError::Timeout {
                addr: addr.to_owned(),
                timeout,
            })
        }
        Ok(Err(e)) => {
            return Err(TlsError::Handshake {
                addr: addr.to_owned(),
                kind: classify(&e),
                reason: e.to_string(),
                certificate: certificate.map(Box::new),
            })
        }
        Ok(Ok(s)) => s,
    };
    let (_, conn) = stream.get_ref();
    let report = TlsReport {
        protocol: conn
            .protocol_version()
            .map(|v| format!("{v:?}"))
            .unwrap_or_default(),
        cipher: conn
            .negotiated_cipher_suite()
            .map(|c| format!("{:?}", c.suite()))
            .unwrap_or_default(),
        tcp_connect,
        handshake: handshake_started.elapsed(),
        certificate,
    };
    Ok((
        TlsLink {
            stream,
            target: format!("tls {addr}"),
        },
        report,
    ))
}

fn client_config(
    settings: &TlsSettings,
    seen: Arc<Mutex<Option<Vec<u8>>>>,
) -> Result<ClientConfig, TlsError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &settings.ca_file {
        let ca_error = |reason: String| TlsError::CaFile {
            path: path.clone(),
            reason,
        };
        let certs = CertificateDer::pem_file_iter(path).map_err(|e| ca_error(e.to_string()))?;
        let mut added = 0usize;
        for cert in certs {
            let cert = cert.map_err(|e| ca_error(e.to_string()))?;
            roots.add(cert).map_err(|e| ca_error(e.to_string()))?;
            added += 1;
        }
        if added == 0 {
            return Err(ca_error("no certificate in the file".to_owned()));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| TlsError::Handshake {
            addr: String::new(),
            kind: TlsFailure::Other,
            reason: e.to_string(),
            certificate: None,
        })?;
    let verifier = Arc::new(RecordingVerifier { inner, seen });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Handshake {
            addr: String::new(),
            kind: TlsFailure::Other,
            reason: e.to_string(),
            certificate: None,
        })?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(config)
}

/// The standard webpki verification, keeping a copy of the server's certificate so its
/// validity can be shown even when verification fails.
#[derive(Debug)]
struct RecordingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    seen: Arc<Mutex<Option<Vec<u8>>>>,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut s) = self.seen.lock() {
            *s = Some(end_entity.as_ref().to_vec());
        }
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

fn classify(e: &io::Error) -> TlsFailure {
    let Some(rustls::Error::InvalidCertificate(c)) =
        e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>())
    else {
        return TlsFailure::Other;
    };
    match c {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => TlsFailure::Expired,
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            TlsFailure::NotYetValid
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            TlsFailure::NameMismatch
        }
        CertificateError::UnknownIssuer
        | CertificateError::BadSignature
        | CertificateError::BadEncoding
        | CertificateError::InvalidPurpose
        | CertificateError::Revoked => TlsFailure::Untrusted,
        _ => TlsFailure::Other,
    }
}

/// "host:port" → "host" ("[::1]:443" → "::1").
fn host_part(addr: &str) -> &str {
    if let Some(rest) = addr.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    addr.rsplit_once(':').map_or(addr, |(h, _)| h)
}

impl Link for TlsLink {
    fn target(&self) -> String {
        self.target.clone()
    }

    fn kind(&self) -> LinkKind {
        LinkKind::Tcp
    }

    fn modem_lines(&mut self) -> Result<Option<ModemLines>, LinkError> {
        Ok(None)
    }

    fn set_dtr(&mut self, _on: bool) -> Result<(), LinkError> {
        Ok(())
    }

    fn set_rts(&mut self, _on: bool) -> Result<(), LinkError> {
        Ok(())
    }

    fn reconfigure(&mut self, _settings: &SerialSettings) -> Result<(), LinkError> {
        Err(LinkError::NotSerial {
            target: self.target(),
        })
    }
}

impl AsyncRead for TlsLink {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsLink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

impl std::fmt::Debug for TlsLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsLink")
            .field("target", &self.target)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::host_part;

    #[test]
    fn server_name_from_the_address() {
        assert_eq!(host_part("host.example:443"), "host.example");
        assert_eq!(host_part("[::1]:443"), "::1");
        assert_eq!(host_part("10.0.0.1:5000"), "10.0.0.1");
    }
}
