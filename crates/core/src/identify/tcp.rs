//! Identify on a TCP port: listen on a first connection, then each probe on a connection of
//! its own (a half-read probe must not confuse the next): ESC/POS `DLE EOT 1`, Concert `ENQ`,
//! the ZVT Status Enquiry APDU, a TLS handshake (nexo), and the ISO 8583 echo when asked.

use std::time::Duration;

use tokio::net::TcpStream;

use super::judge::{evidence, judge_concert, judge_escpos, judge_zvt_tcp, zvt_apdus};
use super::serial::{listened, DLE_EOT_1, ECR_ACK as ZVT_ACK};
use super::wire::{exchange, send_only, Heard};
use super::{iso_echo, tls_probe, Attempt, IdentifyError, IdentifyOptions, Outcome, Probe};
use crate::i18n::Text;
use crate::proto::concert::frame::{ENQ, EOT};
use crate::proto::zvt::message::{EcrMessage, StatusEnquiry};

/// How long a connection may take to open.
const CONNECT: Duration = Duration::from_secs(3);

async fn connect(addr: &str) -> Result<TcpStream, IdentifyError> {
    let failed = |reason: String| IdentifyError::Connect {
        addr: addr.to_owned(),
        reason,
    };
    match tokio::time::timeout(CONNECT, TcpStream::connect(addr)).await {
        Err(_) => Err(failed(format!("no answer within {}s", CONNECT.as_secs()))),
        Ok(Err(e)) => Err(failed(e.to_string())),
        Ok(Ok(s)) => {
            let _ = s.set_nodelay(true);
            Ok(s)
        }
    }
}

fn attempt(probe: Probe, outcome: Outcome, heard: &Heard) -> Attempt {
    let protocol = match outcome {
        Outcome::Identified { protocol } => Some(protocol),
        _ => None,
    };
    let outcome = match outcome {
        Outcome::Silent if heard.closed => Outcome::Closed,
        other => other,
    };
    Attempt {
        probe,
        settings: "tcp".to_owned(),
        evidence_hex: evidence(protocol, true, &heard.bytes),
        outcome,
    }
}

/// The attempts, and for a TLS answer the words on its certificate.
pub(super) async fn run(
    addr: &str,
    options: &IdentifyOptions,
) -> Result<(Vec<Attempt>, Option<Text>), IdentifyError> {
    let window = options.probe_window;
    let mut tried = Vec::new();
    // The first connection must open: a refused port is "cannot connect", not "silent".
    let mut first = connect(addr).await?;
    let heard = exchange(&mut first, &[], options.listen, |_| false).await;
    tried.push(attempt(Probe::Listen, listened(&heard.bytes), &heard));
    drop(first);

    let mut probes = vec![
        Probe::EscposDleEot,
        Probe::ConcertEnq,
        Probe::ZvtStatusEnquiry,
        Probe::TlsHandshake,
    ];
    if options.iso8583 {
        probes.push(Probe::Iso8583Echo);
    }
    for probe in probes {
        let (attempt, detail) = match probe {
            Probe::TlsHandshake => {
                let (outcome, heard, detail) = tls_probe::probe(addr, window * 3).await;
                (attempt(probe, outcome, &heard), detail)
            }
            Probe::Iso8583Echo => {
                let Ok(stream) = connect(addr).await else {
                    tried.push(attempt(probe, Outcome::Closed, &Heard::default()));
                    continue;
                };
                let (outcome, heard) = iso_echo::probe(stream, window * 3).await;
                (attempt(probe, outcome, &heard), None)
            }
            _ => {
                let Ok(mut stream) = connect(addr).await else {
                    tried.push(attempt(probe, Outcome::Closed, &Heard::default()));
                    continue;
                };
                let (outcome, heard) = bytes_probe(&mut stream, probe, window).await;
                (attempt(probe, outcome, &heard), None)
            }
        };
        let found = matches!(attempt.outcome, Outcome::Identified { .. });
        tried.push(attempt);
        if found {
            return Ok((tried, detail));
        }
    }
    Ok((tried, None))
}

async fn bytes_probe(stream: &mut TcpStream, probe: Probe, window: Duration) -> (Outcome, Heard) {
    match probe {
        Probe::EscposDleEot => {
            let heard = exchange(stream, &DLE_EOT_1, window, |b| !b.is_empty()).await;
            (judge_escpos(&heard.bytes), heard)
        }
        Probe::ConcertEnq => {
            let heard = exchange(stream, &[ENQ], window, |b| !b.is_empty()).await;
            let outcome = judge_concert(&heard.bytes);
            if matches!(outcome, Outcome::Identified { .. }) {
                send_only(stream, &[EOT]).await;
            }
            (outcome, heard)
        }
        _ => zvt(stream, window).await,
    }
}

/// Status Enquiry APDU. Each of the terminal's messages (not its own `80`/`84`
/// acknowledgement) is confirmed with `80 00 00`, as a cash register does, until its
/// completion, so it ends idle instead of waiting for us.
async fn zvt(stream: &mut TcpStream, window: Duration) -> (Outcome, Heard) {
    let Ok(apdu) = EcrMessage::StatusEnquiry(StatusEnquiry::default()).encode() else {
        return (Outcome::Silent, Heard::default());
    };
    let mut heard = exchange(stream, &apdu, window * 2, |b| !zvt_apdus(b).is_empty()).await;
    let outcome = judge_zvt_tcp(&heard.bytes);
    if !matches!(outcome, Outcome::Identified { .. }) {
        return (outcome, heard);
    }
    let mut answered = 0;
    // Acknowledgement, completion, perhaps a status or two: a few messages at most.
    for _ in 0..6 {
        let apdus = zvt_apdus(&heard.bytes);
        for (class, _) in apdus.iter().skip(answered) {
            if !matches!(class, 0x80 | 0x84) {
                send_only(stream, &ZVT_ACK).await;
            }
        }
        answered = apdus.len();
        if apdus
            .last()
            .is_some_and(|(_, raw)| raw.starts_with(&[0x06, 0x0F]))
        {
            break;
        }
        let count = apdus.len();
        let grown = |b: &[u8]| zvt_apdus(&[heard.bytes.as_slice(), b].concat()).len() > count;
        let more = exchange(stream, &[], window * 2, grown).await;
        if more.bytes.is_empty() {
            break;
        }
        heard.bytes.extend(more.bytes);
    }
    (outcome, heard)
}
