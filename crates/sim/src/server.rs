//! Serves the simulated terminal and printer on loopback TCP and on pseudo-terminals, and the
//! simulated acquirer host on loopback TCP.

use posdiag_core::cause;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::acquirer::AcquirerSim;
use super::faults::Fault;
use super::garble::garble;
use super::printer::PrinterSim;
use super::repairs::Repairs;
use super::terminal::TerminalSim;
use crate::drivers::iso8583::FrameTransport;
use crate::drivers::zvt::transport::{ApduTransport, BlockTimers, Framing};

/// What to start.
#[derive(Debug, Clone, Default)]
pub struct SimConfig {
    pub faults: Vec<Fault>,
    /// Serve ZVT over TCP on this loopback address ("127.0.0.1:0" picks a free port).
    pub terminal_tcp: Option<String>,
    /// Serve ZVT serial framing on a pseudo-terminal (Unix).
    pub terminal_pty: bool,
    /// Serve the ESC/POS printer over TCP on this loopback address (like a printer's 9100).
    pub printer_tcp: Option<String>,
    /// Serve the ESC/POS printer on a pseudo-terminal (a serial printer, Unix).
    pub printer_pty: bool,
    /// Serve the acquirer host (ISO 8583, CUP framing) on this loopback address. A terminal
    /// started without one gets its own on a free loopback port (it pays against it), unless
    /// `terminal_host` names the acquirer it pays against instead.
    pub host_tcp: Option<String>,
    /// Scale of the simulated devices' own time (see `SimulatorSettings::pace`): 0 instant.
    pub pace: f64,
    /// The acquirer the simulated terminal pays against (e.g. a tap in front of a host).
    pub terminal_host: Option<String>,
}

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("the simulator binds loopback only; '{addr}' is not a loopback address (use 127.0.0.1:PORT)")]
    NotLoopback { addr: String },
    #[error("'{addr}' is not an address: use 127.0.0.1:PORT")]
    BadAddress { addr: String },
    #[error("cannot listen on {addr}: {source} (is another simulator running? pick another port)")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("cannot create a pseudo-terminal: {0}")]
    Pty(String),
    #[error("pseudo-terminals are not available on this system; use --terminal-tcp")]
    PtyUnsupported,
    #[error("cannot set up the simulated terminal's TLS certificate: {0}")]
    Certificate(String),
}

/// A running simulator; dropping it stops every endpoint.
pub struct SimHandle {
    pub terminal_tcp: Option<SocketAddr>,
    pub terminal_pty: Option<String>,
    pub printer_tcp: Option<SocketAddr>,
    pub printer_pty: Option<String>,
    /// The simulated printer, when one was started: its last receipt can be read back.
    pub printer: Option<PrinterSim>,
    /// The acquirer's address; with `network.down` nothing listens there.
    pub host_tcp: Option<SocketAddr>,
    /// True when the host port is closed on purpose (`network.down`).
    pub host_closed: bool,
    /// The simulated terminal (its clones serve the endpoints), to route its host elsewhere.
    pub terminal: TerminalSim,
    repairs: Repairs,
    tasks: Vec<JoinHandle<()>>,
}

impl SimHandle {
    /// Repairs fault `id` while the simulator runs: the terminal, the acquirer and the printer
    /// stop showing it. False for a fault a running simulator cannot undo (`network.down`: the
    /// host port is closed; the link faults: the line itself).
    pub fn repair(&self, id: &str) -> bool {
        if matches!(id, "network.down" | "link.silent" | "link.garbled") {
            return false;
        }
        self.repairs.repair(id);
        if let Some(printer) = &self.printer {
            printer.repair(id);
        }
        true
    }

    /// One line per endpoint, as `posdiag sim` prints them.
    pub fn endpoint_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(addr) = self.terminal_tcp {
            lines.push(format!("terminal tcp {addr}"));
        }
        if let Some(path) = &self.terminal_pty {
            lines.push(format!("terminal pty {path}"));
        }
        if let Some(addr) = self.host_tcp {
            let closed = if self.host_closed {
                " (closed: network.down)"
            } else {
                ""
            };
            lines.push(format!("host tcp {addr}{closed}"));
        }
        if let Some(addr) = self.printer_tcp {
            lines.push(format!("printer tcp {addr}"));
        }
        if let Some(path) = &self.printer_pty {
            lines.push(format!("printer pty {path}"));
        }
        lines
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// The serial settings the simulated terminal really runs at. `link.garbled` plays a
/// terminal configured to 19200 while profiles say 9600, so the baud scan can find it.
pub const SIM_BAUD: u32 = 9600;
pub const SIM_BAUD_GARBLED: u32 = 19200;

fn block_timers() -> BlockTimers {
    BlockTimers {
        t1: Duration::from_millis(200),
        t2: Duration::from_secs(2),
    }
}

/// Starts the endpoints; must be called inside a tokio runtime.
pub async fn start(mut config: SimConfig) -> Result<SimHandle, SimError> {
    let has_terminal = config.terminal_tcp.is_some() || config.terminal_pty;
    if has_terminal && config.host_tcp.is_none() && config.terminal_host.is_none() {
        // The terminal pays online: it always brings the host it needs.
        config.host_tcp = Some("127.0.0.1:0".to_owned());
    }
    let repairs = Repairs::default();
    let sim = TerminalSim::new(config.faults.clone()).with_repairs(repairs.clone());
    sim.desk().set_pace(config.pace);
    let mut handle = SimHandle {
        terminal_tcp: None,
        terminal_pty: None,
        printer_tcp: None,
        printer_pty: None,
        printer: None,
        host_tcp: None,
        host_closed: false,
        terminal: sim.clone(),
        repairs: repairs.clone(),
        tasks: Vec::new(),
    };
    if let Some(addr) = &config.terminal_tcp {
        let listener = bind_loopback(addr).await?;
        handle.terminal_tcp = listener.local_addr().ok();
        let sim = sim.clone();
        handle.tasks.push(tokio::spawn(serve_tcp(listener, sim)));
    }
    if config.terminal_pty {
        let (path, task) = start_pty(sim.clone())?;
        handle.terminal_pty = Some(path);
        handle.tasks.push(task);
    }
    if config.printer_tcp.is_some() || config.printer_pty {
        let printer = PrinterSim::new(&config.faults);
        if let Some(addr) = &config.printer_tcp {
            let listener = bind_loopback(addr).await?;
            handle.printer_tcp = listener.local_addr().ok();
            handle
                .tasks
                .push(tokio::spawn(serve_printer_tcp(listener, printer.clone())));
        }
        if config.printer_pty {
            let (path, task) = start_printer_pty(printer.clone())?;
            handle.printer_pty = Some(path);
            handle.tasks.push(task);
        }
        // The terminal prints its slips on this printer too.
        sim.desk().set_printer(Some(printer.clone()));
        handle.printer = Some(printer);
    }
    if let Some(addr) = &config.host_tcp {
        let acquirer = AcquirerSim::new(config.faults.clone()).with_repairs(repairs.clone());
        let listener = bind_loopback(addr).await?;
        handle.host_tcp = listener.local_addr().ok();
        if acquirer.has(cause!("network.down")) {
            // The port was free a moment ago and nothing listens on it now: refused.
            drop(listener);
            handle.host_closed = true;
        } else {
            handle
                .tasks
                .push(tokio::spawn(serve_host(listener, acquirer)));
        }
        // The terminal pays against this acquirer (refused, like a real one, when it is down).
        sim.desk().set_host(handle.host_tcp.map(|a| a.to_string()));
    }
    if let Some(addr) = &config.terminal_host {
        sim.desk().set_host(Some(addr.clone()));
    }
    Ok(handle)
}

async fn serve_host(listener: TcpListener, acquirer: AcquirerSim) {
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        tracing::debug!(%peer, "simulated acquirer: terminal connected");
        let acquirer = acquirer.clone();
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            let mut transport = FrameTransport::new(stream, acquirer.dialect().clone());
            if let Err(e) = acquirer.serve(&mut transport).await {
                tracing::debug!("simulated acquirer stopped: {e}");
            }
        });
    }
}

/// Binds a listener on a loopback address only.
pub(super) async fn bind_loopback(addr: &str) -> Result<TcpListener, SimError> {
    let parsed: SocketAddr = addr.parse().map_err(|_| SimError::BadAddress {
        addr: addr.to_owned(),
    })?;
    if !parsed.ip().is_loopback() {
        return Err(SimError::NotLoopback {
            addr: addr.to_owned(),
        });
    }
    TcpListener::bind(parsed)
        .await
        .map_err(|source| SimError::Bind {
            addr: addr.to_owned(),
            source,
        })
}

/// One printer connection at a time is what many network printers take on 9100; the
/// simulator takes several so tools (python-escpos, posdiag) can query it side by side.
async fn serve_printer_tcp(listener: TcpListener, printer: PrinterSim) {
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        tracing::debug!(%peer, "simulated printer: host connected over TCP");
        let printer = printer.clone();
        tokio::spawn(async move {
            let _ = stream.set_nodelay(true);
            printer.serve(stream).await;
        });
    }
}

#[cfg(unix)]
fn start_printer_pty(printer: PrinterSim) -> Result<(String, JoinHandle<()>), SimError> {
    let pty = crate::link::PtyPair::open().map_err(|e| SimError::Pty(e.to_string()))?;
    let path = pty.slave_path().to_owned();
    let task = tokio::spawn(async move {
        // The pty outlives client connections; `serve` returns only when reading fails.
        let mut pty = pty;
        loop {
            printer.serve(&mut pty).await;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    Ok((path, task))
}

#[cfg(not(unix))]
fn start_printer_pty(_printer: PrinterSim) -> Result<(String, JoinHandle<()>), SimError> {
    Err(SimError::PtyUnsupported)
}

async fn serve_tcp(listener: TcpListener, sim: TerminalSim) {
    // Connections live in this set, so stopping the simulator closes them too (a test can
    // play a terminal that goes away and comes back on the same port).
    let mut connections = tokio::task::JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let Ok((stream, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        tracing::debug!(%peer, "simulated terminal: ECR connected over TCP");
        let sim = sim.clone();
        connections.spawn(async move {
            let _ = stream.set_nodelay(true);
            if sim.has(cause!("link.silent")) {
                swallow(stream).await;
            } else if sim.has(cause!("link.garbled")) {
                answer_with_noise(stream).await;
            } else {
                let mut transport = ApduTransport::new(stream, Framing::Tcp, block_timers());
                if let Err(e) = sim.serve(&mut transport).await {
                    tracing::debug!("simulated terminal (tcp) stopped: {e}");
                }
            }
        });
    }
}

/// `link.silent`: reads everything, answers nothing.
async fn swallow<S: tokio::io::AsyncRead + Unpin>(mut stream: S) {
    let mut buf = [0u8; 512];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}

/// `link.garbled` over TCP: every request gets noise back.
async fn answer_with_noise<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(mut stream: S) {
    let mut buf = [0u8; 512];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
        let mut reply = vec![0x06];
        reply.extend_from_slice(buf.get(..n).unwrap_or(&[]));
        if stream.write_all(&garble(&reply)).await.is_err() {
            break;
        }
    }
}

#[cfg(unix)]
fn start_pty(sim: TerminalSim) -> Result<(String, JoinHandle<()>), SimError> {
    use super::mismatch::BaudGate;
    let pty = crate::link::PtyPair::open().map_err(|e| SimError::Pty(e.to_string()))?;
    let path = pty.slave_path().to_owned();
    let task = tokio::spawn(async move {
        if sim.has(cause!("link.silent")) {
            swallow(pty).await;
            return;
        }
        let true_baud = if sim.has(cause!("link.garbled")) {
            SIM_BAUD_GARBLED
        } else {
            SIM_BAUD
        };
        let gate = BaudGate::new(pty, true_baud);
        let mut transport = ApduTransport::new(gate, Framing::Serial, block_timers());
        // The pty outlives client connections: keep serving after a client goes away.
        loop {
            if let Err(e) = sim.serve(&mut transport).await {
                tracing::debug!("simulated terminal (pty): {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            transport.reset();
        }
    });
    Ok((path, task))
}

#[cfg(not(unix))]
fn start_pty(_sim: TerminalSim) -> Result<(String, JoinHandle<()>), SimError> {
    Err(SimError::PtyUnsupported)
}
