//! A session: opens the channels of a profile — the terminal (ZVT, nexo or Concert), the receipt
//! printer and the acquirer host (ISO 8583), or the endpoints of simulated devices it is handed —
//! runs checks concurrently and emits every [`crate::event::Event`] on one bus.

mod channels;
mod commands;
mod concert;
mod endpoint;
mod event_bus;
mod nexo;
mod printer;
mod reconnect;
mod repair;
mod simulated;
mod txn;
mod txn_names;
mod txn_nexo;

use std::sync::Arc;
use std::time::{Duration, Instant};

pub use commands::{
    CommandEnd, CommandOutcome, Fact, SafetyClass, TerminalCommand, READ_CARD_TIMEOUT_S,
};
pub use endpoint::{host_endpoint, terminal_endpoint, EndpointError};
pub use event_bus::{EventBus, EventReceiver, SUBSCRIBER_QUEUE};
pub use printer::{default_serial as default_printer_serial, printer_endpoint};
pub use reconnect::{LinkStateFilter, LinkWatch, RETRY_EVERY};
pub use simulated::{SimulatedDevices, SimulatedSetup};
pub use txn::{check_card, parse_amount, BadAmount, TxnError, TxnOutcome, TxnRequest};

use crate::checks::{
    self, Area, CheckContext, CheckResult, CheckSpec, HostProbe, HostProbeSettings, PrinterProbe,
};
use crate::drivers::concert::ConcertTerminal;
use crate::drivers::escpos::PrinterChannel;
use crate::drivers::iso8583::HostChannel;
use crate::drivers::terminal::TerminalProbe;
use crate::drivers::zvt::{ZvtChannel, ZvtTerminal};
use crate::event::Event;
use crate::link::LinkError;
use crate::profile::Profile;
use crate::proto::escpos::render::RenderedReceipt;
use crate::proto::zvt::values::Password;

/// What to open.
#[derive(Debug, Clone)]
pub struct SessionSetup {
    pub profile: Profile,
    /// `--serial PORT`: overrides the profile's port (the terminal's; the printer's when the
    /// printer is the profile's only channel).
    pub serial: Option<String>,
    /// `--tcp HOST:PORT`: overrides the profile's address (the terminal's; with no terminal,
    /// the printer's or the host's).
    pub tcp: Option<String>,
    /// Simulated devices to use instead of the profile's (the demo).
    pub simulated: Option<SimulatedSetup>,
}

/// Why a session could not be set up (before any connection attempt).
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The nexo terminal cannot be set up (passphrase, trust file, address).
    #[error(transparent)]
    Nexo(#[from] crate::drivers::nexo::NexoClientError),
}

/// The protocol a profile's terminal speaks: nexo with a `[nexo]` table, else what its
/// `[terminal]` says (ZVT when it has none).
pub fn terminal_protocol_of(profile: &Profile) -> crate::drivers::terminal::TerminalProtocol {
    use crate::drivers::terminal::TerminalProtocol;
    use crate::profile::TerminalProtocol as InProfile;
    match (&profile.nexo, profile.terminal.as_ref().map(|t| t.protocol)) {
        (Some(_), _) => TerminalProtocol::Nexo,
        (None, Some(InProfile::Concert)) => TerminalProtocol::Concert,
        (None, Some(InProfile::Zvt) | None) => TerminalProtocol::Zvt,
    }
}

/// The session's payment terminal, in the protocol its profile names (one at most).
#[derive(Clone)]
enum Terminal {
    /// `[terminal]` with `protocol = "zvt"`.
    Zvt(Arc<ZvtChannel>),
    /// A `[nexo]` table.
    Nexo(Arc<crate::drivers::nexo::NexoClient>),
    /// `[terminal]` with `protocol = "concert"`.
    Concert(Arc<crate::drivers::concert::ConcertLine>),
}

/// An open session.
pub struct Session {
    profile: Profile,
    bus: EventBus,
    terminal: Option<Terminal>,
    printer: Option<Arc<PrinterChannel>>,
    host: Option<Arc<HostChannel>>,
    link_filter: Arc<LinkStateFilter>,
    /// The simulated devices of the demo; kept so they run as long as the session.
    simulated: Option<SimulatedSetup>,
}

impl Session {
    /// Sets the session up; links are opened lazily by the first command (or [`Self::connect`]).
    pub async fn open(setup: SessionSetup, bus: EventBus) -> Result<Session, SessionError> {
        let SessionSetup {
            profile,
            serial,
            tcp,
            simulated,
        } = setup;
        let printer_endpoint;
        let host_end;
        let endpoint = match &simulated {
            Some(sim) => {
                let endpoint = match (&profile.terminal, &sim.terminal) {
                    (Some(_), Some(e)) => Some(e.clone()),
                    (Some(_), None) => return Err(EndpointError::NoSimulatorEndpoint.into()),
                    (None, _) => None,
                };
                printer_endpoint = match (&profile.printer, &sim.printer) {
                    (Some(_), Some(e)) => Some(e.clone()),
                    (Some(_), None) => return Err(EndpointError::NoSimulatorPrinter.into()),
                    (None, _) => None,
                };
                host_end = match (&profile.host, &sim.host) {
                    (Some(_), Some(e)) => Some(e.clone()),
                    (Some(_), None) => return Err(EndpointError::NoSimulatorHost.into()),
                    (None, _) => None,
                };
                endpoint
            }
            None => {
                // --serial / --tcp name the terminal; with no terminal, the printer or the host.
                let printer_only = profile.terminal.is_none();
                printer_endpoint = profile
                    .printer
                    .as_ref()
                    .map(|p| {
                        if printer_only {
                            printer::printer_endpoint(p, serial.as_deref(), tcp.as_deref())
                        } else {
                            printer::printer_endpoint(p, None, None)
                        }
                    })
                    .transpose()?;
                let host_tcp = if profile.terminal.is_some() || profile.printer.is_some() {
                    None
                } else {
                    tcp.as_deref()
                };
                host_end = profile
                    .host
                    .as_ref()
                    .map(|h| host_endpoint(h, host_tcp))
                    .transpose()?;
                profile
                    .terminal
                    .as_ref()
                    .map(|t| terminal_endpoint(t, serial.as_deref(), tcp.as_deref()))
                    .transpose()?
            }
        };
        let nexo = nexo::client(&profile, simulated.as_ref(), tcp.as_deref())?;
        let link_filter = Arc::new(LinkStateFilter::default());
        let terminal = match (nexo, endpoint, &profile.terminal) {
            (Some(client), _, _) => Some(Terminal::Nexo(client)),
            (None, Some(endpoint), Some(settings)) => Some(
                match concert::line(settings, &endpoint, &bus, link_filter.clone()) {
                    Some(line) => Terminal::Concert(line),
                    None => Terminal::Zvt(Arc::new(Self::terminal_channel(
                        endpoint,
                        settings,
                        &bus,
                        link_filter.clone(),
                    ))),
                },
            ),
            _ => None,
        };
        let printer = match (printer_endpoint, &profile.printer) {
            (Some(endpoint), Some(settings)) => {
                Some(printer::printer_channel(endpoint, settings, &bus))
            }
            _ => None,
        };
        let host = match (host_end, &profile.host) {
            (Some(endpoint), Some(settings)) => {
                Some(Arc::new(Self::host_channel(endpoint, settings, &bus)))
            }
            _ => None,
        };
        Ok(Session {
            profile,
            bus,
            terminal,
            printer,
            host,
            link_filter,
            simulated,
        })
    }

    /// The terminal password of the profile (validated as 6 digits when the profile loaded).
    fn password(&self) -> Password {
        self.profile
            .terminal
            .as_ref()
            .and_then(|t| Password::from_digits(&t.password).ok())
            .unwrap_or_default()
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The simulated faults the session runs with, as given (`host.decline=51`).
    pub fn fault_args(&self) -> Vec<String> {
        self.simulated
            .as_ref()
            .map(|s| s.devices.fault_args())
            .unwrap_or_default()
    }

    pub fn bus(&self) -> &EventBus {
        &self.bus
    }

    /// What the session talks to, for headers and the status bar: the terminal, else the
    /// printer.
    pub fn target(&self) -> String {
        match (&self.terminal, &self.printer, &self.host) {
            (Some(Terminal::Zvt(t)), _, _) => t.target(),
            (Some(Terminal::Nexo(n)), _, _) => nexo::target(n),
            (Some(Terminal::Concert(c)), _, _) => c.target(),
            (None, Some(p), _) => format!("printer {}", p.target()),
            (None, None, Some(h)) => format!("host {}", h.target()),
            (None, None, None) => "-".to_owned(),
        }
    }

    /// The printer channel, for operator actions (test print, recovery) after confirmation.
    pub fn printer(&self) -> Option<&Arc<PrinterChannel>> {
        self.printer.as_ref()
    }

    /// The last receipt the built-in simulated printer printed (demo only).
    pub fn simulated_receipt(&self) -> Option<RenderedReceipt> {
        self.simulated
            .as_ref()
            .and_then(|s| s.devices.last_receipt())
    }

    /// The host channel's target, when the profile has one.
    pub fn host_target(&self) -> Option<String> {
        self.host.as_ref().map(|h| h.target())
    }

    /// Opens every channel now. The error of the primary channel — the terminal; with no
    /// terminal, the printer or the host — is returned (exit code 3 headless); an unreachable
    /// host next to a terminal is a finding of the network checks instead.
    pub async fn connect(&self) -> Result<(), LinkError> {
        let terminal = async {
            match &self.terminal {
                Some(Terminal::Zvt(t)) => t.connect().await,
                Some(Terminal::Concert(c)) => c.connect().await,
                // nexo's first exchange is its preflight (`nexo_preflight`).
                Some(Terminal::Nexo(_)) | None => Ok(()),
            }
        };
        let printer = async {
            match &self.printer {
                Some(p) => p.connect().await,
                None => Ok(()),
            }
        };
        let host = async {
            match &self.host {
                Some(h) => h.connect().await,
                None => Ok(()),
            }
        };
        let (terminal, printer, host) = tokio::join!(terminal, printer, host);
        let host_is_primary = self.terminal.is_none() && self.printer.is_none();
        terminal
            .and(printer)
            .and(if host_is_primary { host } else { Ok(()) })
    }

    fn printer_probe(&self) -> Option<PrinterProbe> {
        let channel = self.printer.as_ref()?;
        let settings = self.profile.printer.as_ref()?;
        Some(PrinterProbe::new(
            channel.clone(),
            settings.drawer_open_level,
            settings.identify,
        ))
    }

    /// The terminal as the checks see it: its protocol's driver, with one shared status query
    /// per run.
    fn terminal_probe(&self) -> Option<TerminalProbe> {
        Some(match self.terminal.as_ref()? {
            Terminal::Zvt(channel) => {
                TerminalProbe::new(Arc::new(ZvtTerminal::new(channel.clone(), self.password())))
            }
            Terminal::Nexo(client) => TerminalProbe::new(Arc::new(self.nexo_terminal(client))),
            Terminal::Concert(line) => {
                TerminalProbe::new(Arc::new(ConcertTerminal::new(line.clone())))
            }
        })
    }

    fn host_probe(&self) -> Option<HostProbe> {
        let (channel, settings) = (self.host.as_ref()?, self.profile.host.as_ref()?);
        Some(HostProbe::new(
            channel.clone(),
            HostProbeSettings {
                sign_on: settings.sign_on_probe,
                key_mode: settings.key_mode,
                latency_probes: settings.latency_probes,
                latency_limit: settings.latency_limit,
            },
        ))
    }

    fn context<'a>(
        &'a self,
        probe: Option<&'a TerminalProbe>,
        printer: Option<&'a PrinterProbe>,
        host: Option<&'a HostProbe>,
    ) -> CheckContext<'a> {
        let terminal = self.profile.terminal.as_ref();
        CheckContext {
            terminal: probe,
            printer,
            settings: &self.profile.checks,
            read_card_probe: terminal.is_some_and(|t| t.read_card_probe),
            host,
            // nexo's host state comes with its read-only DiagnosisRequest: no extra contact.
            host_diagnosis_probe: self.is_nexo()
                || terminal.is_some_and(|t| t.host_diagnosis_probe),
        }
    }

    /// The checks this session can run.
    pub fn specs(&self, only: &[Area]) -> Vec<CheckSpec> {
        let probe = self.terminal_probe();
        let printer = self.printer_probe();
        let host = self.host_probe();
        checks::available_specs(
            &self.context(probe.as_ref(), printer.as_ref(), host.as_ref()),
            only,
            None,
        )
    }

    /// Runs the checks of `only` areas (all when empty), or the one check `single`.
    pub async fn run_checks(
        &self,
        only: &[Area],
        single: Option<&str>,
    ) -> (Vec<CheckResult>, Duration) {
        let started = Instant::now();
        let probe = self.terminal_probe();
        let printer = self.printer_probe();
        let host = self.host_probe();
        let ctx = self.context(probe.as_ref(), printer.as_ref(), host.as_ref());
        let planned = checks::plan(&ctx, only, single);
        let bus = self.bus.clone();
        let results = checks::run_concurrently(planned, &move |p| {
            bus.emit(match p {
                checks::CheckProgress::Started { id, area } => Event::CheckStarted {
                    id: id.to_owned(),
                    area,
                },
                checks::CheckProgress::Finished(result) => Event::CheckFinished(result),
            })
        })
        .await;
        let duration = started.elapsed();
        self.bus.emit(Event::RunFinished { duration });
        (results, duration)
    }
}
