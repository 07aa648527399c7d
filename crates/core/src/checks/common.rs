//! Pieces shared by the terminal checks.

use crate::checks::{Area, CheckResult, CheckStatus};
use crate::drivers::zvt::CommandFailure;
use crate::proto::zvt::codes::TerminalStatus;
use crate::tr;

/// The result of a check that needed the terminal's answer and did not get one.
pub fn no_answer(id: &str, area: Area, failure: &CommandFailure) -> CheckResult {
    let mut r = CheckResult::new(
        id,
        area,
        CheckStatus::Error,
        tr!(
            "终端未给出可用的应答，无法检查（见链路检查 link.terminal）",
            "no usable answer from the terminal, cannot check (see the link check link.terminal)"
        ),
    )
    .with_evidence_text(
        crate::i18n::Text::fixed("错误", "error"),
        failure.error.text(),
    );
    r.frames = failure.frames.clone();
    r
}

/// The cause id a terminal-status code points at, if any.
pub fn cause_of_status(status: TerminalStatus) -> Option<&'static str> {
    use TerminalStatus as S;
    Some(match status {
        S::SupplyVoltageTooLow => "power.low_voltage",
        S::CardReaderNotAnswering => "reader.not_answering",
        S::CardInserted | S::CardNotCompletelyRemoved => "reader.card_inserted",
        S::CardLockingMechanismDefect | S::ShutterClosed => "reader.defective",
        S::InitialisationRequired => "terminal.needs_init",
        S::DiagnosisRequired | S::MerchantCardLocked => "terminal.diagnosis_required",
        S::ReconciliationRequired => "terminal.eod_required",
        S::OutOfOrder => "terminal.out_of_order",
        S::MemoryFull | S::MerchantJournalFull => "terminal.memory_full",
        S::TerminalActivationRequired | S::OptDataNotAvailable => "terminal.activation_required",
        S::PleaseWait => "terminal.busy",
        S::RemoteMaintenanceActivated => "terminal.remote_maintenance",
        S::CardProfileInvalid => "terminal.card_profile_invalid",
        S::PrinterNotReady => "terminal.printer_not_ready",
        S::DateTimeIncorrect => "clock.wrong",
        S::Ready | S::PartialIssueOfGoods | S::Other(_) => return None,
    })
}

/// "51 initialisation required" in both languages.
pub fn status_text(status: TerminalStatus) -> crate::i18n::Text {
    let m = status.meaning();
    crate::i18n::Text::new(
        format!("{:02X} {}", status.to_byte(), m.zh),
        format!("{:02X} {}", status.to_byte(), m.en),
    )
}
