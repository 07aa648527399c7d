//! Serves the simulated nexo terminal over HTTPS on loopback, `https://ADDR/nexo`, with a
//! certificate shaped like a real terminal's (CN `MODEL-SERIAL.test.terminal.adyen.com`, the
//! name Adyen's libraries check) signed by a throwaway test CA whose PEM is written to a
//! temporary file for the cash register to trust. HTTP/1.1 by hand: POST with Content-Length,
//! one JSON answer per request; keep-alive honoured.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use super::faults::Fault;
use super::nexo::{NexoTerminal, SIM_NEXO_POIID};
use super::server::{bind_loopback, SimError};
use crate::proto::nexo::SecurityKey;

/// Largest request body the simulator reads (real messages are a few kilobytes).
const MAX_BODY: usize = 1 << 20;
const MAX_HEAD: usize = 16 * 1024;

/// What to start.
#[derive(Debug, Clone)]
pub struct NexoSimConfig {
    /// Loopback address; the Adyen libraries always call port 8443.
    pub addr: String,
    pub key: SecurityKey,
    pub faults: Vec<Fault>,
    /// How long a payment stays open under `host.timeout` (default 30 s).
    pub host_wait: Option<Duration>,
}

/// A running simulated nexo terminal; dropping it stops it and deletes the CA file.
pub struct NexoSimHandle {
    pub addr: SocketAddr,
    /// `https://ADDR/nexo`.
    pub url: String,
    /// The test CA (PEM) that signed the terminal's certificate.
    pub ca_path: PathBuf,
    /// The certificate's common name.
    pub common_name: String,
    pub terminal: NexoTerminal,
    ca_dir: PathBuf,
    task: JoinHandle<()>,
}

impl Drop for NexoSimHandle {
    fn drop(&mut self) {
        self.task.abort();
        let _ = std::fs::remove_dir_all(&self.ca_dir);
    }
}

/// Why the certificate could not be made.
fn cert_error(e: impl std::fmt::Display) -> SimError {
    SimError::Certificate(e.to_string())
}

struct Certs {
    ca_pem: String,
    chain: Vec<rustls::pki_types::CertificateDer<'static>>,
    key: rustls::pki_types::PrivateKeyDer<'static>,
}

fn make_certs(common_name: &str) -> Result<Certs, rcgen::Error> {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair,
        KeyUsagePurpose,
    };
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.distinguished_name.push(
        DnType::CommonName,
        "posdiag simulated terminal test CA (not Adyen)",
    );
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate()?)?;
    let leaf_key = KeyPair::generate()?;
    let mut leaf = CertificateParams::new(vec![common_name.to_owned()])?;
    leaf.distinguished_name
        .push(DnType::CommonName, common_name);
    let leaf_cert = leaf.signed_by(&leaf_key, &ca)?;
    Ok(Certs {
        ca_pem: ca.pem(),
        chain: vec![leaf_cert.der().clone(), ca.der().clone()],
        key: rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
    })
}

/// Starts the simulated terminal; must be called inside a tokio runtime.
pub async fn start(config: NexoSimConfig) -> Result<NexoSimHandle, SimError> {
    let listener = bind_loopback(&config.addr).await?;
    let addr = listener.local_addr().map_err(|source| SimError::Bind {
        addr: config.addr.clone(),
        source,
    })?;
    let common_name = format!("{SIM_NEXO_POIID}.test.terminal.adyen.com");
    let certs = make_certs(&common_name).map_err(cert_error)?;
    let ca_dir = std::env::temp_dir().join(format!(
        "posdiag-nexo-sim-{}-{}",
        std::process::id(),
        addr.port()
    ));
    std::fs::create_dir_all(&ca_dir).map_err(cert_error)?;
    let ca_path = ca_dir.join("terminal-ca.pem");
    std::fs::write(&ca_path, &certs.ca_pem).map_err(cert_error)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(cert_error)?
        .with_no_client_auth()
        .with_single_cert(certs.chain, certs.key)
        .map_err(cert_error)?;
    let mut terminal = NexoTerminal::new(config.key, config.faults);
    if let Some(wait) = config.host_wait {
        terminal = terminal.with_host_wait(wait);
    }
    let task = tokio::spawn(serve(
        listener,
        TlsAcceptor::from(Arc::new(tls)),
        terminal.clone(),
    ));
    Ok(NexoSimHandle {
        addr,
        url: format!("https://{addr}/nexo"),
        ca_path,
        common_name,
        terminal,
        ca_dir,
        task,
    })
}

async fn serve(listener: TcpListener, acceptor: TlsAcceptor, terminal: NexoTerminal) {
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        let acceptor = acceptor.clone();
        let terminal = terminal.clone();
        tokio::spawn(async move {
            match acceptor.accept(stream).await {
                Ok(tls) => {
                    if let Err(e) = serve_http(tls, &terminal).await {
                        tracing::debug!(%peer, error = %e, "simulated nexo terminal: connection ended");
                    }
                }
                Err(e) => {
                    tracing::debug!(%peer, error = %e, "simulated nexo terminal: TLS handshake failed")
                }
            }
        });
    }
}

/// One HTTP/1.1 request head: method, path, content length, keep-alive.
struct Head {
    method: String,
    path: String,
    content_length: usize,
    chunked: bool,
    close: bool,
}

fn parse_head(head: &str) -> Option<Head> {
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let mut content_length = 0;
    let mut close = false;
    let mut chunked = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            content_length = value.parse().ok()?;
        } else if name.eq_ignore_ascii_case("connection") && value.eq_ignore_ascii_case("close") {
            close = true;
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            && value.eq_ignore_ascii_case("chunked")
        {
            chunked = true;
        }
    }
    Some(Head {
        method,
        path,
        content_length,
        chunked,
        close,
    })
}

async fn serve_http<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    terminal: &NexoTerminal,
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            if buf.len() > MAX_HEAD {
                return respond(&mut stream, 431, "", true).await;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        };
        let head_text =
            String::from_utf8_lossy(buf.get(..head_end).unwrap_or_default()).into_owned();
        buf.drain(..head_end + 4);
        let Some(head) = parse_head(&head_text) else {
            return respond(&mut stream, 400, "", true).await;
        };
        if head.content_length > MAX_BODY {
            return respond(&mut stream, 413, "", true).await;
        }
        let body = if head.chunked {
            match read_chunked(&mut stream, &mut buf).await? {
                Some(body) => body,
                None => return respond(&mut stream, 400, "", true).await,
            }
        } else {
            fill(&mut stream, &mut buf, head.content_length).await?;
            if buf.len() < head.content_length {
                return Ok(());
            }
            buf.drain(..head.content_length).collect()
        };
        let path = head.path.trim_end_matches('/');
        if head.method != "POST" || path != "/nexo" {
            respond(&mut stream, 404, "", head.close).await?;
        } else {
            let answer = terminal.handle(&body);
            if !answer.delay.is_zero() {
                tokio::time::sleep(answer.delay).await;
            }
            respond(&mut stream, answer.status, &answer.body, head.close).await?;
        }
        if head.close {
            return Ok(());
        }
    }
}

/// Reads until `buf` holds `want` bytes or the peer closes.
async fn fill<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    want: usize,
) -> std::io::Result<()> {
    while buf.len() < want {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    Ok(())
}

/// Reads a `Transfer-Encoding: chunked` body (Node's default for a request written without a
/// length). None when the framing is broken or the body too large.
async fn read_chunked<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    loop {
        let line_end = loop {
            if let Some(i) = buf.windows(2).position(|w| w == b"\r\n") {
                break i;
            }
            if buf.len() > MAX_HEAD {
                return Ok(None);
            }
            let before = buf.len();
            fill(stream, buf, before + 1).await?;
            if buf.len() == before {
                return Ok(None);
            }
        };
        let size_text =
            String::from_utf8_lossy(buf.get(..line_end).unwrap_or_default()).into_owned();
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let Ok(size) = usize::from_str_radix(size_hex, 16) else {
            return Ok(None);
        };
        if body.len() + size > MAX_BODY {
            return Ok(None);
        }
        buf.drain(..line_end + 2);
        // The chunk and its CRLF (the last, empty chunk is followed by an empty trailer line).
        fill(stream, buf, size + 2).await?;
        if buf.len() < size + 2 {
            return Ok(None);
        }
        body.extend(buf.drain(..size));
        buf.drain(..2);
        if size == 0 {
            return Ok(Some(body));
        }
    }
}

async fn respond<S: AsyncWrite + Unpin>(
    stream: &mut S,
    status: u16,
    body: &str,
    close: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        413 => "Payload Too Large",
        _ => "Request Header Fields Too Large",
    };
    let connection = if close { "close" } else { "keep-alive" };
    let text = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: {connection}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(text.as_bytes()).await?;
    stream.flush().await
}
