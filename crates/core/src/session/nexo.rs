//! The session's nexo terminal: the client built from the profile's `[nexo]` section (or the
//! simulated terminal's configuration), the driver the checks use, and the first exchange
//! that tells a wrong shared key apart before anything else runs.

use std::sync::Arc;

use super::{EndpointError, Session, SessionError, SimulatedSetup};
use crate::drivers::nexo::{NexoClient, NexoClientError, NexoConfig, NexoTerminal};
use crate::event::Event;
use crate::profile::Profile;

/// The client for the profile's nexo terminal; `None` without a `[nexo]` section.
pub(super) fn client(
    profile: &Profile,
    simulated: Option<&SimulatedSetup>,
    tcp: Option<&str>,
) -> Result<Option<Arc<NexoClient>>, SessionError> {
    let Some(settings) = &profile.nexo else {
        return Ok(None);
    };
    let config = match simulated {
        Some(sim) => sim.nexo.clone().ok_or(EndpointError::NoSimulatorEndpoint)?,
        None => {
            let mut config = NexoConfig::from_settings(settings, None)?;
            if let Some(addr) = tcp {
                config.addr = addr.to_owned();
            }
            config
        }
    };
    Ok(Some(Arc::new(NexoClient::new(config)?)))
}

pub(super) fn target(client: &NexoClient) -> String {
    format!("https://{}/nexo", client.config().addr)
}

impl Session {
    pub(super) fn nexo_terminal(&self, client: &Arc<NexoClient>) -> NexoTerminal {
        NexoTerminal::new(client.clone(), super::channels::frame_sink(&self.bus))
    }

    /// True when the session's terminal speaks nexo.
    pub fn is_nexo(&self) -> bool {
        matches!(self.terminal, Some(super::Terminal::Nexo(_)))
    }

    /// The protocol the session's terminal speaks.
    pub fn terminal_protocol(&self) -> crate::drivers::terminal::TerminalProtocol {
        super::terminal_protocol_of(&self.profile)
    }

    /// Moves the nexo client's exchanges (decrypted, masked) to the bus as terminal frames.
    pub(super) fn flush_nexo(&self, client: &NexoClient) {
        for record in client.take_log() {
            for frame in crate::drivers::nexo::frames::exchange_frames(&record) {
                self.bus.emit(Event::Frame(frame));
            }
        }
    }

    /// For a nexo terminal: one read-only `DiagnosisRequest` to see that the terminal is there
    /// and takes our shared key. The error of a terminal that cannot be reached or refuses the
    /// key (a wrong passphrase, key identifier or version); `None` otherwise or without nexo.
    pub async fn nexo_preflight(&self) -> Option<NexoClientError> {
        let Some(super::Terminal::Nexo(client)) = &self.terminal else {
            return None;
        };
        let result = client.diagnosis().await;
        self.flush_nexo(client);
        result.err()
    }
}
