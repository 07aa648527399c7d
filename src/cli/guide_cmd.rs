//! `posdiag guide`: ranked causes and fix steps from a symptom, captures and answers.
//!
//! Exit codes: 0 printed a guide (also for a capture damaged part-way: it is read up to the
//! damage and the output says so), 2 unknown symptom or answer, or a file that is not a
//! capture, 1 the knowledge base itself is broken.

use std::process::ExitCode;

use super::args::GuideArgs;
use super::exit::{self, CliError};
use crate::capture::observations_from_capture;
use crate::guide::{self, Observations, Walkthrough};
use crate::i18n::Lang;
use crate::report::GuideReport;

pub fn run(args: &GuideArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let kb = guide::builtin().map_err(|e| CliError::failure(e.clone()))?;
    let symptom = match &args.symptom {
        None => None,
        Some(name) => Some(kb.symptom(name).ok_or_else(|| {
            let known: Vec<String> = kb
                .symptoms
                .iter()
                .map(|s| format!("{} ({})", s.id, s.title.zh))
                .collect();
            CliError::usage(anyhow::anyhow!(
                "unknown symptom '{name}'; use one of: {}",
                known.join(", ")
            ))
        })?),
    };
    let mut walk = Walkthrough::new(symptom.map(|s| s.id.as_str()));
    for arg in &args.answers {
        let (q, a) = arg.split_once('=').ok_or_else(|| {
            CliError::usage(anyhow::anyhow!(
                "--answer takes QUESTION=ANSWER, e.g. --answer adapter_led=no (got '{arg}')"
            ))
        })?;
        let (q, a) = (q.trim(), a.trim());
        let question = kb.question(q).ok_or_else(|| {
            CliError::usage(anyhow::anyhow!(
                "unknown question '{q}'; the guide's JSON output names the questions it asks"
            ))
        })?;
        if question.answer(a).is_none() {
            let ids: Vec<&str> = question.answers.iter().map(|x| x.id.as_str()).collect();
            return Err(CliError::usage(anyhow::anyhow!(
                "question '{q}' has no answer '{a}'; use one of: {}",
                ids.join(", ")
            )));
        }
        walk.answer(q, a);
    }
    let mut obs = Observations::new();
    let mut sources = Vec::new();
    for path in &args.from {
        let source = observations_from_capture(path, &mut obs).map_err(CliError::usage)?;
        if let Some((line, reason)) = &source.damage {
            eprintln!(
                "warning: capture '{}' is damaged at line {line} ({reason}); the guide used the records before it",
                path.display()
            );
        }
        sources.push(source);
    }
    let report = GuideReport {
        kb,
        ranking: walk.ranking(kb, &obs),
        next: walk.step(kb, &obs),
        answers: walk.answers().clone(),
        sources,
    };
    super::stdout::print(&report.render(args.format, lang))?;
    Ok(exit::OK)
}
