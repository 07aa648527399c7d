//! The JSON rendering of `posdiag guide` (docs/cli-contract.md: `causes[]` best first, each
//! with `id`, `state`, `reasons`, `fix`; plus the captures read and the next step).

use serde::Serialize;

use super::guide::GuideReport;
use crate::guide::{Answers, Bearing, Step};
use crate::i18n::{Lang, Text};

pub(super) fn render_json(report: &GuideReport<'_>, lang: Lang) -> String {
    let text = |t: &Text| JsonText {
        zh: t.zh.to_string(),
        en: t.en.to_string(),
    };
    let causes = report
        .ranking
        .causes
        .iter()
        .map(|c| JsonCause {
            id: &c.cause.id,
            state: c.state.code(),
            also_found: c.also_found,
            category: c.cause.category.code(),
            title: c.cause.title.get(lang).to_owned(),
            title_i18n: text(&c.cause.title),
            reasons: c
                .reasons
                .iter()
                .map(|r| r.text.get(lang).to_owned())
                .collect(),
            reasons_i18n: c
                .reasons
                .iter()
                .map(|r| JsonReason {
                    bearing: r.bearing,
                    zh: r.text.zh.to_string(),
                    en: r.text.en.to_string(),
                })
                .collect(),
            fix: c.cause.fix.iter().map(|f| f.get(lang).to_owned()).collect(),
            verify: &c.cause.verify,
            escalate: c.cause.escalate.get(lang).to_owned(),
            handover: report.handover(c, lang),
            questions: c
                .cause
                .questions
                .iter()
                .filter(|u| !report.answers.contains_key(&u.ask))
                .map(|u| u.ask.as_str())
                .collect(),
        })
        .collect();
    let next = match &report.next {
        Step::Ask { question, about } => JsonNext {
            step: "ask",
            cause: Some(&about.id),
            question: Some(JsonQuestion {
                id: &question.id,
                text: question.text.get(lang).to_owned(),
                answers: question
                    .answers
                    .iter()
                    .map(|a| JsonAnswer {
                        id: &a.id,
                        text: a.text.get(lang).to_owned(),
                    })
                    .collect(),
            }),
        },
        Step::Fix { cause } => JsonNext {
            step: "fix",
            cause: Some(&cause.id),
            question: None,
        },
        Step::Done { cause } => JsonNext {
            step: "done",
            cause: Some(&cause.id),
            question: None,
        },
        Step::Escalate { cause } => JsonNext {
            step: "escalate",
            cause: cause.map(|c| c.id.as_str()),
            question: None,
        },
    };
    let report = JsonGuide {
        symptom: report.ranking.symptom.map(|s| JsonSymptom {
            id: &s.id,
            title: s.title.get(lang).to_owned(),
        }),
        captures: report
            .sources
            .iter()
            .map(|s| JsonCapture {
                path: s.path.display().to_string(),
                records: s.records,
                checks: s.checks,
                transactions: s.transactions,
                damaged: s.damage.is_some(),
                damage: s.damage.as_ref().map(|(line, reason)| JsonDamage {
                    line: *line,
                    reason,
                }),
            })
            .collect(),
        answers: &report.answers,
        causes,
        next,
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

#[derive(Serialize)]
struct JsonGuide<'a> {
    symptom: Option<JsonSymptom<'a>>,
    captures: Vec<JsonCapture<'a>>,
    answers: &'a Answers,
    causes: Vec<JsonCause<'a>>,
    next: JsonNext<'a>,
}

#[derive(Serialize)]
struct JsonSymptom<'a> {
    id: &'a str,
    title: String,
}

#[derive(Serialize)]
struct JsonCapture<'a> {
    path: String,
    records: usize,
    checks: usize,
    transactions: usize,
    damaged: bool,
    damage: Option<JsonDamage<'a>>,
}

#[derive(Serialize)]
struct JsonDamage<'a> {
    line: usize,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonText {
    zh: String,
    en: String,
}

#[derive(Serialize)]
struct JsonReason {
    bearing: Bearing,
    zh: String,
    en: String,
}

#[derive(Serialize)]
struct JsonCause<'a> {
    id: &'a str,
    state: &'static str,
    /// Found in the evidence but not a cause of the chosen symptom: listed after its candidates.
    also_found: bool,
    category: &'static str,
    title: String,
    title_i18n: JsonText,
    reasons: Vec<String>,
    reasons_i18n: Vec<JsonReason>,
    fix: Vec<String>,
    verify: &'a [String],
    escalate: String,
    handover: Vec<String>,
    /// Questions of this cause not answered yet.
    questions: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonNext<'a> {
    step: &'static str,
    cause: Option<&'a str>,
    question: Option<JsonQuestion<'a>>,
}

#[derive(Serialize)]
struct JsonQuestion<'a> {
    id: &'a str,
    text: String,
    answers: Vec<JsonAnswer<'a>>,
}

#[derive(Serialize)]
struct JsonAnswer<'a> {
    id: &'a str,
    text: String,
}
