//! Chinese output is Chinese (issue 12): `check`, `txn`, `guide` and `decode` in zh print no
//! English word outside identifiers (check and cause ids, `posdiag` and its subcommands),
//! hex, units, protocol acronyms and brand names. The glossary is docs/glossary.md.

use std::path::Path;

use crate::support::posdiag;

/// Words that may stand in Chinese text: units, values that are names, brands.
const ALLOWED: &[&str] = &[
    "ms",
    "us",
    "s",
    // Duration units as src/durations.rs writes them in both languages ("5 min 00 s").
    "min",
    "demo",
    "localhost",
    "tcp",
    "serial",
    "posdiag",
    "UnionPay",
    "Citizen",
    "Epson",
    "Windows",
    "Wi",
    "Fi",
    "asb",
];

/// All-caps English words that are not acronyms: the verdict and status words.
const NOT_ACRONYMS: &[&str] = &[
    "APPROVED",
    "DECLINED",
    "REVERSED",
    "UNKNOWN",
    "PENDING",
    "TIMEOUT",
    "PASS",
    "FAIL",
    "WARN",
    "SKIP",
    "ERROR",
    "CONFIRMED",
    "LIKELY",
    "RULED",
    "OUT",
    "FIXED",
    "NO",
    "YES",
    "RUNNING",
];

/// The English words in `text`: runs of two or more ASCII letters in tokens that are not
/// identifiers (no digits, dots, slashes, colons, underscores …), outside quoted text (what a
/// device printed or displayed), besides allowed words and acronyms.
fn english_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        // The program's own name and subcommand ("posdiag check") are identifiers.
        let line = line
            .replace("posdiag check", "")
            .replace("posdiag guide", "");
        let mut unquoted = String::new();
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' | '“' | '”' => quoted = !quoted,
                _ if !quoted => unquoted.push(c),
                _ => {}
            }
        }
        let separators = |c: char| c.is_whitespace() || "（）(),，;；：、。[]<>".contains(c);
        for token in unquoted.split(separators) {
            if token
                .chars()
                .any(|c| c.is_ascii_digit() || "./:_=\\@*#~+-|'".contains(c))
            {
                continue;
            }
            let mut word = String::new();
            for c in token.chars().chain(std::iter::once(' ')) {
                if c.is_ascii_alphabetic() {
                    word.push(c);
                    continue;
                }
                let w = std::mem::take(&mut word);
                let acronym = w.chars().all(|c| c.is_ascii_uppercase())
                    && !NOT_ACRONYMS.contains(&w.as_str());
                if w.len() >= 2 && !acronym && !ALLOWED.contains(&w.as_str()) {
                    out.push(w);
                }
            }
        }
    }
    out
}

fn zh_output(args: &[&str], log: &Path) -> String {
    let out = posdiag()
        .args(args)
        .args(["--lang", "zh", "--log-file"])
        .arg(log)
        .output()
        .expect("posdiag runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_filter_finds_english_and_spares_identifiers() {
    let found = english_words(
        "APPROVED  交易成功 1.00 CNY\n04 FF Intermediate Status-Information: 04 waiting\n\
         通过 host.sign_on 签到成功：00（1ms 700us） \"DECLINED - NO MONEY\" ZVT PAN",
    );
    assert_eq!(found, vec!["APPROVED", "Intermediate", "waiting"]);
}

#[test]
fn chinese_output_has_no_english_words() {
    let dir = tempfile::tempdir().expect("tmp");
    let log = dir.path().join("log.txt");
    let pay = dir.path().join("pay.jsonl");
    let pay_declined = dir.path().join("declined.jsonl");
    let checks = dir.path().join("checks.jsonl");
    let runs: Vec<(String, Vec<String>)> = [
        vec!["check", "--demo"],
        vec!["check", "--demo", "--fault", "host.decline=97"],
        vec!["check", "--demo", "--fault", "printer.paper_out"],
        vec!["check", "--demo", "--fault", "terminal.needs_init"],
        vec!["check", "--demo", "--fault", "link.silent"],
        vec!["check", "--demo", "--fault", "host.mac_error"],
        vec!["txn", "pay", "--demo", "--amount", "1", "--yes"],
        vec![
            "txn",
            "pay",
            "--demo",
            "--amount",
            "1",
            "--yes",
            "--fault",
            "host.decline=51",
        ],
        vec!["decode", "zvt", "04 FF 01 04"],
        vec!["decode", "zvt", "06 1E 01 33"],
        vec!["decode", "escpos", "10 04 04 7e"],
    ]
    .into_iter()
    .map(|a| (a.join(" "), a.into_iter().map(str::to_owned).collect()))
    .collect();
    let mut failures = Vec::new();
    let mut check = |what: &str, text: &str| {
        // An empty or English-only output must not pass for Chinese.
        if !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
            failures.push(format!("{what}: no Chinese at all\n{text}"));
        }
        let words = english_words(text);
        if !words.is_empty() {
            failures.push(format!("{what}: {words:?}\n{text}"));
        }
    };
    for (what, args) in &runs {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        check(what, &zh_output(&refs, &log));
    }
    // The guide, from captures of a check run and of payments.
    for (capture, args) in [
        (
            &checks,
            vec!["check", "--demo", "--fault", "printer.paper_out"],
        ),
        (&pay, vec!["txn", "pay", "--demo", "--amount", "1", "--yes"]),
        (
            &pay_declined,
            vec![
                "txn",
                "pay",
                "--demo",
                "--amount",
                "1",
                "--yes",
                "--fault",
                "host.decline=51",
            ],
        ),
    ] {
        posdiag()
            .args(&args)
            .arg("--capture")
            .arg(capture)
            .arg("--log-file")
            .arg(&log)
            .output()
            .expect("runs");
        for symptom in ["payment_failed", "cannot_print"] {
            let out = posdiag()
                .args(["guide", "--lang", "zh", "--symptom", symptom, "--from"])
                .arg(capture)
                .output()
                .expect("guide");
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            check(&format!("guide {symptom} from {}", args.join(" ")), &text);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
