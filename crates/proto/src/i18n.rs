//! Bilingual text: every user-facing string exists in zh-CN and en.
//!
//! `Text` carries both languages so that one value can be rendered on screen in the user's
//! language and written to a capture or JSON report with both. Widths on screen are measured
//! with `unicode-width` (CJK is two cells), see [`display_width`].

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The user's language. Default comes from `LANG` / `LC_ALL`; `--lang` overrides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese (zh-CN).
    Zh,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// Picks the language from the usual locale variables (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    pub fn from_env() -> Self {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(value) = std::env::var(var) {
                if value.is_empty() {
                    continue;
                }
                return Self::from_locale(&value);
            }
        }
        Lang::En
    }

    /// `zh_CN.UTF-8`, `zh`, `zh-Hans` → Chinese; anything else → English.
    pub fn from_locale(locale: &str) -> Self {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The code used on the command line and in files.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh_cn" | "cn" => Ok(Lang::Zh),
            "en" | "en-us" | "en_us" | "en-gb" => Ok(Lang::En),
            other => Err(format!("unknown language '{other}': use 'zh' or 'en'")),
        }
    }
}

/// A user-facing text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Text {
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl Text {
    /// A text from two static strings (tables, fixed messages).
    pub const fn fixed(zh: &'static str, en: &'static str) -> Self {
        Text {
            zh: Cow::Borrowed(zh),
            en: Cow::Borrowed(en),
        }
    }

    /// A text from two owned strings (formatted messages).
    pub fn new(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The same text in both languages (numbers, hex, names that are not translated).
    pub fn same(s: impl Into<String>) -> Self {
        let s = s.into();
        Text {
            zh: Cow::Owned(s.clone()),
            en: Cow::Owned(s),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// True when either language is missing.
    pub fn is_incomplete(&self) -> bool {
        self.zh.trim().is_empty() || self.en.trim().is_empty()
    }
}

/// Builds a [`Text`] from a zh and an en format string with the same arguments.
///
/// ```
/// let port = "/dev/ttyUSB0";
/// let t = posdiag_proto::tr!("端口 {port} 不存在", "port {port} does not exist");
/// assert_eq!(t.en, "port /dev/ttyUSB0 does not exist");
/// ```
#[macro_export]
macro_rules! tr {
    ($zh:literal, $en:literal $(,)?) => {
        $crate::i18n::Text::new(format!($zh), format!($en))
    };
    ($zh:literal, $en:literal, $($arg:tt)*) => {
        $crate::i18n::Text::new(format!($zh, $($arg)*), format!($en, $($arg)*))
    };
}

/// Width of `s` in terminal cells (CJK characters count two).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `cells` terminal cells, adding `…` when it was cut.
pub fn truncate_to_width(s: &str, cells: usize) -> Cow<'_, str> {
    if display_width(s) <= cells {
        return Cow::Borrowed(s);
    }
    if cells == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > cells {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_picks_chinese() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
    }

    #[test]
    fn cjk_is_two_cells() {
        assert_eq!(display_width("打印机"), 6);
        assert_eq!(display_width("abc"), 3);
        assert_eq!(truncate_to_width("打印机缺纸", 7), "打印机…");
    }
}
