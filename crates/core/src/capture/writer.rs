//! Appends records to a capture file, one flushed line each.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use std::time::SystemTime;

use super::format::{CaptureHeader, CaptureRecord};
use crate::event::{Event, FrameRecord};
use crate::proto::iso8583::Dialect;
use crate::txn::{TransactionRecord, TxnTracker};

/// Why a capture could not be written. The I/O error is part of the message (not a `source`),
/// so that an error chain printed with `{:#}` names it once.
#[derive(Debug, thiserror::Error)]
pub enum CaptureWriterError {
    #[error(
        "cannot create capture file '{path}': {error} — choose another path with --capture FILE"
    )]
    Create {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("cannot create capture file '{path}': '{file}' is a file, not a folder — choose another path with --capture FILE")]
    NotAFolder { path: PathBuf, file: PathBuf },
    #[error("cannot write capture file '{path}': {error} (disk full or removed?)")]
    Write {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// An open capture file.
pub struct CaptureWriter {
    path: PathBuf,
    out: BufWriter<File>,
    redact: fn(&FrameRecord) -> FrameRecord,
    /// Reads transactions out of the frames written, for the transaction records.
    transactions: TxnTracker,
    /// A write failed: records are missing, so the capture gets no end record.
    failed: bool,
}

impl CaptureWriter {
    /// Creates the file (and its directory) and writes the header line.
    ///
    /// `redact` is applied to every frame before it is written, as a second line of defence
    /// after the drivers' own redaction.
    pub fn create(
        path: &Path,
        header: &CaptureHeader,
        redact: fn(&FrameRecord) -> FrameRecord,
    ) -> Result<Self, CaptureWriterError> {
        let create_err = |error| CaptureWriterError::Create {
            path: path.to_owned(),
            error,
        };
        if let Some(file) = super::path::file_in_the_way(path) {
            return Err(CaptureWriterError::NotAFolder {
                path: path.to_owned(),
                file,
            });
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(create_err)?;
        }
        let file = File::create(path).map_err(create_err)?;
        let mut writer = CaptureWriter {
            path: path.to_owned(),
            out: BufWriter::new(file),
            redact,
            transactions: TxnTracker::new(Dialect::cup()),
            failed: false,
        };
        writer.write_json(header)?;
        Ok(writer)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads host frames in `dialect` (the profile's) for the transaction records.
    pub fn with_host_dialect(mut self, dialect: Dialect) -> Self {
        self.transactions = TxnTracker::new(dialect);
        self
    }

    /// The end of the session: transactions still open are written as they stand (`UNKNOWN`
    /// when nothing resolved them).
    /// The end record follows, unless a write failed before: then the capture is known to
    /// miss records and must not look complete.
    pub fn finish(&mut self) -> Result<(), CaptureWriterError> {
        let changed = self.transactions.close();
        self.write_transactions(&changed)?;
        if self.failed {
            return Ok(());
        }
        self.write_json(&CaptureRecord::End {
            time: SystemTime::now(),
        })
    }

    fn write_transactions(&mut self, changed: &[u64]) -> Result<(), CaptureWriterError> {
        for id in self.transactions.newly_settled(changed) {
            let Some(t) = self.transactions.get(id) else {
                continue;
            };
            let record = CaptureRecord::Transaction {
                time: SystemTime::now(),
                transaction: Box::new(TransactionRecord::of(t)),
            };
            self.write_json(&record)?;
        }
        Ok(())
    }

    /// Writes the event if it belongs in a capture.
    pub fn write_event(&mut self, event: &Event) -> Result<(), CaptureWriterError> {
        match CaptureRecord::from_event(event) {
            Some(record) => self.write_record(&record),
            None => Ok(()),
        }
    }

    pub fn write_record(&mut self, record: &CaptureRecord) -> Result<(), CaptureWriterError> {
        match record {
            CaptureRecord::Frame(frame) => {
                let clean = (self.redact)(frame);
                let changed = self.transactions.feed(&clean);
                self.write_json(&CaptureRecord::Frame(clean))?;
                self.write_transactions(&changed)
            }
            CaptureRecord::Check { time, result } => {
                let mut result = result.clone();
                result.frames = result.frames.iter().map(self.redact).collect();
                self.write_json(&CaptureRecord::Check {
                    time: *time,
                    result,
                })
            }
            other => self.write_json(other),
        }
    }

    fn write_json<T: serde::Serialize>(&mut self, value: &T) -> Result<(), CaptureWriterError> {
        let write_err = |error| CaptureWriterError::Write {
            path: self.path.clone(),
            error,
        };
        let line = serde_json::to_string(value).map_err(|e| write_err(std::io::Error::other(e)))?;
        let written = self
            .out
            .write_all(line.as_bytes())
            .and_then(|()| self.out.write_all(b"\n"))
            .and_then(|()| self.out.flush());
        self.failed |= written.is_err();
        written.map_err(write_err)
    }
}
