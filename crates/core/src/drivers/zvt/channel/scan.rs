//! The serial settings scan: when a line looks garbled, try the usual settings with a read-only
//! Status-Enquiry and keep the one the terminal answers at.

use std::time::Duration;

use tokio::time::Instant;

use super::ZvtChannel;
use crate::drivers::zvt::client::ZvtTimeouts;
use crate::drivers::zvt::transport::{BlockTimers, Framing};
use crate::drivers::zvt::ZvtEndpoint;
use crate::link::{Link as _, SerialSettings};
use crate::proto::zvt::message::{EcrMessage, StatusEnquiry};

/// One row of the serial settings scan.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanRow {
    pub settings: SerialSettings,
    pub answered: bool,
    pub bytes_in: usize,
    pub garbage_bytes: usize,
}

impl ZvtChannel {
    /// Tries each serial setting with a Status-Enquiry until one answers or `deadline`
    /// passes; on success the channel keeps that setting. Serial only (empty for TCP).
    pub async fn scan_serial_settings(
        &self,
        candidates: &[SerialSettings],
        window: Duration,
        deadline: Instant,
    ) -> Vec<ScanRow> {
        let mut rows = Vec::new();
        let mut guard = self.client.lock().await;
        if !self.is_serial() || self.ensure_open(&mut guard).await.is_err() {
            return rows;
        }
        let Some(client) = guard.take() else {
            return rows;
        };
        let mut link = client.into_stream();
        let probe = EcrMessage::StatusEnquiry(StatusEnquiry::default());
        let scan_block = BlockTimers {
            t1: self.timing.block.t1,
            t2: window,
        };
        let scan_timeouts = ZvtTimeouts {
            t3: window * 2,
            t4: window * 4,
        };
        for candidate in candidates {
            if Instant::now() + window * 3 > deadline {
                break;
            }
            if link.reconfigure(candidate).is_err() {
                continue;
            }
            let mut probe_client =
                self.make_client(link, Framing::Serial, scan_block, scan_timeouts);
            let answered = probe_client.run(&probe).await.is_ok();
            let stats = probe_client.stats();
            rows.push(ScanRow {
                settings: candidate.clone(),
                answered,
                bytes_in: stats.bytes_in,
                garbage_bytes: stats.garbage_bytes,
            });
            link = probe_client.into_stream();
            if answered {
                if let Ok(mut e) = self.endpoint.lock() {
                    *e = ZvtEndpoint::Serial(candidate.clone());
                }
                break;
            }
        }
        // Back to the (possibly new) settings of the channel, with normal timing.
        if let ZvtEndpoint::Serial(settings) = self.endpoint() {
            let _ = link.reconfigure(&settings);
        }
        *guard = Some(self.make_client(
            link,
            Framing::Serial,
            self.timing.block,
            self.timing.command,
        ));
        rows
    }
}
