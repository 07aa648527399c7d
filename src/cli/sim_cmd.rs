//! `posdiag sim`: the simulator alone, loopback only, one line per endpoint.

use std::io::Write as _;
use std::process::ExitCode;

use super::args::{ListFormat, SimArgs, SimTerminalKind};
use super::exit::{self, CliError};
use crate::i18n::Lang;
use crate::sim::{parse_faults, SimConfig};

pub fn run(args: &SimArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let faults = parse_faults(&args.faults.faults).map_err(CliError::usage)?;
    if args.terminal == SimTerminalKind::Nexo {
        return super::sim_nexo_cmd::run(args, faults, lang);
    }
    crate::sim::refuse_nexo_only(&faults).map_err(CliError::usage)?;
    if args.terminal == SimTerminalKind::Concert {
        return super::sim_concert_cmd::run(args, faults, lang);
    }
    let mut config = SimConfig {
        faults,
        terminal_tcp: args.terminal_tcp.clone(),
        terminal_pty: args.terminal_pty,
        printer_tcp: args.printer_tcp.clone(),
        printer_pty: args.printer_pty,
        host_tcp: args.host_tcp.clone(),
        pace: 0.0,
        terminal_host: args.terminal_host.clone(),
    };
    let nothing_asked = config.terminal_tcp.is_none()
        && !config.terminal_pty
        && config.printer_tcp.is_none()
        && !config.printer_pty
        && config.host_tcp.is_none();
    if nothing_asked {
        config.terminal_tcp = Some("127.0.0.1:20007".to_owned());
    }
    super::runtime()?.block_on(async {
        let handle = crate::sim::start(config).await.map_err(CliError::usage)?;
        match args.format {
            ListFormat::Text => {
                for line in handle.endpoint_lines() {
                    super::stdout::println(&line)?;
                }
            }
            ListFormat::Json => {
                let json = serde_json::json!({
                    "terminal_tcp": handle.terminal_tcp.map(|a| a.to_string()),
                    "terminal_pty": handle.terminal_pty,
                    "printer_tcp": handle.printer_tcp.map(|a| a.to_string()),
                    "printer_pty": handle.printer_pty,
                    "host_tcp": handle.host_tcp.map(|a| a.to_string()),
                    "host_closed": handle.host_closed,
                });
                super::stdout::println(&json.to_string())?;
            }
        }
        let _ = std::io::stdout().flush();
        wait_for_ctrl_c(lang).await;
        drop(handle);
        Ok(exit::OK)
    })
}

/// Tells the user how to stop the simulator and waits for Ctrl-C.
pub(super) async fn wait_for_ctrl_c(lang: Lang) {
    let note = match lang {
        Lang::Zh => "模拟器运行中，按 Ctrl-C 停止",
        Lang::En => "simulator running; Ctrl-C stops it",
    };
    eprintln!("{note}");
    let _ = tokio::signal::ctrl_c().await;
}
