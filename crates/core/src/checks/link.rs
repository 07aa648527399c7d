//! Area link: does the terminal answer its protocol on this link, and cleanly?
//!
//! Silence, noise and "another protocol" are told apart by what arrived: nothing at all,
//! bytes that never form a frame (a baud or framing mismatch — on serial the driver then tries
//! the usual settings with its read-only query and the one that answers is named), or bytes
//! of a recognisable other protocol.

use std::time::Duration;

use tokio::time::Instant;

use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::drivers::terminal::{SettingsScan, TerminalError, TerminalProbe, WrongAnswerKind};
use crate::i18n::Text;
use crate::link::LinkError;
use crate::tr;

pub const TERMINAL_LINK: CheckSpec = CheckSpec {
    id: "link.terminal",
    area: Area::Link,
    title: Text::fixed("终端链路与协议", "terminal link and protocol"),
};

/// The link check; `budget` is its timeout, used to bound the settings scan.
pub async fn terminal_link(probe: &TerminalProbe, budget: Duration) -> CheckResult {
    let started = Instant::now();
    let driver = probe.driver();
    let target = driver.target();
    let protocol = driver.protocol().name();
    let id = TERMINAL_LINK.id;
    // Leave time to report (and to scan settings) when the protocol's own retries outlast
    // the check.
    let probe_deadline = started + budget.mul_f32(0.6);
    let status = tokio::select! {
        status = probe.status() => status,
        () = tokio::time::sleep_until(probe_deadline) => {
            return unfinished(id, probe, budget);
        }
    };
    let mut result = match status {
        Ok(facts) => {
            let stats_note = channel_quality(facts.frames.iter().filter(|f| f.error).count());
            let mut r = CheckResult::new(
                id,
                Area::Link,
                CheckStatus::Pass,
                tr!(
                    "终端通过 {target} 以 {protocol} 应答",
                    "the terminal answers {protocol} over {target}"
                ),
            )
            .with_evidence(Text::fixed("链路", "link"), target.clone());
            if let Some(sw) = &facts.identity.software_version {
                r = r.with_evidence(Text::fixed("软件版本", "software version"), sw.clone());
            }
            if let Some(note) = stats_note {
                r.status = CheckStatus::Warn;
                r.summary = note;
                r = r.with_cause(crate::cause!("link.line_noise"));
            }
            r.frames = facts.frames.clone();
            r
        }
        Err(failure) => {
            let mut r = match &failure.error {
                TerminalError::Link(e) => open_failed(id, e),
                _ if failure.wire.bytes_in == 0 => {
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
                .with_cause(crate::cause!("link.silent"))
                .with_evidence(Text::fixed("收到字节", "bytes received"), "0"),
                _ => {
                    let wire = &failure.wire;
                    let wrong = driver.classify_unframed(&wire.unframed_sample);
                    CheckResult::new(id, Area::Link, CheckStatus::Fail, wrong.description)
                        .with_evidence_text(Text::fixed("错误", "error"), failure.error.text())
                        .with_evidence(
                            Text::fixed("收到字节 / 无法成帧", "bytes received / not framed"),
                            format!("{} / {}", wire.bytes_in, wire.unframed_bytes),
                        )
                        .with_evidence(
                            Text::fixed("前几个字节", "first bytes"),
                            hex_preview(&wire.unframed_sample),
                        )
                        .with_cause(wrong_answer_cause(probe, wrong.kind))
                }
            };
            r.frames = failure.frames.clone();
            let garbled = r
                .causes
                .iter()
                .any(|c| c == crate::cause!("link.garbled").as_str());
            if garbled {
                let deadline = started + budget.saturating_sub(Duration::from_millis(200));
                if let Some(scan) = driver.scan_settings(deadline).await {
                    r = add_scan(r, &scan, protocol);
                }
            }
            r
        }
    };
    if let Some(lines) = driver.modem_lines().await {
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
    let driver = probe.driver();
    let seen = driver.progress();
    let waited = crate::durations::show(budget.mul_f32(0.6));
    let mut r = if seen.units_in == 0 {
        CheckResult::new(
            id,
            Area::Link,
            CheckStatus::Fail,
            tr!(
                "终端 {waited} 内无应答：检查线缆、终端电源和 ECR 接口设置",
                "no answer from the terminal within {waited}: check the cable, the terminal's power and its ECR interface setting"
            ),
        )
        .with_cause(crate::cause!("link.silent"))
        .with_evidence(Text::fixed("收到字节", "bytes received"), "0")
    } else if seen.frames_in == 0 {
        let wrong = driver.classify_unframed(&seen.unframed_sample);
        CheckResult::new(id, Area::Link, CheckStatus::Fail, wrong.description)
            .with_cause(wrong_answer_cause(probe, wrong.kind))
            .with_evidence(
                Text::fixed("前几个字节", "first bytes"),
                hex_preview(&seen.unframed_sample),
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
        .with_cause(crate::cause!("link.silent"))
    };
    r.frames = driver.frames_so_far();
    r
}

/// The cause of bytes that are not the protocol: a settings mismatch, or another peer.
fn wrong_answer_cause(probe: &TerminalProbe, kind: WrongAnswerKind) -> crate::catalogue::CauseId {
    match kind {
        WrongAnswerKind::BaudMismatch => crate::cause!("link.garbled"),
        WrongAnswerKind::OtherProtocol => probe.driver().protocol().wrong_peer_cause(),
    }
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
pub(super) fn link_error_cause(e: &LinkError) -> crate::catalogue::CauseId {
    match e {
        LinkError::PortNotFound { .. } => crate::cause!("link.port_not_found"),
        LinkError::PermissionDenied { .. } => crate::cause!("link.permission_denied"),
        LinkError::PortBusy { .. } => crate::cause!("link.port_busy"),
        LinkError::TcpRefused { .. }
        | LinkError::TcpTimeout { .. }
        | LinkError::TcpUnreachable { .. }
        | LinkError::Resolve { .. }
        | LinkError::BadAddress { .. } => crate::cause!("link.tcp_unreachable"),
        _ => crate::cause!("link.silent"),
    }
}

fn add_scan(mut r: CheckResult, scan: &SettingsScan, protocol: &str) -> CheckResult {
    let (current, rows, total) = (&scan.current, &scan.rows, scan.planned);
    let table: Vec<Text> = rows
        .iter()
        .map(|row| {
            let at = format!("{} {}", row.settings.baud, row.settings.framing());
            if row.answered {
                Text::same(format!("{at}: {protocol} ✓"))
            } else if row.bytes_in == 0 {
                Text::same(format!("{at}: -"))
            } else {
                let (n, bad) = (row.bytes_in, row.unframed_bytes);
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
            "收到的是乱码，像是波特率或数据格式不匹配；常用参数均无 {protocol} 应答",
            "the bytes received are noise, as from a baud rate or framing mismatch; none of the usual settings got a {protocol} answer"
        ),
    };
    r
}

fn hex_preview(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().take(16).map(|b| format!("{b:02X}")).collect();
    let more = if bytes.len() > 16 { " …" } else { "" };
    format!("{}{more}", shown.join(" "))
}
