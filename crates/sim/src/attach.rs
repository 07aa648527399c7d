//! Starts the simulated devices a demo profile asks for and hands a session their endpoints:
//! the terminal (pty or TCP), the receipt printer, the acquirer host with a tap in front of
//! it (so the session sees the terminal's host traffic), and a handle for "simulate the
//! repair" and the printed receipt.

use std::sync::Arc;

use super::host_tap::{tap_simulated_host, HostTap};
use super::{start, Fault, SimConfig, SimError, SimHandle};
use crate::drivers::escpos::PrinterEndpoint;
use crate::drivers::zvt::ZvtEndpoint;
use crate::link::SerialSettings;
use crate::profile::{Profile, SimulatedLink};
use crate::proto::escpos::render::RenderedReceipt;
use crate::session::{
    default_printer_serial, host_endpoint, EndpointError, EventBus, SimulatedDevices,
    SimulatedSetup,
};

/// Why the simulated devices could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("cannot start the simulator: {0}")]
    Simulator(#[from] SimError),
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    #[error("--fault needs the built-in simulator: use --demo (posdiag check --demo --fault …)")]
    FaultsWithoutSimulator,
}

/// The running simulated devices; dropping the last clone stops them.
struct Devices {
    handle: SimHandle,
    faults: Vec<Fault>,
    _host_tap: Option<HostTap>,
}

impl SimulatedDevices for Devices {
    fn fault_args(&self) -> Vec<String> {
        self.faults.iter().map(Fault::arg).collect()
    }

    fn has_fault(&self, id: &str) -> bool {
        self.faults.iter().any(|f| f.id() == id)
    }

    fn repair(&self, id: &str) -> bool {
        self.handle.repair(id)
    }

    fn last_receipt(&self) -> Option<RenderedReceipt> {
        self.handle.printer.as_ref().and_then(|p| p.last_receipt())
    }
}

/// Starts what `profile`'s `[simulator]` section asks for, with `faults`; `None` for a profile
/// of real devices (then `faults` must be empty).
pub async fn attach(
    profile: &Profile,
    faults: Vec<Fault>,
    bus: &EventBus,
) -> Result<Option<SimulatedSetup>, AttachError> {
    let Some(sim) = &profile.simulator else {
        if !faults.is_empty() {
            return Err(AttachError::FaultsWithoutSimulator);
        }
        return Ok(None);
    };
    let use_pty = cfg!(unix) && sim.terminal_link == SimulatedLink::Pty;
    let has_terminal = profile.terminal.is_some();
    let has_printer = profile.printer.is_some();
    let printer_pty = cfg!(unix) && sim.printer_link == SimulatedLink::Pty;
    let handle = start(SimConfig {
        faults: faults.clone(),
        terminal_tcp: (has_terminal && !use_pty).then(|| "127.0.0.1:0".to_owned()),
        terminal_pty: has_terminal && use_pty,
        printer_tcp: (has_printer && !printer_pty).then(|| "127.0.0.1:0".to_owned()),
        printer_pty: has_printer && printer_pty,
        host_tcp: profile.host.as_ref().map(|_| "127.0.0.1:0".to_owned()),
        pace: sim.pace,
        terminal_host: None,
    })
    .await?;
    let terminal = profile
        .terminal
        .as_ref()
        .map(|t| terminal_endpoint(t.serial.clone(), &handle))
        .transpose()?;
    let printer = profile
        .printer
        .as_ref()
        .map(|p| printer_endpoint(p.serial.clone(), &handle))
        .transpose()?;
    let mut host = None;
    let mut host_tap = None;
    if let Some(h) = &profile.host {
        // Reached by name (`localhost`) so the DNS check has a lookup to do.
        let addr = handle.host_tcp.ok_or(EndpointError::NoSimulatorHost)?;
        host = Some(host_endpoint(
            h,
            Some(&format!("localhost:{}", addr.port())),
        )?);
        if has_terminal {
            host_tap = tap_simulated_host(&handle, h.dialect.clone(), bus).await;
        }
    }
    Ok(Some(SimulatedSetup {
        terminal,
        printer,
        host,
        devices: Arc::new(Devices {
            handle,
            faults,
            _host_tap: host_tap,
        }),
    }))
}

/// The simulated terminal's endpoint, on the profile's line settings when it is a pty.
fn terminal_endpoint(
    serial: Option<SerialSettings>,
    sim: &SimHandle,
) -> Result<ZvtEndpoint, EndpointError> {
    if let Some(path) = &sim.terminal_pty {
        let base = serial.unwrap_or_else(|| {
            SerialSettings::parse("", "9600 8N2").unwrap_or_else(|_| SerialSettings::new("", 9600))
        });
        return Ok(ZvtEndpoint::Serial(SerialSettings {
            port: path.clone(),
            ..base
        }));
    }
    match sim.terminal_tcp {
        Some(addr) => Ok(ZvtEndpoint::Tcp(addr.to_string())),
        None => Err(EndpointError::NoSimulatorEndpoint),
    }
}

/// The simulated printer's endpoint, on the profile's line settings when it is a pty.
fn printer_endpoint(
    serial: Option<SerialSettings>,
    sim: &SimHandle,
) -> Result<PrinterEndpoint, EndpointError> {
    if let Some(path) = &sim.printer_pty {
        let base = serial.unwrap_or_else(default_printer_serial);
        return Ok(PrinterEndpoint::Serial(SerialSettings {
            port: path.clone(),
            ..base
        }));
    }
    match sim.printer_tcp {
        Some(addr) => Ok(PrinterEndpoint::Tcp(addr.to_string())),
        None => Err(EndpointError::NoSimulatorPrinter),
    }
}
