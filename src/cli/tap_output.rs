//! The tap's printed output, on its own thread: the tap hands lines over without waiting, so a
//! stdout nobody reads (`posdiag tap … | less`, paused) never holds up forwarding. Lines that
//! do not fit in the queue are dropped and counted.

use std::io::Write as _;
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::drivers::tap::TapStats;

/// Lines that may wait for a slow reader before new ones are dropped.
const QUEUE_LINES: usize = 4096;

/// Which stream a line goes to.
pub enum Stream {
    Out,
    Err,
}

/// A non-blocking handle to the printing thread.
#[derive(Clone)]
pub struct Output {
    tx: SyncSender<(Stream, String)>,
    stats: Arc<TapStats>,
}

impl Output {
    /// Starts the printing thread.
    pub fn start(stats: Arc<TapStats>) -> (Output, JoinHandle<()>) {
        let (tx, rx) = sync_channel::<(Stream, String)>(QUEUE_LINES);
        let printer = std::thread::spawn(move || {
            let mut out_open = true;
            while let Ok((stream, line)) = rx.recv() {
                match stream {
                    Stream::Out if out_open => {
                        let mut out = std::io::stdout().lock();
                        // A closed stdout (`| head`) ends printing, not the tap.
                        out_open = writeln!(out, "{line}").and_then(|()| out.flush()).is_ok();
                    }
                    Stream::Out => {}
                    Stream::Err => {
                        let _ = writeln!(std::io::stderr().lock(), "{line}");
                    }
                }
            }
        });
        (Output { tx, stats }, printer)
    }

    /// Queues a line; never waits. A line that does not fit is counted as dropped.
    pub fn line(&self, stream: Stream, line: String) {
        match self.tx.try_send((stream, line)) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.stats.record_dropped();
            }
        }
    }
}
