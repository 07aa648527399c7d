//! Area terminal: the terminal's own state — initialisation, diagnosis, end-of-day, out of
//! order — from the status byte, the 1F55 lock bits and the E4 device state, with the
//! recovery action the ZVT spec gives for each state (as a suggestion, never run
//! automatically).

use super::common::{cause_of_status, no_answer, status_text};
use super::probe::TerminalProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::i18n::Text;
use crate::proto::zvt::device::{DeviceState, LockBit};
use crate::tr;

pub const STATUS: CheckSpec = CheckSpec {
    id: "terminal.status",
    area: Area::Terminal,
    title: Text::fixed("终端状态", "terminal state"),
};

pub async fn status(probe: &TerminalProbe) -> CheckResult {
    let snapshot = match probe.status().await {
        Ok(s) => s,
        Err(f) => return no_answer(STATUS.id, Area::Terminal, f),
    };
    let id = STATUS.id;
    let terminal_status = snapshot.completion.terminal_status;
    let d = &snapshot.diagnostics;
    // Only causes of this area: a reader, power or printer state is judged by its own check.
    let from_status = cause_of_status(terminal_status)
        .filter(|c| c.starts_with("terminal.") && *c != super::printer_terminal::CAUSE);
    let from_locks = d.locks.as_ref().and_then(|l| {
        [
            (LockBit::Initialisation, "terminal.needs_init"),
            (LockBit::StartUpNeeded, "terminal.needs_init"),
            (LockBit::Diagnosis, "terminal.diagnosis_required"),
            (LockBit::ReconciliationWithClosure, "terminal.eod_required"),
            (LockBit::OutOfOrder, "terminal.out_of_order"),
            (LockBit::ActivationNeeded, "terminal.activation_required"),
        ]
        .into_iter()
        .find(|(bit, _)| l.is_set(*bit))
        .map(|(_, cause)| cause)
    });
    let from_device = (d.device_state == Some(DeviceState::InitialisationNeeded))
        .then_some("terminal.needs_init");
    let cause = from_status.or(from_locks).or(from_device);
    let recovery = terminal_status.recovery();
    let mut r = match cause {
        Some(cause) => {
            let title = super::causes::cause_title(cause)
                .cloned()
                .unwrap_or_else(|| Text::same(cause));
            let status_is_cause = from_status.is_some();
            let summary = if status_is_cause {
                Text::new(
                    format!("{}：{}", title.zh, recovery.zh),
                    format!("{}: {}", title.en, recovery.en),
                )
            } else {
                title
            };
            let level = if cause == "terminal.busy" {
                CheckStatus::Warn
            } else {
                CheckStatus::Fail
            };
            CheckResult::new(id, Area::Terminal, level, summary).with_cause(cause)
        }
        None => CheckResult::new(
            id,
            Area::Terminal,
            CheckStatus::Pass,
            tr!("终端就绪", "the terminal is ready"),
        ),
    };
    r = r.with_evidence_text(
        Text::fixed("终端状态", "terminal status"),
        status_text(terminal_status),
    );
    if let Some(sw) = snapshot
        .completion
        .sw_version
        .as_ref()
        .or(d.sw_version.as_ref())
    {
        r = r.with_evidence(Text::fixed("软件版本", "software version"), sw.clone());
    }
    if let Some(tid) = &d.tid {
        r = r.with_evidence(Text::fixed("终端号", "terminal id"), tid.clone());
    }
    if let Some(l) = &d.locks {
        let raw = hex::encode_upper(&l.raw);
        let zh: Vec<String> = l.active.iter().map(|b| b.text().zh.into_owned()).collect();
        let en: Vec<String> = l.active.iter().map(|b| b.text().en.into_owned()).collect();
        r = r.with_evidence_text(
            Text::fixed("TLV 1F55 锁定位", "TLV 1F55 lock bits"),
            Text::new(
                format!("{raw} [{}]", zh.join("，")),
                format!("{raw} [{}]", en.join(", ")),
            ),
        );
    }
    r.frames = snapshot.record.frames.clone();
    r
}
