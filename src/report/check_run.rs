//! The report of one `posdiag check` run.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use crate::checks::{CheckResult, CheckStatus};
use crate::i18n::{display_width, Lang};

/// Output format of a headless command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
    Markdown,
}

/// All results of one run, in a stable order (the order the checks were declared).
#[derive(Debug, Clone)]
pub struct CheckRun {
    pub profile: String,
    pub target: String,
    pub checks: Vec<CheckResult>,
    pub duration: Duration,
    pub capture: Option<std::path::PathBuf>,
}

impl CheckRun {
    /// The worst status of the run; `Pass` when there are no checks.
    pub fn worst(&self) -> CheckStatus {
        self.checks
            .iter()
            .map(|c| c.status)
            .max()
            .unwrap_or(CheckStatus::Pass)
    }

    /// True when a check failed or could not run.
    pub fn failed(&self) -> bool {
        self.worst() >= CheckStatus::Fail
    }

    pub fn render(&self, format: OutputFormat, lang: Lang) -> String {
        match format {
            OutputFormat::Text => self.to_text(lang),
            OutputFormat::Json => self.to_json(lang),
            OutputFormat::Markdown => self.to_markdown(lang),
        }
    }

    fn to_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        let (head_zh, head_en) = ("配置", "profile");
        let title = match lang {
            Lang::Zh => head_zh,
            Lang::En => head_en,
        };
        let _ = writeln!(
            out,
            "posdiag check — {title} {} ({})",
            self.profile, self.target
        );
        let id_width = self.checks.iter().map(|c| c.id.len()).max().unwrap_or(8);
        for check in &self.checks {
            let word = check.status.word();
            let word = word.get(lang);
            let pad = 6usize.saturating_sub(display_width(word));
            let _ = writeln!(
                out,
                "{word}{} {:id_width$}  {}  ({})",
                " ".repeat(pad),
                check.id,
                check.summary.get(lang),
                crate::durations::show(check.duration),
            );
            if check.status != CheckStatus::Pass {
                for ev in &check.evidence {
                    let _ = writeln!(out, "       {}: {}", ev.label.get(lang), ev.value_in(lang));
                }
                if !check.causes.is_empty() {
                    let label = match lang {
                        Lang::Zh => "可能原因",
                        Lang::En => "causes",
                    };
                    let _ = writeln!(out, "       {label}: {}", check.causes.join(", "));
                }
            }
        }
        let (total, capture) = match lang {
            Lang::Zh => ("总耗时", "抓包文件"),
            Lang::En => ("total", "capture"),
        };
        let _ = writeln!(out, "{total}: {}", crate::durations::show(self.duration));
        if let Some(path) = &self.capture {
            let _ = writeln!(out, "{capture}: {}", path.display());
        }
        out
    }

    fn to_json(&self, lang: Lang) -> String {
        let checks: Vec<JsonCheck<'_>> = self
            .checks
            .iter()
            .map(|c| JsonCheck {
                id: &c.id,
                area: c.area.code(),
                status: c.status.code(),
                summary: c.summary.get(lang),
                summary_i18n: JsonText {
                    zh: &c.summary.zh,
                    en: &c.summary.en,
                },
                evidence: c
                    .evidence
                    .iter()
                    .map(|e| JsonEvidence {
                        label: e.label.get(lang),
                        value: &e.value,
                    })
                    .collect(),
                frames: c
                    .frames
                    .iter()
                    .map(|f| JsonFrame {
                        channel: f.channel.label().en.into_owned(),
                        direction: f.direction,
                        hex: hex::encode(&f.raw),
                        summary: &f.summary,
                    })
                    .collect(),
                duration_ms: c.duration.as_millis() as u64,
                causes: &c.causes,
            })
            .collect();
        let report = JsonRun {
            profile: &self.profile,
            target: &self.target,
            result: self.worst().code(),
            duration_ms: self.duration.as_millis() as u64,
            capture: self.capture.as_ref().map(|p| p.display().to_string()),
            checks,
        };
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    fn to_markdown(&self, lang: Lang) -> String {
        let mut out = String::new();
        let (check, status, summary, causes, time) = match lang {
            Lang::Zh => ("检查", "状态", "结论", "原因", "耗时"),
            Lang::En => ("Check", "Status", "Summary", "Causes", "Time"),
        };
        let _ = writeln!(
            out,
            "## posdiag check — {} ({})\n",
            self.profile, self.target
        );
        let _ = writeln!(
            out,
            "| {check} | {status} | {summary} | {causes} | {time} |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|");
        for c in &self.checks {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} |",
                c.id,
                c.status.word().get(lang),
                escape_md(c.summary.get(lang)),
                c.causes.join(", "),
                crate::durations::show(c.duration),
            );
        }
        let failing: Vec<_> = self
            .checks
            .iter()
            .filter(|c| c.status != CheckStatus::Pass && !c.evidence.is_empty())
            .collect();
        for c in failing {
            let _ = writeln!(out, "\n### `{}`\n", c.id);
            for e in &c.evidence {
                let _ = writeln!(out, "- {}: `{}`", e.label.get(lang), e.value_in(lang));
            }
        }
        let _ = writeln!(out, "\n{}: {}", time, crate::durations::show(self.duration));
        out
    }
}

fn escape_md(s: &str) -> String {
    s.replace('|', "\\|")
}

#[derive(Serialize)]
struct JsonRun<'a> {
    profile: &'a str,
    target: &'a str,
    result: &'a str,
    duration_ms: u64,
    capture: Option<String>,
    checks: Vec<JsonCheck<'a>>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    id: &'a str,
    area: &'a str,
    status: &'a str,
    summary: &'a str,
    summary_i18n: JsonText<'a>,
    evidence: Vec<JsonEvidence<'a>>,
    frames: Vec<JsonFrame<'a>>,
    duration_ms: u64,
    causes: &'a [String],
}

#[derive(Serialize)]
struct JsonText<'a> {
    zh: &'a str,
    en: &'a str,
}

#[derive(Serialize)]
struct JsonEvidence<'a> {
    label: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct JsonFrame<'a> {
    channel: String,
    direction: crate::event::Direction,
    hex: String,
    summary: &'a str,
}
