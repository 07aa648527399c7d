//! Serves the simulated Concert terminal on a pseudo-terminal (the serial path a cash register
//! opens, like a Telium's USB port) and on loopback TCP (the same bytes on a socket, as a
//! serial-to-IP bridge carries them).

use std::net::SocketAddr;
use std::time::Duration;

use tokio::task::JoinHandle;

use super::concert::ConcertTerminal;
use super::faults::Fault;
use super::server::{bind_loopback, SimError};

/// What to start.
#[derive(Debug, Clone, Default)]
pub struct ConcertSimConfig {
    pub faults: Vec<Fault>,
    /// Loopback address ("127.0.0.1:0" picks a free port).
    pub tcp: Option<String>,
    pub pty: bool,
}

/// A running simulated Concert terminal; dropping it stops every endpoint.
pub struct ConcertSimHandle {
    pub tcp: Option<SocketAddr>,
    pub pty: Option<String>,
    /// The terminal (its journal: payments carried out, probes).
    pub terminal: ConcertTerminal,
    tasks: Vec<JoinHandle<()>>,
}

impl ConcertSimHandle {
    /// One line per endpoint, as `posdiag sim --terminal concert` prints them.
    pub fn endpoint_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(addr) = self.tcp {
            lines.push(format!("terminal concert tcp {addr}"));
        }
        if let Some(path) = &self.pty {
            lines.push(format!("terminal concert pty {path}"));
        }
        lines
    }
}

impl Drop for ConcertSimHandle {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Starts the endpoints; must be called inside a tokio runtime.
pub async fn start(config: ConcertSimConfig) -> Result<ConcertSimHandle, SimError> {
    let terminal = ConcertTerminal::new(config.faults.clone());
    let mut handle = ConcertSimHandle {
        tcp: None,
        pty: None,
        terminal: terminal.clone(),
        tasks: Vec::new(),
    };
    if let Some(addr) = &config.tcp {
        let listener = bind_loopback(addr).await?;
        handle.tcp = listener.local_addr().ok();
        let terminal = terminal.clone();
        handle.tasks.push(tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            loop {
                while connections.try_join_next().is_some() {}
                let Ok((mut stream, peer)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                tracing::debug!(%peer, "simulated Concert terminal: ECR connected over TCP");
                let terminal = terminal.clone();
                connections.spawn(async move {
                    let _ = stream.set_nodelay(true);
                    if let Err(e) = terminal.serve(&mut stream).await {
                        tracing::debug!("simulated Concert terminal (tcp) stopped: {e}");
                    }
                });
            }
        }));
    }
    if config.pty {
        let (path, task) = start_pty(terminal)?;
        handle.pty = Some(path);
        handle.tasks.push(task);
    }
    Ok(handle)
}

#[cfg(unix)]
fn start_pty(terminal: ConcertTerminal) -> Result<(String, JoinHandle<()>), SimError> {
    let pty = crate::link::PtyPair::open().map_err(|e| SimError::Pty(e.to_string()))?;
    let path = pty.slave_path().to_owned();
    let task = tokio::spawn(async move {
        let mut pty = pty;
        // The pty outlives client connections: keep serving after a client goes away.
        loop {
            if let Err(e) = terminal.serve(&mut pty).await {
                tracing::debug!("simulated Concert terminal (pty): {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    });
    Ok((path, task))
}

#[cfg(not(unix))]
fn start_pty(_terminal: ConcertTerminal) -> Result<(String, JoinHandle<()>), SimError> {
    Err(SimError::PtyUnsupported)
}
