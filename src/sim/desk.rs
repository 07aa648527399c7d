//! Where the simulated terminal pays: its acquirer's address, its printer and its journal,
//! shared by every connection to the terminal.

use std::sync::Mutex;
use std::time::Duration;

use super::journal::Journal;
use super::payment::SIM_HOST_TIMEOUT;
use super::printer::PrinterSim;
use super::terminal_host::HostSession;

/// Where the simulated terminal pays: its host, its printer, its journal.
#[derive(Debug)]
pub struct PaymentDesk {
    journal: Mutex<Journal>,
    host: Mutex<Option<String>>,
    printer: Mutex<Option<PrinterSim>>,
    host_timeout: Mutex<Duration>,
}

impl Default for PaymentDesk {
    fn default() -> Self {
        PaymentDesk {
            journal: Mutex::new(Journal::default()),
            host: Mutex::new(None),
            printer: Mutex::new(None),
            host_timeout: Mutex::new(SIM_HOST_TIMEOUT),
        }
    }
}

fn locked<T, R>(m: &Mutex<T>, f: impl FnOnce(&mut T) -> R) -> R {
    match m.lock() {
        Ok(mut g) => f(&mut g),
        Err(poisoned) => f(&mut poisoned.into_inner()),
    }
}

impl PaymentDesk {
    /// The acquirer's address (`None`: the terminal has no host configured).
    pub fn set_host(&self, addr: Option<String>) {
        locked(&self.host, |h| *h = addr);
    }

    pub fn host(&self) -> Option<String> {
        locked(&self.host, |h| h.clone())
    }

    /// The printer the terminal prints its slips on.
    pub fn set_printer(&self, printer: Option<PrinterSim>) {
        locked(&self.printer, |p| *p = printer);
    }

    pub fn set_host_timeout(&self, timeout: Duration) {
        locked(&self.host_timeout, |t| *t = timeout);
    }

    pub(super) fn printer(&self) -> Option<PrinterSim> {
        locked(&self.printer, |p| p.clone())
    }

    pub(super) fn journal<R>(&self, f: impl FnOnce(&mut Journal) -> R) -> R {
        locked(&self.journal, f)
    }

    pub(super) async fn connect(&self) -> Option<HostSession> {
        let addr = self.host()?;
        let timeout = locked(&self.host_timeout, |t| *t);
        HostSession::connect(&addr, timeout).await
    }
}
