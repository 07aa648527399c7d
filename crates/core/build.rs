//! Generates the catalogue of causes from the knowledge base (`kb/*.toml`), so that a cause id
//! in the code is checked against `kb/` when the crate is built (`cause!("…")` does not compile
//! for an id that is not there) and a cause's title is written once, in `kb/`.
//!
//! Output: `$OUT_DIR/kb_causes.rs`, one `CauseEntry` per `[[cause]]`: id, title, and the codes
//! its `confirm` matchers name alone (a response code or a terminal result, with no verdict or
//! reversal), which checks and transactions name beside the generic "declined".

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let kb = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../kb");
    println!("cargo:rerun-if-changed={}", kb.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&kb)
        .unwrap_or_else(|e| panic!("cannot read the knowledge base {}: {e}", kb.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Every cause of `kb/`, in file order.\npub const CAUSES: &[CauseEntry] = &[\n",
    );
    let mut seen = std::collections::BTreeSet::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let table: toml::Table = text
            .parse()
            .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", file.display()));
        let Some(causes) = table.get("cause").and_then(|c| c.as_array()) else {
            continue;
        };
        for cause in causes {
            let id = str_of(cause, "id", file);
            assert!(
                seen.insert(id.to_owned()),
                "cause {id} is defined twice in kb/"
            );
            let title = cause
                .get("title")
                .unwrap_or_else(|| panic!("cause {id} in {} has no title", file.display()));
            let (zh, en) = (str_of(title, "zh", file), str_of(title, "en", file));
            let (iso39, terminal) = codes_alone(cause);
            writeln!(
                out,
                "    CauseEntry {{ id: {id:?}, title: Text::fixed({zh:?}, {en:?}), iso39: &{iso39:?}, zvt_result: &{terminal:?} }},"
            )
            .expect("write to a String");
        }
    }
    out.push_str("];\n");
    let named: Vec<String> = named_in_code(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .into_iter()
        .collect();
    for id in &named {
        assert!(seen.contains(id), "cause!(\"{id}\") names no cause of kb/");
    }
    writeln!(
        out,
        "/// Every cause the code of this crate names with `cause!`, for the knowledge base's\n/// check that each cause can be reached.\npub const NAMED_IN_CODE: &[&str] = &{named:?};"
    )
    .expect("write to a String");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("kb_causes.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}

/// The ids in `cause!("…")` anywhere under `dir`.
fn named_in_code(dir: &Path) -> std::collections::BTreeSet<String> {
    let mut ids = std::collections::BTreeSet::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        println!("cargo:rerun-if-changed={}", dir.display());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for piece in text.split("cause!(\"").skip(1) {
                    // Doc comments show `cause!("…")`: only ids shaped like one count.
                    let id = piece.split('"').next().unwrap_or_default();
                    let shaped = id.contains('.')
                        && id
                            .bytes()
                            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.'));
                    if shaped {
                        ids.insert(id.to_owned());
                    }
                }
            }
        }
    }
    ids
}

fn str_of<'a>(value: &'a toml::Value, key: &str, file: &Path) -> &'a str {
    value
        .get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("an entry in {} has no string '{key}'", file.display()))
}

/// The response codes and ZVT results a cause's `confirm` names with nothing else.
fn codes_alone(cause: &toml::Value) -> (Vec<String>, Vec<String>) {
    let (mut iso39, mut zvt) = (Vec::new(), Vec::new());
    let matchers = cause.get("confirm").and_then(|c| c.as_array());
    for m in matchers.into_iter().flatten() {
        if m.get("verdict").is_some() || m.get("reversal").is_some() {
            continue;
        }
        let list = |key: &str| -> Vec<String> {
            m.get(key)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|c| c.as_str())
                .map(|c| c.trim().to_ascii_uppercase())
                .collect()
        };
        iso39.extend(list("iso39"));
        zvt.extend(list("zvt_result"));
    }
    (iso39, zvt)
}
