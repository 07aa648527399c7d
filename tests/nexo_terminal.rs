//! nexo as a terminal of the protocol-neutral layer, end to end through the binary on the
//! built-in nexo demo (a simulated Adyen terminal over HTTPS, encrypted): the checks pass on a
//! healthy terminal and each fault of the printer, reader, host and security areas fails (or
//! warns in) the check of its area naming the fault's cause id; a payment is approved, and
//! decline, host timeout and approved-then-reversed read exactly as the ZVT demo reads them.

use assert_cmd::Command;
use serde_json::Value;

fn posdiag() -> Command {
    let mut c = crate::support::posdiag();
    c.env_remove("POSDIAG_NEXO_PASSPHRASE")
        .args(["--lang", "en"]);
    c
}

/// Runs `posdiag ARGS --format json` in a scratch directory for the capture; exit code and
/// the JSON it printed.
fn run_json(args: &[&str]) -> (i32, Value) {
    let dir = tempfile::tempdir().expect("tmp");
    let out = posdiag()
        .arg("--capture")
        .arg(dir.path().join("c.jsonl"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let code = out.status.code().expect("exit code");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

fn check(faults: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["check", "--demo", "--terminal", "nexo"];
    for f in faults {
        args.extend(["--fault", f]);
    }
    let (code, json) = run_json(&args);
    let checks = json["checks"].as_array().expect("checks").clone();
    (code, checks)
}

fn by_id<'a>(checks: &'a [Value], id: &str) -> &'a Value {
    checks
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:#?}"))
}

fn causes(c: &Value) -> Vec<String> {
    c["causes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_healthy_nexo_terminal_passes_every_check_it_can_answer() {
    let (code, checks) = check(&[]);
    assert_eq!(code, 0, "{checks:#?}");
    for id in [
        "link.terminal",
        "terminal.status",
        "reader.status",
        "keys.state",
        "printer.terminal",
        "host.terminal_diagnosis",
    ] {
        let c = by_id(&checks, id);
        assert_eq!(c["status"], "pass", "{c:#?}");
        assert!(causes(c).is_empty(), "{c:#?}");
    }
    // What nexo's diagnosis does not report is skipped, never passed.
    for id in [
        "power.supply",
        "power.battery",
        "clock.drift",
        "reader.card_read",
    ] {
        assert_eq!(by_id(&checks, id)["status"], "skip", "{id}");
    }
    for c in &checks {
        assert!(c["status"] == "pass" || c["status"] == "skip", "{c:#?}");
    }
}

#[test]
fn each_fault_fails_the_check_of_its_area_naming_its_cause() {
    // (fault, check, status, cause, exit code)
    let cases = [
        (
            "printer.paper_out",
            "printer.terminal",
            "fail",
            "printer.paper_out",
            1,
        ),
        (
            "printer.paper_jam",
            "printer.terminal",
            "fail",
            "printer.paper_jam",
            1,
        ),
        (
            "printer.paper_near_end",
            "printer.terminal",
            "warn",
            "printer.paper_near_end",
            0,
        ),
        (
            "terminal.printer_not_ready",
            "printer.terminal",
            "fail",
            "terminal.printer_not_ready",
            1,
        ),
        (
            "reader.not_answering",
            "reader.status",
            "fail",
            "reader.not_answering",
            1,
        ),
        (
            "network.down",
            "host.terminal_diagnosis",
            "fail",
            "network.down",
            1,
        ),
        (
            "host.timeout",
            "host.terminal_diagnosis",
            "fail",
            "host.timeout",
            1,
        ),
        ("keys.missing", "keys.state", "fail", "keys.missing", 1),
        (
            "terminal.busy",
            "terminal.status",
            "warn",
            "terminal.busy",
            0,
        ),
    ];
    for (fault, id, status, cause, exit) in cases {
        let (code, checks) = check(&[fault]);
        let c = by_id(&checks, id);
        assert_eq!(c["status"], status, "{fault}: {c:#?}");
        assert!(causes(c).iter().any(|x| x == cause), "{fault}: {c:#?}");
        assert_eq!(code, exit, "{fault}: exit code");
        // The other areas stay healthy: the fault is named where it is, nowhere else.
        for other in ["keys.state", "printer.terminal", "reader.status"] {
            if other != id && fault != "reader.not_answering" {
                assert_eq!(by_id(&checks, other)["status"], "pass", "{fault}: {other}");
            }
        }
    }
}

/// `posdiag txn pay --amount 12.34` on the demo of `terminal` with `fault`: exit code and the
/// transaction.
fn pay(terminal: &str, fault: Option<&str>) -> (i32, Value) {
    let mut args = vec![
        "txn",
        "pay",
        "--demo",
        "--terminal",
        terminal,
        "--amount",
        "12.34",
        "--yes",
    ];
    if let Some(f) = fault {
        args.extend(["--fault", f]);
    }
    let (code, json) = run_json(&args);
    (code, json["transaction"].clone())
}

#[test]
fn a_nexo_payment_is_approved() {
    let (code, t) = pay("nexo", None);
    assert_eq!(code, 0, "{t:#?}");
    assert_eq!(t["verdict"], "APPROVED");
    assert_eq!(t["amount_minor"], 1234);
    // The terminal's own transaction id, and the answer it came with.
    assert_eq!(t["receipt_no"], "SIM000001");
    assert!(t.to_string().contains("PaymentResponse Success"), "{t:#}");
    // The card as the terminal reports it: BIN and last four only.
    assert_eq!(t["card"], "620000******0005");
}

#[test]
fn decline_timeout_and_approved_then_reversed_read_as_on_zvt() {
    for fault in ["host.decline=51", "host.timeout", "txn.receipt_print_fail"] {
        let (zvt_code, zvt) = pay("zvt", Some(fault));
        let (nexo_code, nexo) = pay("nexo", Some(fault));
        assert_eq!(nexo_code, zvt_code, "{fault}: exit code");
        for field in [
            "verdict",
            "causes",
            "reversal_reason",
            "reversal_result",
            "kind",
        ] {
            assert_eq!(
                nexo[field], zvt[field],
                "{fault}: {field}\nnexo {nexo:#?}\nzvt {zvt:#?}"
            );
        }
        assert_eq!(nexo["banner"], zvt["banner"], "{fault}: banner");
        assert_ne!(nexo["verdict"], "APPROVED", "{fault}");
    }
}

/// A payment the terminal refuses before any card (its reader is down) fails without a
/// "card read" step; one the host declines read a card.
#[test]
fn a_refusal_before_the_card_reads_no_card() {
    let steps = |t: &Value| -> Vec<String> {
        t["timeline"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s["step"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (code, t) = pay("nexo", Some("reader.not_answering"));
    assert_eq!(code, 1, "{t:#}");
    assert!(!steps(&t).contains(&"card_read".to_owned()), "{t:#}");
    let (_, t) = pay("nexo", Some("host.decline=05"));
    assert!(steps(&t).contains(&"card_read".to_owned()), "{t:#}");
}
