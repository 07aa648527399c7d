//! Simulated devices a demo session runs against. The simulator is a separate piece
//! (posdiag-sim): the CLI or a test starts it and hands the session its endpoints and this
//! handle; the session never starts a simulator itself and knows no simulator type.

use std::sync::Arc;

use crate::drivers::escpos::PrinterEndpoint;
use crate::drivers::iso8583::HostEndpoint;
use crate::drivers::zvt::ZvtEndpoint;
use crate::proto::escpos::render::RenderedReceipt;

/// What the session may ask of running simulated devices.
pub trait SimulatedDevices: Send + Sync {
    /// The faults they run with, as given (`host.decline=51`), for headers and captures.
    fn fault_args(&self) -> Vec<String>;
    /// True when fault `id` was injected.
    fn has_fault(&self, id: &str) -> bool;
    /// Stops showing fault `id`, as if the technician had fixed it; false when the running
    /// devices cannot undo it.
    fn repair(&self, id: &str) -> bool;
    /// The last receipt the simulated printer printed.
    fn last_receipt(&self) -> Option<RenderedReceipt>;
}

/// Where the simulated devices listen, and the handle that keeps them running.
#[derive(Clone)]
pub struct SimulatedSetup {
    pub terminal: Option<ZvtEndpoint>,
    pub printer: Option<PrinterEndpoint>,
    pub host: Option<HostEndpoint>,
    /// The simulated nexo terminal: address, its test CA and the shared key (generated for
    /// this run and handed over in-process, never on a command line or in a file).
    pub nexo: Option<crate::drivers::nexo::NexoConfig>,
    pub devices: Arc<dyn SimulatedDevices>,
}

impl std::fmt::Debug for SimulatedSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimulatedSetup")
            .field("terminal", &self.terminal)
            .field("printer", &self.printer)
            .field("host", &self.host)
            .field("nexo", &self.nexo.as_ref().map(|n| n.addr.clone()))
            .field("faults", &self.devices.fault_args())
            .finish()
    }
}
