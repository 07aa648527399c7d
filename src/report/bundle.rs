//! `posdiag report`: one folder to attach to a ticket — summary.md, the capture, the log file
//! and a pcap of the TCP channels.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::check_run::{CheckRun, OutputFormat};
use super::pcap::{write_pcap, PcapSummary};
use crate::capture::{read_capture, CaptureContents, CaptureError, CaptureRecord};
use crate::checks::CheckResult;
use crate::i18n::Lang;

/// Why a bundle could not be made.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error(transparent)]
    Capture(#[from] CaptureError),
    #[error("cannot write the report into '{path}': {source} — choose another folder with -o DIR")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Pcap(#[from] super::pcap::PcapError),
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    pub pcap: PcapSummary,
    /// Where a damaged capture stopped being readable.
    pub damage: Option<(usize, String)>,
    /// False when the capture has no end record: its writing stopped early.
    pub complete: bool,
}

/// The latest result of each check, in first-seen order.
pub fn latest_checks(records: &[CaptureRecord]) -> Vec<CheckResult> {
    let mut out: Vec<CheckResult> = Vec::new();
    for record in records {
        if let CaptureRecord::Check { result, .. } = record {
            match out.iter_mut().find(|c| c.id == result.id) {
                Some(slot) => *slot = result.clone(),
                None => out.push(result.clone()),
            }
        }
    }
    out
}

/// Writes the bundle for `capture` into `dir` (created if needed).
pub fn write_bundle(
    capture: &Path,
    dir: &Path,
    log: Option<&Path>,
    lang: Lang,
) -> Result<Bundle, BundleError> {
    let contents = read_capture(capture)?;
    let write_err = |path: &Path| {
        let path = path.to_owned();
        move |source| BundleError::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(write_err(dir))?;
    let mut files = Vec::new();

    let capture_copy = dir.join("capture.jsonl");
    std::fs::copy(capture, &capture_copy).map_err(write_err(&capture_copy))?;
    files.push(capture_copy);

    // The log file is shared by every run: only this session's lines are copied.
    let log_lines = match log.filter(|l| l.is_file()) {
        Some(log) => {
            let to = dir.join("posdiag.log");
            let (from, until) = session_span(&contents);
            let copy = || -> std::io::Result<usize> {
                let input = std::io::BufReader::new(std::fs::File::open(log)?);
                let mut output = std::io::BufWriter::new(std::fs::File::create(&to)?);
                let n = super::session_log::copy_session_lines(input, &mut output, from, until)?;
                std::io::Write::flush(&mut output)?;
                Ok(n)
            };
            let n = copy().map_err(write_err(&to))?;
            files.push(to);
            Some(n)
        }
        None => None,
    };

    let pcap_path = dir.join("posdiag.pcap");
    let file = std::fs::File::create(&pcap_path).map_err(write_err(&pcap_path))?;
    let pcap = write_pcap(&contents.records, std::io::BufWriter::new(file))?;
    files.push(pcap_path);

    let summary_path = dir.join("summary.md");
    let causes = ranked_causes(capture, lang);
    let summary = summary_markdown(&contents, &pcap, log_lines, &causes, lang);
    std::fs::write(&summary_path, summary).map_err(write_err(&summary_path))?;
    files.insert(0, summary_path);

    Ok(Bundle {
        dir: dir.to_owned(),
        files,
        pcap,
        damage: contents.damage.clone(),
        complete: contents.complete(),
    })
}

/// When the capture's session ran: from its creation to its last record.
fn session_span(contents: &CaptureContents) -> (std::time::SystemTime, std::time::SystemTime) {
    let from = contents.header.created;
    let until = contents
        .records
        .iter()
        .map(CaptureRecord::time)
        .max()
        .unwrap_or(from)
        .max(from);
    (from, until)
}

fn escape_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The confirmed and likely causes the guide ranks from the capture, best first, at most 8:
/// the same [`crate::guide::rank`] on the same evidence as `posdiag guide --from` and the
/// Guide tab's "the evidence alone".
pub fn summary_causes(capture: &Path) -> Vec<(crate::guide::CauseState, String)> {
    let Ok(kb) = crate::guide::builtin() else {
        return Vec::new();
    };
    let mut obs = crate::guide::Observations::new();
    if crate::capture::observations_from_capture(capture, &mut obs).is_err() {
        return Vec::new();
    }
    let ranking = crate::guide::rank(kb, &obs, &Default::default(), None);
    ranking
        .causes
        .iter()
        .filter(|c| {
            matches!(
                c.state,
                crate::guide::CauseState::Confirmed | crate::guide::CauseState::Likely
            )
        })
        .take(8)
        .map(|c| (c.state, c.cause.id.clone()))
        .collect()
}

/// [`summary_causes`] for the summary: (state word, id, title).
fn ranked_causes(capture: &Path, lang: Lang) -> Vec<(String, String, String)> {
    let Ok(kb) = crate::guide::builtin() else {
        return Vec::new();
    };
    summary_causes(capture)
        .into_iter()
        .map(|(state, id)| {
            let title = kb
                .cause(&id)
                .map(|c| c.title.get(lang).to_owned())
                .unwrap_or_default();
            (state.word().get(lang).to_owned(), id, title)
        })
        .collect()
}

/// The latest state of each transaction in the capture, in the order they started.
fn latest_transactions(records: &[CaptureRecord]) -> Vec<&crate::txn::TransactionRecord> {
    let mut out: Vec<&crate::txn::TransactionRecord> = Vec::new();
    for record in records {
        if let CaptureRecord::Transaction { transaction, .. } = record {
            match out.iter_mut().find(|t| t.id == transaction.id) {
                Some(slot) => *slot = transaction,
                None => out.push(transaction),
            }
        }
    }
    out
}

fn summary_markdown(
    contents: &CaptureContents,
    pcap: &PcapSummary,
    log_lines: Option<usize>,
    causes: &[(String, String, String)],
    lang: Lang,
) -> String {
    let h = &contents.header;
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let title = if zh {
        "posdiag 问题报告"
    } else {
        "posdiag report"
    };
    match super::title::session_title(contents) {
        name if name.is_empty() => {
            let _ = writeln!(out, "# {title}\n");
        }
        name => {
            let _ = writeln!(out, "# {title} — {name}\n");
        }
    }
    let created = crate::localtime::local(h.created)
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| {
            crate::localtime::out_of_calendar(h.created)
                .get(lang)
                .to_owned()
        });
    let rows: [(&str, &str, String); 6] = [
        ("采集时间", "captured", created),
        ("posdiag 版本", "posdiag version", h.posdiag_version.clone()),
        ("操作系统", "OS", h.os.clone()),
        ("配置", "profile", h.profile.clone()),
        ("连接目标", "target", h.target.clone()),
        (
            "模拟故障",
            "simulator faults",
            if h.faults.is_empty() {
                "-".into()
            } else {
                h.faults.join(", ")
            },
        ),
    ];
    let _ = writeln!(out, "| | |\n|---|---|");
    for (z, e, v) in rows {
        let _ = writeln!(out, "| {} | {} |", if zh { z } else { e }, v);
    }
    let checks = latest_checks(&contents.records);
    for (label_zh, label_en) in [("软件版本", "software version"), ("终端号", "terminal id")]
    {
        let value = checks
            .iter()
            .flat_map(|c| &c.evidence)
            .find(|e| e.label.en == label_en)
            .map(|e| e.value.clone());
        if let Some(v) = value {
            let _ = writeln!(out, "| {} | {} |", if zh { label_zh } else { label_en }, v);
        }
    }
    let _ = writeln!(out);
    if checks.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            if zh {
                "此抓包中没有检查结果。"
            } else {
                "No check results in this capture."
            }
        );
    } else {
        let duration = contents.records.iter().rev().find_map(|r| match r {
            CaptureRecord::RunFinished { duration_ms, .. } => {
                Some(Duration::from_millis(*duration_ms))
            }
            _ => None,
        });
        let run = CheckRun {
            profile: h.profile.clone(),
            target: h.target.clone(),
            checks,
            duration: duration.unwrap_or_default(),
            capture: None,
        };
        // The check report is a section of this one: its headings go one level down.
        let md = run.render(OutputFormat::Markdown, lang);
        for line in md.lines() {
            if line.starts_with('#') {
                let _ = writeln!(out, "#{line}");
            } else {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    let transactions = latest_transactions(&contents.records);
    if !transactions.is_empty() {
        let _ = writeln!(out, "\n## {}\n", if zh { "交易" } else { "Transactions" });
        let head = if zh {
            "| # | 金额 | 卡号 | STAN | 应答码 | 冲正 | 结论 |"
        } else {
            "| # | amount | card | STAN | code | reversal | verdict |"
        };
        let _ = writeln!(out, "{head}\n|---|---|---|---|---|---|---|");
        for t in &transactions {
            let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} — {} |",
                t.id,
                dash(&t.amount),
                dash(&t.card),
                dash(&t.stan),
                dash(&t.response_code),
                dash(&t.reversal_reason),
                t.verdict.clone().unwrap_or_else(|| "…".to_owned()),
                escape_cell(t.banner.get(lang)),
            );
        }
    }
    if !causes.is_empty() {
        let title = if zh {
            "排障指南：可能原因（posdiag guide）"
        } else {
            "Causes ranked by the guide (posdiag guide)"
        };
        let _ = writeln!(out, "\n## {title}\n");
        for (state, id, title) in causes {
            let _ = writeln!(out, "- **{state}** `{id}` — {title}");
        }
    }
    let notices: Vec<String> = contents
        .records
        .iter()
        .filter_map(|r| match r {
            CaptureRecord::Notice { text, .. } => Some(text.get(lang).replace('\n', " ")),
            _ => None,
        })
        .collect();
    if !notices.is_empty() {
        let title = if zh {
            "操作与消息（命令结果、排障尝试）"
        } else {
            "What was done (command outcomes, guide attempts)"
        };
        let _ = writeln!(out, "\n## {title}\n");
        for n in notices {
            let _ = writeln!(out, "- {n}");
        }
    }
    let frames = contents
        .records
        .iter()
        .filter(|r| matches!(r, CaptureRecord::Frame(_)))
        .count();
    let _ = writeln!(out, "\n## {}\n", if zh { "附件" } else { "Files" });
    let _ = writeln!(
        out,
        "- `capture.jsonl` — {} ({frames} {})",
        if zh {
            "抓包（JSON 行，卡号已脱敏）"
        } else {
            "the capture (JSON lines, card data masked)"
        },
        if zh { "帧" } else { "frames" }
    );
    if let Some(lines) = log_lines {
        let _ = writeln!(
            out,
            "- `posdiag.log` — {}",
            if zh {
                format!("本次会话的运行日志（{lines} 行）")
            } else {
                format!("the tracing log of this session ({lines} lines)")
            }
        );
    }
    let _ = writeln!(
        out,
        "- `posdiag.pcap` — {} {}{}",
        pcap.packets,
        if zh {
            "个 TCP 报文，可用 Wireshark 打开（ZVT 在 TCP 20007 上解码）"
        } else {
            "TCP packets for Wireshark (ZVT is decoded on TCP port 20007)"
        },
        if pcap.serial_as_tcp.is_empty() {
            String::new()
        } else if zh {
            "；串口上的 ZVT 以其 APDU 写成 TCP 20007（去掉 DLE 成帧和 ACK/NAK）".to_owned()
        } else {
            "; ZVT seen on a serial line is written as its APDUs on TCP 20007 (DLE framing and ACK/NAK removed)".to_owned()
        }
    );
    if pcap.split_frames > 0 {
        let n = pcap.split_frames;
        let _ = writeln!(
            out,
            "  - {}",
            if zh {
                format!("{n} 帧超过一个 IPv4 报文的长度，已拆成多个相连的 TCP 段")
            } else {
                format!("{n} frame(s) longer than one IPv4 packet, written as several TCP segments in a row")
            }
        );
    }
    if pcap.clamped_times > 0 {
        let n = pcap.clamped_times;
        let _ = writeln!(
            out,
            "  - {}",
            if zh {
                format!("{n} 帧的时间早于 1970 年或晚于 2106 年，pcap 无法保存，已写成最接近的时间（抓包文件中为原值）")
            } else {
                format!("{n} frame(s) with a time before 1970 or after 2106, which a pcap cannot hold, written at the nearest time it can (the capture keeps the original)")
            }
        );
    }
    if !contents.complete() {
        let _ = writeln!(
            out,
            "\n**{}**",
            if zh {
                "抓包不完整：posdiag 未能写完它（磁盘满、设备被拔出或程序被中止）；以上只是写入的部分。"
            } else {
                "The capture is incomplete: posdiag could not finish writing it (disk full, device removed or the program stopped); the above is what was written."
            }
        );
    }
    if let Some((line, reason)) = &contents.damage {
        let _ = writeln!(
            out,
            "\n**{}** {line}: {reason}",
            if zh {
                "抓包文件在此行损坏，之后的内容无法读取："
            } else {
                "The capture is damaged from line"
            }
        );
    }
    out
}
