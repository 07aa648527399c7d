//! Talks ESC/POS status with one printer over any byte stream (docs/protocols/escpos.md §9).
//!
//! A reader task moves received bytes into a channel as they arrive, so the client can take
//! what is already pending without waiting (the drain), and a closed link is seen at once.
//! Every exchange drains pending input first (unsolicited ASB, late replies), sends its
//! requests as whole commands back to back (so a real-time command never lands inside
//! another command), and reads until each request has its reply or the timeout passes: it
//! returns as soon as the last reply arrives, and a request with no reply in time is reported
//! as unanswered, never as OK.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadHalf, WriteHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::read::{IdentityRead, StatusRead};
use crate::frame::Direction;
use crate::proto::escpos::commands::{dle_enq, request, Recovery};
use crate::proto::escpos::{EotQuery, FlowControl, IdQuery, Query, ReplyReader, StreamItem};

/// How long the client waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientTimeouts {
    /// Replies to one batch of DLE EOT 1-4.
    pub status: Duration,
    /// The reply to one GS I request.
    pub id: Duration,
    /// Silence that ends a drain when stale input is likely.
    pub drain_quiet: Duration,
}

/// One thing on the wire, as the observer sees it.
#[derive(Debug, Clone, Copy)]
pub enum WireEvent<'a> {
    /// A status or control request posdiag sent.
    Request { bytes: &'a [u8] },
    /// Print data posdiag sent (the test receipt).
    PrintData { bytes: &'a [u8], lines: usize },
    /// Something read from the printer.
    Item(&'a StreamItem),
}

/// Receives every wire event with its direction.
pub type PrinterObserver = Arc<dyn Fn(Direction, &WireEvent<'_>) + Send + Sync>;

/// Why an exchange could not be completed (silence is not an error: see [`StatusRead`]).
#[derive(Debug, thiserror::Error)]
pub enum PrinterError {
    #[error("the link closed: {reason}")]
    Closed { reason: String },
    #[error("link error: {0}")]
    Io(#[from] std::io::Error),
}

/// Bytes counted in both directions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    pub bytes_in: usize,
    pub bytes_out: usize,
}

enum Incoming {
    Bytes(Vec<u8>),
    Closed(String),
}

/// Everything one exchange saw.
struct Exchange {
    drained: Vec<StreamItem>,
    items: Vec<StreamItem>,
    round_trip: Duration,
}

/// An ESC/POS status client; see the module documentation.
pub struct PrinterClient<S> {
    writer: WriteHalf<S>,
    incoming: mpsc::UnboundedReceiver<Incoming>,
    reader_task: JoinHandle<()>,
    reader: ReplyReader,
    timeouts: ClientTimeouts,
    observer: Option<PrinterObserver>,
    /// A request went unanswered: its reply may still come, so the next drain waits for quiet.
    late_replies_possible: bool,
    closed: Option<String>,
    stats: ClientStats,
}

impl<S> Drop for PrinterClient<S> {
    fn drop(&mut self) {
        self.reader_task.abort();
    }
}

async fn read_into_channel<S: AsyncRead>(
    mut reader: ReadHalf<S>,
    tx: mpsc::UnboundedSender<Incoming>,
) {
    let mut buf = [0u8; 256];
    loop {
        let event = match reader.read(&mut buf).await {
            Ok(0) => Incoming::Closed("the printer closed the connection".to_owned()),
            Ok(n) => Incoming::Bytes(buf.get(..n).unwrap_or_default().to_vec()),
            Err(e) => Incoming::Closed(e.to_string()),
        };
        let last = matches!(event, Incoming::Closed(_));
        if tx.send(event).is_err() || last {
            break;
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Send + 'static> PrinterClient<S> {
    /// Starts reading `stream` at once (must be called inside a tokio runtime). `flow` is
    /// [`FlowControl::XonXoff`] on serial links, so `11`/`13` are skipped.
    pub fn new(stream: S, flow: FlowControl, timeouts: ClientTimeouts) -> Self {
        let (read_half, writer) = tokio::io::split(stream);
        let (tx, incoming) = mpsc::unbounded_channel();
        let reader_task = tokio::spawn(read_into_channel(read_half, tx));
        PrinterClient {
            writer,
            incoming,
            reader_task,
            reader: ReplyReader::new(flow),
            timeouts,
            observer: None,
            late_replies_possible: false,
            closed: None,
            stats: ClientStats::default(),
        }
    }
}

impl<S: AsyncWrite> PrinterClient<S> {
    pub fn with_observer(mut self, observer: PrinterObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    pub fn timeouts(&self) -> ClientTimeouts {
        self.timeouts
    }

    pub fn stats(&self) -> ClientStats {
        self.stats
    }

    /// Set once the link is gone; every later exchange fails at once.
    pub fn closed(&self) -> Option<&str> {
        self.closed.as_deref()
    }

    /// DLE EOT 1, 2, 3 and 4 in one batch.
    pub async fn status(&mut self) -> Result<StatusRead, PrinterError> {
        let queries: Vec<Query> = [
            EotQuery::PrinterStatus,
            EotQuery::OfflineCause,
            EotQuery::ErrorCause,
            EotQuery::PaperSensor,
        ]
        .into_iter()
        .map(Query::RealTime)
        .collect();
        let ex = self.exchange(&queries, self.timeouts.status).await?;
        Ok(StatusRead {
            queries,
            drained: ex.drained,
            items: ex.items,
            round_trip: ex.round_trip,
        })
    }

    /// GS I one request at a time, each with its own timeout (docs/protocols/escpos.md §7). Ask
    /// only while the printer is online: GS I waits behind the receive buffer. A printer that does
    /// not answer GS I 1 does not do GS I at all, and one that does not answer GS I 65 lacks the
    /// text forms, so the rest are not asked (each would only add a timeout).
    pub async fn identify(&mut self) -> Result<IdentityRead, PrinterError> {
        let mut read = IdentityRead::default();
        let groups: [&[IdQuery]; 2] = [
            &[IdQuery::ModelId, IdQuery::TypeId, IdQuery::FirmwareId],
            &[
                IdQuery::FirmwareVersion,
                IdQuery::Maker,
                IdQuery::ModelName,
                IdQuery::SerialNumber,
                IdQuery::FontLanguage,
            ],
        ];
        'groups: for group in groups {
            for (i, id) in group.iter().enumerate() {
                let query = Query::PrinterId(*id);
                let ex = self.exchange(&[query], self.timeouts.id).await?;
                read.asked.push(query);
                let answered = ex
                    .items
                    .iter()
                    .any(|item| matches!(item, StreamItem::Reply { query: q, .. } if *q == query));
                read.items.extend(ex.drained);
                read.items.extend(ex.items);
                if i == 0 && !answered {
                    break 'groups;
                }
            }
        }
        Ok(read)
    }

    /// Sends print data as one write (the channel builds it; nothing else is sent meanwhile).
    pub(super) async fn send_print(
        &mut self,
        bytes: &[u8],
        lines: usize,
    ) -> Result<(), PrinterError> {
        self.write(bytes).await?;
        self.observe(Direction::Tx, &WireEvent::PrintData { bytes, lines });
        Ok(())
    }

    /// DLE ENQ n. The printer sends nothing back.
    pub(super) async fn send_recovery(&mut self, recovery: Recovery) -> Result<(), PrinterError> {
        let bytes = dle_enq(recovery);
        self.write(&bytes).await?;
        self.observe(Direction::Tx, &WireEvent::Request { bytes: &bytes });
        Ok(())
    }

    fn observe(&self, direction: Direction, event: &WireEvent<'_>) {
        if let Some(obs) = &self.observer {
            obs(direction, event);
        }
    }

    fn observe_items(&self, items: &[StreamItem]) {
        for item in items {
            self.observe(Direction::Rx, &WireEvent::Item(item));
        }
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), PrinterError> {
        if let Some(reason) = &self.closed {
            return Err(PrinterError::Closed {
                reason: reason.clone(),
            });
        }
        self.writer.write_all(bytes).await?;
        self.writer.flush().await?;
        self.stats.bytes_out = self.stats.bytes_out.saturating_add(bytes.len());
        Ok(())
    }

    fn accept(&mut self, incoming: Incoming) -> Result<(), PrinterError> {
        match incoming {
            Incoming::Bytes(bytes) => {
                self.stats.bytes_in = self.stats.bytes_in.saturating_add(bytes.len());
                self.reader.push(&bytes);
                Ok(())
            }
            Incoming::Closed(reason) => {
                self.closed = Some(reason.clone());
                Err(PrinterError::Closed { reason })
            }
        }
    }

    /// Waits for input until `deadline`; false when the deadline passed first.
    async fn wait_input(&mut self, deadline: Instant) -> Result<bool, PrinterError> {
        if let Some(reason) = &self.closed {
            return Err(PrinterError::Closed {
                reason: reason.clone(),
            });
        }
        match tokio::time::timeout_at(deadline, self.incoming.recv()).await {
            Ok(Some(incoming)) => self.accept(incoming).map(|()| true),
            Ok(None) => {
                let reason = "the link's reader stopped".to_owned();
                self.closed = Some(reason.clone());
                Err(PrinterError::Closed { reason })
            }
            Err(_) => Ok(false),
        }
    }

    /// Takes whatever already arrived. Waits for `drain_quiet` of silence only when there is
    /// reason to expect more: bytes were pending (a chatty printer, ASB on) or an earlier
    /// request went unanswered (its reply may still come and must not be taken for a new one).
    async fn drain(&mut self) -> Result<Vec<StreamItem>, PrinterError> {
        let mut got_bytes = false;
        while let Ok(incoming) = self.incoming.try_recv() {
            got_bytes |= matches!(incoming, Incoming::Bytes(_));
            self.accept(incoming)?;
        }
        if got_bytes || self.late_replies_possible || self.reader.pending_bytes() > 0 {
            // A printer that never stops talking must not stall the check.
            let cap = Instant::now() + self.timeouts.status;
            loop {
                let quiet_until = (Instant::now() + self.timeouts.drain_quiet).min(cap);
                if !self.wait_input(quiet_until).await? || Instant::now() >= cap {
                    break;
                }
            }
        }
        self.late_replies_possible = false;
        let items = self.reader.flush();
        self.observe_items(&items);
        Ok(items)
    }

    async fn exchange(
        &mut self,
        queries: &[Query],
        timeout: Duration,
    ) -> Result<Exchange, PrinterError> {
        let drained = self.drain().await?;
        let requests: Vec<Vec<u8>> = queries.iter().map(|q| request(*q)).collect();
        let started = Instant::now();
        self.write(&requests.concat()).await?;
        for (q, bytes) in queries.iter().zip(&requests) {
            self.reader.expect(*q);
            self.observe(Direction::Tx, &WireEvent::Request { bytes });
        }
        let deadline = started + timeout;
        let mut items = Vec::new();
        loop {
            while let Some(item) = self.reader.next_item() {
                self.observe(Direction::Rx, &WireEvent::Item(&item));
                items.push(item);
            }
            if self.reader.outstanding().next().is_none() || !self.wait_input(deadline).await? {
                break;
            }
        }
        let round_trip = started.elapsed();
        if self.reader.outstanding().next().is_some() {
            let rest = self.reader.flush();
            self.observe_items(&rest);
            items.extend(rest);
            self.late_replies_possible = true;
        }
        Ok(Exchange {
            drained,
            items,
            round_trip,
        })
    }
}
