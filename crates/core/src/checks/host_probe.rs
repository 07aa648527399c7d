//! The shared host probe: one sign-on (when the profile allows it) and one echo per run, read
//! by every host check and by the latency check, in that order on the one host channel, so
//! the echo is signed with the working key the sign-on delivered.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::OnceCell;

use crate::drivers::iso8583::{HostChannel, HostExchange, HostFailure, HostRecord, SignOn};
use crate::proto::iso8583::KeyMode;

/// The outcome of the sign-on.
pub type SignOnOutcome = Result<HostRecord<SignOn>, HostFailure>;
/// The outcome of one echo.
pub type EchoOutcome = Result<HostRecord<HostExchange>, HostFailure>;

/// What the host checks may do, from the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostProbeSettings {
    /// Sign on (renews the TID's working keys at the host).
    pub sign_on: bool,
    pub key_mode: KeyMode,
    /// Echo round trips for the latency check.
    pub latency_probes: u32,
    pub latency_limit: Duration,
}

/// One probe per check run.
pub struct HostProbe {
    channel: Arc<HostChannel>,
    settings: HostProbeSettings,
    sign_on: OnceCell<Option<SignOnOutcome>>,
    echo: OnceCell<EchoOutcome>,
}

impl HostProbe {
    pub fn new(channel: Arc<HostChannel>, settings: HostProbeSettings) -> Self {
        HostProbe {
            channel,
            settings,
            sign_on: OnceCell::new(),
            echo: OnceCell::new(),
        }
    }

    pub fn channel(&self) -> &Arc<HostChannel> {
        &self.channel
    }

    pub fn settings(&self) -> HostProbeSettings {
        self.settings
    }

    /// True when the profile holds a test master key (working keys can be verified).
    pub fn has_master_key(&self) -> bool {
        self.channel.config().master_key.is_some()
    }

    /// The sign-on, asked once; `None` when the profile does not allow it.
    pub async fn sign_on(&self) -> Option<&SignOnOutcome> {
        self.sign_on
            .get_or_init(|| async {
                if !self.settings.sign_on {
                    return None;
                }
                Some(self.channel.sign_on(self.settings.key_mode).await)
            })
            .await
            .as_ref()
    }

    /// The echo, asked once, after the sign-on.
    pub async fn echo(&self) -> &EchoOutcome {
        self.echo
            .get_or_init(|| async {
                let _ = self.sign_on().await;
                self.channel.echo().await
            })
            .await
    }
}
