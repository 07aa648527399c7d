//! Area link: does the terminal answer ZVT on this link, and cleanly?
//!
//! Silence, noise and "not ZVT" are told apart by what arrived: nothing at all, bytes that
//! never form a frame (a baud or framing mismatch — on serial the usual settings are then
//! tried with a read-only Status-Enquiry and the one that answers is named), or bytes with a
//! recognisable other protocol.

use std::time::Duration;

use tokio::time::Instant;

use super::probe::TerminalProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::drivers::zvt::{ChannelError, ScanRow, ZvtEndpoint};
use crate::i18n::Text;
use crate::link::{LinkError, SerialSettings};
use crate::proto::zvt::fingerprint;
use crate::tr;

pub const TERMINAL_LINK: CheckSpec = CheckSpec {
    id: "link.terminal",
    area: Area::Link,
    title: Text::fixed("终端链路与协议", "terminal link and protocol"),
};

/// How long each serial setting is listened to during the scan.
const SCAN_WINDOW: Duration = Duration::from_millis(300);

/// The link check; `budget` is its timeout, used to bound the settings scan.
pub async fn terminal_link(probe: &TerminalProbe, budget: Duration) -> CheckResult {
    let started = Instant::now();
    let channel = probe.channel();
    let target = channel.target();
    let id = TERMINAL_LINK.id;
    // Leave time to report (and to scan settings) when ZVT's own retries outlast the check.
    let probe_deadline = started + budget.mul_f32(0.6);
    let status = tokio::select! {
        status = probe.status() => status,
        () = tokio::time::sleep_until(probe_deadline) => {
            return unfinished(id, probe, budget);
        }
    };
    let mut result = match status {
        Ok(snapshot) => {
            let stats_note =
                channel_quality(snapshot.record.frames.iter().filter(|f| f.error).count());
            let mut r = CheckResult::new(
                id,
                Area::Link,
                CheckStatus::Pass,
                tr!(
                    "终端通过 {target} 以 ZVT 应答",
                    "the terminal answers ZVT over {target}"
                ),
            )
            .with_evidence(Text::fixed("链路", "link"), target.clone());
            if let Some(sw) = &snapshot.completion.sw_version {
                r = r.with_evidence(Text::fixed("软件版本", "software version"), sw.clone());
            }
            if let Some(note) = stats_note {
                r.status = CheckStatus::Warn;
                r.summary = note;
                r = r.with_cause("link.line_noise");
            }
            r.frames = snapshot.record.frames.clone();
            r
        }
        Err(failure) => {
            let mut r = match &failure.error {
                ChannelError::Link(e) => open_failed(id, e),
                ChannelError::Zvt(_) if failure.stats.bytes_in == 0 => {
                    let e = failure.error.text();
                    CheckResult::new(
                        id,
                        Area::Link,
                        CheckStatus::Fail,
                        Text::new(
                            format!("终端无应答（{}）：检查线缆、终端电源和 ECR 接口设置", e.zh),
                            format!("the terminal does not answer ({}): check the cable, the terminal's power and its ECR interface setting", e.en),
                        ),
                    )
                }
                .with_cause("link.silent")
                .with_evidence(Text::fixed("收到字节", "bytes received"), "0"),
                ChannelError::Zvt(_) => {
                    let fp = fingerprint(&failure.garbage);
                    let summary = fp.description.clone();
                    let mut r = CheckResult::new(id, Area::Link, CheckStatus::Fail, summary)
                        .with_evidence_text(Text::fixed("错误", "error"), failure.error.text())
                        .with_evidence(
                            Text::fixed("收到字节 / 无法成帧", "bytes received / not framed"),
                            format!("{} / {}", failure.stats.bytes_in, failure.stats.garbage_bytes),
                        )
                        .with_evidence(
                            Text::fixed("前几个字节", "first bytes"),
                            hex_preview(&failure.garbage),
                        );
                    r = if fp.likely_baud_mismatch {
                        r.with_cause("link.garbled")
                    } else {
                        r.with_cause("link.not_zvt")
                    };
                    r
                }
            };
            r.frames = failure.frames.clone();
            let garbled = r.causes.iter().any(|c| c == "link.garbled");
            if garbled {
                if let ZvtEndpoint::Serial(current) = channel.endpoint() {
                    let deadline = started + budget.saturating_sub(Duration::from_millis(200));
                    let candidates = scan_order(&current);
                    let rows = channel
                        .scan_serial_settings(&candidates, SCAN_WINDOW, deadline)
                        .await;
                    r = add_scan(r, &current, &rows, candidates.len());
                }
            }
            r
        }
    };
    if let Some(lines) = channel.modem_lines().await {
        let on = |b: bool| if b { "ON" } else { "off" };
        result = result.with_evidence(
            Text::fixed("调制解调器信号线", "modem lines"),
            format!(
                "CTS {} DSR {} DCD {} RI {}",
                on(lines.cts),
                on(lines.dsr),
                on(lines.dcd),
                on(lines.ri)
            ),
        );
    }
    result
}

/// The probe is still waiting for the terminal: judge from what arrived so far.
fn unfinished(id: &str, probe: &TerminalProbe, budget: Duration) -> CheckResult {
    let channel = probe.channel();
    let seen = channel.wire_seen();
    let waited = crate::durations::show(budget.mul_f32(0.6));
    let mut r = if seen.rx_units == 0 {
        CheckResult::new(
            id,
            Area::Link,
            CheckStatus::Fail,
            tr!(
                "终端 {waited} 内无应答：检查线缆、终端电源和 ECR 接口设置",
                "no answer from the terminal within {waited}: check the cable, the terminal's power and its ECR interface setting"
            ),
        )
        .with_cause("link.silent")
        .with_evidence(Text::fixed("收到字节", "bytes received"), "0")
    } else if seen.rx_apdus == 0 {
        let fp = fingerprint(&seen.garbage);
        let cause = if fp.likely_baud_mismatch {
            "link.garbled"
        } else {
            "link.not_zvt"
        };
        CheckResult::new(id, Area::Link, CheckStatus::Fail, fp.description.clone())
            .with_cause(cause)
            .with_evidence(
                Text::fixed("前几个字节", "first bytes"),
                hex_preview(&seen.garbage),
            )
    } else {
        CheckResult::new(
            id,
            Area::Link,
            CheckStatus::Fail,
            tr!(
                "终端有应答，但 {waited} 内未完成状态查询",
                "the terminal answers but did not complete a Status-Enquiry within {waited}"
            ),
        )
        .with_cause("link.silent")
    };
    r.frames = channel.frames_so_far();
    r
}

fn channel_quality(error_frames: usize) -> Option<Text> {
    (error_frames > 0).then(|| {
        tr!(
            "终端有应答，但线路上有 {error_frames} 个错误帧（校验错误/重发）：检查线缆和接地",
            "the terminal answers, but {error_frames} frames on the line were bad (CRC errors / repeats): check the cable and ground"
        )
    })
}

fn open_failed(id: &str, e: &LinkError) -> CheckResult {
    let cause = link_error_cause(e);
    let msg = e.message();
    let hint = e.hint();
    CheckResult::new(
        id,
        Area::Link,
        CheckStatus::Fail,
        Text::new(
            format!("{} — {}", msg.zh, hint.zh),
            format!("{} — {}", msg.en, hint.en),
        ),
    )
    .with_cause(cause)
}

/// The cause id of a link that could not be opened (shared with the printer's link check).
pub(super) fn link_error_cause(e: &LinkError) -> &'static str {
    match e {
        LinkError::PortNotFound { .. } => "link.port_not_found",
        LinkError::PermissionDenied { .. } => "link.permission_denied",
        LinkError::PortBusy { .. } => "link.port_busy",
        LinkError::TcpRefused { .. }
        | LinkError::TcpTimeout { .. }
        | LinkError::TcpUnreachable { .. }
        | LinkError::Resolve { .. }
        | LinkError::BadAddress { .. } => "link.tcp_unreachable",
        _ => "link.silent",
    }
}

/// The usual settings, the profile's framing first at each rate, the current one left out.
fn scan_order(current: &SerialSettings) -> Vec<SerialSettings> {
    let mut all = SerialSettings::autodetect_candidates(&current.port);
    all.retain(|s| !(s.baud == current.baud && s.framing() == current.framing()));
    all.sort_by_key(|s| (s.baud, s.framing() != current.framing()));
    all
}

fn add_scan(
    mut r: CheckResult,
    current: &SerialSettings,
    rows: &[ScanRow],
    total: usize,
) -> CheckResult {
    let table: Vec<Text> = rows
        .iter()
        .map(|row| {
            let at = format!("{} {}", row.settings.baud, row.settings.framing());
            if row.answered {
                Text::same(format!("{at}: ZVT ✓"))
            } else if row.bytes_in == 0 {
                Text::same(format!("{at}: -"))
            } else {
                let (n, bad) = (row.bytes_in, row.garbage_bytes);
                tr!(
                    "{at}：{n} 字节，{bad} 字节无法成帧",
                    "{at}: {n} bytes, {bad} not framed"
                )
            }
        })
        .collect();
    let zh: Vec<&str> = table.iter().map(|t| t.zh.as_ref()).collect();
    let en: Vec<&str> = table.iter().map(|t| t.en.as_ref()).collect();
    r = r.with_evidence_text(
        Text::fixed("串口参数扫描", "serial settings scan"),
        Text::new(
            format!("{}（{}/{}）", zh.join("；"), rows.len(), total),
            format!("{} ({}/{})", en.join("; "), rows.len(), total),
        ),
    );
    let found = rows.iter().find(|row| row.answered);
    r.summary = match found {
        Some(row) => {
            let s = format!("{} {}", row.settings.baud, row.settings.framing());
            let c = format!("{} {}", current.baud, current.framing());
            tr!(
                "串口参数不匹配：终端在 {s} 下应答，配置为 {c}。请把配置改为 {s}",
                "serial settings mismatch: the terminal answers at {s}, the profile says {c}. Set the profile to {s}"
            )
        }
        None => tr!(
            "收到的是乱码，像是波特率或数据格式不匹配；常用参数均无 ZVT 应答",
            "the bytes received are noise, as from a baud rate or framing mismatch; none of the usual settings got a ZVT answer"
        ),
    };
    r
}

fn hex_preview(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().take(16).map(|b| format!("{b:02X}")).collect();
    let more = if bytes.len() > 16 { " …" } else { "" };
    format!("{}{more}", shown.join(" "))
}
