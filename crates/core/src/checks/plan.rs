//! Which checks exist and how a run is put together from a profile's settings.

use std::time::Duration;

use super::host_probe::HostProbe;
use super::printer_probe::PrinterProbe;
use super::runner::{CheckSpec, PlannedCheck};
use super::{
    clock, host, host_diagnosis, keys, link, network, network_tls, power, reader, terminal, Area,
};
use super::{printer, printer_identity, printer_link, printer_terminal};
use crate::drivers::iso8583::HostEndpoint;
use crate::drivers::terminal::TerminalProbe;
use crate::profile::CheckSettings;

/// What a run can use.
pub struct CheckContext<'a> {
    pub terminal: Option<&'a TerminalProbe>,
    /// The receipt printer (ESC/POS), when the profile has one.
    pub printer: Option<&'a PrinterProbe>,
    pub settings: &'a CheckSettings,
    /// Run the card-read test (profile `read_card_probe`).
    pub read_card_probe: bool,
    /// The acquirer host channel's probe, when the profile has a host.
    pub host: Option<&'a HostProbe>,
    /// Run the terminal's own host diagnosis (profile `host_diagnosis_probe`).
    pub host_diagnosis_probe: bool,
}

/// Every check of the host channel for this endpoint, in display order (TLS only over TLS).
pub fn host_specs(endpoint: &HostEndpoint) -> Vec<CheckSpec> {
    let mut specs = vec![network::DNS, network::TCP];
    if matches!(endpoint, HostEndpoint::Tls { .. }) {
        specs.push(network_tls::TLS);
    }
    specs.extend([network::LATENCY, host::SIGN_ON, host::ECHO, host::KEYS]);
    specs
}

/// Every check posdiag has, whatever the profile: for lists, titles and validation.
pub fn all_specs() -> Vec<CheckSpec> {
    let tls = HostEndpoint::Tls {
        addr: String::new(),
        tls: Default::default(),
    };
    let mut specs = terminal_specs();
    specs.push(host_diagnosis::TERMINAL_DIAGNOSIS);
    specs.extend(printer_specs());
    specs.push(printer_terminal::TERMINAL_PRINTER);
    specs.extend(host_specs(&tls));
    specs
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
        specs.push(host_diagnosis::TERMINAL_DIAGNOSIS);
    }
    if let Some(h) = ctx.host {
        specs.extend(host_specs(h.channel().endpoint()));
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
            if spec.area == Area::Network
                || (spec.area == Area::Host && spec.id != "host.terminal_diagnosis")
            {
                let work = host_work(ctx.host?, spec.id, timeout)?;
                return Some(PlannedCheck {
                    spec,
                    timeout,
                    work,
                });
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
                    "host.terminal_diagnosis" => Box::pin(host_diagnosis::terminal_diagnosis(
                        probe,
                        ctx.host_diagnosis_probe,
                    )),
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

type Work<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = super::CheckResult> + Send + 'a>>;

/// The work of a network or host check.
fn host_work<'a>(probe: &'a HostProbe, id: &str, timeout: Duration) -> Option<Work<'a>> {
    let endpoint = probe.channel().endpoint();
    let connect = probe.channel().config().connect_timeout;
    let addr = endpoint.addr();
    Some(match id {
        "network.dns" => Box::pin(network::dns(addr, connect)),
        "network.tcp" => Box::pin(network::tcp(addr, connect)),
        "network.tls" => match endpoint {
            HostEndpoint::Tls { addr, tls } => Box::pin(network_tls::tls(addr, tls, connect)),
            HostEndpoint::Tcp(_) => return None,
        },
        "network.latency" => Box::pin(network::latency(probe, timeout)),
        "host.sign_on" => Box::pin(host::sign_on(probe)),
        "host.echo" => Box::pin(host::echo(probe)),
        "host.keys" => Box::pin(host::keys(probe)),
        _ => return None,
    })
}
