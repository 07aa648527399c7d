//! Tracing goes to a file, never to the terminal the TUI owns.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tracing_appender::non_blocking::WorkerGuard;

/// `<data dir>/posdiag/posdiag.log`.
pub fn default_log_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "posdiag")
        .map(|d| d.data_dir().join("posdiag.log"))
        .unwrap_or_else(|| std::env::temp_dir().join("posdiag.log"))
}

/// Starts the file logger; keep the guard alive until exit so the last lines are written.
/// Filter from `POSDIAG_LOG` (e.g. `debug`), default `info`.
pub fn init(path: &Path) -> anyhow::Result<WorkerGuard> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the log directory '{}'", dir.display()))?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| {
            format!(
                "cannot open the log file '{}' — choose another with --log-file FILE",
                path.display()
            )
        })?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("POSDIAG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second init (tests calling the CLI in-process) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init();
    Ok(guard)
}
