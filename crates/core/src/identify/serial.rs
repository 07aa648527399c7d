//! Identify on a serial port: listen, then ESC/POS `DLE EOT 1` at the printers' usual rates,
//! Concert `ENQ` at 9600 7E1 and 8N1, ZVT Status Enquiry at 9600 and 19200 8N2
//! (docs/identify.md). The port is opened once and reconfigured between probes.

use std::time::Duration;

use super::judge::{
    evidence, frame_apdus, judge_concert, judge_escpos, judge_zvt_serial, zvt_frames,
};
use super::wire::{exchange, send_only, Heard};
use super::{Attempt, IdentifyError, IdentifyOptions, Outcome, Probe};
use crate::link::{open_serial, Framing, Link, SerialLink, SerialSettings};
use crate::proto::concert::frame::{ENQ, EOT};
use crate::proto::zvt::frame::{encode_serial_frame, ACK};
use crate::proto::zvt::message::{EcrMessage, StatusEnquiry};

/// `DLE EOT 1`: transmit the printer status (real-time, prints nothing).
pub(super) const DLE_EOT_1: [u8; 3] = [0x10, 0x04, 0x01];

/// The positive acknowledgement a cash register sends for each terminal message.
pub(super) const ECR_ACK: [u8; 3] = [0x80, 0x00, 0x00];

/// The probes in order, with the settings each is tried at.
fn plan(port: &str) -> Vec<(Probe, SerialSettings)> {
    let at = |baud, framing| SerialSettings::new(port, baud).with_framing(framing);
    let mut plan = Vec::new();
    for baud in [9600, 19200, 38400, 115200] {
        plan.push((Probe::EscposDleEot, at(baud, Framing::F8N1)));
    }
    plan.push((Probe::ConcertEnq, at(9600, Framing::F7E1)));
    plan.push((Probe::ConcertEnq, at(9600, Framing::F8N1)));
    plan.push((Probe::ZvtStatusEnquiry, at(9600, Framing::F8N2)));
    plan.push((Probe::ZvtStatusEnquiry, at(19200, Framing::F8N2)));
    plan
}

/// "9600 8N2".
fn short(settings: &SerialSettings) -> String {
    format!("{} {}", settings.baud, settings.framing())
}

pub(super) async fn run(
    port: &str,
    options: &IdentifyOptions,
) -> Result<Vec<Attempt>, IdentifyError> {
    let plan = plan(port);
    let first = plan
        .first()
        .map(|(_, s)| s.clone())
        .unwrap_or_else(|| SerialSettings::new(port, 9600));
    let mut link = open_serial(&first)?;
    let mut tried = Vec::new();
    let heard = exchange(&mut link, &[], options.listen, |_| false).await;
    tried.push(attempt(
        Probe::Listen,
        &first,
        listened(&heard.bytes),
        &heard,
    ));
    for (probe, settings) in plan {
        if link.reconfigure(&settings).is_err() {
            continue;
        }
        let (outcome, heard) = match probe {
            Probe::EscposDleEot => {
                let heard = exchange(&mut link, &DLE_EOT_1, options.probe_window, |b| {
                    !b.is_empty()
                })
                .await;
                (judge_escpos(&heard.bytes), heard)
            }
            Probe::ConcertEnq => concert(&mut link, options.probe_window).await,
            _ => zvt(&mut link, options.probe_window).await,
        };
        let found = matches!(outcome, Outcome::Identified { .. });
        tried.push(attempt(probe, &settings, outcome, &heard));
        if found {
            break;
        }
    }
    Ok(tried)
}

/// What the device sent by itself: never a verdict, but fingerprinted.
pub(super) fn listened(bytes: &[u8]) -> Outcome {
    if bytes.is_empty() {
        Outcome::Silent
    } else {
        Outcome::Unknown {
            fingerprint: crate::proto::zvt::fingerprint::fingerprint(bytes),
        }
    }
}

fn attempt(probe: Probe, settings: &SerialSettings, outcome: Outcome, heard: &Heard) -> Attempt {
    let protocol = match outcome {
        Outcome::Identified { protocol } => Some(protocol),
        _ => None,
    };
    Attempt {
        probe,
        settings: short(settings),
        evidence_hex: evidence(protocol, false, &heard.bytes),
        outcome,
    }
}

/// `ENQ`; an `ACK` opens a session, which `EOT` closes again without a request.
async fn concert(link: &mut SerialLink, window: Duration) -> (Outcome, Heard) {
    let heard = exchange(link, &[ENQ], window, |b| !b.is_empty()).await;
    let outcome = judge_concert(&heard.bytes);
    if matches!(outcome, Outcome::Identified { .. }) {
        send_only(link, &[EOT]).await;
    }
    (outcome, heard)
}

/// Status Enquiry in a frame. The terminal's answer is acknowledged as a cash register
/// does: each frame with the line ACK (`06`), and each of its messages (not its own `80`/`84`
/// acknowledgement) with a framed `80 00 00`, so it ends idle instead of waiting for us.
async fn zvt(link: &mut SerialLink, window: Duration) -> (Outcome, Heard) {
    let Ok(apdu) = EcrMessage::StatusEnquiry(StatusEnquiry::default()).encode() else {
        return (Outcome::Silent, Heard::default());
    };
    let mut heard = exchange(link, &encode_serial_frame(&apdu), window, |b| {
        zvt_frames(b) > 0
    })
    .await;
    let outcome = judge_zvt_serial(&heard.bytes);
    if !matches!(outcome, Outcome::Identified { .. }) {
        return (outcome, heard);
    }
    let mut answered = 0;
    // Acknowledgement, completion, perhaps a status or two: a few messages at most.
    for _ in 0..6 {
        let apdus = frame_apdus(&heard.bytes);
        for apdu in apdus.iter().skip(answered) {
            send_only(link, &[ACK]).await;
            if !matches!(apdu.first(), Some(0x80 | 0x84)) {
                // The terminal's line ACK for our 80 00 00 is all that comes back.
                let _ = exchange(link, &encode_serial_frame(&ECR_ACK), window, |b| {
                    b.contains(&ACK)
                })
                .await;
            }
        }
        answered = apdus.len();
        if apdus.last().is_some_and(|a| a.starts_with(&[0x06, 0x0F])) {
            break;
        }
        let count = apdus.len();
        let grown = |b: &[u8]| zvt_frames(&[heard.bytes.as_slice(), b].concat()) > count;
        let more = exchange(link, &[], window, grown).await;
        if more.bytes.is_empty() {
            break;
        }
        heard.bytes.extend(more.bytes);
    }
    (outcome, heard)
}
