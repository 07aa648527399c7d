//! Area printer: does the receipt printer answer real-time status (DLE EOT 1-4) on its link,
//! and with bytes that pass the fixed bits? Silence is its own state (`printer.no_reply`,
//! reached at the status timeout, never OK); bytes failing the fixed bits mean a wrong baud
//! rate or another dialect (`link.garbled`); a link that cannot be opened names its cause.

use super::printer::base;
use super::printer_probe::PrinterProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::drivers::escpos::PrinterChannelError;
use crate::i18n::Text;
use crate::proto::escpos::Problem;
use crate::tr;

pub const LINK: CheckSpec = CheckSpec {
    id: "printer.link",
    area: Area::Printer,
    title: Text::fixed("打印机链路与状态应答", "printer link and status replies"),
};

/// Does the printer answer real-time status on this link, and with valid bytes?
pub async fn link(probe: &PrinterProbe) -> CheckResult {
    let channel = probe.channel();
    let target = channel.target();
    let record = match probe.status().await {
        Ok(record) => record,
        Err(failure) => {
            let mut r = match &failure.error {
                PrinterChannelError::Link(e) => {
                    let (msg, hint) = (e.message(), e.hint());
                    CheckResult::new(
                        LINK.id,
                        LINK.area,
                        CheckStatus::Fail,
                        Text::new(
                            format!("{} — {}", msg.zh, hint.zh),
                            format!("{} — {}", msg.en, hint.en),
                        ),
                    )
                    .with_cause(super::link::link_error_cause(e))
                }
                other => {
                    let e = other.to_string();
                    CheckResult::new(
                        LINK.id,
                        LINK.area,
                        CheckStatus::Fail,
                        tr!(
                            "打印机连接中断（{e}）：检查线缆与电源，然后重新检查",
                            "the printer link broke off ({e}): check the cable and power, then check again"
                        ),
                    )
                    .with_cause(super::causes::printer_problem(Problem::NoReply))
                }
            };
            r = r.with_evidence(Text::fixed("链路", "link"), target);
            r.frames = failure.frames.clone();
            return r;
        }
    };
    let read = &record.read;
    let waited = crate::durations::show(channel.timing().client.status);
    let mut r = if read.silent() {
        let fix = Problem::NoReply.fix();
        base(
            &LINK,
            record,
            CheckStatus::Fail,
            Text::new(
                format!("打印机 {waited} 内未应答状态查询（DLE EOT）：{}", fix.zh),
                format!(
                    "the printer did not answer a status request (DLE EOT) within {waited}: {}",
                    fix.en
                ),
            ),
        )
        .with_cause(super::causes::printer_problem(Problem::NoReply))
    } else if !read.invalid().is_empty() {
        let bad: Vec<String> = read
            .invalid()
            .iter()
            .map(|(q, bytes, _)| format!("{}: {}", q.code(), hex::encode_upper(bytes)))
            .collect();
        let fix = Problem::Garbage.fix();
        base(
            &LINK,
            record,
            CheckStatus::Fail,
            Text::new(
                format!("应答字节不符合 ESC/POS 固定位（波特率不对或不是 ESC/POS 打印机）：{}", fix.zh),
                format!(
                    "replies fail the ESC/POS fixed bits (wrong baud rate, or not an ESC/POS printer): {}",
                    fix.en
                ),
            ),
        )
        .with_cause(super::causes::printer_problem(Problem::Garbage))
        .with_evidence(Text::fixed("无效应答", "invalid replies"), bad.join(", "))
    } else if !read.unanswered().is_empty() {
        let missing: Vec<String> = read.unanswered().iter().map(|q| q.code()).collect();
        let missing = missing.join(", ");
        base(
            &LINK,
            record,
            CheckStatus::Warn,
            tr!(
                "打印机只应答了部分状态查询，{missing} 无应答（部分型号不支持）",
                "the printer answered some status requests but not {missing} (some models do not support it)"
            ),
        )
        .with_cause(super::causes::printer_problem(Problem::NoReply))
    } else {
        let ms = crate::durations::show(read.round_trip);
        base(
            &LINK,
            record,
            CheckStatus::Pass,
            tr!(
                "打印机通过 {target} 应答 DLE EOT 1–4（{ms}）",
                "the printer answers DLE EOT 1-4 over {target} ({ms})"
            ),
        )
    };
    r = r
        .with_evidence(Text::fixed("链路", "link"), target.clone())
        .with_evidence(
            Text::fixed("往返时间", "round trip"),
            crate::durations::show(read.round_trip),
        );
    let asb = read.unsolicited_asb();
    if !asb.is_empty() {
        let raw: Vec<String> = asb.iter().map(|a| hex::encode_upper(a.raw())).collect();
        r = r.with_evidence(
            Text::fixed("自动状态返回（未请求）", "Automatic Status Back (unasked)"),
            format!(
                "{} (ASB is on, by DIP switch or an earlier GS a: posdiag drains it before each query)",
                raw.join(" ")
            ),
        );
    }
    let stale = read.stale_bytes();
    if !stale.is_empty() {
        r = r.with_evidence(
            Text::fixed("多余字节", "unexpected bytes"),
            hex::encode_upper(&stale),
        );
    }
    r
}
