//! Opening a session from the command line's view: a profile, its `--serial`/`--tcp`
//! overrides and the demo's `--fault`s. For the demo profile the simulated devices are
//! started first (posdiag-sim) and the session is handed their endpoints like any others.

use crate::profile::Profile;
use crate::session::{EventBus, Session, SessionError, SessionSetup};
use crate::sim::{attach, AttachError, Fault};

/// What to open.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub profile: Profile,
    /// Simulated faults (the demo only).
    pub faults: Vec<Fault>,
    /// `--serial PORT`: overrides the profile's port.
    pub serial: Option<String>,
    /// `--tcp HOST:PORT`: overrides the profile's address.
    pub tcp: Option<String>,
}

/// Why a session could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    Simulator(#[from] AttachError),
}

/// Starts the simulated devices when the profile is the demo's, then opens the session.
pub async fn open(config: SessionConfig, bus: EventBus) -> Result<Session, OpenError> {
    let SessionConfig {
        profile,
        faults,
        serial,
        tcp,
    } = config;
    let simulated = attach(&profile, faults, &bus).await?;
    let setup = SessionSetup {
        profile,
        serial,
        tcp,
        simulated,
    };
    Ok(Session::open(setup, bus).await?)
}
