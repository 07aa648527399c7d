//! Starts the simulated devices a demo profile asks for and hands a session their endpoints:
//! the terminal (pty or TCP), the receipt printer, the acquirer host with a tap in front of
//! it (so the session sees the terminal's host traffic), and a handle for "simulate the
//! repair" and the printed receipt.

use std::sync::Arc;

use super::host_tap::{tap_simulated_host, HostTap};
use super::nexo_server::{start as start_nexo, NexoSimConfig, NexoSimHandle};
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
    /// The simulated nexo terminal (its CA file goes with it).
    _nexo: Option<NexoSimHandle>,
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
    let (nexo, nexo_handle) = match &profile.nexo {
        Some(settings) => {
            let (config, handle) = start_nexo_terminal(settings, &faults).await?;
            (Some(config), Some(handle))
        }
        None => (None, None),
    };
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
        nexo,
        devices: Arc::new(Devices {
            handle,
            faults,
            _host_tap: host_tap,
            _nexo: nexo_handle,
        }),
    }))
}

/// How long the simulated nexo terminal holds a payment under `host.timeout` before it gives
/// up: longer than the demo profile's payment timeout, so the register's answer times out and
/// the outcome must be settled with TransactionStatus.
const NEXO_HOST_WAIT: std::time::Duration = std::time::Duration::from_secs(4);

/// Starts the simulated nexo terminal with a shared key made up for this run: the passphrase
/// is random, handed to both sides in memory, and never printed, written or put on a command
/// line.
async fn start_nexo_terminal(
    settings: &crate::profile::NexoSettings,
    faults: &[Fault],
) -> Result<(crate::drivers::nexo::NexoConfig, NexoSimHandle), AttachError> {
    use crate::drivers::nexo::{NexoConfig, Parties};
    use crate::proto::nexo::SecurityKey;
    let passphrase = random_passphrase();
    let key = SecurityKey::new(passphrase, &settings.key_identifier, settings.key_version);
    let handle = start_nexo(NexoSimConfig {
        addr: "127.0.0.1:0".to_owned(),
        key: key.clone(),
        faults: faults.to_vec(),
        host_wait: Some(NEXO_HOST_WAIT),
    })
    .await?;
    let config = NexoConfig {
        addr: handle.addr.to_string(),
        trust_file: handle.ca_path.clone(),
        key: Some(key),
        parties: Parties {
            sale_id: settings.sale_id.clone(),
            poi_id: crate::SIM_NEXO_POIID.to_owned(),
        },
        connect_timeout: settings.connect_timeout,
        timeout: settings.timeout,
        payment_timeout: settings.payment_timeout,
    };
    Ok((config, handle))
}

fn random_passphrase() -> String {
    use ring::rand::SecureRandom as _;
    let mut bytes = [0u8; 24];
    if ring::rand::SystemRandom::new().fill(&mut bytes).is_err() {
        // No OS randomness: a per-run value still keeps two demos apart (a demo key only).
        bytes[..16].copy_from_slice(
            &time::OffsetDateTime::now_utc()
                .unix_timestamp_nanos()
                .to_le_bytes(),
        );
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
