//! One HTTP/1.1 exchange with the terminal: `POST /nexo` with a JSON body over TLS, the JSON
//! answer back. A fresh connection per message (`Connection: close`), as a terminal serves one
//! cash register at a time and a failed exchange must not poison the next one.

use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use super::error::NexoClientError;
use super::tls::{self, Seen};

/// Largest answer read (real answers are a few kilobytes).
const MAX_ANSWER: usize = 1 << 20;

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub body: Vec<u8>,
}

/// What failed, before or after the request went out (a payment whose request went out may
/// have completed).
#[derive(Debug)]
pub enum PostError {
    /// Nothing was sent.
    NotSent(NexoClientError),
    /// The request went out; no (complete) answer came before `deadline`.
    Timeout,
    /// The request went out; the connection broke.
    Lost,
}

/// Posts `body` to `https://addr/nexo` and reads the answer, all before `timeout`.
pub async fn post(
    addr: &str,
    trust_file: &Path,
    config: Arc<rustls::ClientConfig>,
    seen: Arc<Mutex<Seen>>,
    body: &[u8],
    connect_timeout: Duration,
    timeout: Duration,
) -> Result<HttpReply, PostError> {
    let started = Instant::now();
    let tcp = match tokio::time::timeout(connect_timeout, TcpStream::connect(addr)).await {
        Err(_) => {
            return Err(PostError::NotSent(NexoClientError::ConnectTimeout {
                addr: addr.to_owned(),
                timeout: connect_timeout,
            }))
        }
        Ok(Err(e)) => return Err(PostError::NotSent(connect_error(addr, &e))),
        Ok(Ok(s)) => s,
    };
    // The name sent in SNI is irrelevant to the terminal and never checked against the
    // certificate (the verifier checks the CN pattern instead).
    let name = ServerName::try_from("terminal.adyen.com").map_err(|_| {
        PostError::NotSent(NexoClientError::BadAddress {
            addr: addr.to_owned(),
        })
    })?;
    let connector = tokio_rustls::TlsConnector::from(config);
    let deadline = started + timeout;
    let mut stream = match tokio::time::timeout_at(deadline, connector.connect(name, tcp)).await {
        Err(_) => {
            return Err(PostError::NotSent(NexoClientError::Tls {
                addr: addr.to_owned(),
                reason: "no TLS handshake in time".to_owned(),
            }))
        }
        Ok(Err(e)) => {
            let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
            return Err(PostError::NotSent(tls::handshake_error(
                addr, trust_file, &seen, &e,
            )));
        }
        Ok(Ok(s)) => s,
    };
    let head = format!(
        "POST /nexo HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let send = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        stream.flush().await
    };
    match tokio::time::timeout_at(deadline, send).await {
        Err(_) => return Err(PostError::Timeout),
        Ok(Err(_)) => return Err(PostError::Lost),
        Ok(Ok(())) => {}
    }
    match tokio::time::timeout_at(deadline, read_reply(&mut stream)).await {
        Err(_) => Err(PostError::Timeout),
        Ok(Err(_)) => Err(PostError::Lost),
        Ok(Ok(reply)) => Ok(reply),
    }
}

fn connect_error(addr: &str, e: &io::Error) -> NexoClientError {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => NexoClientError::Refused {
            addr: addr.to_owned(),
        },
        io::ErrorKind::InvalidInput => NexoClientError::BadAddress {
            addr: addr.to_owned(),
        },
        _ => NexoClientError::Unreachable {
            addr: addr.to_owned(),
            reason: e.to_string(),
        },
    }
}

/// Reads a whole answer: head, then a Content-Length, chunked or read-to-close body.
async fn read_reply<S: tokio::io::AsyncRead + Unpin>(stream: &mut S) -> io::Result<HttpReply> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_ANSWER {
            return Err(io::Error::other("answer head too large"));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    };
    let head = String::from_utf8_lossy(buf.get(..head_end).unwrap_or_default()).into_owned();
    let mut rest: Vec<u8> = buf.get(head_end + 4..).unwrap_or_default().to_vec();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::other("not an HTTP answer"))?;
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse::<usize>().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding")
                && value.eq_ignore_ascii_case("chunked")
            {
                chunked = true;
            }
        }
    }
    // Read to the end when the length is not known up front.
    let want = length.unwrap_or(usize::MAX).min(MAX_ANSWER);
    while rest.len() < want {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        rest.extend_from_slice(chunk.get(..n).unwrap_or_default());
        if rest.len() > MAX_ANSWER {
            return Err(io::Error::other("answer too large"));
        }
    }
    if let Some(len) = length {
        if rest.len() < len {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        rest.truncate(len);
    }
    let body = if chunked { dechunk(&rest)? } else { rest };
    Ok(HttpReply { status, body })
}

fn dechunk(mut data: &[u8]) -> io::Result<Vec<u8>> {
    let bad = || io::Error::other("broken chunked body");
    let mut body = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").ok_or_else(bad)?;
        let size_text =
            String::from_utf8_lossy(data.get(..line_end).unwrap_or_default()).into_owned();
        let size =
            usize::from_str_radix(size_text.split(';').next().unwrap_or_default().trim(), 16)
                .map_err(|_| bad())?;
        data = data.get(line_end + 2..).ok_or_else(bad)?;
        if size == 0 {
            return Ok(body);
        }
        body.extend_from_slice(data.get(..size).ok_or_else(bad)?);
        data = data.get(size + 2..).ok_or_else(bad)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_length_chunked_and_close_delimited_answers() {
        let cases: [(&[u8], &[u8]); 3] = [
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}extra",
                b"{}",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                b"{}",
            ),
            (b"HTTP/1.1 401 Unauthorized\r\n\r\nabc", b"abc"),
        ];
        for (wire, body) in cases {
            let mut s = wire;
            let r = read_reply(&mut s).await.unwrap();
            assert_eq!(r.body, body);
        }
        let mut short: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{}";
        assert!(read_reply(&mut short).await.is_err());
        let mut junk: &[u8] = b"\xff\xfe\r\n\r\n";
        assert!(read_reply(&mut junk).await.is_err());
    }
}
