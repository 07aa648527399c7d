//! Reads a capture back: checks the header's version, then every record up to any damage.

use std::path::{Path, PathBuf};

use super::format::{CaptureHeader, CaptureRecord, FORMAT_NAME, FORMAT_VERSION};

/// Why a capture cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("cannot read capture '{path}': {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("'{path}' is not a posdiag capture: the first line is not a posdiag-capture header ({reason})")]
    NotACapture { path: PathBuf, reason: String },
    #[error("capture '{path}' has format version {found}; this posdiag reads version {supported}.x — update posdiag to open it")]
    NewerVersion {
        path: PathBuf,
        found: String,
        supported: String,
    },
}

/// Everything that could be read from a capture.
#[derive(Debug, Clone)]
pub struct CaptureContents {
    pub header: CaptureHeader,
    pub records: Vec<CaptureRecord>,
    /// Where reading stopped early (1-based line number and reason), for a truncated or
    /// corrupt file. Everything before it is in `records`.
    pub damage: Option<(usize, String)>,
}

impl CaptureContents {
    /// False for a capture of format 1.3 or later that has no end record: posdiag stopped
    /// writing it before the end (write failure, crash, killed). True when it has one or is
    /// damaged (said as such); older captures have no end record and count as complete.
    pub fn complete(&self) -> bool {
        let minor: Option<u32> = self
            .header
            .version
            .split('.')
            .nth(1)
            .and_then(|m| m.parse().ok());
        let has_end = matches!(self.records.last(), Some(CaptureRecord::End { .. }));
        has_end
            || self.damage.is_some()
            || (major(&self.header.version) == Some(1) && minor < Some(3))
    }
}

fn major(version: &str) -> Option<u32> {
    version.split('.').next()?.parse().ok()
}

/// Reads a whole capture file.
pub fn read_capture(path: &Path) -> Result<CaptureContents, CaptureError> {
    let bytes = std::fs::read(path).map_err(|source| CaptureError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_capture(&bytes, path)
}

/// Reads a capture from its bytes; `path` only names it in errors.
pub fn parse_capture(bytes: &[u8], path: &Path) -> Result<CaptureContents, CaptureError> {
    let text = String::from_utf8_lossy(bytes);
    // Editors on Windows save UTF-8 with a byte order mark; it is not part of the header.
    let mut lines = text.strip_prefix('\u{feff}').unwrap_or(&text).lines();
    let first = lines.next().unwrap_or("");
    let header: CaptureHeader =
        serde_json::from_str(first).map_err(|e| CaptureError::NotACapture {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
    if header.format != FORMAT_NAME {
        return Err(CaptureError::NotACapture {
            path: path.to_owned(),
            reason: format!("format is '{}'", header.format),
        });
    }
    if major(&header.version) > major(FORMAT_VERSION) || major(&header.version).is_none() {
        return Err(CaptureError::NewerVersion {
            path: path.to_owned(),
            found: header.version.clone(),
            supported: FORMAT_VERSION.split('.').next().unwrap_or("1").to_owned(),
        });
    }
    let mut records = Vec::new();
    let mut damage = None;
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<CaptureRecord>(line) {
            Ok(record) => records.push(record),
            Err(e) => {
                damage = Some((i + 2, e.to_string()));
                break;
            }
        }
    }
    Ok(CaptureContents {
        header,
        records,
        damage,
    })
}
