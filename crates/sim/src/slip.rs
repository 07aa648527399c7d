//! The simulated terminal's slips (签购单): the lines it sends the cash register as `06 D1`
//! and prints on the simulated ESC/POS printer. The card is masked on every slip.

use std::time::SystemTime;

use tokio::io::AsyncWriteExt;

use super::journal::{Entry, Totals};
use super::printer::PrinterSim;
use crate::proto::escpos::receipt::{Cut, Receipt};
use crate::proto::zvt::values::format_amount;

const CNY: Option<u16> = Some(156);

/// Local date and time as printed on a slip.
fn stamp(time: SystemTime) -> String {
    let t = time::OffsetDateTime::from(time).to_offset(crate::localtime::offset());
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn header(title: &str, tid: &str, mid: &str) -> Vec<String> {
    vec![
        "POSDIAG SIMULATED SHOP".to_owned(),
        format!("MERCHANT {mid}"),
        format!("TERMINAL {tid}"),
        title.to_owned(),
    ]
}

/// An approved payment or void.
pub fn approved(title: &str, e: &Entry, tid: &str, mid: &str) -> Vec<String> {
    let mut lines = header(title, tid, mid);
    lines.extend([
        format!("CARD     {}", e.card_masked),
        format!("AMOUNT   {}", format_amount(e.amount_minor, CNY)),
        format!("TRACE    {:06}", e.trace),
        format!("RECEIPT  {:04}", e.receipt_no),
        format!("REF NO   {}", e.rrn),
        format!("AUTH     {}", e.auth_code),
        stamp(e.time),
        "APPROVED - CARDHOLDER COPY".to_owned(),
    ]);
    lines
}

/// A declined payment: the code and why, no money moved.
pub fn declined(
    code: &str,
    meaning: &str,
    amount_minor: u64,
    card: &str,
    trace: u32,
    tid: &str,
    mid: &str,
) -> Vec<String> {
    let mut lines = header("SALE - DECLINED", tid, mid);
    lines.extend([
        format!("CARD     {card}"),
        format!("AMOUNT   {}", format_amount(amount_minor, CNY)),
        format!("TRACE    {trace:06}"),
        format!("RESPONSE {code} {meaning}"),
        stamp(SystemTime::now()),
        "DECLINED - NO MONEY MOVED".to_owned(),
    ]);
    lines
}

/// The end-of-day report.
pub fn end_of_day(t: &Totals, batch: u32, tid: &str, mid: &str, balanced: bool) -> Vec<String> {
    let mut lines = header("END OF DAY", tid, mid);
    lines.extend([
        format!("BATCH    {batch:06}"),
        format!("RECEIPTS {:04}-{:04}", t.first_receipt, t.last_receipt),
        format!("SALES    {}", t.count),
        format!("TOTAL    {}", format_amount(t.amount_minor, CNY)),
        stamp(SystemTime::now()),
        if balanced {
            "SETTLED - BALANCED".to_owned()
        } else {
            "SETTLED - NOT BALANCED".to_owned()
        },
    ]);
    lines
}

/// Prints `lines` on the simulated printer, with a Chinese title; `complete` false stops
/// halfway without a cut (a jam mid-slip). Returns false when the printer cannot print.
pub async fn print(printer: &PrinterSim, lines: &[String], complete: bool) -> bool {
    if printer.condition().offline == Some(true) {
        return false;
    }
    let mut r = Receipt::new();
    r.line("银联签购单 / POS SLIP");
    let shown = if complete {
        lines.len()
    } else {
        lines.len() / 2
    };
    for l in lines.iter().take(shown) {
        r.line(l);
    }
    if complete {
        r.feed(3).cut(Cut::Partial);
    }
    let (mut ours, theirs) = tokio::io::duplex(16 * 1024);
    let p = printer.clone();
    let task = tokio::spawn(async move { p.serve(theirs).await });
    let written = ours.write_all(r.bytes()).await.is_ok();
    drop(ours);
    let _ = task.await;
    written && complete
}
