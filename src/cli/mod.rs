//! The edge: parses the command line, sets up logging, runs a mode, maps errors to exit codes.

mod addr_arg;
mod args;
mod args_decode;
mod check_cmd;
mod decode_cmd;
mod decode_concert;
mod decode_nexo;
mod exit;
mod guide_cmd;
mod identify_cmd;
mod logging;
pub mod open_session;
mod ports_cmd;
mod profiles_cmd;
mod replay_cmd;
mod report_cmd;
mod setup;
mod sim_cmd;
mod sim_concert_cmd;
mod sim_nexo_cmd;
mod stdout;
mod tap_cmd;
mod tap_events;
mod tap_output;
mod tap_serial_cmd;
mod tap_tui;
mod tui_cmd;
mod txn_cmd;

use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, Command};
use exit::CliError;

use crate::i18n::Lang;

/// Runs the CLI with the process arguments.
pub fn main() -> ExitCode {
    crate::localtime::init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    exit::OK
                }
                _ => exit::code(2),
            };
        }
    };
    let lang = cli.global.lang.unwrap_or_else(Lang::from_env);
    // `decode` only reads bytes and prints them explained: it logs nothing of its own, so it
    // starts no logger unless --log-file asks for one (the logger's thread and code were most
    // of what a decode held above `--version`: issue 16).
    let wants_log =
        cli.global.log_file.is_some() || !matches!(cli.command, Some(Command::Decode(_)));
    let _log_guard = if wants_log {
        match start_logging(cli.global.log_file.as_deref()) {
            Ok(guard) => guard,
            Err(code) => return code,
        }
    } else {
        None
    };
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "posdiag started");
    match run(cli, lang) {
        Ok(code) => code,
        // `| head` closed the pipe: the output that mattered was read.
        Err(CliError { error, .. }) if stdout::is_closed_stdout(&error) => exit::OK,
        Err(CliError { code, error }) => {
            tracing::error!("{error:#}");
            eprintln!("error: {error:#}");
            exit::code(code)
        }
    }
}

/// Starts the file logger at `log_file`, or at the default place (best effort there: a
/// read-only home must not stop a check). A `--log-file` that cannot be opened is exit 2.
fn start_logging(
    log_file: Option<&std::path::Path>,
) -> Result<Option<tracing_appender::non_blocking::WorkerGuard>, ExitCode> {
    let log_path = log_file
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(logging::default_log_path);
    let filter = match logging::filter_from_env() {
        Ok(filter) => filter,
        // The variable may be set for another program: say so, and log at the default level.
        Err(e) => {
            eprintln!("warning: {e:#}; logging at info");
            logging::default_filter()
        }
    };
    match logging::init(&log_path, filter) {
        Ok(guard) => Ok(Some(guard)),
        Err(e) if log_file.is_some() => {
            eprintln!("error: {e:#}");
            Err(exit::code(2))
        }
        Err(_) => Ok(None),
    }
}

fn run(cli: Cli, lang: Lang) -> Result<ExitCode, CliError> {
    let global = cli.global;
    match cli.command {
        None => tui_cmd::run_connect_screen(&global, lang),
        Some(Command::Demo(args)) => tui_cmd::run_demo(&global, &args, lang),
        Some(Command::Tui(args)) => tui_cmd::run_profile(&global, &args, lang),
        Some(Command::Check(args)) => check_cmd::run(&global, &args, lang),
        Some(Command::Ports(args)) => ports_cmd::run(&args, lang),
        Some(Command::Identify(args)) => identify_cmd::run(&args, lang),
        Some(Command::Sim(args)) => sim_cmd::run(&args, lang),
        Some(Command::Tap(args)) => tap_cmd::run(&global, &args, lang),
        Some(Command::Txn(args)) => txn_cmd::run(&global, &args, lang),
        Some(Command::Decode(args)) => decode_cmd::run(&args, lang),
        Some(Command::Report(args)) => report_cmd::run(&global, &args, lang),
        Some(Command::Replay(args)) => replay_cmd::run(&args, lang),
        Some(Command::Guide(args)) => guide_cmd::run(&args, lang),
        Some(Command::Profiles { action }) => profiles_cmd::run(&action, lang),
    }
}

/// A multi-threaded tokio runtime for the async modes.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(anyhow::anyhow!("cannot start the async runtime: {e}")))
}
