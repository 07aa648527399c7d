//! The knowledge base as typed data: causes with their evidence matchers, the questions a
//! technician can answer, the symptoms that are entry points, and the evidence to hand over.
//!
//! The data lives in `kb/*.toml` (one file per category, zh and en); [`super::load`] parses
//! and validates it into these types.

use serde::{Deserialize, Serialize};

use super::observe::Verdict;
use crate::checks::CheckStatus;
use crate::drivers::terminal::codes::TerminalCode;
use crate::i18n::Text;

/// The categories of the failure catalogue; one data file each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Power, cables and links, card reader, printer, PIN pad.
    Device,
    /// Software, parameters, sign-on and keys, clock.
    Software,
    Network,
    /// Acquirer host, CUP switch, issuer availability.
    Host,
    Card,
    /// Cardholder and operator actions.
    Operator,
    Limits,
    Security,
    Duplicate,
    /// Receipt versus funds: the two doubtful outcomes.
    Funds,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Device,
        Category::Software,
        Category::Network,
        Category::Host,
        Category::Card,
        Category::Operator,
        Category::Limits,
        Category::Security,
        Category::Duplicate,
        Category::Funds,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Device => "device",
            Category::Software => "software",
            Category::Network => "network",
            Category::Host => "host",
            Category::Card => "card",
            Category::Operator => "operator",
            Category::Limits => "limits",
            Category::Security => "security",
            Category::Duplicate => "duplicate",
            Category::Funds => "funds",
        }
    }

    pub fn label(self) -> Text {
        match self {
            Category::Device => Text::fixed("设备", "device"),
            Category::Software => Text::fixed("软件与密钥", "software and keys"),
            Category::Network => Text::fixed("网络", "network"),
            Category::Host => Text::fixed("主机与银行", "host and bank"),
            Category::Card => Text::fixed("卡片", "card"),
            Category::Operator => Text::fixed("持卡人与操作员", "cardholder and operator"),
            Category::Limits => Text::fixed("限额与规定", "limits and regulations"),
            Category::Security => Text::fixed("安全", "security"),
            Category::Duplicate => Text::fixed("重复交易", "duplicate transactions"),
            Category::Funds => Text::fixed("小票与到账", "receipt versus funds"),
        }
    }
}

/// One piece of evidence a cause entry looks for. All given parts must hold at once.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// The check `check` ended in one of `statuses`.
    Check {
        check: String,
        statuses: Vec<CheckStatus>,
    },
    /// A check result with one of `statuses` names the cause `cause`.
    NamedCause {
        cause: String,
        statuses: Vec<CheckStatus>,
    },
    /// A transaction, or a code seen on the wire. Empty lists match anything; a matcher with a
    /// verdict or a reversal reason only matches transactions.
    Transaction {
        verdicts: Vec<Verdict>,
        /// ISO 8583 field 39 response codes ("51", "A0").
        iso39: Vec<String>,
        /// The terminal's result codes, each with its protocol (kb key `zvt_result`: ZVT
        /// result bytes, BMP 27 or Abort `06 1E`).
        terminal_result: Vec<TerminalCode>,
        /// Field 39 of the reversal (`98`, `96`, `A0`, `06`).
        reversal: Vec<String>,
    },
    /// The terminal's state, each code with its protocol (kb key `zvt_status`: the ZVT
    /// Status-Enquiry's status byte).
    TerminalStatus(Vec<TerminalCode>),
    /// ESC/POS printer condition flags (names of `PrinterCondition` fields) seen set.
    Escpos(Vec<String>),
}

/// How an answer to a question bears on one cause.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionUse {
    /// Question id (kb/questions.toml).
    pub ask: String,
    #[serde(default)]
    pub confirm: Vec<String>,
    #[serde(default)]
    pub likely: Vec<String>,
    #[serde(default)]
    pub rule_out: Vec<String>,
}

/// One cause of a failed or doubtful payment.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    /// Cause id, `area.name`; simulator fault ids and check result causes use the same ids.
    pub id: String,
    pub category: Category,
    pub title: Text,
    /// What the user sees.
    pub symptoms: Vec<Text>,
    pub confirm: Vec<Matcher>,
    pub likely: Vec<Matcher>,
    pub rule_out: Vec<Matcher>,
    /// Questions for what no check can tell, in the order to ask them.
    pub questions: Vec<QuestionUse>,
    /// Fix steps, in order.
    pub fix: Vec<Text>,
    /// Check ids whose passing proves the fix ("Fixed?" re-runs them); empty when only a new
    /// transaction can prove it.
    pub verify: Vec<String>,
    /// When to escalate and to whom.
    pub escalate: Text,
    /// Handover item ids (kb/handover.toml): what to give the next level.
    pub handover: Vec<String>,
    /// Causes that, when confirmed, explain this one (it ranks after them).
    pub consequence_of: Vec<String>,
    /// A catch-all (e.g. "the host declined"): it ranks after any other confirmed cause, since
    /// a specific cause (51 → insufficient funds) says more about what to do.
    pub generic: bool,
    /// Where the entry comes from: sections of the repository's docs
    /// (`docs/field-guide.md §5.1`, `docs/protocols/zvt.md §7 (6C)`, …).
    pub sources: Vec<String>,
}

/// A question with its possible answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub text: Text,
    /// How to find out (optional).
    pub hint: Option<Text>,
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub id: String,
    pub text: Text,
}

impl Question {
    pub fn answer(&self, id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.id == id)
    }
}

/// An entry point: what the user reports, with the causes to consider, most likely first.
#[derive(Debug, Clone, PartialEq)]
pub struct Symptom {
    pub id: String,
    pub title: Text,
    pub description: Text,
    /// Other names accepted on the command line (the Chinese term, short forms).
    pub aliases: Vec<String>,
    pub candidates: Vec<String>,
}

/// A piece of evidence to hand over when escalating.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoverItem {
    pub id: String,
    pub text: Text,
}

/// The whole knowledge base, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Kb {
    pub causes: Vec<Cause>,
    pub questions: Vec<Question>,
    pub symptoms: Vec<Symptom>,
    pub handover: Vec<HandoverItem>,
    /// nexo Retailer `ErrorCondition` values (kb/nexo.toml).
    pub nexo_conditions: Vec<NexoCondition>,
}

/// A nexo `ErrorCondition`: what it means, the causes it points at, what to do.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NexoCondition {
    /// As the terminal sends it: `Busy`, `LoggedOut`, ...
    pub name: String,
    pub meaning: Text,
    /// Cause ids, most likely first.
    pub causes: Vec<String>,
    pub fix: Vec<Text>,
}

impl Kb {
    pub fn cause(&self, id: &str) -> Option<&Cause> {
        self.causes.iter().find(|c| c.id == id)
    }

    /// The entry of a nexo `ErrorCondition` (exact name, as the terminal sends it).
    pub fn nexo_condition(&self, name: &str) -> Option<&NexoCondition> {
        self.nexo_conditions.iter().find(|c| c.name == name)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn handover_item(&self, id: &str) -> Option<&HandoverItem> {
        self.handover.iter().find(|h| h.id == id)
    }

    /// Causes whose `confirm` names a response code (field 39) or a ZVT result alone, with no
    /// verdict: the specific meaning of a code (51 → card.insufficient_funds). Checks and
    /// transactions name them beside the generic "declined".
    pub fn causes_for_code(
        &self,
        iso39: Option<&str>,
        terminal: Option<&TerminalCode>,
    ) -> Vec<String> {
        self.causes
            .iter()
            .filter(|c| {
                c.confirm.iter().any(|m| match m {
                    Matcher::Transaction {
                        verdicts,
                        iso39: codes,
                        terminal_result,
                        reversal,
                    } => {
                        verdicts.is_empty()
                            && reversal.is_empty()
                            && (iso39
                                .is_some_and(|x| codes.iter().any(|c| c.eq_ignore_ascii_case(x)))
                                || terminal.is_some_and(|z| terminal_result.contains(z)))
                    }
                    _ => false,
                })
            })
            .map(|c| c.id.clone())
            .collect()
    }

    /// A symptom by id, alias or title in either language (case-insensitive).
    pub fn symptom(&self, name: &str) -> Option<&Symptom> {
        let name = name.trim();
        let same = |s: &str| s.eq_ignore_ascii_case(name);
        self.symptoms.iter().find(|s| {
            same(&s.id)
                || s.aliases.iter().any(|a| same(a))
                || same(&s.title.zh)
                || same(&s.title.en)
        })
    }
}
