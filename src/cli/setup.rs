//! Shared setup of the modes: profile and faults from the arguments, the capture file.

use std::path::PathBuf;

use crate::session::EventReceiver;
use tokio::task::JoinHandle;

use super::args::{ConnectArgs, DemoTerminal, GlobalArgs};
use super::exit::CliError;
use crate::capture::{
    default_capture_path, redact_frame, spawn_capture_writer, CaptureHeader, CaptureWriter,
    CaptureWriterError,
};
use crate::profile::load_profile;
use crate::proto::iso8583::Dialect;
use crate::session::SessionConfig;
use crate::sim::parse_faults;

/// The session to open for `--demo` / `--profile P [--serial|--tcp]` with `--fault`s.
pub fn load_session_config(
    demo: Option<DemoTerminal>,
    connect: &ConnectArgs,
    fault_args: &[String],
) -> Result<SessionConfig, CliError> {
    let faults = parse_faults(fault_args).map_err(CliError::usage)?;
    let name = match (demo, &connect.profile) {
        (Some(terminal), _) => terminal.profile().to_owned(),
        (None, Some(p)) => p.clone(),
        (None, None) if connect.tcp.is_some() => "zvt-tcp".to_owned(),
        (None, None) if connect.serial.is_some() => "zvt-serial".to_owned(),
        (None, None) => {
            return Err(CliError::usage(anyhow::anyhow!(
                "say what to check: --demo, or --profile P (see 'posdiag profiles list'), or --serial PORT / --tcp HOST:PORT"
            )))
        }
    };
    let (profile, _) = load_profile(&name).map_err(CliError::usage)?;
    Ok(SessionConfig {
        profile,
        faults,
        serial: connect.serial.clone(),
        tcp: connect.tcp.clone(),
    })
}

/// A capture being written in the background.
pub struct CaptureJob {
    path: PathBuf,
    task: JoinHandle<Result<(), CaptureWriterError>>,
}

impl CaptureJob {
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Waits for the last event to be written (the bus must be closed first). An error when
    /// the file could not be written to the end: the records before the failure stay in it,
    /// and the caller must not say "capture saved".
    pub async fn finish(self) -> Result<PathBuf, CaptureIncomplete> {
        let reason = match self.task.await {
            Ok(Ok(())) => return Ok(self.path),
            Ok(Err(e)) => e.to_string(),
            Err(e) => format!("the capture writer stopped: {e}"),
        };
        Err(CaptureIncomplete {
            path: self.path,
            reason,
        })
    }
}

/// A capture that could not be written to the end (disk full, file removed, writer stopped).
#[derive(Debug, thiserror::Error)]
#[error("the capture '{}' is incomplete: {reason}; the records before the failure are kept", path.display())]
pub struct CaptureIncomplete {
    pub path: PathBuf,
    pub reason: String,
}

impl CaptureIncomplete {
    /// Says so on stderr, in the user's language where the sentence is ours.
    pub fn report(&self, lang: crate::i18n::Lang) {
        match lang {
            crate::i18n::Lang::Zh => eprintln!(
                "错误：抓包文件 '{}' 不完整（{}）；出错之前的记录已保留",
                self.path.display(),
                self.reason
            ),
            crate::i18n::Lang::En => eprintln!("error: {self}"),
        }
    }

    /// The exit code of a run whose result was `code` and whose capture failed: a run that
    /// would have succeeded fails (1), a worse code stays.
    pub fn exit_code(code: u8) -> u8 {
        code.max(1)
    }
}

/// Creates the capture file (`--capture` or a new file in the data directory) and starts
/// writing every event of `events` into it.
pub fn open_capture(
    global: &GlobalArgs,
    profile: &str,
    target: &str,
    faults: Vec<String>,
    events: EventReceiver,
) -> Result<CaptureJob, CliError> {
    open_capture_with_dialect(global, profile, target, faults, events, None)
}

/// The host dialect of a profile (a built-in name or a file), for decoding ISO 8583.
pub fn profile_host_dialect(name: &str) -> Result<Dialect, CliError> {
    let (profile, _) = crate::profile::load_profile(name).map_err(CliError::usage)?;
    profile.host.map(|h| h.dialect).ok_or_else(|| {
        CliError::usage(anyhow::anyhow!(
            "the profile '{name}' has no [host] channel: give a profile with a host dialect (e.g. cup-host)"
        ))
    })
}

/// [`open_capture`], reading host frames in the profile's `dialect` for the transaction
/// records (the CUP dialect when `None`).
pub fn open_capture_with_dialect(
    global: &GlobalArgs,
    profile: &str,
    target: &str,
    faults: Vec<String>,
    events: EventReceiver,
    dialect: Option<Dialect>,
) -> Result<CaptureJob, CliError> {
    let path = global.capture.clone().unwrap_or_else(default_capture_path);
    let mut header = CaptureHeader::new(profile, target, faults);
    let log = global
        .log_file
        .clone()
        .unwrap_or_else(super::logging::default_log_path);
    header.log_file = Some(log.display().to_string());
    let mut writer =
        CaptureWriter::create(&path, &header, redact_frame).map_err(CliError::usage)?;
    if let Some(d) = dialect {
        writer = writer.with_host_dialect(d);
    }
    let task = spawn_capture_writer(writer, events);
    Ok(CaptureJob { path, task })
}
