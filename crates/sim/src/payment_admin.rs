//! The simulated terminal's other payment commands: Reversal `06 30` of a receipt (a void at
//! the host), End-of-Day `06 50` (settlement 0500 with the batch totals, then BMP 60 to the
//! cash register) and Repeat Receipt `06 20` (the last outcome again).

use posdiag_core::cause;
use std::time::SystemTime;

use tokio::io::{AsyncRead, AsyncWrite};

use super::journal::{Entry, Journal};
use super::payment::{
    abort_with_text, host_abort, remember, reverse, status, zvt_result, Ecr, CNY,
};
use super::slip;
use super::terminal::{abort, intermediate, TerminalSim, TID};
use super::terminal_host::{settlement, void, HostAnswer, SIM_MID};
use crate::drivers::zvt::transport::TransportError;
use crate::proto::iso8583::codes::is_success;
use crate::proto::zvt::bmp::Bmp;
use crate::proto::zvt::message::{PtMessage, RepeatReceipt, Reversal, StatusInformation};

pub(super) async fn void_receipt<S: AsyncRead + AsyncWrite + Unpin + Send>(
    sim: &TerminalSim,
    r: &Reversal,
    ecr: &mut Ecr<'_, S>,
) -> Result<(), TransportError> {
    let desk = sim.desk();
    let original = r
        .receipt_no
        .and_then(|n| desk.journal(|j| j.payment(n).cloned()));
    let original = match original {
        None => return ecr.say(abort(0xB5)).await.map(drop),
        Some(o) if o.voided => return ecr.say(abort(0xB4)).await.map(drop),
        Some(o) => o,
    };
    ecr.say(intermediate(0x04)).await?;
    let (trace, batch) = desk.journal(|j| (j.take_trace(), j.batch));
    let Some(request) = void(trace, batch, original.trace, original.amount_minor) else {
        return ecr.say(abort(0xFF)).await.map(drop);
    };
    let mut host = desk.connect().await;
    let Some(session) = host.as_mut() else {
        return ecr.say(abort(0xA3)).await.map(drop);
    };
    let mut entry = Entry {
        receipt_no: 0,
        trace,
        voids: Some(original.trace),
        voided: false,
        time: SystemTime::now(),
        ..original
    };
    match session.send(request.clone()).await {
        HostAnswer::NotSent(e) => ecr.say(abort_with_text(0xFF, &e)).await.map(drop),
        HostAnswer::NoAnswer => {
            ecr.say(intermediate(0x05)).await?;
            reverse(desk, &mut host, &request, "98").await;
            ecr.say(abort(0xA1)).await.map(drop)
        }
        HostAnswer::Answer { mac_ok: false, .. } => {
            ecr.say(intermediate(0x05)).await?;
            reverse(desk, &mut host, &request, "A0").await;
            ecr.say(abort_with_text(0xFF, "MAC ERROR - REVERSED"))
                .await
                .map(drop)
        }
        HostAnswer::Answer { code, .. } if !is_success(&code) => {
            let rc = zvt_result(&code);
            ecr.say(status(sim, rc, &entry)).await?;
            ecr.say(host_abort(rc, &code)).await.map(drop)
        }
        HostAnswer::Answer { rrn, auth_code, .. } => {
            entry.receipt_no = desk.journal(Journal::take_receipt);
            entry.rrn = rrn.unwrap_or_default();
            entry.auth_code = auth_code.unwrap_or_default();
            let lines = slip::approved("VOID", &entry, TID, SIM_MID);
            if let Some(p) = desk.printer() {
                slip::print(&p, &lines, true).await;
            }
            desk.journal(|j| j.add(entry.clone()));
            ecr.say(status(sim, 0, &entry)).await?;
            ecr.lines(&lines).await?;
            remember(desk, entry, 0, lines);
            ecr.done().await.map(drop)
        }
    }
}

/// BMP 60 after End-of-Day: receipt range, then count + BCD total for seven card groups
/// (girocard, JCB, Eurocard, Amex, VISA, Diners, others); UnionPay counts as "others".
pub(super) fn individual_totals(first: u16, last: u16, count: u64, total: u64) -> Vec<u8> {
    let bcd2 = |n: u16| {
        crate::proto::zvt::values::u64_to_bcd(u64::from(n % 10_000), 2).unwrap_or_default()
    };
    let mut out = bcd2(first);
    out.extend(bcd2(last));
    for group in 0..7 {
        let (c, t) = if group == 6 { (count, total) } else { (0, 0) };
        out.push(u8::try_from(c.min(255)).unwrap_or(255));
        out.extend(
            crate::proto::zvt::values::u64_to_bcd(t % 1_000_000_000_000, 6).unwrap_or_default(),
        );
    }
    out
}

pub(super) async fn end_of_day<S: AsyncRead + AsyncWrite + Unpin + Send>(
    sim: &TerminalSim,
    ecr: &mut Ecr<'_, S>,
) -> Result<(), TransportError> {
    let desk = sim.desk();
    let (totals, trace, batch) = desk.journal(|j| (j.totals(), j.take_trace(), j.batch));
    ecr.say(intermediate(0x04)).await?;
    let Some(request) = settlement(trace, batch, totals.count, totals.amount_minor) else {
        return ecr.say(abort(0xFF)).await.map(drop);
    };
    let Some(mut host) = desk.connect().await else {
        return ecr.say(abort(0xA3)).await.map(drop);
    };
    let balanced = match host.send(request).await {
        HostAnswer::Answer {
            code,
            field48,
            mac_ok: true,
            ..
        } if code == "00" => field48.and_then(|f| f.chars().nth(30)) == Some('1'),
        HostAnswer::Answer { .. } | HostAnswer::NotSent(_) => {
            return ecr.say(abort(0x77)).await.map(drop)
        }
        HostAnswer::NoAnswer => return ecr.say(abort(0xA1)).await.map(drop),
    };
    let clock = sim.clock();
    let info = StatusInformation {
        result_code: Some(0),
        amount_minor: Some(totals.amount_minor),
        currency: Some(CNY),
        trace: Some(format!("{trace:06}")),
        time: Some(clock.time),
        date: Some(clock.date),
        other_bmps: vec![Bmp::new(
            0x60,
            individual_totals(
                totals.first_receipt,
                totals.last_receipt,
                totals.count,
                totals.amount_minor,
            ),
        )],
        ..StatusInformation::default()
    };
    let lines = slip::end_of_day(&totals, batch, TID, SIM_MID, balanced);
    if let Some(p) = desk.printer() {
        slip::print(&p, &lines, true).await;
    }
    desk.journal(Journal::close_batch);
    // The batch is closed: "reconciliation required" (terminal status F0) is gone.
    sim.clear(cause!("terminal.eod_required"));
    ecr.say(PtMessage::StatusInformation(Box::new(info)))
        .await?;
    ecr.lines(&lines).await?;
    ecr.done().await.map(drop)
}

pub(super) async fn repeat<S: AsyncRead + AsyncWrite + Unpin + Send>(
    sim: &TerminalSim,
    r: &RepeatReceipt,
    ecr: &mut Ecr<'_, S>,
) -> Result<(), TransportError> {
    let desk = sim.desk();
    let Some(last) = desk.journal(|j| j.last.clone()) else {
        return ecr.say(abort(0x83)).await.map(drop);
    };
    let svc = r.service_byte.unwrap_or(0x01);
    if svc & 0x01 != 0 {
        ecr.say(status(sim, last.result, &last.entry)).await?;
    }
    let mut lines = vec!["*** DUPLICATE ***".to_owned()];
    lines.extend(last.lines.iter().cloned());
    if svc & 0x02 == 0 {
        if let Some(p) = desk.printer() {
            slip::print(&p, &lines, true).await;
        }
    }
    ecr.lines(&lines).await?;
    ecr.done().await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_have_seven_groups() {
        let t = individual_totals(1, 3, 2, 2468);
        assert_eq!(t.len(), 4 + 7 * 7);
        assert_eq!(&t[..4], &[0x00, 0x01, 0x00, 0x03]);
        assert_eq!(&t[4 + 6 * 7..], &[2, 0x00, 0x00, 0x00, 0x00, 0x24, 0x68]);
    }
}
