//! The causes of the knowledge base as a type. `build.rs` reads `kb/*.toml` into [`CAUSES`]; a
//! [`CauseId`] can only be made from an id that is there: [`cause!`](crate::cause) checks a
//! literal when the crate is built, [`CauseId::parse`] a text at run time. Checks, transactions,
//! faults and the guide name causes with it, and a cause's title is written once, in `kb/`.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::i18n::Text;

/// One cause of the knowledge base, as far as the code below the guide needs it.
#[derive(Debug)]
pub struct CauseEntry {
    pub id: &'static str,
    pub title: Text,
    /// Response codes (ISO 8583 field 39) that confirm this cause on their own.
    pub iso39: &'static [&'static str],
    /// ZVT result codes (two hex digits) that confirm this cause on their own.
    pub zvt_result: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/kb_causes.rs"));

/// The id of a cause of the knowledge base ("printer.paper_out").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CauseId(&'static str);

impl CauseId {
    /// The cause `id`; stops the build when `id` is not in `kb/` (use through [`cause!`](crate::cause)).
    pub const fn known(id: &'static str) -> CauseId {
        let mut i = 0;
        while i < CAUSES.len() {
            if str_eq(CAUSES[i].id, id) {
                return CauseId(CAUSES[i].id);
            }
            i += 1;
        }
        panic!("not a cause id of kb/: add a [[cause]] to kb/*.toml or correct the id");
    }

    /// The cause named `id`, if the knowledge base has it.
    pub fn parse(id: &str) -> Option<CauseId> {
        CAUSES.iter().find(|c| c.id == id).map(|c| CauseId(c.id))
    }

    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// The cause's title from `kb/`.
    pub fn title(self) -> Text {
        self.entry().map(|e| e.title.clone()).unwrap_or_else(|| {
            // Unreachable: a CauseId is only made from an entry.
            Text::new(self.0.to_owned(), self.0.to_owned())
        })
    }

    fn entry(self) -> Option<&'static CauseEntry> {
        CAUSES.iter().find(|c| c.id == self.0)
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl fmt::Display for CauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for CauseId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl From<CauseId> for String {
    fn from(id: CauseId) -> String {
        id.0.to_owned()
    }
}

impl PartialEq<&str> for CauseId {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<CauseId> for String {
    fn eq(&self, other: &CauseId) -> bool {
        self == other.0
    }
}

/// The causes a response code (ISO 8583 field 39) confirms on its own (51 → the card's funds).
pub fn for_iso39(code: &str) -> Vec<CauseId> {
    let code = code.trim();
    CAUSES
        .iter()
        .filter(|c| c.iso39.iter().any(|x| x.eq_ignore_ascii_case(code)))
        .map(|c| CauseId(c.id))
        .collect()
}

/// The causes a ZVT result code confirms on its own.
pub fn for_zvt_result(code: &str) -> Vec<CauseId> {
    let code = code.trim();
    CAUSES
        .iter()
        .filter(|c| c.zvt_result.iter().any(|x| x.eq_ignore_ascii_case(code)))
        .map(|c| CauseId(c.id))
        .collect()
}

/// A cause id of `kb/`, checked when the crate is built: `cause!("printer.paper_out")`.
#[macro_export]
macro_rules! cause {
    ($id:literal) => {{
        const ID: $crate::catalogue::CauseId = $crate::catalogue::CauseId::known($id);
        ID
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert_eq!(
            crate::cause!("printer.paper_out").as_str(),
            "printer.paper_out"
        );
        assert!(CauseId::parse("printer.on_fire").is_none());
        assert_eq!(
            for_iso39("51").first().map(|c| c.as_str()),
            Some("card.insufficient_funds")
        );
    }
}
