//! Which checks exist and how a run is put together from a profile's settings.

use std::time::Duration;

use super::printer_probe::PrinterProbe;
use super::probe::TerminalProbe;
use super::runner::{CheckSpec, PlannedCheck};
use super::{clock, keys, link, power, reader, terminal, Area};
use super::{printer, printer_identity, printer_link, printer_terminal};
use crate::profile::CheckSettings;

/// What a run can use.
pub struct CheckContext<'a> {
    pub terminal: Option<&'a TerminalProbe>,
    /// The receipt printer (ESC/POS), when the profile has one.
    pub printer: Option<&'a PrinterProbe>,
    pub settings: &'a CheckSettings,
    /// Run the card-read test (profile `read_card_probe`).
    pub read_card_probe: bool,
}

/// Every check of the terminal channel, in display order.
pub fn terminal_specs() -> Vec<CheckSpec> {
    vec![
        link::TERMINAL_LINK,
        power::SUPPLY,
        power::BATTERY,
        reader::STATUS,
        reader::CARD_READ,
        terminal::STATUS,
        clock::DRIFT,
        keys::STATE,
    ]
}

/// Every check of the receipt printer channel, in display order.
pub fn printer_specs() -> Vec<CheckSpec> {
    vec![
        printer_link::LINK,
        printer::ONLINE,
        printer::COVER,
        printer::PAPER,
        printer::CUTTER,
        printer::HEAD,
        printer::ERRORS,
        printer_identity::IDENTITY,
    ]
}

/// The checks the context can run, limited to `only` areas (all when empty) or one check id.
pub fn available_specs(
    ctx: &CheckContext<'_>,
    only: &[Area],
    single: Option<&str>,
) -> Vec<CheckSpec> {
    let mut specs = Vec::new();
    if ctx.terminal.is_some() {
        specs.extend(terminal_specs());
    }
    if ctx.printer.is_some() {
        specs.extend(printer_specs());
    }
    if ctx.terminal.is_some() {
        specs.push(printer_terminal::TERMINAL_PRINTER);
    }
    specs.retain(|s| only.is_empty() || only.contains(&s.area));
    if let Some(id) = single {
        specs.retain(|s| s.id == id);
    }
    specs
}

/// Builds the run: each check with its own timeout from the profile.
pub fn plan<'a>(
    ctx: &'a CheckContext<'a>,
    only: &[Area],
    single: Option<&str>,
) -> Vec<PlannedCheck<'a>> {
    available_specs(ctx, only, single)
        .into_iter()
        .filter_map(|spec| {
            let timeout = ctx.settings.timeout_for(spec.id);
            if spec.area == Area::Printer {
                return plan_printer(ctx, spec, timeout);
            }
            let probe = ctx.terminal?;
            let work: std::pin::Pin<Box<dyn std::future::Future<Output = _> + Send + 'a>> =
                match spec.id {
                    "link.terminal" => Box::pin(link::terminal_link(probe, timeout)),
                    "power.supply" => Box::pin(power::supply(probe)),
                    "power.battery" => Box::pin(power::battery(probe)),
                    "reader.status" => Box::pin(reader::status(probe)),
                    "reader.card_read" => Box::pin(reader::card_read(
                        probe,
                        ctx.read_card_probe,
                        timeout.saturating_sub(Duration::from_secs(1)),
                    )),
                    "terminal.status" => Box::pin(terminal::status(probe)),
                    "clock.drift" => Box::pin(clock::drift(probe, ctx.settings.clock_tolerance)),
                    "keys.state" => Box::pin(keys::state(probe)),
                    _ => return None,
                };
            Some(PlannedCheck {
                spec,
                timeout,
                work,
            })
        })
        .collect()
}

/// A printer-area check: the ESC/POS checks on the printer probe, the terminal's own printer
/// on the terminal probe.
fn plan_printer<'a>(
    ctx: &'a CheckContext<'a>,
    spec: CheckSpec,
    timeout: Duration,
) -> Option<PlannedCheck<'a>> {
    type Work<'a> =
        std::pin::Pin<Box<dyn std::future::Future<Output = super::CheckResult> + Send + 'a>>;
    let work: Work<'a> = if spec.id == printer_terminal::TERMINAL_PRINTER.id {
        Box::pin(printer_terminal::terminal_printer(ctx.terminal?))
    } else {
        let probe = ctx.printer?;
        match spec.id {
            "printer.link" => Box::pin(printer_link::link(probe)),
            "printer.online" => Box::pin(printer::online(probe)),
            "printer.cover" => Box::pin(printer::cover(probe)),
            "printer.paper" => Box::pin(printer::paper(probe)),
            "printer.cutter" => Box::pin(printer::cutter(probe)),
            "printer.head" => Box::pin(printer::head(probe)),
            "printer.errors" => Box::pin(printer::errors(probe)),
            "printer.identity" => Box::pin(printer_identity::identity(probe)),
            _ => return None,
        }
    };
    Some(PlannedCheck {
        spec,
        timeout,
        work,
    })
}
