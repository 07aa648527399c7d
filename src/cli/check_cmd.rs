//! `posdiag check`: run the checks headless and print a report.

use std::process::ExitCode;

use super::args::{CheckArgs, GlobalArgs};
use super::exit::{self, CliError};
use super::setup::{load_session_config, open_capture};
use crate::i18n::Lang;
use crate::report::CheckRun;
use crate::session::EventBus;

pub fn run(global: &GlobalArgs, args: &CheckArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let config = load_session_config(
        args.demo.then_some(args.terminal),
        &args.connect,
        &args.faults.faults,
    )?;
    let profile_name = config.profile.name.clone();
    super::runtime()?.block_on(async {
        let bus = EventBus::new();
        let capture_rx = bus.subscribe();
        let session = crate::session::open(config, bus.clone())
            .await
            .map_err(CliError::usage)?;
        let target = session.target();
        let faults: Vec<String> = session.fault_args();
        let capture = open_capture(global, &profile_name, &target, faults, capture_rx)?;
        if let Some(e) = session.nexo_preflight().await {
            if e.cause_id() == Some("keys.shared_key_mismatch") {
                // A wrong key makes every check meaningless: one line naming the key
                // identifier and version (never the passphrase), no report.
                drop(session);
                bus.close();
                let _ = capture.finish().await;
                eprintln!("error: {}", e.text().get(lang));
                return Ok(exit::code(3));
            }
        }
        let connect_error = session.connect().await.err();
        let (checks, duration) = session.run_checks(&args.only, None).await;
        drop(session);
        bus.close();
        let capture_path = capture.finish().await;
        let run = CheckRun {
            profile: profile_name,
            target,
            checks,
            duration,
            capture: capture_path,
        };
        super::stdout::print(&run.render(args.format, lang))?;
        if let Some(e) = connect_error {
            let hint = e.hint();
            eprintln!("error: {e}\nhint: {}", hint.get(lang));
            return Ok(exit::code(3));
        }
        Ok(if run.failed() {
            exit::code(1)
        } else {
            exit::OK
        })
    })
}
