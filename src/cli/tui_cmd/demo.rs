//! `posdiag demo`: the TUI on the built-in simulator, optionally with a named scenario (its
//! faults, and its story as the first notice) and at a chosen pace.

use std::process::ExitCode;

use super::targets::demo_targets;
use super::{run_ui, Heading};
use crate::cli::args::{DemoArgs, GlobalArgs};
use crate::cli::exit::CliError;
use crate::cli::setup::load_session_config;
use crate::i18n::{Lang, Text};
use crate::tui::UiMode;

/// `posdiag demo`: the TUI on the built-in simulated POS.
pub fn run_demo(global: &GlobalArgs, args: &DemoArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let mut faults = args.faults.faults.clone();
    let story = match &args.scenario {
        None => None,
        Some(name) => {
            let s = crate::sim::scenario(name).ok_or_else(|| {
                let names: Vec<&str> = crate::sim::SCENARIOS.iter().map(|s| s.name).collect();
                CliError::usage(anyhow::anyhow!(
                    "unknown scenario '{name}'; use one of: {}",
                    names.join(", ")
                ))
            })?;
            faults.extend(s.faults.iter().map(|f| (*f).to_owned()));
            Some((s.name, s.story.clone()))
        }
    };
    let mut config = load_session_config(Some(args.terminal), &Default::default(), &faults)?;
    if let Some(sim) = config.profile.simulator.as_mut() {
        sim.pace = args.pace;
    }
    let (title, intro) = match story {
        Some((name, story)) => (
            Text::new(format!("模拟器 · {name}"), format!("simulator · {name}")),
            Some(story),
        ),
        None => (Text::fixed("模拟器", "simulator"), None),
    };
    let targets = demo_targets(&config.profile, &config.faults);
    run_ui(
        global,
        lang,
        UiMode::Demo,
        Heading { title, intro },
        Some(config),
        targets,
    )
}
