//! Evaluates one matcher against the observations and says, in both languages, what matched.

use super::kb::Matcher;
use super::observe::{Observations, TransactionEvidence};
use crate::checks::CheckStatus;
use crate::i18n::Text;
use crate::proto::iso8583::codes::lookup as iso39_meaning;

/// "51 余额不足" / "51 insufficient funds".
pub fn iso39_text(code: &str) -> Text {
    let m = iso39_meaning(code).meaning;
    Text::new(format!("{code} {}", m.zh), format!("{code} {}", m.en))
}

/// One line describing a transaction: verdict, response code, reversal reason.
pub fn transaction_text(t: &TransactionEvidence) -> Text {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if let Some(v) = t.verdict {
        zh.push(format!("结论 {}", v.word().zh));
        en.push(format!("verdict {}", v.code()));
    }
    if let Some(code) = &t.response_code {
        let m = iso39_text(code);
        zh.push(format!("应答码 {}", m.zh));
        en.push(format!("response code {}", m.en));
    }
    if let Some(code) = &t.reversal_reason {
        zh.push(format!("冲正原因 {code}"));
        en.push(format!("reversal reason {code}"));
    }
    if let Some(code) = &t.terminal_result {
        let m = code.result_text();
        let p = code.protocol.name();
        zh.push(format!("{p} 结果码 {}", m.zh));
        en.push(format!("{p} result {}", m.en));
    }
    if zh.is_empty() {
        return Text::fixed("交易（无详情）", "transaction (no details)");
    }
    Text::new(
        format!("交易：{}", zh.join("，")),
        format!("transaction: {}", en.join(", ")),
    )
}

fn status_words(statuses: &[CheckStatus], s: CheckStatus) -> bool {
    statuses.contains(&s)
}

fn code_in(list: &[String], code: Option<&String>) -> bool {
    list.is_empty() || code.is_some_and(|c| list.iter().any(|l| l.eq_ignore_ascii_case(c.trim())))
}

/// What in `obs` satisfies `m`, or `None`.
pub fn evaluate(m: &Matcher, obs: &Observations) -> Option<Text> {
    match m {
        Matcher::Check { check, statuses } => {
            let r = obs.check(check)?;
            status_words(statuses, r.status).then(|| {
                let w = r.status.word();
                Text::new(
                    format!("检查 {check} 结果：{}（{}）", w.zh, r.summary.zh),
                    format!("check {check}: {} ({})", w.en, r.summary.en),
                )
            })
        }
        Matcher::NamedCause { cause, statuses } => {
            let r = obs.checks().iter().find(|r| {
                status_words(statuses, r.status) && r.causes.iter().any(|c| c == cause)
            })?;
            let w = r.status.word();
            Some(Text::new(
                format!("检查 {} 结果为{}，指出原因 {cause}", r.id, w.zh),
                format!("check {} is {} and names cause {cause}", r.id, w.en),
            ))
        }
        Matcher::Transaction {
            verdicts,
            iso39,
            terminal_result,
            reversal,
        } => {
            let txn_only = !verdicts.is_empty() || !reversal.is_empty();
            let hit = obs.transactions.iter().find(|t| {
                (verdicts.is_empty() || t.verdict.is_some_and(|v| verdicts.contains(&v)))
                    && code_in(iso39, t.response_code.as_ref())
                    && code_in(reversal, t.reversal_reason.as_ref())
                    && (terminal_result.is_empty()
                        || t.terminal_result
                            .as_ref()
                            .is_some_and(|c| terminal_result.contains(c)))
            });
            if let Some(t) = hit {
                return Some(transaction_text(t));
            }
            if txn_only {
                return None;
            }
            if let Some(code) = iso39.iter().find(|c| obs.iso39.contains(c.as_str())) {
                let m = iso39_text(code);
                return Some(Text::new(
                    format!("主机应答码 {}", m.zh),
                    format!("host response code {}", m.en),
                ));
            }
            let code = terminal_result
                .iter()
                .find(|c| obs.terminal_results.contains(c))?;
            let m = code.result_text();
            let p = code.protocol.name();
            Some(Text::new(
                format!("终端返回 {p} 结果码 {}", m.zh),
                format!("the terminal returned {p} result {}", m.en),
            ))
        }
        Matcher::TerminalStatus(codes) => {
            let s = obs.terminal_status.as_ref().filter(|s| codes.contains(s))?;
            let m = s.status_text();
            Some(Text::new(
                format!("终端状态 {}", m.zh),
                format!("terminal status {}", m.en),
            ))
        }
        Matcher::Escpos(flags) => {
            let seen = obs.escpos_flags();
            let hits: Vec<&str> = flags
                .iter()
                .map(String::as_str)
                .filter(|f| seen.contains(f))
                .collect();
            (!hits.is_empty()).then(|| {
                let list = hits.join(", ");
                Text::new(
                    format!("打印机状态位：{list}"),
                    format!("printer status bits: {list}"),
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{Area, CheckResult};
    use crate::drivers::terminal::codes::TerminalCode;
    use crate::drivers::terminal::protocol::TerminalProtocol;
    use crate::guide::observe::Verdict;

    #[test]
    fn named_cause_needs_the_status() {
        let mut obs = Observations::new();
        obs.add_check(
            &CheckResult::new(
                "printer.status",
                Area::Printer,
                CheckStatus::Warn,
                Text::same("s"),
            )
            .with_cause(crate::cause!("printer.paper_near_end")),
        );
        let warn = Matcher::NamedCause {
            cause: "printer.paper_near_end".into(),
            statuses: vec![CheckStatus::Warn],
        };
        let fail = Matcher::NamedCause {
            cause: "printer.paper_near_end".into(),
            statuses: vec![CheckStatus::Fail],
        };
        assert!(evaluate(&warn, &obs).is_some());
        assert!(evaluate(&fail, &obs).is_none());
    }

    #[test]
    fn transaction_parts_must_all_hold() {
        let mut obs = Observations::new();
        obs.add_transaction(TransactionEvidence {
            verdict: Some(Verdict::ApprovedThenReversed),
            response_code: Some("00".into()),
            reversal_reason: Some("96".into()),
            ..Default::default()
        });
        let printer = Matcher::Transaction {
            verdicts: vec![Verdict::ApprovedThenReversed],
            iso39: vec![],
            terminal_result: vec![],
            reversal: vec!["96".into()],
        };
        let mac = Matcher::Transaction {
            verdicts: vec![Verdict::ApprovedThenReversed],
            iso39: vec![],
            terminal_result: vec![],
            reversal: vec!["A0".into()],
        };
        let reason = evaluate(&printer, &obs).expect("matches");
        assert!(reason.en.contains("reversal reason 96"), "{}", reason.en);
        assert!(evaluate(&mac, &obs).is_none());
    }

    #[test]
    fn a_code_alone_also_matches_codes_seen_on_the_wire() {
        let mut obs = Observations::new();
        let code = TerminalCode::new(TerminalProtocol::Zvt, "64");
        obs.terminal_results.insert(code.clone());
        let m = Matcher::Transaction {
            verdicts: vec![],
            iso39: vec![],
            terminal_result: vec![code],
            reversal: vec![],
        };
        assert!(evaluate(&m, &obs).expect("match").en.contains("64"));
    }
}
