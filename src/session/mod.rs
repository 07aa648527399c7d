//! A session: opens the channels of a profile (starting the built-in simulator for the demo),
//! runs checks concurrently and emits every [`crate::event::Event`] on one bus.

mod commands;
mod endpoint;
mod event_bus;
mod reconnect;

use std::sync::Arc;
use std::time::{Duration, Instant};

pub use commands::{
    CommandEnd, CommandOutcome, Fact, SafetyClass, TerminalCommand, READ_CARD_TIMEOUT_S,
};
pub use endpoint::{terminal_endpoint, EndpointError};
pub use event_bus::EventBus;
pub use reconnect::{LinkStateFilter, LinkWatch, RETRY_EVERY};

use crate::checks::{self, Area, CheckContext, CheckResult, CheckSpec, TerminalProbe};
use crate::drivers::zvt::{BlockTimers, ZvtChannel, ZvtEndpoint, ZvtTimeouts, ZvtTiming};
use crate::event::{Channel, Event};
use crate::link::LinkError;
use crate::profile::{Profile, SimulatedLink};
use crate::proto::zvt::values::Password;
use crate::sim::{Fault, SimConfig, SimError, SimHandle};

/// What to open.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub profile: Profile,
    pub faults: Vec<Fault>,
    /// `--serial PORT`: overrides the profile's port.
    pub serial: Option<String>,
    /// `--tcp HOST:PORT`: overrides the profile's address.
    pub tcp: Option<String>,
}

/// Why a session could not be set up (before any connection attempt).
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("{0}")]
    Endpoint(#[from] EndpointError),
    #[error("cannot start the simulator: {0}")]
    Simulator(#[from] SimError),
    #[error("--fault needs the built-in simulator: use --demo (posdiag check --demo --fault …)")]
    FaultsWithoutSimulator,
}

/// An open session.
pub struct Session {
    profile: Profile,
    bus: EventBus,
    terminal: Option<Arc<ZvtChannel>>,
    link_filter: Arc<LinkStateFilter>,
    faults: Vec<Fault>,
    _simulator: Option<SimHandle>,
}

impl Session {
    /// Sets the session up; links are opened lazily by the first command (or [`Self::connect`]).
    pub async fn open(config: SessionConfig, bus: EventBus) -> Result<Session, SessionError> {
        let SessionConfig {
            profile,
            faults,
            serial,
            tcp,
        } = config;
        let mut simulator = None;
        let endpoint = match &profile.simulator {
            Some(sim) => {
                let use_pty = cfg!(unix) && sim.terminal_link == SimulatedLink::Pty;
                let handle = crate::sim::start(SimConfig {
                    faults: faults.clone(),
                    terminal_tcp: (!use_pty).then(|| "127.0.0.1:0".to_owned()),
                    terminal_pty: use_pty,
                })
                .await?;
                let endpoint = endpoint::simulator_endpoint(&profile, &handle)?;
                simulator = Some(handle);
                Some(endpoint)
            }
            None => {
                if !faults.is_empty() {
                    return Err(SessionError::FaultsWithoutSimulator);
                }
                profile
                    .terminal
                    .as_ref()
                    .map(|t| terminal_endpoint(t, serial.as_deref(), tcp.as_deref()))
                    .transpose()?
            }
        };
        let link_filter = Arc::new(LinkStateFilter::default());
        let terminal = match (endpoint, &profile.terminal) {
            (Some(endpoint), Some(settings)) => Some(Arc::new(Self::terminal_channel(
                endpoint,
                settings,
                &bus,
                link_filter.clone(),
            ))),
            _ => None,
        };
        Ok(Session {
            profile,
            bus,
            terminal,
            link_filter,
            faults,
            _simulator: simulator,
        })
    }

    fn terminal_channel(
        endpoint: ZvtEndpoint,
        settings: &crate::profile::TerminalSettings,
        bus: &EventBus,
        filter: Arc<LinkStateFilter>,
    ) -> ZvtChannel {
        let t = settings.timers;
        let timing = ZvtTiming {
            block: BlockTimers { t1: t.t1, t2: t.t2 },
            command: ZvtTimeouts { t3: t.t3, t4: t.t4 },
            connect: settings.connect_timeout,
        };
        let frames = bus.clone();
        let states = bus.clone();
        ZvtChannel::new(
            endpoint,
            timing,
            Arc::new(move |frame| frames.emit(Event::Frame(frame))),
            Arc::new(move |state| {
                if let Some(state) = filter.pass(state) {
                    states.emit(Event::Link {
                        channel: Channel::Terminal,
                        state,
                    })
                }
            }),
        )
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

    pub fn faults(&self) -> &[Fault] {
        &self.faults
    }

    pub fn bus(&self) -> &EventBus {
        &self.bus
    }

    /// What the session talks to, for headers and the status bar.
    pub fn target(&self) -> String {
        match &self.terminal {
            Some(t) => t.target(),
            None => "-".to_owned(),
        }
    }

    /// Opens every channel now; the first error is returned (exit code 3 headless).
    pub async fn connect(&self) -> Result<(), LinkError> {
        if let Some(t) = &self.terminal {
            t.connect().await?;
        }
        Ok(())
    }

    fn context<'a>(&'a self, probe: Option<&'a TerminalProbe>) -> CheckContext<'a> {
        CheckContext {
            terminal: probe,
            settings: &self.profile.checks,
            read_card_probe: self
                .profile
                .terminal
                .as_ref()
                .is_some_and(|t| t.read_card_probe),
        }
    }

    /// The checks this session can run.
    pub fn specs(&self, only: &[Area]) -> Vec<CheckSpec> {
        let probe = self
            .terminal
            .as_ref()
            .map(|c| TerminalProbe::new(c.clone(), self.password()));
        checks::available_specs(&self.context(probe.as_ref()), only, None)
    }

    /// Runs the checks of `only` areas (all when empty), or the one check `single`.
    pub async fn run_checks(
        &self,
        only: &[Area],
        single: Option<&str>,
    ) -> (Vec<CheckResult>, Duration) {
        let started = Instant::now();
        let probe = self
            .terminal
            .as_ref()
            .map(|c| TerminalProbe::new(c.clone(), self.password()));
        let ctx = self.context(probe.as_ref());
        let planned = checks::plan(&ctx, only, single);
        let bus = self.bus.clone();
        let results = checks::run_concurrently(planned, &move |e| bus.emit(e)).await;
        let duration = started.elapsed();
        self.bus.emit(Event::RunFinished { duration });
        (results, duration)
    }
}
