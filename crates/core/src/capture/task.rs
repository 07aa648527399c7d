//! The capture writer as a task on the event bus.

use tokio::sync::mpsc::Receiver;
use tokio::task::JoinHandle;

use super::writer::{CaptureWriter, CaptureWriterError};
use crate::event::Event;

/// Writes every event from `events` until the channel closes; returns the first write error.
pub fn spawn_capture_writer(
    mut writer: CaptureWriter,
    mut events: Receiver<Event>,
) -> JoinHandle<Result<(), CaptureWriterError>> {
    tokio::spawn(async move {
        let mut first_error = None;
        while let Some(event) = events.recv().await {
            if let Err(e) = writer.write_event(&event) {
                tracing::error!("capture: {e}");
                first_error.get_or_insert(e);
            }
        }
        if let Err(e) = writer.finish() {
            tracing::error!("capture: {e}");
            first_error.get_or_insert(e);
        }
        first_error.map_or(Ok(()), Err)
    })
}
