//! One judgement (issue 12): for every simulator fault and every symptom, the Guide tab (a
//! replay of the capture, folded by the same `AppState::apply` as a live session), `posdiag
//! guide --from CAPTURE --symptom S` and the report's summary rank the same causes in the same
//! order with the same states.

use std::path::{Path, PathBuf};

use posdiag::capture::read_capture;
use posdiag::guide::{self, CauseState, Walkthrough};
use posdiag::i18n::{Lang, Text};
use posdiag::tui::{AppState, ReplayRecord, ReplaySource, UiConfig, UiMode};

use crate::support::{par, posdiag};

fn kb() -> &'static guide::Kb {
    guide::builtin().expect("knowledge base")
}

/// The Guide tab's state after replaying `capture`.
fn tui_state(capture: &Path) -> AppState {
    let contents = read_capture(capture).expect("capture");
    let records: Vec<ReplayRecord> = contents
        .records
        .iter()
        .filter_map(|r| {
            r.to_event().map(|event| ReplayRecord {
                time: r.time(),
                event,
            })
        })
        .collect();
    let config = UiConfig::new(Lang::En, UiMode::Replay, Text::same("agreement"));
    AppState::replay(config, Vec::new(), records, ReplaySource::default())
}

/// What the Guide tab lists for `symptom` (None: "the evidence alone").
fn tui_order(state: &AppState, symptom: Option<&str>) -> Vec<(String, CauseState)> {
    Walkthrough::new(symptom)
        .ranking(kb(), state.evidence())
        .order()
}

fn state_of(code: &str) -> CauseState {
    match code {
        "confirmed" => CauseState::Confirmed,
        "likely" => CauseState::Likely,
        "unknown" => CauseState::Unknown,
        "ruled_out" => CauseState::RuledOut,
        other => panic!("unknown state {other}"),
    }
}

/// What `posdiag guide --from capture [--symptom s] --format json` lists.
fn cli_order(capture: &Path, symptom: Option<&str>) -> Vec<(String, CauseState)> {
    let mut cmd = posdiag();
    cmd.args(["guide", "--format", "json", "--from"])
        .arg(capture);
    if let Some(s) = symptom {
        cmd.args(["--symptom", s]);
    }
    let out = cmd.assert().success().get_output().stdout.clone();
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    json["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().expect("id").to_owned(),
                state_of(c["state"].as_str().expect("state")),
            )
        })
        .collect()
}

fn run(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let capture = dir.join(format!("{name}.jsonl"));
    posdiag()
        .args(args)
        .arg("--capture")
        .arg(&capture)
        .arg("--log-file")
        .arg(dir.join("log.txt"))
        .output()
        .expect("posdiag runs");
    capture
}

fn fault_arg(id: &str, hint: Option<&str>) -> String {
    match (id, hint) {
        (_, None) => id.to_owned(),
        ("host.decline", _) => "host.decline=51".to_owned(),
        ("network.slow", _) => "network.slow=2s".to_owned(),
        (_, Some(_)) => format!("{id}=3h"),
    }
}

/// Faults that show in a payment too.
fn pays(id: &str) -> bool {
    id.starts_with("host.") || id.starts_with("txn.") || id.starts_with("network.")
}

#[test]
fn the_guide_tab_the_guide_command_and_the_report_agree() {
    let dir = tempfile::tempdir().expect("tmp");
    // (what, capture name, posdiag arguments) of every visit to record.
    let mut visits: Vec<(String, String, Vec<String>)> = Vec::new();
    let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    for fault in posdiag::sim::VOCABULARY {
        let id = fault.id.as_str();
        let arg = fault_arg(id, fault.value);
        let safe = id.replace('.', "_");
        visits.push((
            arg.clone(),
            format!("{safe}-check"),
            own(&["check", "--demo", "--fault", &arg]),
        ));
        if pays(id) {
            visits.push((
                format!("{arg} + payment"),
                format!("{safe}-pay"),
                own(&[
                    "txn", "pay", "--demo", "--fault", &arg, "--amount", "12.34", "--yes",
                ]),
            ));
        }
    }
    // 51 (insufficient funds) touches payments only; 96 fails the host checks as well.
    visits.push((
        "host.decline=96".to_owned(),
        "host_decline_96-check".to_owned(),
        own(&["check", "--demo", "--fault", "host.decline=96"]),
    ));
    let captures = par::par_map(&visits, |(what, name, args)| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        (what.clone(), run(dir.path(), name, &args))
    });
    let symptoms: Vec<Option<&str>> = std::iter::once(None)
        .chain(kb().symptoms.iter().map(|s| Some(s.id.as_str())))
        .collect();
    let disagreements: Vec<String> = par::par_map(&captures, |(what, capture)| {
        let mut found = Vec::new();
        let state = tui_state(capture);
        for symptom in &symptoms {
            let tui = tui_order(&state, *symptom);
            let cli = cli_order(capture, *symptom);
            if tui != cli {
                found.push(format!(
                    "{what}, symptom {symptom:?}:\n  Guide tab: {tui:?}\n  guide:     {cli:?}"
                ));
            }
        }
        let report = posdiag::report::summary_causes(capture);
        let tui: Vec<(CauseState, String)> = tui_order(&state, None)
            .into_iter()
            .filter(|(_, s)| matches!(s, CauseState::Confirmed | CauseState::Likely))
            .take(8)
            .map(|(id, s)| (s, id))
            .collect();
        if report != tui {
            found.push(format!(
                "{what}, report summary:\n  Guide tab: {tui:?}\n  report:    {report:?}"
            ));
        }
        found
    })
    .into_iter()
    .flatten()
    .collect();
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn a_declined_51_payment_puts_insufficient_funds_first_everywhere() {
    let dir = tempfile::tempdir().expect("tmp");
    let capture = run(
        dir.path(),
        "declined-51",
        &[
            "txn",
            "pay",
            "--demo",
            "--fault",
            "host.decline=51",
            "--amount",
            "1",
            "--yes",
        ],
    );
    let first = ("card.insufficient_funds".to_owned(), CauseState::Confirmed);
    let state = tui_state(&capture);
    for symptom in [None, Some("payment_failed")] {
        assert_eq!(
            tui_order(&state, symptom).first(),
            Some(&first),
            "{symptom:?}"
        );
        assert_eq!(
            cli_order(&capture, symptom).first(),
            Some(&first),
            "{symptom:?}"
        );
    }
    assert_eq!(
        posdiag::report::summary_causes(&capture).first(),
        Some(&(CauseState::Confirmed, "card.insufficient_funds".to_owned()))
    );
}

#[test]
fn a_dead_reader_is_not_first_when_the_host_cannot_be_reached() {
    let dir = tempfile::tempdir().expect("tmp");
    let capture = run(
        dir.path(),
        "reader",
        &["check", "--demo", "--fault", "reader.not_answering"],
    );
    let order = cli_order(&capture, Some("cannot_reach_host"));
    assert!(
        order
            .first()
            .is_some_and(|(id, _)| !id.starts_with("reader.")),
        "{order:?}"
    );
    assert!(order.iter().any(|(id, _)| id == "reader.not_answering"));
}

#[test]
fn host_decline_codes_apply_where_they_mean_something() {
    let dir = tempfile::tempdir().expect("tmp");
    // 51 is about the card: sign-on and echo still pass.
    posdiag()
        .args([
            "check",
            "--demo",
            "--only",
            "host",
            "--fault",
            "host.decline=51",
        ])
        .arg("--log-file")
        .arg(dir.path().join("log.txt"))
        .assert()
        .success();
    // 97 (terminal not registered) fails the sign-on too, naming the specific cause.
    let out = posdiag()
        .args([
            "check",
            "--demo",
            "--only",
            "host",
            "--fault",
            "host.decline=97",
        ])
        .args(["--format", "json", "--log-file"])
        .arg(dir.path().join("log.txt"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let sign_on = json["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|r| r["id"] == "host.sign_on")
        .expect("sign-on ran")
        .clone();
    assert_eq!(sign_on["status"], "fail", "{sign_on}");
    let causes = sign_on["causes"].to_string();
    assert!(causes.contains("host.terminal_not_registered"), "{causes}");
}
