//! `posdiag replay CAPTURE`: the TUI over a capture, read-only — every tab rebuilt from the
//! capture's records, with a cursor to step through time. A capture damaged part-way replays
//! up to the damage and says where it stopped; a capture of a newer major format version, or a
//! file that is not a capture, is refused with the reader's message (exit 2).

use std::path::Path;
use std::process::ExitCode;

use tokio::sync::mpsc::unbounded_channel;

use super::args::ReplayArgs;
use super::exit::{self, CliError};
use crate::capture::{read_capture, CaptureRecord};
use crate::i18n::{Lang, Text};
use crate::tui::{AppState, CheckDescriptor, ReplayRecord, UiConfig, UiMode};

pub fn run(args: &ReplayArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let path = &args.capture;
    let contents = read_capture(path).map_err(CliError::usage)?;
    let name = file_name(path);
    let stopped = contents
        .damage
        .as_ref()
        .map(|(line, reason)| damaged(&name, *line, reason));
    let title = Text::new(
        format!("{name} · 配置 {}", contents.header.profile),
        format!("{name} · profile {}", contents.header.profile),
    );
    let mut config = UiConfig::new(lang, UiMode::Replay, title);
    config.capture_path = Some(path.clone());
    config.utc_offset = crate::localtime::offset();
    config.color = std::env::var_os("NO_COLOR").is_none();
    let state = AppState::replay(
        config,
        descriptors(&contents.records),
        replay_records(&contents.records),
        contents.header.created,
        stopped,
    );
    let runtime = super::runtime()?;
    runtime.block_on(async {
        // Nothing is live: the event stream is closed from the start, and nothing serves
        // requests (replay mode has no key that makes one but quitting).
        let (_, events) = unbounded_channel();
        let (requests, _) = unbounded_channel();
        crate::tui::run(state, events, requests)
            .await
            .map_err(CliError::failure)
    })?;
    Ok(exit::OK)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The notice of a damaged capture.
pub fn damaged(name: &str, line: usize, reason: &str) -> Text {
    Text::new(
        format!("抓包 {name} 第 {line} 行已损坏，回放到此为止（{reason}）"),
        format!("The capture {name} is damaged at line {line}; the replay stops there ({reason})"),
    )
}

/// The records as the TUI replays them.
pub fn replay_records(records: &[CaptureRecord]) -> Vec<ReplayRecord> {
    records
        .iter()
        .map(|r| ReplayRecord {
            time: r.time(),
            event: r.to_event(),
        })
        .collect()
}

/// The checks the capture has results for, in the order they first appear.
pub fn descriptors(records: &[CaptureRecord]) -> Vec<CheckDescriptor> {
    let specs = crate::checks::all_specs();
    let mut out: Vec<CheckDescriptor> = Vec::new();
    for record in records {
        let CaptureRecord::Check { result, .. } = record else {
            continue;
        };
        if out.iter().any(|d| d.id == result.id) {
            continue;
        }
        let title = specs
            .iter()
            .find(|s| s.id == result.id)
            .map_or_else(|| Text::same(result.id.clone()), |s| s.title.clone());
        out.push(CheckDescriptor {
            id: result.id.clone(),
            area: result.area,
            title,
        });
    }
    out
}
