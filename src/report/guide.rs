//! The report of `posdiag guide`: ranked causes with their reasons and fixes, the captures
//! read (and where one was damaged), and the walkthrough's next step.
//!
//! JSON contract (docs/cli-contract.md): `causes[]` best first, each with `id`, `state`
//! (confirmed|likely|ruled_out|unknown), `reasons`, `fix`.

use std::fmt::Write as _;

use super::check_run::OutputFormat;
use crate::capture::CaptureSource;
use crate::guide::{Answers, Bearing, CauseState, Kb, RankedCause, Ranking, Step};
use crate::i18n::Lang;

/// Everything `posdiag guide` prints.
pub struct GuideReport<'kb> {
    pub kb: &'kb Kb,
    pub ranking: Ranking<'kb>,
    pub sources: Vec<CaptureSource>,
    pub answers: Answers,
    pub next: Step<'kb>,
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

impl GuideReport<'_> {
    pub fn render(&self, format: OutputFormat, lang: Lang) -> String {
        match format {
            OutputFormat::Text => self.to_text(lang),
            OutputFormat::Json => super::guide_json::render_json(self, lang),
            OutputFormat::Markdown => self.to_markdown(lang),
        }
    }

    pub(super) fn handover(&self, c: &RankedCause<'_>, lang: Lang) -> Vec<String> {
        c.cause
            .handover
            .iter()
            .filter_map(|h| self.kb.handover_item(h))
            .map(|h| h.text.get(lang).to_owned())
            .collect()
    }

    /// Lines about the captures read.
    fn source_lines(&self, lang: Lang) -> Vec<String> {
        self.sources
            .iter()
            .map(|s| {
                let base = match lang {
                    Lang::Zh => format!(
                        "抓包 {}：{} 项检查，{} 笔交易",
                        s.path.display(),
                        s.checks,
                        s.transactions
                    ),
                    Lang::En => format!(
                        "capture {}: {} checks, {} transactions",
                        s.path.display(),
                        s.checks,
                        s.transactions
                    ),
                };
                match &s.damage {
                    Some((line, reason)) => match lang {
                        Lang::Zh => {
                            format!("{base}；第 {line} 行已损坏（{reason}），只读取了此前的内容")
                        }
                        Lang::En => {
                            format!("{base}; DAMAGED at line {line} ({reason}), read up to there")
                        }
                    },
                    None => base,
                }
            })
            .collect()
    }

    fn next_line(&self, lang: Lang) -> Option<String> {
        match &self.next {
            Step::Ask { question, .. } => {
                let ids: Vec<&str> = question.answers.iter().map(|a| a.id.as_str()).collect();
                let ids = ids.join("|");
                let q = question.text.get(lang);
                let id = &question.id;
                Some(match lang {
                    Lang::Zh => format!("下一个问题：{q}（用 --answer {id}={ids} 回答）"),
                    Lang::En => format!("next question: {q} (answer with --answer {id}={ids})"),
                })
            }
            Step::Fix { cause } => {
                let (t, id) = (cause.title.get(lang), &cause.id);
                Some(match lang {
                    Lang::Zh => format!("下一步：按“{t}”（{id}）的修复步骤处理"),
                    Lang::En => format!("next: follow the fix steps of “{t}” ({id})"),
                })
            }
            Step::Done { .. } => None,
            Step::Escalate { cause } => {
                let label = pick(lang, "下一步：升级处理", "next: escalate");
                Some(match cause {
                    Some(c) => {
                        format!("{label}{}{}", pick(lang, "——", " — "), c.escalate.get(lang))
                    }
                    None => label.to_owned(),
                })
            }
        }
    }

    fn to_text(&self, lang: Lang) -> String {
        let mut out = String::new();
        let title = match self.ranking.symptom {
            Some(s) => format!(" — {} ({})", s.title.get(lang), s.id),
            None => String::new(),
        };
        let _ = writeln!(out, "posdiag guide{title}");
        for line in self.source_lines(lang) {
            let _ = writeln!(out, "{line}");
        }
        let shown: Vec<_> = self
            .ranking
            .causes
            .iter()
            .filter(|c| c.state != CauseState::RuledOut)
            .collect();
        if shown.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                pick(
                    lang,
                    "证据中没有找到原因。用 --symptom 选择症状：",
                    "No cause found in the evidence. Choose a symptom with --symptom:"
                )
            );
            for s in &self.kb.symptoms {
                let _ = writeln!(out, "  {:24} {}", s.id, s.title.get(lang));
            }
        }
        let (why, fix, proves, escalate, hand) = match lang {
            Lang::Zh => ("依据：", "修复：", "验证检查：", "升级：", "提交材料："),
            Lang::En => (
                "why: ",
                "fix:",
                "proves the fix: ",
                "escalate: ",
                "hand over: ",
            ),
        };
        for (i, c) in shown.iter().enumerate() {
            if c.also_found && !shown.get(i.wrapping_sub(1)).is_some_and(|p| p.also_found) {
                let _ = writeln!(
                    out,
                    "\n{}",
                    pick(
                        lang,
                        "另外发现（不是所选症状的常见原因）：",
                        "also found (not a usual cause of the symptom chosen):"
                    )
                );
            }
            let state = c.state.word();
            let _ = writeln!(
                out,
                "\n{}. {}  {} — {}  [{}]",
                i + 1,
                state.get(lang),
                c.cause.id,
                c.cause.title.get(lang),
                c.cause.category.label().get(lang)
            );
            for r in &c.reasons {
                let _ = writeln!(out, "   {why}{}", r.text.get(lang));
            }
            if c.state == CauseState::Unknown && i > 0 {
                continue;
            }
            let _ = writeln!(out, "   {fix}");
            for (n, step) in c.cause.fix.iter().enumerate() {
                let _ = writeln!(out, "     {}. {}", n + 1, step.get(lang));
            }
            if !c.cause.verify.is_empty() {
                let _ = writeln!(out, "   {proves}{}", c.cause.verify.join(", "));
            }
            let _ = writeln!(out, "   {escalate}{}", c.cause.escalate.get(lang));
            let items = self.handover(c, lang);
            if !items.is_empty() {
                let _ = writeln!(out, "   {hand}{}", items.join(pick(lang, "；", "; ")));
            }
        }
        // Ruled-out causes grouped by the evidence that rules them out: one line per check.
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for c in self.ranking.with_state(CauseState::RuledOut) {
            let reason = c
                .reasons
                .iter()
                .find(|r| r.bearing == Bearing::RulesOut)
                .map(|r| r.text.get(lang))
                .unwrap_or_default();
            match groups.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, ids)) => ids.push(&c.cause.id),
                None => groups.push((reason, vec![&c.cause.id])),
            }
        }
        if !groups.is_empty() {
            let _ = writeln!(out, "\n{}", pick(lang, "已排除：", "ruled out:"));
            for (reason, ids) in groups {
                let _ = writeln!(out, "  {reason}\n    → {}", ids.join(", "));
            }
        }
        if let Some(line) = self.next_line(lang) {
            let _ = writeln!(out, "\n{line}");
        }
        out
    }

    fn to_markdown(&self, lang: Lang) -> String {
        let mut out = String::new();
        let title = match self.ranking.symptom {
            Some(s) => format!(" — {}", s.title.get(lang)),
            None => String::new(),
        };
        let _ = writeln!(out, "## posdiag guide{title}\n");
        for line in self.source_lines(lang) {
            let _ = writeln!(out, "- {line}");
        }
        let (state_h, cause_h, why_h) = match lang {
            Lang::Zh => ("状态", "原因", "依据"),
            Lang::En => ("State", "Cause", "Why"),
        };
        let _ = writeln!(out, "\n| {state_h} | {cause_h} | {why_h} |\n|---|---|---|");
        for c in &self.ranking.causes {
            let why: Vec<&str> = c.reasons.iter().map(|r| r.text.get(lang)).collect();
            let _ = writeln!(
                out,
                "| {} | `{}` {} | {} |",
                c.state.word().get(lang),
                c.cause.id,
                escape(c.cause.title.get(lang)),
                escape(&why.join("<br>"))
            );
        }
        for c in self
            .ranking
            .causes
            .iter()
            .filter(|c| matches!(c.state, CauseState::Confirmed | CauseState::Likely))
        {
            let _ = writeln!(out, "\n### `{}` {}\n", c.cause.id, c.cause.title.get(lang));
            for (n, step) in c.cause.fix.iter().enumerate() {
                let _ = writeln!(out, "{}. {}", n + 1, step.get(lang));
            }
            if !c.cause.verify.is_empty() {
                let _ = writeln!(
                    out,
                    "\n{}: `{}`",
                    pick(lang, "验证检查", "Proves the fix"),
                    c.cause.verify.join("`, `")
                );
            }
            let _ = writeln!(
                out,
                "\n{}: {}",
                pick(lang, "升级", "Escalate"),
                c.cause.escalate.get(lang)
            );
        }
        if let Some(line) = self.next_line(lang) {
            let _ = writeln!(out, "\n{line}");
        }
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('|', "\\|")
}
