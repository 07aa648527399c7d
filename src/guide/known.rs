//! The ids the knowledge base may name: check ids that exist, and ids of channels and faults
//! still being built, so the knowledge base can describe them before they land.
//!
//! When the printer, network and host channels are merged, their plan functions join
//! [`known_check_ids`] and the matching entries of [`PLANNED_CHECK_IDS`] become redundant
//! (harmless: the list is a union).

use std::collections::BTreeSet;

/// Check ids of channels being built in parallel (printer over ESC/POS, the network path,
/// the ISO 8583 host). The knowledge base names them already; a test keeps this list honest
/// by requiring every id here to look like `area.name` with a known area.
pub const PLANNED_CHECK_IDS: &[&str] = &[
    "network.dns",
    "network.tcp",
    "network.latency",
    "network.tls",
    "host.sign_on",
    "host.echo",
];

/// Simulator fault ids being added by the printer, network, host and transaction work
/// (DESIGN.md "Simulator faults = cause ids"). Each must be a knowledge-base entry already.
pub const PLANNED_FAULT_IDS: &[&str] = &[
    "printer.paper_out",
    "printer.paper_near_end",
    "printer.cover_open",
    "printer.cutter_error",
    "printer.overheat",
    "printer.offline",
    "printer.no_reply",
    "printer.paper_jam",
    "printer.unrecoverable_error",
    "network.down",
    "network.slow",
    "host.decline",
    "host.timeout",
    "host.mac_error",
    "host.resign_on",
    "host.duplicate",
    "txn.receipt_print_fail",
];

/// Every check id the knowledge base may name: the checks of the channels that exist, plus
/// [`PLANNED_CHECK_IDS`].
pub fn known_check_ids() -> BTreeSet<String> {
    crate::checks::terminal_specs()
        .into_iter()
        .chain(crate::checks::printer_specs())
        .chain(std::iter::once(crate::checks::TERMINAL_PRINTER))
        .map(|s| s.id.to_owned())
        .chain(PLANNED_CHECK_IDS.iter().map(|s| (*s).to_owned()))
        .collect()
}

/// Every cause id some other part of posdiag can produce and the knowledge base must explain:
/// check result causes (checks/causes.rs), simulator faults, printer problems, and the
/// planned faults.
pub fn required_cause_ids() -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = crate::checks::causes::CAUSES
        .iter()
        .map(|(id, _)| (*id).to_owned())
        .collect();
    ids.extend(crate::sim::VOCABULARY.iter().map(|f| f.id.to_owned()));
    ids.extend(
        crate::proto::escpos::Problem::ALL
            .iter()
            .map(|p| p.cause_id().to_owned()),
    );
    ids.extend(PLANNED_FAULT_IDS.iter().map(|s| (*s).to_owned()));
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Area;

    #[test]
    fn planned_check_ids_name_a_known_area() {
        for id in PLANNED_CHECK_IDS {
            let (area, name) = id.split_once('.').expect(id);
            assert!(area.parse::<Area>().is_ok(), "{id}");
            assert!(!name.is_empty(), "{id}");
        }
    }

    #[test]
    fn terminal_checks_are_known() {
        let known = known_check_ids();
        for id in [
            "link.terminal",
            "power.supply",
            "reader.card_read",
            "keys.state",
        ] {
            assert!(known.contains(id), "{id}");
        }
    }
}
