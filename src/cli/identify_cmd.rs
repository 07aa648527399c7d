//! `posdiag identify (--serial PORT | --tcp HOST:PORT)`: which protocol a port speaks, with
//! read-only probes (posdiag_core::identify; docs/identify.md). Exit 0 identified, 1 nothing
//! or only unknown answers, 2 usage, 3 the port cannot be opened.

use std::process::ExitCode;

use super::args::{IdentifyArgs, ListFormat};
use super::exit::{self, CliError};
use crate::i18n::{Lang, Text};
use crate::identify::{identify, IdentifyError, IdentifyOptions, IdentifyReport, Outcome, Target};
use crate::tr;

pub fn run(args: &IdentifyArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let target = match (&args.serial, &args.tcp) {
        (Some(port), None) => Target::Serial(port.clone()),
        (None, Some(addr)) => Target::Tcp(addr.clone()),
        _ => {
            let msg = Text::fixed(
                "请只给一个：--serial PORT 或 --tcp HOST:PORT",
                "give exactly one of --serial PORT or --tcp HOST:PORT",
            );
            return Err(CliError::usage(anyhow::anyhow!("{}", msg.get(lang))));
        }
    };
    let options = IdentifyOptions {
        iso8583: args.iso8583,
        ..IdentifyOptions::default()
    };
    let report = super::runtime()?
        .block_on(identify(&target, &options))
        .map_err(|e| cannot_open(e, lang))?;
    match args.format {
        ListFormat::Json => super::stdout::println(
            &serde_json::to_string_pretty(&report)
                .map_err(|e| CliError::failure(anyhow::anyhow!(e)))?,
        )?,
        ListFormat::Text => super::stdout::print(&render_text(&report, lang))?,
    }
    Ok(if report.protocol.is_some() {
        exit::OK
    } else {
        exit::code(1)
    })
}

/// Exit 3 with one line naming the port or address and what to do.
fn cannot_open(error: IdentifyError, lang: Lang) -> CliError {
    let line = match error {
        IdentifyError::Open(link) => Text::new(
            format!("{}：{}", link.message().zh, link.hint().zh),
            format!("{}: {}", link.message().en, link.hint().en),
        ),
        IdentifyError::Connect { addr, reason } => tr!(
            "无法连接 {addr}：{reason}；请检查地址、端口以及设备是否开机并在线",
            "cannot connect to {addr}: {reason}; check the address, the port and that the device is on and on the network"
        ),
    };
    CliError {
        code: 3,
        error: anyhow::anyhow!("{}", line.get(lang)),
    }
}

fn outcome_text(outcome: &Outcome) -> Text {
    match outcome {
        Outcome::Identified { protocol } => {
            let label = protocol.label();
            Text::new(
                format!("应答：{}", label.zh),
                format!("answered: {}", label.en),
            )
        }
        Outcome::Silent => Text::fixed("无应答", "silent"),
        Outcome::Closed => Text::fixed("连接被关闭", "connection closed"),
        Outcome::Unknown { fingerprint } => fingerprint.description.clone(),
    }
}

/// The report as text: one line per probe, then the verdict and what to do next.
pub fn render_text(report: &IdentifyReport, lang: Lang) -> String {
    let mut out = String::new();
    let head = tr!("识别 {}", "identify {}", report.target);
    out.push_str(&format!("{}\n", head.get(lang)));
    for a in &report.tried {
        out.push_str(&format!(
            "  {} {:<10} {}\n",
            pad(a.probe.label().get(lang), 26),
            a.settings,
            outcome_text(&a.outcome).get(lang)
        ));
    }
    match (report.protocol, &report.settings) {
        (Some(protocol), settings) => {
            let settings = settings.clone().unwrap_or_default();
            let label = protocol.label();
            let line = Text::new(
                format!("→ {}（{settings}）", label.zh),
                format!("→ {} ({settings})", label.en),
            );
            out.push_str(&format!("{}\n", line.get(lang)));
            if let Some(detail) = &report.detail {
                out.push_str(&format!("  {}\n", detail.get(lang)));
            }
            if let Some(ev) = &report.evidence_hex {
                let label = Text::fixed("证据（已脱敏）", "evidence (masked)");
                out.push_str(&format!("  {}: {}\n", label.get(lang), spaced(ev)));
            }
            let next = match &report.profile {
                Some(cmd) => cmd.clone(),
                None => Text::fixed(
                    "posdiag 还没有该协议的检查配置；可用 posdiag decode concert 解读抓到的字节",
                    "posdiag has no check profile for this protocol yet; decode captured bytes with posdiag decode concert",
                )
                .get(lang)
                .to_owned(),
            };
            let label = Text::fixed("下一步", "next");
            out.push_str(&format!("  {}: {}\n", label.get(lang), next));
        }
        (None, _) => {
            let verdict = match &report.unknown {
                Some(f) => Text::new(
                    format!("→ 未识别：只有未知应答（{}）", f.description.zh),
                    format!("→ not identified: only unknown answers ({})", f.description.en),
                ),
                None => Text::fixed(
                    "→ 未识别：没有任何应答（检查接线、端口和设备电源）",
                    "→ not identified: nothing answered (check the cable, the port and the device's power)",
                ),
            };
            out.push_str(&format!("{}\n", verdict.get(lang)));
        }
    }
    out
}

/// `text` followed by spaces up to `cells` terminal cells (CJK characters count two).
fn pad(text: &str, cells: usize) -> String {
    let width = crate::i18n::display_width(text);
    format!("{text}{}", " ".repeat(cells.saturating_sub(width)))
}

/// "0610" → "06 10".
fn spaced(hex: &str) -> String {
    hex.as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
