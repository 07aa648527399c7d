//! `posdiag ports`: serial ports with USB identity and known pitfalls.

use std::process::ExitCode;

use super::args::{ListFormat, PortsArgs};
use super::exit::{self, CliError};
use crate::i18n::Lang;
use crate::link::list_ports;

pub fn run(args: &PortsArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let report = list_ports();
    match args.format {
        ListFormat::Text => super::stdout::print(&report.render_text(lang))?,
        ListFormat::Json => super::stdout::println(
            &serde_json::to_string_pretty(&report)
                .map_err(|e| CliError::failure(anyhow::anyhow!(e)))?,
        )?,
    }
    Ok(exit::OK)
}
