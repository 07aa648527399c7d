//! Finding and parsing profiles, with errors that point at the line and column.

use std::path::{Path, PathBuf};

use super::schema::Profile;

/// Built-in profiles, compiled in from `profiles/`.
const BUILTIN: &[(&str, &str)] = &[
    ("demo", include_str!("../../../../profiles/demo.toml")),
    (
        "escpos-serial",
        include_str!("../../../../profiles/escpos-serial.toml"),
    ),
    (
        "escpos-tcp",
        include_str!("../../../../profiles/escpos-tcp.toml"),
    ),
    (
        "zvt-serial",
        include_str!("../../../../profiles/zvt-serial.toml"),
    ),
    ("zvt-tcp", include_str!("../../../../profiles/zvt-tcp.toml")),
    (
        "concert-serial",
        include_str!("../../../../profiles/concert-serial.toml"),
    ),
    (
        "cup-host",
        include_str!("../../../../profiles/cup-host.toml"),
    ),
    (
        "demo-nexo",
        include_str!("../../../../profiles/demo-nexo.toml"),
    ),
    (
        "nexo-local",
        include_str!("../../../../profiles/nexo-local.toml"),
    ),
];

/// Where a profile came from (shown by `profiles list|show`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileSource {
    BuiltIn,
    UserFile(PathBuf),
    File(PathBuf),
}

impl std::fmt::Display for ProfileSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProfileSource::BuiltIn => write!(f, "built-in"),
            ProfileSource::UserFile(p) | ProfileSource::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// Why a profile could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("no profile named '{name}'; available: {}", available.join(", "))]
    NotFound {
        name: String,
        available: Vec<String>,
    },
    #[error("cannot read profile file '{path}': {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}:{line}:{column}: {message}")]
    Parse {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
}

/// Names of the built-in profiles.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

/// Every profile that can be loaded by name: the built-in ones in their order, then the user's
/// own (`<config dir>/posdiag/profiles/*.toml`) by name. A user file that overrides a built-in
/// profile is listed once, in the built-in place.
pub fn all_names() -> Vec<String> {
    let mut names: Vec<String> = builtin_names().into_iter().map(str::to_owned).collect();
    let mut user = user_names();
    user.retain(|n| !names.contains(n));
    names.extend(user);
    names
}

/// Names of the user's profile files, sorted.
fn user_names() -> Vec<String> {
    let mut names = Vec::new();
    if let Some(dir) = user_profile_dir() {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let p = e.path();
                if p.extension().is_some_and(|x| x == "toml") {
                    if let Some(stem) = p.file_stem() {
                        names.push(stem.to_string_lossy().into_owned());
                    }
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// `<config dir>/posdiag/profiles`, where user profiles override built-in ones.
pub fn user_profile_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "posdiag").map(|d| d.config_dir().join("profiles"))
}

/// Loads a profile by name (user file, then built-in) or by path (anything with a `.toml`
/// extension or a path separator).
pub fn load_profile(name_or_path: &str) -> Result<(Profile, ProfileSource), ProfileError> {
    let as_path = Path::new(name_or_path);
    let looks_like_path = name_or_path.ends_with(".toml")
        || name_or_path.contains('/')
        || name_or_path.contains(std::path::MAIN_SEPARATOR);
    if looks_like_path {
        return load_file(as_path).map(|p| (p, ProfileSource::File(as_path.to_owned())));
    }
    if let Some(dir) = user_profile_dir() {
        let file = dir.join(format!("{name_or_path}.toml"));
        if file.is_file() {
            return load_file(&file).map(|p| (p, ProfileSource::UserFile(file)));
        }
    }
    if let Some((_, text)) = BUILTIN.iter().find(|(n, _)| *n == name_or_path) {
        return parse_profile(text, &format!("built-in profile '{name_or_path}'"))
            .map(|p| (p, ProfileSource::BuiltIn));
    }
    let mut available = all_names();
    available.sort();
    Err(ProfileError::NotFound {
        name: name_or_path.to_owned(),
        available,
    })
}

fn load_file(path: &Path) -> Result<Profile, ProfileError> {
    let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_profile(&text, &path.display().to_string())
}

/// Parses and validates profile TOML; `origin` names the source in error messages.
pub fn parse_profile(text: &str, origin: &str) -> Result<Profile, ProfileError> {
    let profile: Profile = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_col(text, span.start))
            .unwrap_or((1, 1));
        ProfileError::Parse {
            origin: origin.to_owned(),
            line,
            column,
            message: e.message().to_owned(),
        }
    })?;
    validate(&profile).map_err(|e| ProfileError::Invalid {
        origin: origin.to_owned(),
        message: e.to_string(),
    })?;
    Ok(profile)
}

/// A profile setting that is not valid: which one, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting} {problem}")]
pub struct InvalidSetting {
    /// The key or table (`terminal.password`, `host`), as the profile spells it.
    pub setting: &'static str,
    pub problem: String,
}

pub(super) fn invalid(setting: &'static str, problem: impl Into<String>) -> InvalidSetting {
    InvalidSetting {
        setting,
        problem: problem.into(),
    }
}

fn validate(p: &Profile) -> Result<(), InvalidSetting> {
    if p.description.is_incomplete() {
        return Err(invalid("description", "needs both zh and en text"));
    }
    if let Some(t) = &p.terminal {
        if t.password.len() != 6 || !t.password.bytes().all(|b| b.is_ascii_digit()) {
            let stars = "*".repeat(t.password.len());
            return Err(invalid(
                "terminal.password",
                format!("must be 6 digits, got '{stars}'"),
            ));
        }
        if p.simulator.is_none() && t.serial.is_none() && t.tcp.is_none() {
            return Err(invalid(
                "terminal",
                "needs a [terminal.serial] table or a tcp = \"HOST:PORT\" address",
            ));
        }
    }
    if let Some(printer) = &p.printer {
        if p.simulator.is_none() && printer.serial.is_none() && printer.tcp.is_none() {
            return Err(invalid(
                "printer",
                "needs a [printer.serial] table or a tcp = \"HOST:9100\" address",
            ));
        }
    }
    if let Some(h) = &p.host {
        validate_host(h, p.simulator.is_some())?;
    }
    if let Some(n) = &p.nexo {
        if p.terminal.is_some() {
            return Err(invalid(
                "nexo",
                "and [terminal] both name a payment terminal; a profile has one: [nexo] for an Adyen terminal, [terminal] for a ZVT or Concert one",
            ));
        }
        n.validate()?;
    }
    Ok(())
}

fn validate_host(h: &super::schema::HostSettings, simulated: bool) -> Result<(), InvalidSetting> {
    if h.tcp.is_none() && !simulated {
        return Err(invalid("host", "needs a tcp = \"HOST:PORT\" address"));
    }
    h.dialect
        .validate()
        .map_err(|e| invalid("host.dialect", format!("is not valid: {e}")))?;
    if h.tid.is_empty() || h.tid.len() > 8 || !h.tid.is_ascii() {
        let tid = &h.tid;
        return Err(invalid(
            "host.tid",
            format!("must be up to 8 ASCII characters, got '{tid}'"),
        ));
    }
    if h.mid.is_empty() || h.mid.len() > 15 || !h.mid.is_ascii() {
        let mid = &h.mid;
        return Err(invalid(
            "host.mid",
            format!("must be up to 15 ASCII characters, got '{mid}'"),
        ));
    }
    if h.batch.len() != 6 || !h.batch.bytes().all(|b| b.is_ascii_digit()) {
        let batch = &h.batch;
        return Err(invalid(
            "host.batch",
            format!("must be 6 digits, got '{batch}'"),
        ));
    }
    if h.operator.chars().count() > 3 {
        let operator = &h.operator;
        return Err(invalid(
            "host.operator",
            format!("must be up to 3 characters, got '{operator}'"),
        ));
    }
    if !(1..=100).contains(&h.latency_probes) {
        let n = h.latency_probes;
        return Err(invalid(
            "host.latency_probes",
            format!("must be 1 to 100, got {n}"),
        ));
    }
    if let Some(key) = &h.test_master_key {
        crate::proto::iso8583::MasterKey::from_hex(key.expose())
            .map_err(|e| invalid("host.test_master_key", format!("is not valid: {e}")))?;
    }
    Ok(())
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses() {
        for name in builtin_names() {
            let (p, src) = load_profile(name).expect(name);
            assert_eq!(p.name, name);
            assert_eq!(src, ProfileSource::BuiltIn);
        }
    }

    #[test]
    fn unknown_key_has_line_and_column() {
        let text = "name = \"x\"\ndescription = { zh = \"x\", en = \"x\" }\n[checks]\ntimeout = \"5s\"\nclock_tolerance = \"1m\"\nbogus = 1\n";
        match parse_profile(text, "f.toml") {
            Err(ProfileError::Parse {
                line,
                column,
                message,
                ..
            }) => {
                assert_eq!((line, column), (6, 1), "{message}");
                assert!(message.contains("bogus"), "{message}");
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn bad_duration_is_explained() {
        let text = "name = \"x\"\ndescription = { zh = \"x\", en = \"x\" }\n[checks]\ntimeout = \"5 parsecs\"\nclock_tolerance = \"1m\"\n";
        let err = parse_profile(text, "f.toml").unwrap_err().to_string();
        assert!(err.starts_with("f.toml:4:"), "{err}");
    }

    #[test]
    fn unknown_name_lists_available() {
        let err = load_profile("nope").unwrap_err().to_string();
        assert!(err.contains("zvt-tcp"), "{err}");
    }
}
