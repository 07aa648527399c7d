//! Reservations (pre-authorisations) on the simulated terminal, each online at the acquirer:
//!
//! - `06 22` Pre-Authorisation / Reservation: holds the amount (0100, 60.1 = 10) and gives it a
//!   receipt number;
//! - `06 23` Partial-Reversal of a Pre-Authorisation / Booking of a Reservation, and `06 24`
//!   Book Total: `87 <receipt>` `[04 <amount>]` books that amount (all of it when absent) and
//!   releases the rest (0200, 60.1 = 20);
//! - `06 25` Pre-Authorisation Reversal: releases the whole hold (0100, 60.1 = 11).
//!
//! Errors as docs/protocols/zvt.md §7 names them: B8 "error pre-authorisation" for an unknown
//! receipt number (with `87 FF FF` when the cash register asked with the wildcard `FF FF`, as Feig
//! terminals answer), B7 for an amount above the hold, 6F with the terminal's currency for another
//! currency, the host's own code passed through on a decline.

use posdiag_core::cause;
use tokio::io::{AsyncRead, AsyncWrite};

use super::journal::{Entry, Journal};
use super::payment::{currency_refusal, host_abort, remember, reverse, status, zvt_result, Ecr};
use super::slip;
use super::terminal::{abort, intermediate, nack, send, TerminalSim, TEST_CARD_PAN, TID};
use super::terminal_host::{pre_auth, HostAnswer, PreAuthRequest, SIM_MID};
use crate::drivers::zvt::transport::{ApduTransport, TransportError};
use crate::proto::iso8583::codes::is_success;
use crate::proto::redact::mask_pan;
use crate::proto::zvt::bmp::{find_bmp, parse_bmps, Bmp};
use crate::proto::zvt::message::{EcrMessage, PtMessage};
use crate::proto::zvt::values::{bcd_to_u64, decode_amount, decode_currency};

/// What the cash register asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operation {
    Reserve {
        amount: Option<u64>,
        currency: Option<u16>,
    },
    Book {
        /// `None` for the wildcard `FF FF` (or no BMP 87).
        receipt: Option<u16>,
        amount: Option<u64>,
        currency: Option<u16>,
    },
    Cancel {
        receipt: Option<u16>,
        currency: Option<u16>,
    },
    /// The data block did not parse: refused with 9A (protocol error).
    Malformed,
}

/// The reservation command in `command`, if it is one.
pub(super) fn operation(command: &EcrMessage) -> Option<Operation> {
    let EcrMessage::Other(apdu) = command else {
        return None;
    };
    let [0x06, instr @ 0x22..=0x25] = apdu.code() else {
        return None;
    };
    let Ok(bmps) = parse_bmps(&apdu.data, 3) else {
        return Some(Operation::Malformed);
    };
    let amount = find_bmp(&bmps, 0x04).and_then(|b| decode_amount(&b.value));
    let currency = find_bmp(&bmps, 0x49).and_then(|b| decode_currency(&b.value));
    let receipt = find_bmp(&bmps, 0x87)
        .and_then(|b| bcd_to_u64(&b.value))
        .and_then(|n| u16::try_from(n).ok());
    Some(match instr {
        0x22 => Operation::Reserve { amount, currency },
        0x23 | 0x24 => Operation::Book {
            receipt,
            amount,
            currency,
        },
        _ => Operation::Cancel { receipt, currency },
    })
}

/// Runs one reservation command after acknowledging it.
pub(super) async fn run<S: AsyncRead + AsyncWrite + Unpin + Send>(
    sim: &TerminalSim,
    op: Operation,
    transport: &mut ApduTransport<S>,
) -> Result<(), TransportError> {
    if op == Operation::Malformed {
        return send(transport, &nack(0x9A)).await;
    }
    send(transport, &PtMessage::Ack).await?;
    let mut ecr = Ecr { t: transport };
    let asked_currency = match op {
        Operation::Reserve { currency, .. }
        | Operation::Book { currency, .. }
        | Operation::Cancel { currency, .. } => currency,
        Operation::Malformed => None,
    };
    if let Some(refusal) = currency_refusal(asked_currency) {
        return ecr.say(refusal).await.map(drop);
    }
    match op {
        Operation::Reserve { amount, .. } => reserve(sim, amount.unwrap_or(0), &mut ecr).await,
        Operation::Book {
            receipt, amount, ..
        } => finish(sim, receipt, Some(amount), &mut ecr).await,
        Operation::Cancel { receipt, .. } => finish(sim, receipt, None, &mut ecr).await,
        Operation::Malformed => Ok(()),
    }
}

fn new_entry(trace: u32, amount_minor: u64) -> Entry {
    Entry {
        receipt_no: 0,
        trace,
        amount_minor,
        card_masked: mask_pan(TEST_CARD_PAN),
        rrn: String::new(),
        auth_code: String::new(),
        time: std::time::SystemTime::now(),
        voids: None,
        voided: false,
    }
}

async fn reserve<S: AsyncRead + AsyncWrite + Unpin + Send>(
    sim: &TerminalSim,
    amount: u64,
    ecr: &mut Ecr<'_, S>,
) -> Result<(), TransportError> {
    if amount == 0 {
        return ecr.say(abort(0xC8)).await.map(drop);
    }
    if sim.has(cause!("reader.not_answering")) {
        return ecr.say(abort(0xE2)).await.map(drop);
    }
    for code in [0x0A, 0x01, 0x04] {
        if !ecr.say(intermediate(code)).await? {
            return Ok(());
        }
    }
    let desk = sim.desk();
    let (trace, batch) = desk.journal(|j| (j.take_trace(), j.batch));
    let Some(request) = pre_auth(PreAuthRequest::Hold, trace, batch, amount) else {
        return ecr.say(abort(0xFF)).await.map(drop);
    };
    let mut entry = new_entry(trace, amount);
    let mut host = desk.connect().await;
    let Some(session) = host.as_mut() else {
        return ecr.say(abort(0xA3)).await.map(drop);
    };
    match session.send(request.clone()).await {
        HostAnswer::Answer {
            code,
            rrn,
            auth_code,
            mac_ok: true,
            ..
        } if is_success(&code) => {
            entry.rrn = rrn.unwrap_or_default();
            entry.auth_code = auth_code.unwrap_or_default();
        }
        HostAnswer::Answer {
            code, mac_ok: true, ..
        } => {
            let rc = zvt_result(&code);
            ecr.say(status(sim, rc, &entry)).await?;
            return ecr.say(host_abort(rc, &code)).await.map(drop);
        }
        HostAnswer::NoAnswer | HostAnswer::Answer { .. } => {
            // No answer (or one that does not verify): the hold is taken back (98).
            ecr.say(intermediate(0x05)).await?;
            reverse(desk, &mut host, &request, "98").await;
            return ecr.say(abort(0xA1)).await.map(drop);
        }
        HostAnswer::NotSent(_) => return ecr.say(abort(0xFF)).await.map(drop),
    }
    entry.receipt_no = desk.journal(Journal::take_receipt);
    desk.journal(|j| j.hold(entry.clone()));
    let lines = slip::approved("PRE-AUTH", &entry, TID, SIM_MID);
    closing(sim, entry, lines, ecr).await
}

/// Books (`amount` = `Some(..)`) or cancels (`None`) the reservation with `receipt`.
async fn finish<S: AsyncRead + AsyncWrite + Unpin + Send>(
    sim: &TerminalSim,
    receipt: Option<u16>,
    amount: Option<Option<u64>>,
    ecr: &mut Ecr<'_, S>,
) -> Result<(), TransportError> {
    let desk = sim.desk();
    let hold = receipt.and_then(|r| desk.journal(|j| j.take_hold(r)));
    let Some(hold) = hold else {
        let mut refusal = abort(0xB8);
        if let (PtMessage::Abort(a), None) = (&mut refusal, receipt) {
            a.other_bmps.push(Bmp::new(0x87, vec![0xFF, 0xFF]));
        }
        return ecr.say(refusal).await.map(drop);
    };
    let booked = amount.map(|a| a.unwrap_or(hold.amount_minor));
    if booked.is_some_and(|b| b > hold.amount_minor || b == 0) {
        desk.journal(|j| j.hold(hold));
        return ecr.say(abort(0xB7)).await.map(drop);
    }
    ecr.say(intermediate(0x04)).await?;
    let (trace, batch) = desk.journal(|j| (j.take_trace(), j.batch));
    let original_trace = hold.trace;
    let (kind, value) = match booked {
        Some(b) => (PreAuthRequest::Complete { original_trace }, b),
        None => (PreAuthRequest::Cancel { original_trace }, hold.amount_minor),
    };
    let Some(request) = pre_auth(kind, trace, batch, value) else {
        desk.journal(|j| j.hold(hold));
        return ecr.say(abort(0xFF)).await.map(drop);
    };
    let Some(mut host) = desk.connect().await else {
        desk.journal(|j| j.hold(hold));
        return ecr.say(abort(0xA3)).await.map(drop);
    };
    let mut entry = new_entry(trace, value);
    match host.send(request).await {
        HostAnswer::Answer {
            code,
            rrn,
            mac_ok: true,
            ..
        } if is_success(&code) => entry.rrn = rrn.unwrap_or_default(),
        HostAnswer::Answer {
            code, mac_ok: true, ..
        } => {
            desk.journal(|j| j.hold(hold));
            let rc = zvt_result(&code);
            return ecr.say(host_abort(rc, &code)).await.map(drop);
        }
        _ => {
            desk.journal(|j| j.hold(hold));
            return ecr.say(abort(0xA1)).await.map(drop);
        }
    }
    entry.auth_code = hold.auth_code.clone();
    entry.receipt_no = desk.journal(Journal::take_receipt);
    let title = if booked.is_some() {
        // The booking is turnover: it counts at End-of-Day.
        desk.journal(|j| j.add(entry.clone()));
        "PRE-AUTH COMPLETE"
    } else {
        "PRE-AUTH CANCEL"
    };
    let lines = slip::approved(title, &entry, TID, SIM_MID);
    closing(sim, entry, lines, ecr).await
}

/// The end of an approved step: slip on the printer, status information, receipt lines,
/// completion.
async fn closing<S: AsyncRead + AsyncWrite + Unpin + Send>(
    sim: &TerminalSim,
    entry: Entry,
    lines: Vec<String>,
    ecr: &mut Ecr<'_, S>,
) -> Result<(), TransportError> {
    if let Some(p) = sim.desk().printer() {
        slip::print(&p, &lines, true).await;
    }
    if !ecr.say(status(sim, 0, &entry)).await? {
        return Ok(());
    }
    ecr.lines(&lines).await?;
    remember(sim.desk(), entry, 0, lines);
    ecr.done().await.map(drop)
}
