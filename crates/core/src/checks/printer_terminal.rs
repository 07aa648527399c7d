//! Area printer: the payment terminal's own printer, as the terminal reports it, from the
//! shared status query. Separate from the ESC/POS receipt printer checks.

use super::common::{from_fact, no_answer};
use crate::checks::{Area, CheckResult, CheckSpec};
use crate::drivers::terminal::TerminalProbe;
use crate::i18n::Text;

pub const TERMINAL_PRINTER: CheckSpec = CheckSpec {
    id: "printer.terminal",
    area: Area::Printer,
    title: Text::fixed("终端自带打印机", "the terminal's own printer"),
};

pub async fn terminal_printer(probe: &TerminalProbe) -> CheckResult {
    let id = TERMINAL_PRINTER.id;
    match probe.status().await {
        Ok(f) => from_fact(id, Area::Printer, f.printer.as_ref(), &f.frames),
        Err(f) => no_answer(id, Area::Printer, f),
    }
}
