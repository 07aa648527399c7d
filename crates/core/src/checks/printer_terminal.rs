//! Area printer: the payment terminal's own printer, as the terminal reports it — terminal
//! status CC (printer not ready) and the printer lock of TLV 1F55 — from the shared
//! Status-Enquiry. Separate from the ESC/POS receipt printer checks.

use super::common::{no_answer, status_text};
use super::probe::TerminalProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::i18n::Text;
use crate::proto::zvt::codes::TerminalStatus;
use crate::proto::zvt::device::LockBit;
use crate::tr;

pub const TERMINAL_PRINTER: CheckSpec = CheckSpec {
    id: "printer.terminal",
    area: Area::Printer,
    title: Text::fixed("终端自带打印机", "the terminal's own printer"),
};

pub const CAUSE: &str = "terminal.printer_not_ready";

pub async fn terminal_printer(probe: &TerminalProbe) -> CheckResult {
    let id = TERMINAL_PRINTER.id;
    let snapshot = match probe.status().await {
        Ok(s) => s,
        Err(f) => return no_answer(id, Area::Printer, f),
    };
    let status = snapshot.completion.terminal_status;
    let locked = snapshot
        .diagnostics
        .locks
        .as_ref()
        .map(|l| l.is_set(LockBit::Printer));
    let mut r = if status == TerminalStatus::PrinterNotReady || locked == Some(true) {
        let recovery = TerminalStatus::PrinterNotReady.recovery();
        CheckResult::new(
            id,
            Area::Printer,
            CheckStatus::Fail,
            Text::new(
                format!("终端报告其打印机未就绪：{}", recovery.zh),
                format!(
                    "the terminal reports its printer not ready: {}",
                    recovery.en
                ),
            ),
        )
        .with_cause(CAUSE)
    } else {
        CheckResult::new(
            id,
            Area::Printer,
            CheckStatus::Pass,
            tr!(
                "终端未报告打印机问题",
                "the terminal reports no problem with its printer"
            ),
        )
    };
    r = r.with_evidence_text(
        Text::fixed("终端状态", "terminal status"),
        status_text(status),
    );
    if let Some(locks) = &snapshot.diagnostics.locks {
        let printer = if locks.is_set(LockBit::Printer) {
            "set"
        } else {
            "clear"
        };
        r = r.with_evidence(
            Text::fixed("TLV 1F55 打印机锁定", "TLV 1F55 printer lock"),
            format!("{printer} ({})", hex::encode_upper(&locks.raw)),
        );
    }
    r.frames = snapshot.record.frames.clone();
    r
}
