//! The simulated terminal pays for real: Authorisation `06 01`, Reversal (void) `06 30`,
//! End-of-Day `06 50` and Repeat Receipt `06 20`, each going online to the acquirer over TCP
//! while it keeps the cash register informed (docs/protocols/zvt.md §2.2, §5):
//!
//! `80 00 00` → `04 FF` (insert card, PIN, waiting for the host) → 0200 / 0210 → slip on the
//! printer → `04 0F` status information → `06 D1` receipt lines → `06 0F`, or `06 1E` with the
//! result code. No answer in time → 0400 (98); approved but the printer fails → 0400 (96); the
//! 0210's MAC does not verify → 0400 (A0); a decline passes the host code through (01–63 as
//! their value, codes with letters as FF with the code in TLV 1F17). Voids, end-of-day and
//! repeat receipt are `payment_admin.rs`.

use posdiag_core::cause;
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncRead, AsyncWrite};

pub use super::desk::PaymentDesk;
use super::journal::{Entry, Journal, LastReceipt};
use super::payment_admin as admin;
use super::slip;
use super::terminal::{
    abort, intermediate, send, wait_for_ecr_ack, TerminalSim, TEST_CARD_PAN, TID,
};
use super::terminal_host::{reversal_of, HostAnswer, HostSession, Sale, SIM_MID, TEST_CARD_EXPIRY};
use crate::drivers::zvt::transport::{ApduTransport, TransportError};
use crate::proto::iso8583::codes::{is_success, lookup};
use crate::proto::iso8583::Message;
use crate::proto::redact::mask_pan;
use crate::proto::zvt::message::{
    Abort, Authorisation, Completion, EcrMessage, PrintLine, PtMessage, StatusInformation,
};
use crate::proto::zvt::tlv::Tlv;

/// How long the simulated terminal waits for its host (the demo profile's host timeout).
pub const SIM_HOST_TIMEOUT: Duration = Duration::from_secs(3);
/// Reversal retries (冲正重发次数, docs/protocols/iso8583-cup.md §7.2).
const REVERSAL_TRIES: usize = 3;
pub(super) const CNY: u16 = 156;

/// Commands served here (the rest by `commands::answer` and `preauth::run`).
pub fn is_payment_command(command: &EcrMessage) -> bool {
    matches!(
        command,
        EcrMessage::Authorisation(_)
            | EcrMessage::Reversal(_)
            | EcrMessage::EndOfDay(_)
            | EcrMessage::RepeatReceipt(_)
    )
}

/// The cash register's side of the sequence: each message is acked before the next.
pub(super) struct Ecr<'a, S> {
    pub(super) t: &'a mut ApduTransport<S>,
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send> Ecr<'_, S> {
    /// Sends `m`; false when the cash register did not ack it (the sequence stops).
    pub(super) async fn say(&mut self, m: PtMessage) -> Result<bool, TransportError> {
        send(self.t, &m).await?;
        wait_for_ecr_ack(self.t).await
    }

    pub(super) async fn lines(&mut self, lines: &[String]) -> Result<bool, TransportError> {
        let last = lines.len().saturating_sub(1);
        for (i, text) in lines.iter().enumerate() {
            let attribute = if i == last { 0xC0 } else { 0x00 };
            if !self
                .say(PtMessage::PrintLine(PrintLine {
                    attribute,
                    text: text.clone(),
                }))
                .await?
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub(super) async fn done(&mut self) -> Result<bool, TransportError> {
        self.say(PtMessage::Completion(Completion {
            result_code: Some(0),
            ..Completion::default()
        }))
        .await
    }
}

/// Runs one payment command after acknowledging it.
pub async fn run<S: AsyncRead + AsyncWrite + Unpin + Send>(
    sim: &TerminalSim,
    command: &EcrMessage,
    transport: &mut ApduTransport<S>,
) -> Result<(), TransportError> {
    send(transport, &PtMessage::Ack).await?;
    let mut ecr = Ecr { t: transport };
    match command {
        EcrMessage::Authorisation(a) => pay(sim, a, &mut ecr).await,
        EcrMessage::Reversal(r) => admin::void_receipt(sim, r, &mut ecr).await,
        EcrMessage::EndOfDay(_) => admin::end_of_day(sim, &mut ecr).await,
        EcrMessage::RepeatReceipt(r) => admin::repeat(sim, r, &mut ecr).await,
        _ => Ok(()),
    }
}

/// The ZVT result byte for a host code: decimal codes 01–99 pass through as the byte of that
/// value (0x01–0x63, docs/protocols/zvt.md §7: 51 → 0x33); codes with letters have no ZVT form and
/// become FF "system error" with the code in TLV 1F17.
pub(super) fn zvt_result(code: &str) -> u8 {
    match code.parse::<u8>() {
        Ok(n) if (1..=99).contains(&n) && code.len() == 2 => n,
        _ => 0xFF,
    }
}

/// The card the cash register keyed in (BMP 22), when it sent one.
fn keyed_card(a: &Authorisation) -> Option<Result<String, ()>> {
    let bmp = a.other_bmps.iter().find(|b| b.tag == 0x22)?;
    let mut digits = String::new();
    for b in &bmp.value {
        for nibble in [b >> 4, b & 0x0F] {
            match nibble {
                0..=9 => digits.push(char::from(b'0' + nibble)),
                0xF => {}
                _ => return Some(Err(())),
            }
        }
    }
    Some(if (12..=19).contains(&digits.len()) {
        Ok(digits)
    } else {
        Err(())
    })
}

/// The Abort for a host decline: the code itself when it has no ZVT form.
pub(super) fn host_abort(rc: u8, code: &str) -> PtMessage {
    if rc == 0xFF {
        abort_with_text(rc, &format!("HOST CODE {code}"))
    } else {
        abort(rc)
    }
}

/// The refusal of a payment in a currency the terminal is not set up for: Abort `06 1E 6F`
/// with the terminal's own currency code after it (docs/protocols/zvt.md §6: "CC only with rc 6F").
/// A request without BMP 49 names no currency and is charged in the terminal's own — ZVT's "absent
/// means EUR" describes terminals set up for EUR; a terminal has one currency and charges in it.
pub(super) fn currency_refusal(asked: Option<u16>) -> Option<PtMessage> {
    let asked = asked.filter(|c| *c != CNY)?;
    tracing::debug!(asked, "simulated terminal: refused a foreign currency");
    Some(PtMessage::Abort(Abort {
        result_code: 0x6F,
        currency: Some(CNY),
        ..Abort::default()
    }))
}

/// Abort with a vendor error text (TLV 1F17) for faults ZVT has no code for.
pub(super) fn abort_with_text(code: u8, text: &str) -> PtMessage {
    let mut m = abort(code);
    if let PtMessage::Abort(a) = &mut m {
        a.tlv = Some(vec![Tlv::new(0x1F17, text.as_bytes().to_vec())]);
    }
    m
}

/// Sends the reversal of `request` with `reason`, retrying; true once the host took it.
pub(super) async fn reverse(
    desk: &PaymentDesk,
    host: &mut Option<HostSession>,
    request: &Message,
    reason: &str,
) -> bool {
    let Some(rev) = reversal_of(request, reason) else {
        return false;
    };
    for _ in 0..REVERSAL_TRIES {
        if host.as_ref().is_none_or(HostSession::is_broken) {
            *host = desk.connect().await;
        }
        let Some(session) = host.as_mut() else {
            continue;
        };
        if let HostAnswer::Answer { code, .. } = session.send(rev.clone()).await {
            if matches!(code.as_str(), "00" | "25" | "12") {
                return true;
            }
        }
    }
    false
}

/// The status information of a payment (or void) with the result `result`.
pub(super) fn status(sim: &TerminalSim, result: u8, e: &Entry) -> PtMessage {
    let clock = sim.clock();
    PtMessage::StatusInformation(Box::new(StatusInformation {
        result_code: Some(result),
        amount_minor: Some(e.amount_minor),
        currency: Some(CNY),
        time: Some(clock.time),
        date: Some(clock.date),
        pan_masked: Some(e.card_masked.clone()),
        receipt_no: (e.receipt_no > 0).then(|| format!("{:04}", e.receipt_no)),
        trace: Some(format!("{:06}", e.trace)),
        original_trace: e.voids.map(|t| format!("{t:06}")),
        payment_type: Some(0x70),
        tid: Some(sim.tid()),
        expiry: Some(TEST_CARD_EXPIRY.to_owned()),
        card_name: Some("UnionPay".to_owned()),
        aid: (!e.auth_code.is_empty()).then(|| format!("{:<8}", e.auth_code)),
        vu_number: Some(SIM_MID.to_owned()),
        ..StatusInformation::default()
    }))
}

async fn pay<S: AsyncRead + AsyncWrite + Unpin + Send>(
    sim: &TerminalSim,
    a: &Authorisation,
    ecr: &mut Ecr<'_, S>,
) -> Result<(), TransportError> {
    let desk = sim.desk();
    if let Some(refusal) = currency_refusal(a.currency) {
        return ecr.say(refusal).await.map(drop);
    }
    let amount = a.amount_minor.unwrap_or(0);
    if amount == 0 {
        return ecr.say(abort(0xC8)).await.map(drop);
    }
    if sim.has(cause!("reader.not_answering")) {
        return ecr.say(abort(0xE2)).await.map(drop);
    }
    if sim.has(cause!("reader.unreadable")) {
        for code in [0x0A, 0x0C] {
            ecr.say(intermediate(code)).await?;
        }
        return ecr.say(abort(0x64)).await.map(drop);
    }
    let (pan, keyed) = match keyed_card(a) {
        Some(Ok(pan)) => (pan, true),
        Some(Err(())) => return ecr.say(abort(0x73)).await.map(drop),
        None => (TEST_CARD_PAN.to_owned(), false),
    };
    // A terminal checks its printer before it goes online.
    let printer = desk.printer();
    let printer_down = printer
        .as_ref()
        .is_some_and(|p| p.condition().offline == Some(true));
    if printer_down || sim.has(cause!("terminal.printer_not_ready")) {
        return ecr.say(abort(0xCC)).await.map(drop);
    }
    for code in [0x0A, 0x01, 0x04] {
        if !ecr.say(intermediate(code)).await? {
            return Ok(());
        }
        desk.pause(code).await;
    }
    let (trace, batch) = desk.journal(|j| (j.take_trace(), j.batch));
    let mut entry = Entry {
        receipt_no: 0,
        trace,
        amount_minor: amount,
        card_masked: mask_pan(&pan),
        rrn: String::new(),
        auth_code: String::new(),
        time: SystemTime::now(),
        voids: None,
        voided: false,
    };
    let Some(request) = (Sale {
        trace,
        batch,
        amount_minor: amount,
        pan,
        keyed,
    })
    .request() else {
        return ecr.say(abort(0xFF)).await.map(drop);
    };
    let mut host = desk.connect().await;
    let Some(session) = host.as_mut() else {
        return ecr.say(abort(0xA3)).await.map(drop);
    };
    let answer = session.send(request.clone()).await;
    let (code, rrn, auth_code) = match answer {
        HostAnswer::NotSent(e) => return ecr.say(abort_with_text(0xFF, &e)).await.map(drop),
        HostAnswer::NoAnswer => {
            ecr.say(intermediate(0x05)).await?;
            reverse(desk, &mut host, &request, "98").await;
            ecr.say(status(sim, 0xA1, &entry)).await?;
            remember(desk, entry, 0xA1, Vec::new());
            return ecr.say(abort(0xA1)).await.map(drop);
        }
        HostAnswer::Answer { mac_ok: false, .. } => {
            ecr.say(intermediate(0x05)).await?;
            reverse(desk, &mut host, &request, "A0").await;
            ecr.say(status(sim, 0xFF, &entry)).await?;
            remember(desk, entry, 0xFF, Vec::new());
            return ecr
                .say(abort_with_text(0xFF, "MAC ERROR - REVERSED"))
                .await
                .map(drop);
        }
        HostAnswer::Answer {
            code,
            rrn,
            auth_code,
            ..
        } => (code, rrn, auth_code),
    };
    entry.rrn = rrn.unwrap_or_default();
    entry.auth_code = auth_code.unwrap_or_default();
    if !is_success(&code) {
        let rc = zvt_result(&code);
        let meaning = lookup(&code).meaning.en.into_owned();
        let lines = slip::declined(
            &code,
            &meaning,
            amount,
            &entry.card_masked,
            trace,
            TID,
            SIM_MID,
        );
        ecr.say(status(sim, rc, &entry)).await?;
        ecr.lines(&lines).await?;
        remember(desk, entry, rc, lines);
        return ecr.say(host_abort(rc, &code)).await.map(drop);
    }
    entry.receipt_no = desk.journal(Journal::take_receipt);
    let lines = slip::approved("SALE", &entry, TID, SIM_MID);
    if sim.has(cause!("txn.receipt_print_fail")) {
        // The slip jams halfway: the terminal cannot complete and reverses (R1).
        if let Some(p) = &printer {
            slip::print(p, &lines, false).await;
        }
        ecr.say(intermediate(0x05)).await?;
        reverse(desk, &mut host, &request, "96").await;
        ecr.say(status(sim, 0xCC, &entry)).await?;
        remember(desk, entry, 0xCC, lines);
        return ecr.say(abort(0xCC)).await.map(drop);
    }
    if let Some(p) = &printer {
        slip::print(p, &lines, true).await;
    }
    desk.journal(|j| j.add(entry.clone()));
    if !ecr.say(status(sim, 0, &entry)).await? {
        // No ack for the status information: the payment is not final (docs/protocols/zvt.md §2.2).
        reverse(desk, &mut host, &request, "06").await;
        return Ok(());
    }
    ecr.lines(&lines).await?;
    remember(desk, entry, 0, lines);
    ecr.done().await.map(drop)
}

/// Keeps the outcome for "repeat last receipt".
pub(super) fn remember(desk: &PaymentDesk, entry: Entry, result: u8, lines: Vec<String>) {
    desk.journal(|j| {
        j.last = Some(LastReceipt {
            entry,
            result,
            lines,
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_codes_pass_through_as_the_byte() {
        assert_eq!(zvt_result("51"), 0x33, "51 travels as the byte 51");
        assert_eq!(zvt_result("05"), 0x05);
        assert_eq!(zvt_result("99"), 0x63);
        assert_eq!(zvt_result("A0"), 0xFF, "no ZVT form");
    }
}
