//! The link side of the ZVT driver: what arrived so far, and the serial settings scan (each
//! setting tried with a read-only Status-Enquiry).

use std::time::Duration;

use tokio::time::Instant;

use crate::drivers::terminal::{scan_order, LinkProgress, ScanRow, SettingsScan};
use crate::drivers::zvt::{ZvtChannel, ZvtEndpoint};

/// How long each serial setting is listened to during the scan.
const SCAN_WINDOW: Duration = Duration::from_millis(300);

pub(super) fn progress(channel: &ZvtChannel) -> LinkProgress {
    let seen = channel.wire_seen();
    LinkProgress {
        units_in: seen.rx_units,
        frames_in: seen.rx_apdus,
        unframed_sample: seen.garbage,
    }
}

pub(super) async fn scan(channel: &ZvtChannel, deadline: Instant) -> Option<SettingsScan> {
    let ZvtEndpoint::Serial(current) = channel.endpoint() else {
        return None;
    };
    let candidates = scan_order(&current);
    let rows = channel
        .scan_serial_settings(&candidates, SCAN_WINDOW, deadline)
        .await
        .into_iter()
        .map(|row| ScanRow {
            settings: row.settings,
            answered: row.answered,
            bytes_in: row.bytes_in,
            unframed_bytes: row.garbage_bytes,
        })
        .collect();
    Some(SettingsScan {
        current,
        rows,
        planned: candidates.len(),
    })
}
