//! Tracing goes to a file, never to the terminal the TUI owns.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

/// Lines the log writer holds while the file catches up. The default (128,000) costs ~6 MB
/// before the first line is logged; a diagnostics run logs a few lines per frame, and a burst
/// larger than this drops lines (counted by tracing-appender) rather than growing memory.
const BUFFERED_LINES: usize = 4096;

/// The environment variables that set the log filter, first found wins: `POSDIAG_LOG`
/// (posdiag's own, kept for existing scripts), then `RUST_LOG` as in every tracing program.
pub const FILTER_VARS: [&str; 2] = ["POSDIAG_LOG", "RUST_LOG"];

/// `<data dir>/posdiag/posdiag.log`.
pub fn default_log_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "posdiag")
        .map(|d| d.data_dir().join("posdiag.log"))
        .unwrap_or_else(|| std::env::temp_dir().join("posdiag.log"))
}

/// The log filter from [`FILTER_VARS`] (e.g. `debug`, `posdiag::drivers=trace`,
/// `warn,posdiag=debug`), default `info`: tracing-subscriber's `EnvFilter` syntax, as in every
/// tracing program. A variable that is set but unreadable as a filter is an error naming it,
/// so a typo is not silently logged at the default level (the caller warns and goes on).
pub fn filter_from_env() -> anyhow::Result<EnvFilter> {
    for var in FILTER_VARS {
        match std::env::var(var) {
            Ok(value) if !value.trim().is_empty() => {
                return EnvFilter::try_new(&value).with_context(|| {
                    format!("{var}='{value}' is not a log filter: use e.g. {var}=debug or {var}=posdiag=trace")
                });
            }
            _ => {}
        }
    }
    Ok(default_filter())
}

/// `info` for every target.
pub fn default_filter() -> EnvFilter {
    EnvFilter::new("info")
}

/// Starts the file logger; keep the guard alive until exit so the last lines are written.
pub fn init(path: &Path, filter: EnvFilter) -> anyhow::Result<WorkerGuard> {
    if let Some(file) = crate::capture::file_in_the_way(path) {
        anyhow::bail!(
            "cannot open the log file '{}': '{}' is a file, not a folder — choose another with --log-file FILE",
            path.display(),
            file.display()
        );
    }
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
    let (writer, guard) = NonBlockingBuilder::default()
        .buffered_lines_limit(BUFFERED_LINES)
        .finish(file);
    // A second init (tests calling the CLI in-process) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init();
    Ok(guard)
}
