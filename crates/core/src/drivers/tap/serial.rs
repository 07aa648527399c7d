//! The serial tap: posdiag between a cash register and its terminal on two serial ports
//! (two USB-serial adapters). Every byte read on one port is written to the other at once,
//! unchanged; a copy goes to the decoder through the same never-blocking pump as the TCP
//! proxy's ([`super::pump`]).
//!
//! Either port disappearing (adapter pulled: read error, EOF, a pty whose master closed) is a
//! state: reported, and the port is reopened every [`SerialTapConfig::retry`] until it comes
//! back, while the other side stays open. Bytes that arrive for a side that is absent cannot
//! be passed on; they are counted ([`TapStats::not_forwarded`]) and still decoded.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncWriteExt, WriteHalf};
use tokio::sync::Mutex;

use super::decoder::TapProtocol;
use super::limits::{Budget, Rate, TapLimits};
use super::proxy::{TapEvent, TapSide};
use super::pump::{pump, Activity, DecodeLane, Decoding, Outlet, Pump, PumpEnd, Sink};
use super::stats::TapStats;
use crate::frame::{Direction, FrameRecord};
use crate::link::{open_serial, LinkError, SerialLink, SerialSettings};

/// The two ports and how to read them.
#[derive(Debug, Clone)]
pub struct SerialTapConfig {
    /// `ZvtSerial` or `Concert`.
    pub protocol: TapProtocol,
    /// The cash register's port, with the line settings of both sides.
    pub ecr: SerialSettings,
    /// The terminal's port.
    pub terminal: SerialSettings,
    /// How often a lost port is tried again.
    pub retry: Duration,
}

/// A port that could not be opened when the tap started.
#[derive(Debug, thiserror::Error)]
#[error("{side} port {port}: {source}")]
pub struct SerialTapError {
    /// "cash register" or "terminal".
    pub side: &'static str,
    pub port: String,
    pub source: LinkError,
}

/// Opens one side's port (must be called inside a tokio runtime). The CLI opens both before
/// serving, so a wrong port name is said at once instead of becoming a "lost" state.
pub fn open_side(side: TapSide, settings: &SerialSettings) -> Result<SerialLink, SerialTapError> {
    open_serial(settings).map_err(|source| SerialTapError {
        side: match side {
            TapSide::Ecr | TapSide::Client => "cash register",
            TapSide::Terminal | TapSide::Upstream => "terminal",
        },
        port: settings.port.clone(),
        source,
    })
}

/// The write half of a side's port while it is open.
type Slot = Arc<Mutex<Option<WriteHalf<SerialLink>>>>;

/// Serves both sides until the task is dropped. `ecr` and `terminal` are the ports opened by
/// [`open_side`].
pub async fn serve_serial(
    config: SerialTapConfig,
    ecr: SerialLink,
    terminal: SerialLink,
    frames: Sink<FrameRecord>,
    events: Sink<TapEvent>,
    stats: Arc<TapStats>,
) {
    let ecr_slot: Slot = Arc::new(Mutex::new(None));
    let terminal_slot: Slot = Arc::new(Mutex::new(None));
    // The decoding task runs as long as the sides hold the lane (until this task is dropped).
    let (lane, _decoding) = DecodeLane::start(config.protocol.clone(), frames, stats.clone());
    let common = Common {
        retry: config.retry,
        lane,
        events,
        stats,
        // One decode budget and rate for the two directions, as the TCP tap has for all of
        // its connections.
        budget: Budget::new(TapLimits::default().decode_budget),
        rate: Rate::new(TapLimits::default().decode_rate),
    };
    let from_ecr = Side {
        side: TapSide::Ecr,
        direction: Direction::Tx,
        settings: config.ecr.clone(),
        own: ecr_slot.clone(),
        other: terminal_slot.clone(),
    };
    let from_terminal = Side {
        side: TapSide::Terminal,
        direction: Direction::Rx,
        settings: config.terminal.clone(),
        own: terminal_slot,
        other: ecr_slot,
    };
    tokio::join!(
        from_ecr.run(ecr, &common),
        from_terminal.run(terminal, &common)
    );
}

/// What both sides share.
struct Common {
    retry: Duration,
    /// One decoding task for both ports: frames in the order they crossed.
    lane: DecodeLane,
    events: Sink<TapEvent>,
    stats: Arc<TapStats>,
    budget: Budget,
    rate: Rate,
}

/// One port: read from it (the direction it sends), written to by the other side.
struct Side {
    side: TapSide,
    /// Direction of what this port sends: the cash register's requests are Tx.
    direction: Direction,
    settings: SerialSettings,
    own: Slot,
    other: Slot,
}

impl Side {
    async fn run(self, first: SerialLink, common: &Common) {
        let port = self.settings.port.clone();
        (common.events)(TapEvent::PortOpen {
            side: self.side,
            port: port.clone(),
            settings: self.settings.to_string(),
        });
        let mut link = first;
        loop {
            let (read, write) = tokio::io::split(link);
            *self.own.lock().await = Some(write);
            let end = pump(
                read,
                SideOutlet {
                    other: self.other.clone(),
                },
                Pump {
                    decoding: Decoding::Lane(common.lane.direction(self.direction)),
                    stats: common.stats.clone(),
                    budget: common.budget.clone(),
                    rate: common.rate.clone(),
                    activity: Activity::new(),
                },
            )
            .await;
            // Both halves gone: the port is closed, so it can be opened again.
            *self.own.lock().await = None;
            let reason = match end {
                PumpEnd::Closed => "the port reached its end (EOF)".to_owned(),
                PumpEnd::Failed(reason) => reason,
            };
            (common.events)(TapEvent::PortLost {
                side: self.side,
                port: port.clone(),
                reason,
                retry_ms: u64::try_from(common.retry.as_millis()).unwrap_or(u64::MAX),
            });
            link = self.reopen(common.retry).await;
            (common.events)(TapEvent::PortBack {
                side: self.side,
                port: port.clone(),
            });
        }
    }

    /// Tries the port every `retry` until it opens.
    async fn reopen(&self, retry: Duration) -> SerialLink {
        loop {
            tokio::time::sleep(retry).await;
            if let Ok(link) = open_serial(&self.settings) {
                return link;
            }
        }
    }
}

/// The other side's port, which may be absent for a while.
struct SideOutlet {
    other: Slot,
}

impl Outlet for SideOutlet {
    async fn send(&mut self, chunk: &[u8]) -> std::io::Result<bool> {
        let mut slot = self.other.lock().await;
        let Some(port) = slot.as_mut() else {
            return Ok(false);
        };
        if port.write_all(chunk).await.is_ok() {
            return Ok(true);
        }
        // The other port failed: its own reader reports the loss and reopens it. This
        // direction goes on.
        *slot = None;
        Ok(false)
    }

    /// A serial line has no half-close: the other port stays open.
    async fn close(&mut self) {}
}
