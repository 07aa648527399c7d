//! `posdiag sim --terminal concert`: the simulated Ingenico Concert terminal (protocol E/E+) on a
//! pseudo-terminal and/or loopback TCP.

use std::io::Write as _;
use std::process::ExitCode;

use super::args::{ListFormat, SimArgs};
use super::exit::{self, CliError};
use crate::i18n::Lang;
use crate::sim::{ConcertSimConfig, Fault};

pub fn run(args: &SimArgs, faults: Vec<Fault>, lang: Lang) -> Result<ExitCode, CliError> {
    if args.terminal_host.is_some()
        || args.printer_tcp.is_some()
        || args.printer_pty
        || args.host_tcp.is_some()
    {
        return Err(CliError::usage(anyhow::anyhow!(
            "--terminal concert serves only the terminal (--terminal-pty and/or --terminal-tcp ADDR); start the printer or host in another `posdiag sim`"
        )));
    }
    let mut config = ConcertSimConfig {
        faults,
        tcp: args.terminal_tcp.clone(),
        pty: args.terminal_pty,
    };
    if config.tcp.is_none() && !config.pty {
        config.pty = true;
    }
    super::runtime()?.block_on(async {
        let handle = crate::sim::start_concert(config)
            .await
            .map_err(CliError::usage)?;
        match args.format {
            ListFormat::Text => {
                for line in handle.endpoint_lines() {
                    super::stdout::println(&line)?;
                }
            }
            ListFormat::Json => {
                let json = serde_json::json!({
                    "protocol": "concert",
                    "terminal_tcp": handle.tcp.map(|a| a.to_string()),
                    "terminal_pty": handle.pty,
                });
                super::stdout::println(&json.to_string())?;
            }
        }
        let _ = std::io::stdout().flush();
        super::sim_cmd::wait_for_ctrl_c(lang).await;
        drop(handle);
        Ok(exit::OK)
    })
}
