//! `posdiag replay CAPTURE`: the TUI over a capture, read-only — every tab rebuilt from the
//! capture's records, with a cursor to step through time. A capture damaged part-way replays
//! up to the damage and says where it stopped; a capture of a newer major format version, or a
//! file that is not a capture, is refused with the reader's message (exit 2).

use std::path::Path;
use std::process::ExitCode;

use tokio::sync::mpsc::unbounded_channel;

use super::args::ReplayArgs;
use super::exit::{self, CliError};
use crate::capture::{read_capture, CaptureContents, CaptureRecord};
use crate::i18n::{Lang, Text};
use crate::tui::{AppState, CheckDescriptor, ReplayRecord, ReplaySource, UiConfig, UiMode};

pub fn run(args: &ReplayArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let path = &args.capture;
    let contents = read_capture(path).map_err(CliError::usage)?;
    let name = file_name(path);
    let stopped = match &contents.damage {
        Some((line, reason)) => Some(damaged(&name, *line, reason)),
        None if !contents.complete() => Some(Text::new(
            format!("抓包 {name} 不完整：posdiag 未能写完它；回放到最后写入的记录为止"),
            format!("The capture {name} is incomplete: posdiag could not finish writing it; the replay ends at the last record written"),
        )),
        None => None,
    };
    let title = Text::new(
        format!("{name} · 配置 {}", contents.header.profile),
        format!("{name} · profile {}", contents.header.profile),
    );
    let mut config = UiConfig::new(lang, UiMode::Replay, title);
    config.capture_path = Some(path.clone());
    config.utc_offset = crate::localtime::offset();
    config.color = std::env::var_os("NO_COLOR").is_none();
    let records = replay_records(&contents.records);
    let source = ReplaySource {
        start: Some(contents.header.created),
        stopped,
        facts: facts(&contents, records.len(), lang),
    };
    let state = AppState::replay(config, descriptors(&contents.records), records, source);
    let runtime = super::runtime()?;
    runtime.block_on(async {
        // Nothing is live: the event stream is closed from the start, and nothing serves
        // requests (replay mode has no key that makes one but quitting).
        let (_, events) = tokio::sync::mpsc::channel(1);
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

/// What the capture's header says, for the Connect tab. `replayed` is how many records the
/// cursor steps through: the status bar's total. Transaction records are not among them (the
/// TUI rebuilds transactions from the frames), so counting every line of the capture here made
/// the two numbers disagree by one per transaction.
fn facts(contents: &CaptureContents, replayed: usize, lang: Lang) -> Vec<(Text, String)> {
    let h = &contents.header;
    let created = crate::localtime::format_local(
        h.created,
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        lang,
    );
    let none = Text::fixed("无", "none");
    let faults = if h.faults.is_empty() {
        none.get(lang).to_string()
    } else {
        h.faults.join(", ")
    };
    let damage = match &contents.damage {
        Some((line, _)) => match lang {
            Lang::Zh => format!("第 {line} 行起损坏"),
            Lang::En => format!("damaged from line {line}"),
        },
        None if !contents.complete() => {
            Text::fixed("不完整（无结束记录）", "incomplete (no end record)")
                .get(lang)
                .to_string()
        }
        None => none.get(lang).to_string(),
    };
    vec![
        (Text::fixed("开始时间", "started"), created),
        (Text::fixed("配置", "profile"), h.profile.clone()),
        (Text::fixed("目标", "target"), h.target.clone()),
        (Text::fixed("模拟故障", "simulated faults"), faults),
        (Text::fixed("记录条数", "records"), replayed.to_string()),
        (Text::fixed("损坏", "damage"), damage),
        (
            Text::fixed("记录者", "recorded by"),
            format!(
                "posdiag {} ({}), format {}",
                h.posdiag_version, h.os, h.version
            ),
        ),
    ]
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
        .filter_map(|r| {
            r.to_event().map(|event| ReplayRecord {
                time: r.time(),
                event,
            })
        })
        .collect()
}

/// The checks the capture has results for, in the registry's order (the order a live session
/// lists them, so the Checks tab sorts a replay as it sorted the live run: problems first, then
/// as listed), checks this posdiag does not know last, in the order they first appear.
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
    // Stable: unknown checks keep their order of appearance.
    out.sort_by_key(|d| {
        specs
            .iter()
            .position(|s| s.id == d.id)
            .unwrap_or(usize::MAX)
    });
    out
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::capture::{redact_frame, CaptureHeader, CaptureWriter};
    use crate::checks::{Area, CheckResult, CheckStatus};
    use crate::event::{Channel, Event, LinkState};

    #[test]
    fn checks_are_listed_in_the_live_order_not_the_order_they_finished() {
        let specs = crate::checks::all_specs();
        let (first, second) = (&specs[0], &specs[1]);
        let check = |id: &str, area| CaptureRecord::Check {
            time: std::time::SystemTime::UNIX_EPOCH,
            result: CheckResult::new(id, area, CheckStatus::Pass, Text::same("ok")),
        };
        // Finished second-first, plus one this posdiag does not know.
        let records = [
            check("vendor.extra", Area::Terminal),
            check(second.id, second.area),
            check(first.id, first.area),
        ];
        let ids: Vec<String> = descriptors(&records).into_iter().map(|d| d.id).collect();
        assert_eq!(ids, [first.id, second.id, "vendor.extra"]);
    }

    #[test]
    fn a_truncated_capture_replays_up_to_the_damage() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("shop.jsonl");
        let header = CaptureHeader::new("demo", "sim", Vec::new());
        let mut writer = CaptureWriter::create(&path, &header, redact_frame).expect("create");
        let events = [
            Event::Link {
                channel: Channel::Terminal,
                state: LinkState::Connected {
                    target: "sim".into(),
                },
            },
            Event::CheckFinished(CheckResult::new(
                "power.supply",
                Area::Power,
                CheckStatus::Pass,
                Text::same("ok"),
            )),
            Event::CheckFinished(
                CheckResult::new(
                    "reader.status",
                    Area::Reader,
                    CheckStatus::Fail,
                    Text::same("E2"),
                )
                .with_cause(crate::cause!("reader.not_answering")),
            ),
            Event::Notice(Text::fixed("排障：…", "guide: …")),
        ];
        for e in &events {
            writer.write_event(e).expect("write");
        }
        drop(writer);
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open");
        file.write_all(b"{\"type\":\"check\",\"ti").expect("append");
        drop(file);

        let contents = read_capture(&path).expect("readable");
        let (line, reason) = contents.damage.clone().expect("damaged");
        assert_eq!(line, 6);
        let records = replay_records(&contents.records);
        assert_eq!(records.len(), 4);
        let descriptors = descriptors(&contents.records);
        let ids: Vec<&str> = descriptors.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["power.supply", "reader.status"]);
        // Known checks keep their registry title.
        assert_ne!(descriptors[0].title, Text::same("power.supply"));

        let stopped = damaged("shop.jsonl", line, &reason);
        assert!(!stopped.is_incomplete());
        let config = UiConfig::new(Lang::En, UiMode::Replay, Text::same("shop.jsonl"));
        let source = ReplaySource {
            start: Some(contents.header.created),
            stopped: Some(stopped.clone()),
            facts: facts(&contents, records.len(), Lang::Zh),
        };
        assert!(source.facts.iter().any(|(_, v)| v == "第 6 行起损坏"));
        let state = AppState::replay(config, descriptors, records, source);
        assert_eq!(state.results().count(), 2);
        assert_eq!(state.current_notice(), Some(&stopped));
        assert_eq!(
            state.replay_position().map(|p| (p.cursor, p.total)),
            Some((4, 4))
        );
        // The evidence reached the guide too.
        assert!(state.evidence().check("reader.status").is_some());
    }
}
