//! `posdiag check`: run the checks headless and print a report.

use std::process::ExitCode;

use super::args::{CheckArgs, GlobalArgs};
use super::exit::{self, CliError};
use super::setup::{load_session_config, open_capture, CaptureIncomplete};
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
            if e.cause_id()
                .is_some_and(|c| c == posdiag_core::cause!("keys.shared_key_mismatch"))
            {
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
        let capture_result = capture.finish().await;
        let run = CheckRun {
            profile: profile_name,
            target,
            checks,
            duration,
            capture: Some(match &capture_result {
                Ok(path) => path.clone(),
                Err(incomplete) => incomplete.path.clone(),
            }),
        };
        super::stdout::print(&run.render(args.format, lang))?;
        let code = if let Some(e) = connect_error {
            let hint = e.hint();
            eprintln!("error: {e}\nhint: {}", hint.get(lang));
            3
        } else {
            u8::from(run.failed())
        };
        Ok(exit::code(match capture_result {
            Ok(_) => code,
            Err(incomplete) => {
                incomplete.report(lang);
                CaptureIncomplete::exit_code(code)
            }
        }))
    })
}
