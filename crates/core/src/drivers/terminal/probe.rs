//! The shared terminal probe: one status query per check run, read by every terminal check.
//!
//! A terminal line is master/slave, so the checks of one terminal cannot talk to it at once;
//! they share this one read-only query and each judges its own area of the facts.

use std::sync::Arc;

use tokio::sync::OnceCell;

use super::{StatusFacts, TerminalDriver, TerminalFailure};

/// The outcome of the status query: the facts, or what went wrong on the wire.
pub type StatusOutcome = Result<StatusFacts, TerminalFailure>;

/// One probe per check run.
pub struct TerminalProbe {
    driver: Arc<dyn TerminalDriver>,
    status: OnceCell<StatusOutcome>,
}

impl TerminalProbe {
    pub fn new(driver: Arc<dyn TerminalDriver>) -> Self {
        TerminalProbe {
            driver,
            status: OnceCell::new(),
        }
    }

    pub fn driver(&self) -> &dyn TerminalDriver {
        self.driver.as_ref()
    }

    /// The status query's outcome, asked once and shared.
    pub async fn status(&self) -> &StatusOutcome {
        self.status.get_or_init(|| self.driver.query_status()).await
    }
}
