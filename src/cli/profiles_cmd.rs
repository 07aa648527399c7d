//! `posdiag profiles list|show|check`.

use std::process::ExitCode;

use super::args::ProfilesAction;
use super::exit::{self, CliError};
use crate::i18n::Lang;
use crate::profile::{self, ProfileSource};

pub fn run(action: &ProfilesAction, lang: Lang) -> Result<ExitCode, CliError> {
    match action {
        ProfilesAction::List => {
            let mut names: Vec<String> = profile::builtin_names()
                .iter()
                .map(|s| s.to_string())
                .collect();
            if let Some(dir) = profile::user_profile_dir() {
                if let Ok(entries) = std::fs::read_dir(&dir) {
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
            for name in names {
                match profile::load_profile(&name) {
                    Ok((p, source)) => {
                        let origin = match &source {
                            ProfileSource::BuiltIn => match lang {
                                Lang::Zh => "内置".to_owned(),
                                Lang::En => "built-in".to_owned(),
                            },
                            other => other.to_string(),
                        };
                        super::stdout::println(&format!(
                            "{:<14} {}  [{origin}]",
                            p.name,
                            p.description.get(lang)
                        ))?;
                    }
                    Err(e) => super::stdout::println(&format!("{name:<14} ERROR: {e}"))?,
                }
            }
            Ok(exit::OK)
        }
        ProfilesAction::Show { name } => {
            let (p, source) = profile::load_profile(name).map_err(CliError::usage)?;
            let text =
                toml::to_string_pretty(&p).map_err(|e| CliError::failure(anyhow::anyhow!(e)))?;
            super::stdout::print(&format!("# {name} ({source})\n{text}"))?;
            Ok(exit::OK)
        }
        ProfilesAction::Check { file } => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                CliError::usage(anyhow::anyhow!(
                    "cannot read profile file '{}': {e}",
                    file.display()
                ))
            })?;
            let p = profile::parse_profile(&text, &file.display().to_string())
                .map_err(CliError::usage)?;
            super::stdout::println(&match lang {
                Lang::Zh => format!("{}: 配置文件有效（{}）", file.display(), p.name),
                Lang::En => format!("{}: profile is valid ({})", file.display(), p.name),
            })?;
            Ok(exit::OK)
        }
    }
}
