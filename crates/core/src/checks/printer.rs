//! Area printer: what the receipt printer's real-time status says (docs/protocols/escpos.md §2, §9,
//! §11).
//!
//! One DLE EOT 1-4 read is shared; each check judges its part — online state, cover, paper,
//! cutter, head temperature, other errors — with the status bytes as evidence, the cause ids
//! of the knowledge base, and the fix from the codec's field table. Whether the printer
//! answers at all is `printer_link.rs`.

use super::printer_probe::{PrinterProbe, PrinterStatusOutcome};
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::drivers::escpos::{PrinterRecord, StatusRead};
use crate::i18n::Text;
use crate::proto::escpos::{EotQuery, PrinterCondition, Problem, Query, Severity};
use crate::tr;

pub const ONLINE: CheckSpec = CheckSpec {
    id: "printer.online",
    area: Area::Printer,
    title: Text::fixed("打印机联机状态", "printer online / offline"),
};

pub const COVER: CheckSpec = CheckSpec {
    id: "printer.cover",
    area: Area::Printer,
    title: Text::fixed("打印机盖", "printer cover"),
};

pub const PAPER: CheckSpec = CheckSpec {
    id: "printer.paper",
    area: Area::Printer,
    title: Text::fixed("打印纸", "paper"),
};

pub const CUTTER: CheckSpec = CheckSpec {
    id: "printer.cutter",
    area: Area::Printer,
    title: Text::fixed("自动切刀", "autocutter"),
};

pub const HEAD: CheckSpec = CheckSpec {
    id: "printer.head",
    area: Area::Printer,
    title: Text::fixed(
        "打印头温度（可自动恢复错误）",
        "print head temperature (auto-recoverable error)",
    ),
};

pub const ERRORS: CheckSpec = CheckSpec {
    id: "printer.errors",
    area: Area::Printer,
    title: Text::fixed(
        "其他错误（卡纸、不可恢复错误）",
        "other errors (jam, unrecoverable)",
    ),
};

fn status_bytes_label() -> Text {
    Text::fixed("状态字节", "status bytes")
}

/// A result with the status bytes and frames of the read behind it.
pub(super) fn base(
    spec: &CheckSpec,
    record: &PrinterRecord<StatusRead>,
    status: CheckStatus,
    summary: Text,
) -> CheckResult {
    let mut r = CheckResult::new(spec.id, spec.area, status, summary)
        .with_evidence(status_bytes_label(), record.read.status_bytes());
    r.frames = record.frames.clone();
    r
}

/// Pass with `ok`, or the problems: a warning when every one is a warning, else a failure;
/// the summary names them and gives the fix of the worst.
fn verdict(
    spec: &CheckSpec,
    record: &PrinterRecord<StatusRead>,
    problems: &[Problem],
    ok: Text,
) -> CheckResult {
    let Some(first) = problems.first() else {
        return base(spec, record, CheckStatus::Pass, ok);
    };
    let status = if problems.iter().all(|p| p.severity() == Severity::Warning) {
        CheckStatus::Warn
    } else {
        CheckStatus::Fail
    };
    let zh: Vec<String> = problems.iter().map(|p| p.name().zh.into_owned()).collect();
    let en: Vec<String> = problems.iter().map(|p| p.name().en.into_owned()).collect();
    let fix = first.fix();
    let summary = Text::new(
        format!("{}：{}", zh.join("、"), fix.zh),
        format!("{}: {}", en.join(", "), fix.en),
    );
    problems
        .iter()
        .fold(base(spec, record, status, summary), |r, p| {
            r.with_cause(super::causes::printer_problem(*p))
        })
}

/// The read and its condition, or the result to report when `query` got no valid reply.
fn with_reply<'a>(
    spec: &CheckSpec,
    outcome: &'a PrinterStatusOutcome,
    query: EotQuery,
) -> Result<(&'a PrinterRecord<StatusRead>, PrinterCondition), Box<CheckResult>> {
    let record = match outcome {
        Ok(record) => record,
        Err(failure) => {
            let mut r = CheckResult::new(
                spec.id,
                spec.area,
                CheckStatus::Error,
                tr!(
                    "无法读取打印机状态，无法检查（见 printer.link）",
                    "the printer's status could not be read, cannot check (see printer.link)"
                ),
            )
            .with_evidence(Text::fixed("错误", "error"), failure.error.to_string());
            r.frames = failure.frames.clone();
            return Err(Box::new(r));
        }
    };
    if record.read.reply(query).is_none() {
        let name = Query::RealTime(query).name();
        let (zh, en) = (name.zh, name.en);
        return Err(Box::new(base(
            spec,
            record,
            CheckStatus::Error,
            tr!(
                "{zh} 没有有效应答，无法检查（见 printer.link）",
                "no valid reply to {en}, cannot check (see printer.link)"
            ),
        )));
    }
    Ok((record, record.read.condition()))
}

pub async fn online(probe: &PrinterProbe) -> CheckResult {
    let (record, c) = match with_reply(&ONLINE, probe.status().await, EotQuery::PrinterStatus) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    // Offline is explained by the failures found; a near end does not take a printer offline.
    let problems: Vec<Problem> = if c.offline == Some(true) {
        let mut p: Vec<Problem> = c
            .problems()
            .into_iter()
            .filter(|p| p.severity() == Severity::Failure)
            .collect();
        if p.is_empty() {
            p.push(Problem::Offline);
        }
        p
    } else {
        Vec::new()
    };
    let mut r = verdict(
        &ONLINE,
        record,
        &problems,
        tr!("打印机联机", "the printer is online"),
    );
    if c.waiting_online_recovery == Some(true) {
        r = r.with_evidence(
            Text::fixed("等待恢复联机", "waiting for online recovery"),
            "yes (DLE EOT 1 bit 5)",
        );
    }
    if let Some(open) = c.drawer_open(probe.drawer_open_level()) {
        let level = if c.drawer_pin3_high == Some(true) {
            "HIGH"
        } else {
            "LOW"
        };
        let (state_zh, state_en) = if open {
            ("打开", "open")
        } else {
            ("关闭", "closed")
        };
        let set = format!("{:?}", probe.drawer_open_level()).to_uppercase();
        r = r.with_evidence_text(
            Text::fixed("钱箱（第 3 脚）", "cash drawer (pin 3)"),
            Text::new(
                format!("{state_zh}（第 3 脚 {level}，设定打开电平为 {set}）"),
                format!("{state_en} (pin 3 {level}, open level set to {set})").to_lowercase(),
            ),
        );
    }
    r
}

pub async fn cover(probe: &PrinterProbe) -> CheckResult {
    let (record, c) = match with_reply(&COVER, probe.status().await, EotQuery::OfflineCause) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let problems = if c.cover_open == Some(true) {
        vec![Problem::CoverOpen]
    } else {
        Vec::new()
    };
    verdict(
        &COVER,
        record,
        &problems,
        tr!("打印机盖已关闭", "the cover is closed"),
    )
}

pub async fn paper(probe: &PrinterProbe) -> CheckResult {
    let outcome = probe.status().await;
    // EOT 4 is the paper sensor; without it, EOT 2 bit 5 (stopped by paper end) still tells.
    let (record, c) = match with_reply(&PAPER, outcome, EotQuery::PaperSensor) {
        Ok(v) => v,
        Err(r) => match with_reply(&PAPER, outcome, EotQuery::OfflineCause) {
            Ok(v) => v,
            Err(_) => return *r,
        },
    };
    let problems = if c.paper_out == Some(true) {
        vec![Problem::PaperOut]
    } else if c.paper_near_end == Some(true) {
        vec![Problem::PaperNearEnd]
    } else {
        Vec::new()
    };
    let mut r = verdict(
        &PAPER,
        record,
        &problems,
        tr!("纸量充足", "paper is adequate"),
    );
    if c.cover_open == Some(true) {
        r = r.with_evidence(
            Text::fixed("注意", "note"),
            "the cover is open: paper detection may be wrong until it is closed",
        );
    }
    r
}

pub async fn cutter(probe: &PrinterProbe) -> CheckResult {
    let (record, c) = match with_reply(&CUTTER, probe.status().await, EotQuery::ErrorCause) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let problems = if c.cutter_error == Some(true) {
        vec![Problem::CutterError]
    } else {
        Vec::new()
    };
    verdict(
        &CUTTER,
        record,
        &problems,
        tr!("切刀无错误", "no autocutter error"),
    )
}

pub async fn head(probe: &PrinterProbe) -> CheckResult {
    let (record, c) = match with_reply(&HEAD, probe.status().await, EotQuery::ErrorCause) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let auto = c.auto_recoverable_error == Some(true);
    if auto && c.cover_open == Some(true) {
        // The same bit means "cover opened while printing": printer.cover judges that.
        return base(
            &HEAD,
            record,
            CheckStatus::Pass,
            tr!(
                "可自动恢复错误位因打印中开盖而置位（见 printer.cover），不是打印头过热",
                "the auto-recoverable bit is set because the cover was opened while printing (see printer.cover), not by head temperature"
            ),
        );
    }
    let problems = if auto {
        vec![Problem::Overheat]
    } else {
        Vec::new()
    };
    verdict(
        &HEAD,
        record,
        &problems,
        tr!("打印头温度正常", "print head temperature normal"),
    )
}

pub async fn errors(probe: &PrinterProbe) -> CheckResult {
    let (record, c) = match with_reply(&ERRORS, probe.status().await, EotQuery::ErrorCause) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let mut problems = Vec::new();
    if c.unrecoverable_error == Some(true) {
        problems.push(Problem::UnrecoverableError);
    }
    if c.recoverable_error == Some(true) {
        problems.push(Problem::PaperJam);
    }
    verdict(
        &ERRORS,
        record,
        &problems,
        tr!("无卡纸或不可恢复错误", "no jam and no unrecoverable error"),
    )
}
