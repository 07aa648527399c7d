//! The end of a walkthrough in the Guide tab's step pane — fixed, or what to hand over when
//! escalating — and the banner saying how the last fix attempt ended.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::guide_step::Page;
use crate::checks::CheckStatus;
use crate::guide::{Attempt, Cause, FixOutcome, Kb};
use crate::i18n::Text;
use crate::tui::keys::{Action, Scope};
use crate::tui::model::UiMode;

impl Page<'_> {
    pub(super) fn done(&self, cause: &Cause, attempts: &[Attempt]) -> (Text, Vec<Line<'static>>) {
        let lang = self.lang;
        let theme = self.theme;
        let title = Text::new(
            format!("已修复 · {}", cause.title.zh),
            format!("Fixed · {}", cause.title.en),
        );
        let word = Text::fixed("已修复", "FIXED");
        let mut lines = vec![Line::from(vec![
            Span::styled(
                format!("✓ {}", word.get(lang)),
                theme.status(CheckStatus::Pass),
            ),
            Span::raw(format!("  {}", cause.id)),
        ])];
        if let Some(attempt) = attempts.iter().rev().find(|a| a.cause == cause.id) {
            for r in &attempt.reasons {
                lines.extend(self.para("  ", r.get(lang), Style::new()));
            }
        }
        lines.push(Line::default());
        let recorded = match (self.state.config().mode, &self.state.config().capture_path) {
            (UiMode::Replay, _) => None,
            (_, Some(path)) => {
                let name = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                Some(Text::new(
                    format!("结果已记入抓包 {name}。"),
                    format!("The outcome is recorded in the capture {name}."),
                ))
            }
            (_, None) => Some(Text::fixed(
                "结果已作为消息显示（本次没有抓包）。",
                "The outcome is shown as a message (this session has no capture).",
            )),
        };
        if let Some(recorded) = recorded {
            lines.extend(self.para("", recorded.get(lang), theme.dim()));
        }
        lines.extend(self.end_hint());
        (title, lines)
    }

    /// `tried`: fixes were attempted (otherwise nothing pointed at any cause yet).
    pub(super) fn escalate(
        &self,
        kb: &Kb,
        cause: Option<&Cause>,
        tried: bool,
    ) -> (Text, Vec<Line<'static>>) {
        let lang = self.lang;
        let theme = self.theme;
        if cause.is_none() && !tried {
            let title = Text::fixed("没有线索", "No lead yet");
            let none = match self.ruled_out(kb) {
                // Evidence was gathered and excluded every candidate: say what, not "run the
                // checks first".
                Some(ruled_out) => Text::new(
                    format!("{}。没有剩下的原因：换一个症状，或把抓包交给技术支持（posdiag report）。", ruled_out.zh),
                    format!("{}. No cause is left: choose another symptom, or hand the capture to support (posdiag report).", ruled_out.en),
                ),
                None if !self.state.evidence().is_empty() => Text::fixed(
                    "已有的证据没有指向任何原因：选择一个症状。",
                    "Nothing in the evidence points at a cause: choose a symptom.",
                ),
                None => Text::fixed(
                    "还没有证据指向任何原因：先在检查页 (2) 运行检查，或选择一个症状。",
                    "Nothing points at a cause yet: run the checks on the Checks tab (2) first, or choose a symptom.",
                ),
            };
            let mut lines = self.para("", none.get(lang), theme.title());
            lines.extend(self.end_hint());
            return (title, lines);
        }
        let title = Text::fixed("上报", "Escalate");
        let mut lines = Vec::new();
        let tried = Text::fixed(
            "所有原因都已尝试或排除。",
            "Every cause was tried or ruled out.",
        );
        lines.extend(self.para("", tried.get(lang), theme.title()));
        match cause {
            Some(cause) => {
                let head = Text::new(
                    format!("最可能：{}（{}）", cause.title.zh, cause.id),
                    format!("Best guess: {} ({})", cause.title.en, cause.id),
                );
                lines.extend(self.para("", head.get(lang), Style::new()));
                lines.extend(self.para("", cause.escalate.get(lang), Style::new()));
                let items: Vec<&Text> = cause
                    .handover
                    .iter()
                    .filter_map(|h| kb.handover_item(h))
                    .map(|h| &h.text)
                    .collect();
                if !items.is_empty() {
                    lines.push(Line::default());
                    let hand = Text::fixed("请提交：", "Hand over:");
                    lines.push(Line::from(Span::styled(
                        hand.get(lang).to_string(),
                        theme.dim(),
                    )));
                    for item in items {
                        lines.extend(self.para("• ", item.get(lang), Style::new()));
                    }
                }
            }
            None => {
                let none = Text::fixed(
                    "没有原因与证据相符：请把抓包交给技术支持（posdiag report）。",
                    "No cause fits the evidence: hand the capture to support (posdiag report).",
                );
                lines.extend(self.para("", none.get(lang), Style::new()));
                if let Some(ruled_out) = self.ruled_out(kb) {
                    lines.extend(self.para("", ruled_out.get(lang), theme.dim()));
                }
            }
        }
        lines.extend(self.end_hint());
        (title, lines)
    }

    /// What the evidence ruled out for the walkthrough shown.
    fn ruled_out(&self, kb: &Kb) -> Option<Text> {
        let walk = self.state.guide().walkthrough()?;
        walk.ranking(kb, self.state.evidence()).ruled_out_text()
    }

    fn end_hint(&self) -> Vec<Line<'static>> {
        let Some(enter) = self.key(Scope::GuideEnd, Action::GuideRestart) else {
            return Vec::new();
        };
        let text = Text::new(
            format!("按 {enter} 重新选择症状。"),
            format!("Press {enter} to choose a symptom again."),
        );
        let mut lines = vec![Line::default()];
        lines.extend(self.para("", text.get(self.lang), self.theme.key()));
        lines
    }

    /// How the last fix attempt ended, above the next step.
    pub(super) fn attempt_banner(&self, kb: &Kb, attempt: &Attempt) -> Vec<Line<'static>> {
        let (mark, word, style) = match attempt.outcome {
            FixOutcome::Fixed => (
                "✓",
                Text::fixed("已修复", "fixed"),
                self.theme.status(CheckStatus::Pass),
            ),
            FixOutcome::NotFixed => (
                "✗",
                Text::fixed("未修复", "not fixed"),
                self.theme.status(CheckStatus::Fail),
            ),
            FixOutcome::Inconclusive => (
                "?",
                Text::fixed("无法确认", "inconclusive"),
                self.theme.warning(),
            ),
        };
        let name = kb.cause(&attempt.cause).map_or_else(
            || attempt.cause.clone(),
            |c| c.title.get(self.lang).to_string(),
        );
        let head = Text::new(
            format!("上次尝试：{name} — {}", word.zh),
            format!("Last attempt: {name} — {}", word.en),
        );
        let mut lines = self.para(&format!("{mark} "), head.get(self.lang), style);
        for r in &attempt.reasons {
            lines.extend(self.para("  ", r.get(self.lang), self.theme.dim()));
        }
        lines
    }
}
