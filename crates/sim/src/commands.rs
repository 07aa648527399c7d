//! What the simulated terminal answers to the cash register's administrative commands: status,
//! registration, the recoveries posdiag recommends (Initialisation, Diagnosis, Abort, Set
//! Date/Time) — which clear the state they fix — and the rest of the command list of
//! docs/protocols/zvt.md §5. A command the terminal does not offer is refused the way the spec
//! says: `84 83 00` ("function not possible"), never with data after the code.

use posdiag_core::cause;
use std::time::SystemTime;

use super::payment::CNY;
use super::read_card;
use super::terminal::{abort, intermediate, nack, TerminalSim, SW_VERSION};
use super::vendor;
use crate::proto::zvt::apdu::Apdu;
use crate::proto::zvt::bmp::{find_bmp, parse_bmps, Bmp};
use crate::proto::zvt::message::{
    Completion, Diagnosis, DiagnosisKind, EcrMessage, PrintLine, PtMessage, Registration,
    SetDateTimeInEcr, SetDateTimeInPt, StatusEnquiry, StatusEnquiryCompletion, StatusInformation,
};
use crate::proto::zvt::values::{bcd_string, ZvtDate, ZvtTime};

/// How the terminal answers one command.
pub(super) enum Reply {
    /// Refused before it starts (`84 xx 00`, or `84 1E 03 6F CC` after a Registration in a
    /// currency it is not set up for).
    Refuse(PtMessage),
    /// `80 00 00`, then these messages, each acknowledged by the cash register.
    Run(Vec<PtMessage>),
}

/// "Function not possible" (docs/protocols/zvt.md §2.1, p.193).
const NOT_POSSIBLE: u8 = 0x83;

fn done() -> PtMessage {
    PtMessage::Completion(Completion {
        result_code: Some(0),
        ..Completion::default()
    })
}

/// Answers every command that is not a payment, a void, an end-of-day, a repeat receipt or a
/// reservation (those are `payment.rs`, `payment_admin.rs`, `preauth.rs`).
pub(super) async fn answer(sim: &TerminalSim, command: &EcrMessage) -> Reply {
    use EcrMessage as M;
    match command {
        M::StatusEnquiry(q) => Reply::Run(status_enquiry(sim, q)),
        M::Registration(r) => registration(sim, r),
        M::Diagnosis(d) => Reply::Run(diagnosis(sim, d)),
        M::ReadCard(_) => Reply::Run(read_card::answer(sim)),
        M::PrintSystemConfiguration => Reply::Run(print_configuration(sim)),
        M::Selftest => Reply::Run(selftest(sim)),
        // Log-Off: the config byte goes back to 0x86 and TLV stops (nothing we keep).
        M::LogOff => Reply::Run(vec![done()]),
        M::Abort(_) => {
            // Nothing runs while the cash register is master: the abort is acknowledged, and
            // an inserted card is ejected (docs/protocols/zvt.md §9: DC "eject it via Abort").
            sim.clear(cause!("reader.card_inserted"));
            Reply::Run(Vec::new())
        }
        M::Initialisation { .. } => Reply::Run(initialisation(sim)),
        M::SetDateTimeInPt(m) => Reply::Run(set_date_time(sim, m)),
        M::SendTurnoverTotals { .. } => Reply::Run(turnover_totals(sim)),
        M::Other(apdu) => other(sim, apdu),
        _ => Reply::Refuse(nack(NOT_POSSIBLE)),
    }
}

/// The commands posdiag has no type for, by their code.
fn other(sim: &TerminalSim, apdu: &Apdu) -> Reply {
    match apdu.code() {
        // Reset Terminal: it restarts and reports back.
        [0x06, 0x18] => Reply::Run(vec![done()]),
        [0x06, 0x1B] => set_terminal_id(sim, &apdu.data),
        // Print Turnover Receipts: the day's totals as a receipt.
        [0x06, 0x12] => Reply::Run(turnover_receipt(sim)),
        // Send Offline Transactions: this terminal never books offline.
        [0x06, 0x51] => Reply::Run(vec![done()]),
        // Display Text: shown, then done.
        [0x06, 0xE0] => Reply::Run(vec![done()]),
        // Select Language.
        [0x08, 0x30] => Reply::Run(vec![done()]),
        // Activate Card-Reader has no completion: the acknowledgement is the answer.
        [0x08, 0x50] => Reply::Run(Vec::new()),
        [0x08, 0x13] => vendor::change_configuration(&apdu.data),
        [0x0F, 0xA1] => vendor::cvend_functions(sim, &apdu.data),
        _ => Reply::Refuse(nack(NOT_POSSIBLE)),
    }
}

/// Status-Enquiry. Service byte bit 1 ("do not send the SW version"): the version field is
/// positional (no BMP tag in front of it), so a cash register can only find the terminal
/// status after it by its length. Our reading of the spec: the terminal leaves the version
/// out by sending it empty — the LLLVAR `F0 F0 F0` — so the layout `<SW version>
/// <terminal status> [06 TLV]` stays what every parser expects (the zvt crate's
/// `ReceiptPrintoutCompletion` and ecrterm both read the version field unconditionally;
/// posdiag's decoder reads it when the first bytes are `F0`–`F9`).
fn status_enquiry(sim: &TerminalSim, q: &StatusEnquiry) -> Vec<PtMessage> {
    let wants_tlv = q.service_byte.is_some_and(|b| b & 0x04 != 0);
    let tlv = if wants_tlv {
        match sim.diagnostics().to_tlv() {
            Ok(tlv) => Some(tlv),
            Err(_) => return vec![abort(0xFF)],
        }
    } else {
        None
    };
    let no_version = q.service_byte.is_some_and(|b| b & 0x02 != 0);
    vec![PtMessage::StatusEnquiryCompletion(
        StatusEnquiryCompletion {
            sw_version: Some(if no_version {
                String::new()
            } else {
                SW_VERSION.to_owned()
            }),
            terminal_status: sim.terminal_status(),
            tlv,
        },
    )]
}

/// Registration. A currency other than the one the terminal is set up for is refused with
/// `84 1E 03 6F <CC>` (docs/protocols/zvt.md §2.1, p.29: result 6F "wrong currency" and the
/// terminal's own code); the completion echoes the currency only when the cash register sent one.
fn registration(sim: &TerminalSim, r: &Registration) -> Reply {
    if let Some(asked) = r.currency.filter(|c| *c != CNY) {
        tracing::debug!(
            asked,
            "simulated terminal: registration in a foreign currency"
        );
        let [hi, lo] = crate::proto::zvt::values::encode_currency(CNY).unwrap_or([0x01, 0x56]);
        return Reply::Refuse(PtMessage::NegativeAck {
            result_code: 0x1E,
            data: vec![0x6F, hi, lo],
        });
    }
    let status_byte = if sim.has(cause!("terminal.needs_init")) {
        0x01
    } else if sim.has(cause!("terminal.diagnosis_required")) {
        0x02
    } else {
        0x00
    };
    Reply::Run(vec![PtMessage::Completion(Completion {
        status_byte: Some(status_byte),
        tid: Some(sim.tid()),
        currency: r.currency,
        ..Completion::default()
    })])
}

/// Why going online fails, by the injected faults (A3 no connection, A1 remote station does
/// not respond); `None` when the terminal reaches its host.
fn online_failure(sim: &TerminalSim) -> Option<u8> {
    if sim.has(cause!("network.down")) || sim.desk().host().is_none() {
        Some(0xA3)
    } else if sim.has(cause!("host.timeout")) {
        Some(0xA1)
    } else {
        None
    }
}

/// Diagnosis goes online to the host: the host and network faults show here too, and a numeric
/// decline is passed through. Line diagnosis (type 01) only tests the connection; the others
/// clear the diagnosis lock, and an extended one takes the host's time (`04 01` to the cash
/// register, and a wrong terminal clock is right afterwards).
fn diagnosis(sim: &TerminalSim, d: &Diagnosis) -> Vec<PtMessage> {
    let declined = sim.active().find_map(|f| match f {
        // Diagnosis carries no card: a card code (51) does not fail it.
        super::faults::Fault::HostDecline { code }
            if super::faults::decline_applies_without_card(code) =>
        {
            code.parse::<u8>().ok().filter(|c| (1..=99).contains(c))
        }
        _ => None,
    });
    if let Some(code) = online_failure(sim).or(declined) {
        return vec![intermediate(0x04), abort(code)];
    }
    let mut out = vec![intermediate(0x04)];
    if d.kind != DiagnosisKind::Line {
        sim.clear(cause!("terminal.diagnosis_required"));
    }
    if d.kind == DiagnosisKind::Extended {
        sim.set_clock(SystemTime::now());
        let now = sim.clock();
        out.push(PtMessage::SetDateTimeInEcr(SetDateTimeInEcr {
            date: now.date,
            time: now.time,
        }));
    }
    out.push(done());
    out
}

/// Initialisation `06 93`: the terminal goes online and loads its parameters and keys; after
/// it, "initialisation required" (terminal status 51) and "no keys loaded" are gone.
fn initialisation(sim: &TerminalSim) -> Vec<PtMessage> {
    if let Some(code) = online_failure(sim) {
        return vec![intermediate(0x04), abort(code)];
    }
    sim.clear(cause!("terminal.needs_init"));
    sim.clear(cause!("keys.missing"));
    let mut out = vec![intermediate(0x04)];
    out.extend(print_lines(&[
        "INITIALISATION".to_owned(),
        format!("TID      {}", sim.tid()),
        "PARAMETERS LOADED".to_owned(),
        "KEYS LOADED".to_owned(),
    ]));
    out.push(done());
    out
}

/// Set Date/Time in PT `06 91`: the terminal's clock follows the cash register's.
fn set_date_time(sim: &TerminalSim, m: &SetDateTimeInPt) -> Vec<PtMessage> {
    match local_time(m.date, m.time) {
        Some(at) => {
            sim.set_clock(at);
            vec![done()]
        }
        None => vec![abort(0x9A)],
    }
}

/// A ZVT local date and time as a point in time (the machine's UTC offset).
fn local_time(date: ZvtDate, time: ZvtTime) -> Option<SystemTime> {
    let month = time::Month::try_from(date.month).ok()?;
    let year = i32::from(date.year.unwrap_or(2000));
    let d = time::Date::from_calendar_date(year, month, date.day).ok()?;
    let t = time::Time::from_hms(time.hour, time.minute, time.second).ok()?;
    let at = time::PrimitiveDateTime::new(d, t).assume_offset(crate::localtime::offset());
    Some(SystemTime::from(at))
}

/// Set/Reset Terminal-ID `06 1B`: `<password> [29 <TID>]`. Only with an empty turnover store
/// (after End-of-Day); otherwise the open batch is in the way (F0). Without BMP 29 the terminal
/// goes back to its own ID. Its host keeps knowing it by the enrolled ID.
fn set_terminal_id(sim: &TerminalSim, data: &[u8]) -> Reply {
    let Some(bmps) = data.get(3..).and_then(|rest| parse_bmps(rest, 6).ok()) else {
        return Reply::Refuse(nack(0x9A));
    };
    let tid = match find_bmp(&bmps, 0x29) {
        Some(b) if b.value.len() == 4 => Some(bcd_string(&b.value)),
        Some(_) => return Reply::Refuse(nack(0x9A)),
        None => None,
    };
    if sim.desk().journal(|j| j.totals().count) > 0 {
        return Reply::Run(vec![abort(0xF0)]);
    }
    sim.set_tid(tid);
    Reply::Run(vec![PtMessage::Completion(Completion {
        result_code: Some(0),
        tid: Some(sim.tid()),
        ..Completion::default()
    })])
}

/// Send Turnover Totals `06 10`: the open batch's totals, without closing it.
fn turnover_totals(sim: &TerminalSim) -> Vec<PtMessage> {
    let totals = sim.desk().journal(|j| j.totals());
    let clock = sim.clock();
    let info = StatusInformation {
        result_code: Some(0),
        amount_minor: Some(totals.amount_minor),
        currency: Some(CNY),
        time: Some(clock.time),
        date: Some(clock.date),
        other_bmps: vec![Bmp::new(
            0x60,
            super::payment_admin::individual_totals(
                totals.first_receipt,
                totals.last_receipt,
                totals.count,
                totals.amount_minor,
            ),
        )],
        ..StatusInformation::default()
    };
    vec![PtMessage::StatusInformation(Box::new(info)), done()]
}

fn turnover_receipt(sim: &TerminalSim) -> Vec<PtMessage> {
    let totals = sim.desk().journal(|j| j.totals());
    let mut out = print_lines(&[
        "TURNOVER".to_owned(),
        format!("TID      {}", sim.tid()),
        format!("COUNT    {}", totals.count),
        format!(
            "TOTAL    {}",
            crate::proto::zvt::values::format_amount(totals.amount_minor, Some(CNY))
        ),
    ]);
    out.push(done());
    out
}

fn print_lines(lines: &[String]) -> Vec<PtMessage> {
    let last = lines.len().saturating_sub(1);
    lines
        .iter()
        .enumerate()
        .map(|(i, text)| {
            PtMessage::PrintLine(PrintLine {
                attribute: if i == last { 0xC0 } else { 0x00 },
                text: text.clone(),
            })
        })
        .collect()
}

fn print_configuration(sim: &TerminalSim) -> Vec<PtMessage> {
    let d = sim.diagnostics();
    let mut lines = vec![
        "SYSTEM CONFIGURATION".to_owned(),
        format!("TID      {}", sim.tid()),
        format!("SW       {SW_VERSION}"),
        format!("CLOCK    {}", sim.clock()),
        format!("STATUS   {:02X}", sim.terminal_status().to_byte()),
    ];
    if let Some(state) = d.device_state {
        lines.push(format!("DEVICE   {:02X}", state.to_byte()));
    }
    let mut out = print_lines(&lines);
    out.push(PtMessage::Completion(Completion::default()));
    out
}

/// Selftest `06 79`: the result goes to the print target.
fn selftest(sim: &TerminalSim) -> Vec<PtMessage> {
    let reader = if sim.has(cause!("reader.not_answering")) {
        "CARD READER  FAILED"
    } else {
        "CARD READER  OK"
    };
    let printer = if sim.has(cause!("terminal.printer_not_ready")) {
        "PRINTER      NOT READY"
    } else {
        "PRINTER      OK"
    };
    let mut out = print_lines(&[
        "SELFTEST".to_owned(),
        reader.to_owned(),
        printer.to_owned(),
        "MEMORY       OK".to_owned(),
    ]);
    out.push(done());
    out
}

#[cfg(test)]
#[path = "commands_tests.rs"]
mod tests;
