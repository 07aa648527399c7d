//! The TLS probe: a handshake that accepts any certificate (it only looks at it; nothing
//! secret is sent), then `GET /` to see whether HTTP answers. A certificate whose common name
//! is a terminal name under `terminal.adyen.com` names a nexo (Adyen) terminal
//! (docs/protocols/nexo.md, "Transport"); a real Diagnosis request needs the shared key, so
//! identify only names it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::ServerCertVerified;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::ClientConfig;
use tokio::net::TcpStream;

use super::wire::{exchange, Heard};
use super::{Outcome, Protocol};
use crate::drivers::nexo::tls::common_name;
use crate::i18n::Text;
use crate::link::cert_judge::{CertJudge, JudgeCertificate};
use crate::proto::zvt::fingerprint::{fingerprint, Fingerprint, FingerprintKind};
use crate::tr;

/// Records the server's certificate and accepts it: identification, not trust.
struct LookOnly {
    seen: Arc<Mutex<Option<Vec<u8>>>>,
}

impl JudgeCertificate for LookOnly {
    fn judge(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some(end_entity.as_ref().to_vec());
        }
        Ok(ServerCertVerified::assertion())
    }
}

/// True for `*.terminal.adyen.com`.
fn adyen_terminal(cn: &str) -> bool {
    cn.ends_with(".terminal.adyen.com")
}

/// Handshake and `GET /` within `timeout`. The detail names the certificate.
pub(super) async fn probe(addr: &str, timeout: Duration) -> (Outcome, Heard, Option<Text>) {
    let silent = || (Outcome::Silent, Heard::default(), None);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let seen = Arc::new(Mutex::new(None));
    let verifier = Arc::new(CertJudge::new(
        provider.clone(),
        LookOnly { seen: seen.clone() },
    ));
    let Ok(builder) =
        ClientConfig::builder_with_provider(provider).with_safe_default_protocol_versions()
    else {
        return silent();
    };
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    let Ok(name) = ServerName::try_from("terminal.adyen.com") else {
        return silent();
    };
    let Ok(Ok(tcp)) = tokio::time::timeout(timeout, TcpStream::connect(addr)).await else {
        return (
            Outcome::Closed,
            Heard {
                closed: true,
                ..Heard::default()
            },
            None,
        );
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let mut stream = match tokio::time::timeout(timeout, connector.connect(name, tcp)).await {
        Err(_) => return silent(),
        // Not TLS (or a failed handshake): what the peer said is not known here.
        Ok(Err(_)) => {
            return (
                Outcome::Closed,
                Heard {
                    closed: true,
                    ..Heard::default()
                },
                None,
            )
        }
        Ok(Ok(s)) => s,
    };
    let cn = seen
        .lock()
        .ok()
        .and_then(|s| s.as_ref().and_then(|der| common_name(der)))
        .unwrap_or_default();
    let get = b"GET / HTTP/1.1\r\nHost: terminal\r\nConnection: close\r\n\r\n";
    let heard = exchange(&mut stream, get, timeout, |b| b.contains(&b'\n')).await;
    // Keep the status line only: the body is of no use here.
    let status_line: Vec<u8> = heard
        .bytes
        .iter()
        .copied()
        .take_while(|&b| b != b'\r' && b != b'\n')
        .collect();
    let is_http = status_line.starts_with(b"HTTP/");
    let heard = Heard {
        bytes: status_line,
        closed: heard.closed,
    };
    let detail = if is_http {
        tr!(
            "TLS 证书 CN '{cn}'；HTTP 有应答",
            "TLS certificate CN '{cn}'; HTTP answers"
        )
    } else {
        tr!(
            "TLS 证书 CN '{cn}'；HTTP 无应答",
            "TLS certificate CN '{cn}'; no HTTP answer"
        )
    };
    if adyen_terminal(&cn) {
        return (
            Outcome::Identified {
                protocol: Protocol::Nexo,
            },
            heard,
            Some(detail),
        );
    }
    let kind = if is_http {
        fingerprint(&heard.bytes).kind
    } else {
        FingerprintKind::TlsHandshake
    };
    let fingerprint = Fingerprint {
        kind,
        description: Text::new(
            format!("TLS 服务（不是 nexo/Adyen 终端）：{}", detail.zh),
            format!("a TLS service (not a nexo/Adyen terminal): {}", detail.en),
        ),
        likely_baud_mismatch: false,
        first_bytes: hex::encode_upper(heard.bytes.get(..16).unwrap_or(&heard.bytes)),
    };
    (Outcome::Unknown { fingerprint }, heard, None)
}
