//! One measured value behind a verdict, in both languages where it has words.
//!
//! Drivers write evidence rows into their facts and checks put them into results, so the
//! type lives here, below both.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// One measured value behind a verdict ("terminal status: 00 PT ready", "round trip: 120ms").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub label: Text,
    /// The value as measured, with English words where it has any.
    pub value: String,
    /// The value in Chinese, where it has words to translate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_zh: Option<String>,
}

impl Evidence {
    pub fn new(label: Text, value: impl Into<String>) -> Self {
        Evidence {
            label,
            value: value.into(),
            value_zh: None,
        }
    }

    /// A value with words, in both languages.
    pub fn text(label: Text, value: &Text) -> Self {
        Evidence {
            label,
            value: value.en.to_string(),
            value_zh: (value.zh != value.en).then(|| value.zh.to_string()),
        }
    }

    /// The value in `lang`.
    pub fn value_in(&self, lang: crate::i18n::Lang) -> &str {
        match (lang, &self.value_zh) {
            (crate::i18n::Lang::Zh, Some(zh)) => zh,
            _ => &self.value,
        }
    }
}
