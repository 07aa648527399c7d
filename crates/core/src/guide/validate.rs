//! Cross-checks of the knowledge base: both languages everywhere, ids well formed and unique,
//! every check id, cause id, question, answer and handover item named actually exists.

use std::collections::BTreeSet;

use super::kb::{Cause, Kb, Matcher};
use super::known::{known_check_ids, required_cause_ids};
use super::load::KbProblem;
use super::observe::escpos_flag_names;
use crate::i18n::Text;

struct Problems {
    list: Vec<KbProblem>,
}

impl Problems {
    fn add(&mut self, file: &str, entry: &str, message: impl Into<String>) {
        self.list.push(KbProblem {
            file: file.to_owned(),
            entry: Some(entry.to_owned()),
            message: message.into(),
        });
    }

    fn text(&mut self, file: &str, entry: &str, what: &str, t: &Text) {
        if t.zh.trim().is_empty() {
            self.add(file, entry, format!("{what} has no zh text"));
        }
        if t.en.trim().is_empty() {
            self.add(file, entry, format!("{what} has no en text"));
        }
    }
}

/// The file a cause lives in.
fn file_of(c: &Cause) -> String {
    format!("{}.toml", c.category.code())
}

/// `area.name`: lowercase letters, digits and underscores on both sides of one dot.
pub fn is_well_formed_id(id: &str) -> bool {
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    matches!(id.split_once('.'), Some((a, b)) if ok(a) && ok(b))
}

/// Every problem with `kb`; empty when it is sound.
pub fn validate(kb: &Kb) -> Vec<KbProblem> {
    let mut p = Problems { list: Vec::new() };
    let checks = known_check_ids();
    // Causes some check or fault names: the named-by-a-result rule confirms them.
    let named_elsewhere = required_cause_ids();
    let flags = escpos_flag_names();
    let cause_ids: BTreeSet<&str> = kb.causes.iter().map(|c| c.id.as_str()).collect();

    let mut seen = BTreeSet::new();
    for c in &kb.causes {
        let file = file_of(c);
        let id = c.id.as_str();
        if !seen.insert(id) {
            p.add(&file, id, "duplicate cause id");
        }
        if !is_well_formed_id(id) {
            p.add(&file, id, "cause id must look like area.name (lowercase)");
        }
        p.text(&file, id, "title", &c.title);
        p.text(&file, id, "escalate", &c.escalate);
        for (i, s) in c.symptoms.iter().enumerate() {
            p.text(&file, id, &format!("symptoms[{i}]"), s);
        }
        if c.fix.is_empty() {
            p.add(&file, id, "no fix steps");
        }
        for (i, s) in c.fix.iter().enumerate() {
            p.text(&file, id, &format!("fix[{i}]"), s);
        }
        if c.confirm.is_empty()
            && c.likely.is_empty()
            && c.questions.is_empty()
            && !named_elsewhere.contains(id)
        {
            p.add(
                &file,
                id,
                "nothing can confirm or suggest this cause: add a matcher or a question",
            );
        }
        for m in c.confirm.iter().chain(&c.likely).chain(&c.rule_out) {
            match m {
                Matcher::Check { check, statuses } => {
                    if !checks.contains(check) {
                        p.add(&file, id, format!("unknown check id '{check}'"));
                    }
                    if statuses.is_empty() {
                        p.add(&file, id, format!("check '{check}' matcher with no status"));
                    }
                }
                Matcher::NamedCause { cause, .. } => {
                    if !cause_ids.contains(cause.as_str()) {
                        p.add(&file, id, format!("unknown cause id '{cause}'"));
                    }
                }
                Matcher::Escpos(list) => {
                    for f in list {
                        if !flags.contains(&f.as_str()) {
                            p.add(&file, id, format!("unknown ESC/POS flag '{f}'"));
                        }
                    }
                }
                Matcher::Transaction { .. } | Matcher::TerminalStatus(_) => {}
            }
        }
        for v in &c.verify {
            if !checks.contains(v) {
                p.add(&file, id, format!("verify names unknown check id '{v}'"));
            }
        }
        for other in &c.consequence_of {
            if !cause_ids.contains(other.as_str()) || other == id {
                p.add(
                    &file,
                    id,
                    format!("consequence_of names unknown cause id '{other}'"),
                );
            }
        }
        for h in &c.handover {
            if kb.handover_item(h).is_none() {
                p.add(&file, id, format!("unknown handover item '{h}'"));
            }
        }
        for q in &c.questions {
            let Some(question) = kb.question(&q.ask) else {
                p.add(&file, id, format!("unknown question '{}'", q.ask));
                continue;
            };
            for a in q.confirm.iter().chain(&q.likely).chain(&q.rule_out) {
                if question.answer(a).is_none() {
                    p.add(
                        &file,
                        id,
                        format!("question '{}' has no answer '{a}'", q.ask),
                    );
                }
            }
        }
    }

    let mut seen = BTreeSet::new();
    for q in &kb.questions {
        let file = "questions.toml";
        if !seen.insert(q.id.as_str()) {
            p.add(file, &q.id, "duplicate question id");
        }
        p.text(file, &q.id, "text", &q.text);
        if let Some(h) = &q.hint {
            p.text(file, &q.id, "hint", h);
        }
        if q.answers.len() < 2 {
            p.add(file, &q.id, "a question needs at least two answers");
        }
        for a in &q.answers {
            p.text(file, &q.id, &format!("answer '{}'", a.id), &a.text);
        }
        if !kb
            .causes
            .iter()
            .any(|c| c.questions.iter().any(|u| u.ask == q.id))
        {
            p.add(file, &q.id, "no cause asks this question");
        }
    }

    let mut seen = BTreeSet::new();
    for s in &kb.symptoms {
        let file = "symptoms.toml";
        if !seen.insert(s.id.as_str()) {
            p.add(file, &s.id, "duplicate symptom id");
        }
        p.text(file, &s.id, "title", &s.title);
        p.text(file, &s.id, "description", &s.description);
        if s.candidates.is_empty() {
            p.add(file, &s.id, "a symptom needs candidate causes");
        }
        for c in &s.candidates {
            if !cause_ids.contains(c.as_str()) {
                p.add(file, &s.id, format!("unknown cause id '{c}'"));
            }
        }
    }

    for h in &kb.handover {
        p.text("handover.toml", &h.id, "text", &h.text);
    }

    let mut seen = BTreeSet::new();
    for n in &kb.nexo_conditions {
        let file = "nexo.toml";
        if !seen.insert(n.name.as_str()) {
            p.add(file, &n.name, "duplicate nexo condition");
        }
        p.text(file, &n.name, "meaning", &n.meaning);
        if n.fix.is_empty() {
            p.add(file, &n.name, "no fix steps");
        }
        for (i, f) in n.fix.iter().enumerate() {
            p.text(file, &n.name, &format!("fix[{i}]"), f);
        }
        if n.causes.is_empty() {
            p.add(file, &n.name, "a nexo condition needs at least one cause");
        }
        for c in &n.causes {
            if !cause_ids.contains(c.as_str()) {
                p.add(file, &n.name, format!("unknown cause id '{c}'"));
            }
        }
    }
    p.list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_look_like_area_dot_name() {
        assert!(is_well_formed_id("printer.paper_out"));
        assert!(!is_well_formed_id("Printer.paper"));
        assert!(!is_well_formed_id("printer"));
        assert!(!is_well_formed_id("a.b.c"));
    }
}
