//! `posdiag txn pay|reverse|abort|eod|repeat-receipt (--demo [--fault F]… | --profile P)
//! [--amount 12.34] [--card PAN] [--receipt N] --yes [--format text|json]`: one transaction,
//! headless, printed with its timeline and verdict and written to the capture.

use std::process::ExitCode;

use super::args::{GlobalArgs, ListFormat, TxnAction, TxnArgs};
use super::exit::{self, CliError};
use super::setup::{load_session_config, open_capture_with_dialect, CaptureIncomplete};
use crate::i18n::Lang;
use crate::report::TxnReport;
use crate::session::{parse_amount, EventBus, TxnRequest};

fn request(args: &TxnArgs) -> Result<TxnRequest, CliError> {
    let usage = |m: &str| CliError::usage(anyhow::anyhow!("{m}"));
    Ok(match args.action {
        TxnAction::Pay => {
            let amount = args
                .amount
                .as_deref()
                .ok_or_else(|| usage("a payment needs --amount, e.g. --amount 12.34"))?;
            TxnRequest::Pay {
                amount_minor: parse_amount(amount).map_err(CliError::usage)?,
            }
        }
        TxnAction::Reverse => TxnRequest::Reverse {
            receipt_no: args
                .receipt
                .ok_or_else(|| usage("a reversal needs the receipt number: --receipt N"))?,
        },
        TxnAction::Abort => TxnRequest::Abort,
        TxnAction::Eod => TxnRequest::EndOfDay,
        TxnAction::RepeatReceipt => TxnRequest::RepeatReceipt,
    })
}

pub fn run(global: &GlobalArgs, args: &TxnArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let request = request(args)?;
    if let Some(card) = &args.card {
        if !args.demo {
            return Err(CliError::usage(
                crate::session::TxnError::CardOnRealTerminal,
            ));
        }
        crate::session::check_card(card).map_err(CliError::usage)?;
    }
    let config = load_session_config(
        args.demo.then_some(args.terminal),
        &args.connect,
        &args.faults.faults,
    )?;
    let protocol = crate::session::terminal_protocol_of(&config.profile);
    if protocol == crate::drivers::terminal::TerminalProtocol::Concert {
        return Err(CliError::usage(crate::session::TxnError::NotOverConcert));
    }
    if config.profile.simulator.is_none() && !args.yes {
        let effect = request.effect_on(protocol);
        return Err(CliError::usage(anyhow::anyhow!(
            "refusing without --yes: this is a real terminal.\n{}\n{}\nAdd --yes to confirm that you mean it (use a test terminal, or have the shop's consent).",
            effect.get(lang),
            if lang == Lang::Zh { effect.en.as_ref() } else { effect.zh.as_ref() }
        )));
    }
    let profile_name = config.profile.name.clone();
    let dialect = config.profile.host.as_ref().map(|h| h.dialect.clone());
    super::runtime()?.block_on(async {
        let bus = EventBus::new();
        let capture_rx = bus.subscribe();
        let session = crate::session::open(config, bus.clone())
            .await
            .map_err(CliError::usage)?;
        let target = session.target();
        let protocol = session.terminal_protocol();
        let faults: Vec<String> = session.fault_args();
        let capture =
            open_capture_with_dialect(global, &profile_name, &target, faults, capture_rx, dialect)?;
        if let Some(e) = session.nexo_preflight().await {
            // One line: the terminal cannot be reached or refuses the key (which names the
            // key identifier and version, never the passphrase).
            drop(session);
            bus.close();
            let _ = capture.finish().await;
            eprintln!("error: {}", e.text().get(lang));
            return Ok(exit::code(3));
        }
        if let Err(e) = session.connect().await {
            drop(session);
            bus.close();
            let capture_result = capture.finish().await;
            let hint = e.hint();
            eprintln!("error: {e}\nhint: {}", hint.get(lang));
            if let Err(incomplete) = capture_result {
                incomplete.report(lang);
            }
            return Ok(exit::code(3));
        }
        let outcome = session
            .run_transaction(request, args.card.as_deref())
            .await
            .map_err(CliError::usage)?;
        drop(session);
        bus.close();
        let capture_result = capture.finish().await;
        let report = TxnReport {
            command: request.name_on(protocol),
            profile: profile_name,
            target,
            transaction: outcome.record.clone(),
            error: outcome.error.clone(),
            duration: outcome.duration,
            capture: Some(match &capture_result {
                Ok(path) => path.clone(),
                Err(incomplete) => incomplete.path.clone(),
            }),
        };
        match args.format {
            ListFormat::Text => super::stdout::print(&report.to_text(lang))?,
            ListFormat::Json => super::stdout::print(&report.to_json(lang))?,
        }
        let approved =
            outcome.record.as_ref().and_then(|r| r.verdict.as_deref()) == Some("APPROVED");
        let code = match (&outcome.record, approved) {
            (_, true) => 0,
            (None, _) if outcome.error.is_some() => 3,
            _ => 1,
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
