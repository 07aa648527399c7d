//! The terminal's own state — initialisation, diagnosis, end-of-day, out of order — from the
//! status byte, the 1F55 lock bits and the E4 device state, with the recovery the ZVT spec
//! gives for the status byte.

use super::status::{cause_of_status, status_text, Snapshot, STATUS_LABEL};
use crate::catalogue::CauseId;
use crate::cause;
use crate::drivers::terminal::{Evidence, FactState, TerminalStateFact};
use crate::i18n::Text;
use crate::proto::zvt::device::{DeviceState, LockBit};

/// Lock bits that name a terminal state, in order of precedence.
const LOCK_CAUSES: [(LockBit, CauseId); 6] = [
    (LockBit::Initialisation, cause!("terminal.needs_init")),
    (LockBit::StartUpNeeded, cause!("terminal.needs_init")),
    (LockBit::Diagnosis, cause!("terminal.diagnosis_required")),
    (
        LockBit::ReconciliationWithClosure,
        cause!("terminal.eod_required"),
    ),
    (LockBit::OutOfOrder, cause!("terminal.out_of_order")),
    (
        LockBit::ActivationNeeded,
        cause!("terminal.activation_required"),
    ),
];

pub(super) fn state(s: &Snapshot<'_>) -> TerminalStateFact {
    let terminal_status = s.status();
    let d = s.diagnostics;
    // Only causes of this area: a reader, power or printer state is judged by its own check.
    let from_status = cause_of_status(terminal_status)
        .filter(|c| c.as_str().starts_with("terminal.") && *c != super::printer::CAUSE);
    let from_locks = d.locks.as_ref().and_then(|l| {
        LOCK_CAUSES
            .into_iter()
            .find(|(bit, _)| l.is_set(*bit))
            .map(|(_, cause)| cause)
    });
    let from_device = (d.device_state == Some(DeviceState::InitialisationNeeded))
        .then_some(cause!("terminal.needs_init"));
    let cause = from_status.or(from_locks).or(from_device);
    let state = match cause {
        None => FactState::Ok,
        Some(c) if c == cause!("terminal.busy") => FactState::Warn,
        Some(_) => FactState::Fault,
    };
    let mut evidence = vec![Evidence::text(STATUS_LABEL, &status_text(terminal_status))];
    if let Some(sw) = s.completion.sw_version.as_ref().or(d.sw_version.as_ref()) {
        evidence.push(Evidence::new(
            Text::fixed("软件版本", "software version"),
            sw.clone(),
        ));
    }
    if let Some(tid) = &d.tid {
        evidence.push(Evidence::new(
            Text::fixed("终端号", "terminal id"),
            tid.clone(),
        ));
    }
    if let Some(l) = &d.locks {
        let raw = hex::encode_upper(&l.raw);
        let zh: Vec<String> = l.active.iter().map(|b| b.text().zh.into_owned()).collect();
        let en: Vec<String> = l.active.iter().map(|b| b.text().en.into_owned()).collect();
        evidence.push(Evidence::text(
            Text::fixed("TLV 1F55 锁定位", "TLV 1F55 lock bits"),
            &Text::new(
                format!("{raw} [{}]", zh.join("，")),
                format!("{raw} [{}]", en.join(", ")),
            ),
        ));
    }
    TerminalStateFact {
        state,
        cause,
        recovery: from_status.map(|_| terminal_status.recovery()),
        evidence,
    }
}
