//! Parses the knowledge-base files (compiled in from `kb/`) into [`Kb`], then validates it.
//!
//! Every problem is collected, not just the first, so one run of the tests lists all the
//! entries to fix.

use serde::Deserialize;

use super::kb::{
    Answer, Category, Cause, HandoverItem, Kb, Matcher, NexoCondition, Question, QuestionUse,
    Symptom,
};
use super::observe::Verdict;
use super::validate::validate;
use crate::checks::CheckStatus;
use crate::drivers::terminal::codes::TerminalCode;
use crate::drivers::terminal::protocol::TerminalProtocol;
use crate::i18n::Text;

/// The built-in knowledge base: (file name, contents).
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("device.toml", include_str!("../../../../kb/device.toml")),
    (
        "software.toml",
        include_str!("../../../../kb/software.toml"),
    ),
    ("network.toml", include_str!("../../../../kb/network.toml")),
    ("host.toml", include_str!("../../../../kb/host.toml")),
    ("card.toml", include_str!("../../../../kb/card.toml")),
    (
        "operator.toml",
        include_str!("../../../../kb/operator.toml"),
    ),
    ("limits.toml", include_str!("../../../../kb/limits.toml")),
    (
        "security.toml",
        include_str!("../../../../kb/security.toml"),
    ),
    (
        "duplicate.toml",
        include_str!("../../../../kb/duplicate.toml"),
    ),
    ("funds.toml", include_str!("../../../../kb/funds.toml")),
    (
        "questions.toml",
        include_str!("../../../../kb/questions.toml"),
    ),
    (
        "symptoms.toml",
        include_str!("../../../../kb/symptoms.toml"),
    ),
    (
        "handover.toml",
        include_str!("../../../../kb/handover.toml"),
    ),
    ("nexo.toml", include_str!("../../../../kb/nexo.toml")),
];

/// One thing wrong with the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbProblem {
    pub file: String,
    /// The entry (cause, question or symptom id) when the problem is inside one.
    pub entry: Option<String>,
    pub message: String,
}

impl std::fmt::Display for KbProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.entry {
            Some(e) => write!(f, "kb/{} [{e}]: {}", self.file, self.message),
            None => write!(f, "kb/{}: {}", self.file, self.message),
        }
    }
}

/// Why the knowledge base could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the troubleshooting knowledge base has {} problem(s):\n{}", .0.len(), list(.0))]
pub struct KbError(pub Vec<KbProblem>);

fn list(problems: &[KbProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CauseFile {
    category: Category,
    #[serde(default)]
    cause: Vec<RawCause>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCause {
    id: String,
    title: Text,
    #[serde(default)]
    symptoms: Vec<Text>,
    #[serde(default)]
    confirm: Vec<RawMatcher>,
    #[serde(default)]
    likely: Vec<RawMatcher>,
    #[serde(default)]
    rule_out: Vec<RawMatcher>,
    #[serde(default)]
    questions: Vec<QuestionUse>,
    fix: Vec<Text>,
    #[serde(default)]
    verify: Vec<String>,
    escalate: Text,
    #[serde(default)]
    handover: Vec<String>,
    #[serde(default)]
    consequence_of: Vec<String>,
    #[serde(default)]
    generic: bool,
    #[serde(default)]
    sources: Vec<String>,
}

/// A matcher as written: any combination of keys, checked by [`RawMatcher::build`].
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMatcher {
    check: Option<String>,
    cause: Option<String>,
    status: Option<Vec<CheckStatus>>,
    verdict: Option<Vec<Verdict>>,
    iso39: Option<Vec<String>>,
    zvt_result: Option<Vec<String>>,
    zvt_status: Option<Vec<String>>,
    reversal: Option<Vec<String>>,
    escpos: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    question: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    text: Text,
    hint: Option<Text>,
    /// Omitted: yes / no / not sure.
    answers: Option<Vec<RawAnswer>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    id: String,
    text: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SymptomFile {
    symptom: Vec<RawSymptom>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSymptom {
    id: String,
    title: Text,
    description: Text,
    #[serde(default)]
    aliases: Vec<String>,
    candidates: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NexoFile {
    condition: Vec<NexoCondition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HandoverFile {
    item: Vec<RawHandover>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHandover {
    id: String,
    text: Text,
}

/// What is wrong with a matcher's combination of keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum MatcherError {
    #[error("{key} '{code}' is not a two-digit hex byte")]
    NotHexByte { key: &'static str, code: String },
    #[error("a matcher needs exactly one subject: check, cause, verdict/iso39/zvt_result/reversal, zvt_status or escpos")]
    Subjects,
    #[error("'status' only goes with 'check' or 'cause'")]
    StrayStatus,
    #[error("a 'check' matcher needs 'status'")]
    CheckWithoutStatus,
    #[error("ISO 8583 response code '{0}' is not two letters or digits")]
    NotResponseCode(String),
}

impl RawMatcher {
    /// The typed matcher, or what is wrong with this combination of keys.
    fn build(self) -> Result<Matcher, MatcherError> {
        // `zvt_result` / `zvt_status` name ZVT codes: two hex digits each.
        let codes = |list: Option<Vec<String>>,
                     key: &'static str|
         -> Result<Vec<TerminalCode>, MatcherError> {
            list.unwrap_or_default()
                .iter()
                .map(|c| {
                    u8::from_str_radix(c.trim(), 16)
                        .ok()
                        .filter(|_| c.trim().len() == 2)
                        .map(|_| TerminalCode::new(TerminalProtocol::Zvt, c))
                        .ok_or_else(|| MatcherError::NotHexByte {
                            key,
                            code: c.clone(),
                        })
                })
                .collect()
        };
        let RawMatcher {
            check,
            cause,
            status,
            verdict,
            iso39,
            zvt_result,
            zvt_status,
            reversal,
            escpos,
        } = self;
        let txn_keys =
            verdict.is_some() || iso39.is_some() || zvt_result.is_some() || reversal.is_some();
        let subjects = [
            check.is_some(),
            cause.is_some(),
            txn_keys,
            zvt_status.is_some(),
            escpos.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if subjects != 1 {
            return Err(MatcherError::Subjects);
        }
        if status.is_some() && check.is_none() && cause.is_none() {
            return Err(MatcherError::StrayStatus);
        }
        if let Some(check) = check {
            let statuses = status.ok_or(MatcherError::CheckWithoutStatus)?;
            return Ok(Matcher::Check { check, statuses });
        }
        if let Some(cause) = cause {
            let statuses = status.unwrap_or_else(|| vec![CheckStatus::Fail, CheckStatus::Warn]);
            return Ok(Matcher::NamedCause { cause, statuses });
        }
        if let Some(list) = zvt_status {
            return codes(Some(list), "zvt_status").map(Matcher::TerminalStatus);
        }
        if let Some(flags) = escpos {
            return Ok(Matcher::Escpos(flags));
        }
        let iso39: Vec<String> = iso39
            .unwrap_or_default()
            .iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .collect();
        let reversal: Vec<String> = reversal
            .unwrap_or_default()
            .iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .collect();
        if let Some(bad) = iso39
            .iter()
            .chain(&reversal)
            .find(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(MatcherError::NotResponseCode(bad.clone()));
        }
        Ok(Matcher::Transaction {
            verdicts: verdict.unwrap_or_default(),
            iso39,
            terminal_result: codes(zvt_result, "zvt_result")?,
            reversal,
        })
    }
}

/// Parses and validates knowledge-base files given as (name, contents).
pub fn parse_kb(files: &[(&str, &str)]) -> Result<Kb, KbError> {
    let mut problems = Vec::new();
    let mut kb = Kb {
        causes: Vec::new(),
        questions: Vec::new(),
        symptoms: Vec::new(),
        handover: Vec::new(),
        nexo_conditions: Vec::new(),
    };
    let mut problem = |file: &str, entry: Option<&str>, message: String| {
        problems.push(KbProblem {
            file: file.to_owned(),
            entry: entry.map(str::to_owned),
            message,
        })
    };
    for (file, text) in files {
        let result = match *file {
            "questions.toml" => toml::from_str::<QuestionFile>(text).map(|f| {
                kb.questions.extend(f.question.into_iter().map(question));
            }),
            "symptoms.toml" => toml::from_str::<SymptomFile>(text).map(|f| {
                kb.symptoms.extend(f.symptom.into_iter().map(|s| Symptom {
                    id: s.id,
                    title: s.title,
                    description: s.description,
                    aliases: s.aliases,
                    candidates: s.candidates,
                }));
            }),
            "handover.toml" => toml::from_str::<HandoverFile>(text).map(|f| {
                kb.handover.extend(f.item.into_iter().map(|h| HandoverItem {
                    id: h.id,
                    text: h.text,
                }));
            }),
            "nexo.toml" => toml::from_str::<NexoFile>(text).map(|f| {
                kb.nexo_conditions.extend(f.condition);
            }),
            _ => toml::from_str::<CauseFile>(text).map(|f| {
                for raw in f.cause {
                    match cause(f.category, raw) {
                        Ok(c) => kb.causes.push(c),
                        Err((id, message)) => problem(file, Some(&id), message),
                    }
                }
            }),
        };
        if let Err(e) = result {
            problem(file, None, e.to_string());
        }
    }
    problems.extend(validate(&kb));
    if problems.is_empty() {
        Ok(kb)
    } else {
        Err(KbError(problems))
    }
}

fn question(q: RawQuestion) -> Question {
    let answers = match q.answers {
        Some(list) => list
            .into_iter()
            .map(|a| Answer {
                id: a.id,
                text: a.text,
            })
            .collect(),
        None => vec![
            Answer {
                id: "yes".into(),
                text: Text::fixed("是", "yes"),
            },
            Answer {
                id: "no".into(),
                text: Text::fixed("否", "no"),
            },
            Answer {
                id: "unsure".into(),
                text: Text::fixed("不确定", "not sure"),
            },
        ],
    };
    Question {
        id: q.id,
        text: q.text,
        hint: q.hint,
        answers,
    }
}

fn cause(category: Category, raw: RawCause) -> Result<Cause, (String, String)> {
    let id = raw.id;
    let build = |list: Vec<RawMatcher>, what: &str| -> Result<Vec<Matcher>, (String, String)> {
        list.into_iter()
            .enumerate()
            .map(|(i, m)| {
                m.build()
                    .map_err(|e| (id.clone(), format!("{what}[{i}]: {e}")))
            })
            .collect()
    };
    Ok(Cause {
        category,
        title: raw.title,
        symptoms: raw.symptoms,
        confirm: build(raw.confirm, "confirm")?,
        likely: build(raw.likely, "likely")?,
        rule_out: build(raw.rule_out, "rule_out")?,
        questions: raw.questions,
        fix: raw.fix,
        verify: raw.verify,
        escalate: raw.escalate,
        handover: raw.handover,
        consequence_of: raw.consequence_of,
        generic: raw.generic,
        sources: raw.sources,
        id,
    })
}
