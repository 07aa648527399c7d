//! The terminal's own printer as the terminal reports it: terminal status CC (printer not
//! ready) and the printer lock of TLV 1F55.

use super::status::{status_text, Snapshot, STATUS_LABEL};
use crate::drivers::terminal::{AreaFact, FactState};
use crate::i18n::Text;
use crate::proto::zvt::codes::TerminalStatus;
use crate::proto::zvt::device::LockBit;
use crate::tr;

/// The cause of a terminal printer that is not ready.
pub(super) const CAUSE: crate::catalogue::CauseId = crate::cause!("terminal.printer_not_ready");

pub(super) fn printer(s: &Snapshot<'_>) -> AreaFact {
    let status = s.status();
    let locks = s.diagnostics.locks.as_ref();
    let locked = locks.map(|l| l.is_set(LockBit::Printer));
    let fact = if status == TerminalStatus::PrinterNotReady || locked == Some(true) {
        let recovery = TerminalStatus::PrinterNotReady.recovery();
        AreaFact::new(
            FactState::Fault,
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
        AreaFact::new(
            FactState::Ok,
            tr!(
                "终端未报告打印机问题",
                "the terminal reports no problem with its printer"
            ),
        )
    };
    let mut fact = fact.with_evidence_text(STATUS_LABEL, &status_text(status));
    if let Some(locks) = locks {
        let printer = if locks.is_set(LockBit::Printer) {
            "set"
        } else {
            "clear"
        };
        fact = fact.with_evidence(
            Text::fixed("TLV 1F55 打印机锁定", "TLV 1F55 printer lock"),
            format!("{printer} ({})", hex::encode_upper(&locks.raw)),
        );
    }
    fact
}
