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
    /// Scale of the time a payment's steps take (0: instant).
    pace: Mutex<f64>,
}

/// How long a real terminal stays at an intermediate status, at pace 1: the cardholder
/// inserts the card, types the PIN, the host answers.
fn step_time(status: u8) -> Duration {
    match status {
        0x0A => Duration::from_millis(1500),
        0x01 => Duration::from_millis(2000),
        0x04 => Duration::from_millis(1200),
        _ => Duration::ZERO,
    }
}

impl Default for PaymentDesk {
    fn default() -> Self {
        PaymentDesk {
            journal: Mutex::new(Journal::default()),
            host: Mutex::new(None),
            printer: Mutex::new(None),
            host_timeout: Mutex::new(SIM_HOST_TIMEOUT),
            pace: Mutex::new(0.0),
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

    /// Scale of the time a payment's steps take: 0 instant, 1 like a real terminal.
    pub fn set_pace(&self, pace: f64) {
        let pace = if pace.is_finite() {
            pace.clamp(0.0, 10.0)
        } else {
            0.0
        };
        locked(&self.pace, |p| *p = pace);
    }

    /// Waits as long as a real terminal would at intermediate status `status`.
    pub(super) async fn pause(&self, status: u8) {
        let pace = locked(&self.pace, |p| *p);
        if pace > 0.0 {
            tokio::time::sleep(step_time(status).mul_f64(pace)).await;
        }
    }

    pub fn set_host_timeout(&self, timeout: Duration) {
        locked(&self.host_timeout, |t| *t = timeout);
    }

    pub(super) fn printer(&self) -> Option<PrinterSim> {
        locked(&self.printer, |p| p.clone())
    }

    /// The journal as text, for tests that check nothing changed it (no payment, no trace or
    /// receipt number taken, no batch closed).
    pub fn journal_state(&self) -> String {
        locked(&self.journal, |j| format!("{j:?}"))
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
