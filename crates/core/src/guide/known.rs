//! The ids the knowledge base may name: every check id posdiag has, and the cause ids checks
//! and simulator faults produce, plus fault ids of features still being built (transactions),
//! so the knowledge base can describe them before they land.

use std::collections::BTreeSet;

/// Simulator fault ids being added by the printer, network, host and transaction work
/// (docs/cli-contract.md, "Simulated faults are cause ids"). Each must be a knowledge-base entry already.
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

/// Every check id the knowledge base may name: every check of every channel.
pub fn known_check_ids() -> BTreeSet<String> {
    crate::checks::all_specs()
        .into_iter()
        .map(|s| s.id.to_owned())
        .collect()
}

/// Cause ids other parts of posdiag produce, which the knowledge base must explain: those the
/// code names (`cause!`, collected when the crate is built), simulator faults and the planned
/// faults.
pub fn required_cause_ids() -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = crate::catalogue::VOCABULARY
        .iter()
        .map(|f| f.id.to_string())
        .collect();
    ids.extend(
        crate::catalogue::causes::NAMED_IN_CODE
            .iter()
            .map(|s| (*s).to_owned()),
    );
    ids.extend(PLANNED_FAULT_IDS.iter().map(|s| (*s).to_owned()));
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

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
