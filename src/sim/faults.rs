//! Simulator faults. Every fault id is also the id of the cause in the knowledge base that
//! explains it, so "inject X → the checks name X" is testable.

use std::time::Duration;

use super::printer::PrinterFault;
use crate::i18n::Text;

/// A fault the simulator can inject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Terminal status E2, 1F55 "card reader not found".
    ReaderNotAnswering,
    /// Terminal status DC, 1F55 "card still inserted".
    ReaderCardInserted,
    /// Read Card ends with result code 64 (card not readable).
    ReaderUnreadable,
    /// Terminal status BF (supply voltage too low).
    PowerLowVoltage,
    /// 1F55 low-battery bit.
    PowerLowBattery,
    /// Terminal status 51, 1F55 initialisation lock, E4 device state 01.
    TerminalNeedsInit,
    /// Terminal status C2, 1F55 diagnosis lock.
    TerminalDiagnosisRequired,
    /// Terminal status F0, 1F55 reconciliation lock.
    TerminalEodRequired,
    /// E4 device state 02 (no keys loaded).
    KeysMissing,
    /// The terminal clock is off by `by`: ahead of real time, or behind when `behind`.
    ClockWrong { by: Duration, behind: bool },
    /// Never answers.
    LinkSilent,
    /// Answers with bytes as if the baud rate were wrong.
    LinkGarbled,
    /// A fault of the simulated receipt printer (ESC/POS status bits, or silence).
    Printer(PrinterFault),
    /// Terminal status CC, 1F55 printer lock: the terminal's own printer is not ready.
    TerminalPrinterNotReady,
    /// The acquirer answers every request with response code `code` (field 39).
    HostDecline { code: String },
    /// The acquirer reads requests and never answers (the terminal reverses with 98).
    HostTimeout,
    /// The acquirer answers A0 (MAC verification failed) after sign-on.
    HostMacError,
    /// Every response header carries 处理要求 = 3 (re-sign-on).
    HostResignOn,
    /// The acquirer answers 94 (duplicate transaction) to everything but sign-on.
    HostDuplicate,
    /// Nothing listens on the host's port (connection refused).
    NetworkDown,
    /// Every host response is delayed by `by`.
    NetworkSlow { by: Duration },
    /// A payment is approved, then the terminal's printer fails mid-slip: reversal 96.
    TxnReceiptPrintFail,
}

/// One row of the vocabulary: id, whether it takes a value, and what it does.
pub struct FaultInfo {
    pub id: &'static str,
    pub value: Option<&'static str>,
    pub effect: Text,
}

/// Every fault this simulator implements.
pub const VOCABULARY: &[FaultInfo] = &[
    FaultInfo {
        id: "reader.not_answering",
        value: None,
        effect: Text::fixed(
            "终端状态 E2：读卡器无应答",
            "terminal status E2: card reader not answering",
        ),
    },
    FaultInfo {
        id: "reader.card_inserted",
        value: None,
        effect: Text::fixed(
            "终端状态 DC：卡仍插在读卡器中",
            "terminal status DC: a card is still inserted",
        ),
    },
    FaultInfo {
        id: "reader.unreadable",
        value: None,
        effect: Text::fixed(
            "读卡返回结果码 64：卡无法读取",
            "Read Card ends with result 64: card not readable",
        ),
    },
    FaultInfo {
        id: "power.low_voltage",
        value: None,
        effect: Text::fixed(
            "终端状态 BF：供电电压过低",
            "terminal status BF: supply voltage too low",
        ),
    },
    FaultInfo {
        id: "power.low_battery",
        value: None,
        effect: Text::fixed("TLV 1F55 电池电量低", "TLV 1F55 low-battery bit"),
    },
    FaultInfo {
        id: "terminal.needs_init",
        value: None,
        effect: Text::fixed(
            "终端状态 51：需要初始化",
            "terminal status 51: initialisation required",
        ),
    },
    FaultInfo {
        id: "terminal.diagnosis_required",
        value: None,
        effect: Text::fixed(
            "终端状态 C2：需要诊断",
            "terminal status C2: diagnosis required",
        ),
    },
    FaultInfo {
        id: "terminal.eod_required",
        value: None,
        effect: Text::fixed(
            "终端状态 F0：需要日结",
            "terminal status F0: end-of-day required",
        ),
    },
    FaultInfo {
        id: "keys.missing",
        value: None,
        effect: Text::fixed(
            "E4 设备状态 02：未装载密钥",
            "E4 device state 02: no keys loaded",
        ),
    },
    FaultInfo {
        id: "clock.wrong",
        value: Some("DURATION"),
        effect: Text::fixed(
            "终端时钟偏差（如 3h、-10m）",
            "terminal clock off by DURATION (e.g. 3h, -10m)",
        ),
    },
    FaultInfo {
        id: "link.silent",
        value: None,
        effect: Text::fixed("终端不应答", "the terminal never answers"),
    },
    FaultInfo {
        id: "link.garbled",
        value: None,
        effect: Text::fixed(
            "应答为乱码（如波特率错误）",
            "answers garbage, as with a wrong baud rate",
        ),
    },
    FaultInfo {
        id: "printer.paper_out",
        value: None,
        effect: Text::fixed(
            "打印机缺纸：DLE EOT 1A 32 12 7E，GS r 不应答",
            "printer out of paper: DLE EOT 1A 32 12 7E, GS r not answered",
        ),
    },
    FaultInfo {
        id: "printer.paper_near_end",
        value: None,
        effect: Text::fixed(
            "打印机纸将尽：DLE EOT 4 = 1E（警告，仍可打印）",
            "printer paper near end: DLE EOT 4 = 1E (a warning, printing goes on)",
        ),
    },
    FaultInfo {
        id: "printer.cover_open",
        value: None,
        effect: Text::fixed(
            "打印机盖打开：DLE EOT 1A 16",
            "printer cover open: DLE EOT 1A 16",
        ),
    },
    FaultInfo {
        id: "printer.cutter_error",
        value: None,
        effect: Text::fixed(
            "切刀错误：DLE EOT 3 = 1A（DLE ENQ 1/2 可恢复）",
            "autocutter error: DLE EOT 3 = 1A (DLE ENQ 1/2 recovers)",
        ),
    },
    FaultInfo {
        id: "printer.overheat",
        value: None,
        effect: Text::fixed(
            "打印头过热：DLE EOT 3 = 52（可自动恢复）",
            "print head too hot: DLE EOT 3 = 52 (auto-recoverable)",
        ),
    },
    FaultInfo {
        id: "printer.offline",
        value: None,
        effect: Text::fixed(
            "打印机脱机，未报告原因：DLE EOT 1 = 1A",
            "printer offline with no cause reported: DLE EOT 1 = 1A",
        ),
    },
    FaultInfo {
        id: "printer.paper_jam",
        value: None,
        effect: Text::fixed(
            "卡纸（可恢复错误）：DLE EOT 3 = 16（DLE ENQ 1/2 可恢复）",
            "paper jam (recoverable error): DLE EOT 3 = 16 (DLE ENQ 1/2 recovers)",
        ),
    },
    FaultInfo {
        id: "printer.unrecoverable_error",
        value: None,
        effect: Text::fixed(
            "不可恢复错误：DLE EOT 3 = 32",
            "unrecoverable error: DLE EOT 3 = 32",
        ),
    },
    FaultInfo {
        id: "printer.no_reply",
        value: None,
        effect: Text::fixed(
            "打印机不应答任何状态查询",
            "the printer never answers a status request",
        ),
    },
    FaultInfo {
        id: "terminal.printer_not_ready",
        value: None,
        effect: Text::fixed(
            "终端状态 CC、TLV 1F55 打印机锁定：终端自带打印机未就绪",
            "terminal status CC, TLV 1F55 printer lock: the terminal's own printer is not ready",
        ),
    },
    FaultInfo {
        id: "host.decline",
        value: Some("CODE"),
        effect: Text::fixed(
            "收单主机以应答码 CODE 拒绝每笔请求（如 51、97）",
            "the acquirer answers every request with response code CODE (e.g. 51, 97)",
        ),
    },
    FaultInfo {
        id: "host.timeout",
        value: None,
        effect: Text::fixed(
            "收单主机收到请求但不应答，只应答冲正（终端以 98 冲正）",
            "the acquirer never answers but to reversals (the terminal reverses with 98)",
        ),
    },
    FaultInfo {
        id: "host.mac_error",
        value: None,
        effect: Text::fixed(
            "主机应答 A0（MAC 校验错）；消费应答的 MAC 无法校验（终端以 A0 冲正）",
            "the acquirer answers A0 (MAC verification failed); a sale's 0210 carries a MAC that does not verify (the terminal reverses with A0)",
        ),
    },
    FaultInfo {
        id: "host.resign_on",
        value: None,
        effect: Text::fixed(
            "应答报文头处理要求 = 3：要求重新签到",
            "response header 处理要求 = 3: re-sign-on requested",
        ),
    },
    FaultInfo {
        id: "host.duplicate",
        value: None,
        effect: Text::fixed(
            "除签到外主机均应答 94：重复交易",
            "the acquirer answers 94 (duplicate transaction) to all but sign-on",
        ),
    },
    FaultInfo {
        id: "network.down",
        value: None,
        effect: Text::fixed(
            "主机端口关闭：无程序监听",
            "host port closed: nothing listens",
        ),
    },
    FaultInfo {
        id: "network.slow",
        value: Some("DURATION"),
        effect: Text::fixed(
            "主机每个应答延迟 DURATION（如 2s）",
            "every host response is delayed by DURATION (e.g. 2s)",
        ),
    },
    FaultInfo {
        id: "txn.receipt_print_fail",
        value: None,
        effect: Text::fixed(
            "消费获批后终端打印机出错（卡纸），终端以 96 冲正",
            "a payment is approved, then the terminal's printer fails mid-slip: reversal 96",
        ),
    },
];

/// Why a `--fault` argument was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultError {
    #[error("unknown fault '{0}'; the simulator knows: {known}", known = known_ids())]
    Unknown(String),
    #[error("fault '{id}' needs a value: --fault {id}={hint}")]
    MissingValue { id: String, hint: String },
    #[error("fault '{id}' takes no value (got '{value}')")]
    UnexpectedValue { id: String, value: String },
    #[error(
        "fault '{id}': '{value}' is not a response code; use two characters such as 51, 97 or A0"
    )]
    BadResponseCode { id: String, value: String },
    #[error("fault '{id}': '{value}' is not a duration ({reason}); use e.g. 3h, 90s, -10m")]
    BadDuration {
        id: String,
        value: String,
        reason: String,
    },
}

fn known_ids() -> String {
    VOCABULARY
        .iter()
        .map(|f| match f.value {
            Some(v) => format!("{}={v}", f.id),
            None => f.id.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Fault {
    /// The cause id this fault demonstrates (the same string as its fault id).
    pub fn id(&self) -> &'static str {
        match self {
            Fault::ReaderNotAnswering => "reader.not_answering",
            Fault::ReaderCardInserted => "reader.card_inserted",
            Fault::ReaderUnreadable => "reader.unreadable",
            Fault::PowerLowVoltage => "power.low_voltage",
            Fault::PowerLowBattery => "power.low_battery",
            Fault::TerminalNeedsInit => "terminal.needs_init",
            Fault::TerminalDiagnosisRequired => "terminal.diagnosis_required",
            Fault::TerminalEodRequired => "terminal.eod_required",
            Fault::KeysMissing => "keys.missing",
            Fault::ClockWrong { .. } => "clock.wrong",
            Fault::LinkSilent => "link.silent",
            Fault::LinkGarbled => "link.garbled",
            Fault::Printer(p) => p.id(),
            Fault::TerminalPrinterNotReady => "terminal.printer_not_ready",
            Fault::HostDecline { .. } => "host.decline",
            Fault::HostTimeout => "host.timeout",
            Fault::HostMacError => "host.mac_error",
            Fault::HostResignOn => "host.resign_on",
            Fault::HostDuplicate => "host.duplicate",
            Fault::NetworkDown => "network.down",
            Fault::NetworkSlow { .. } => "network.slow",
            Fault::TxnReceiptPrintFail => "txn.receipt_print_fail",
        }
    }

    /// Parses `ID[=VALUE]`.
    pub fn parse(arg: &str) -> Result<Fault, FaultError> {
        let (id, value) = match arg.split_once('=') {
            Some((id, v)) => (id.trim(), Some(v.trim())),
            None => (arg.trim(), None),
        };
        let simple = |f: Fault| match value {
            None => Ok(f),
            Some(v) => Err(FaultError::UnexpectedValue {
                id: id.to_owned(),
                value: v.to_owned(),
            }),
        };
        match id {
            "reader.not_answering" => simple(Fault::ReaderNotAnswering),
            "reader.card_inserted" => simple(Fault::ReaderCardInserted),
            "reader.unreadable" => simple(Fault::ReaderUnreadable),
            "power.low_voltage" => simple(Fault::PowerLowVoltage),
            "power.low_battery" => simple(Fault::PowerLowBattery),
            "terminal.needs_init" => simple(Fault::TerminalNeedsInit),
            "terminal.diagnosis_required" => simple(Fault::TerminalDiagnosisRequired),
            "terminal.eod_required" => simple(Fault::TerminalEodRequired),
            "keys.missing" => simple(Fault::KeysMissing),
            "link.silent" => simple(Fault::LinkSilent),
            "link.garbled" => simple(Fault::LinkGarbled),
            "terminal.printer_not_ready" => simple(Fault::TerminalPrinterNotReady),
            "host.timeout" => simple(Fault::HostTimeout),
            "host.mac_error" => simple(Fault::HostMacError),
            "host.resign_on" => simple(Fault::HostResignOn),
            "host.duplicate" => simple(Fault::HostDuplicate),
            "network.down" => simple(Fault::NetworkDown),
            "txn.receipt_print_fail" => simple(Fault::TxnReceiptPrintFail),
            "host.decline" => {
                let Some(v) = value else {
                    return Err(FaultError::MissingValue {
                        id: id.to_owned(),
                        hint: "CODE (e.g. 51)".to_owned(),
                    });
                };
                let code = v.to_ascii_uppercase();
                if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(FaultError::BadResponseCode {
                        id: id.to_owned(),
                        value: v.to_owned(),
                    });
                }
                Ok(Fault::HostDecline { code })
            }
            "network.slow" => {
                let Some(v) = value else {
                    return Err(FaultError::MissingValue {
                        id: id.to_owned(),
                        hint: "DURATION (e.g. 2s)".to_owned(),
                    });
                };
                humantime::parse_duration(v)
                    .map(|by| Fault::NetworkSlow { by })
                    .map_err(|e| FaultError::BadDuration {
                        id: id.to_owned(),
                        value: v.to_owned(),
                        reason: e.to_string(),
                    })
            }
            "clock.wrong" => {
                let Some(v) = value else {
                    return Err(FaultError::MissingValue {
                        id: id.to_owned(),
                        hint: "DURATION (e.g. 3h)".to_owned(),
                    });
                };
                let (negative, magnitude) = match v.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, v.strip_prefix('+').unwrap_or(v)),
                };
                let d =
                    humantime::parse_duration(magnitude).map_err(|e| FaultError::BadDuration {
                        id: id.to_owned(),
                        value: v.to_owned(),
                        reason: e.to_string(),
                    })?;
                Ok(Fault::ClockWrong {
                    by: d,
                    behind: negative,
                })
            }
            other => match PrinterFault::from_id(other) {
                Some(p) => simple(Fault::Printer(p)),
                None => Err(FaultError::Unknown(other.to_owned())),
            },
        }
    }
}

/// Parses every `--fault` argument, stopping at the first bad one.
pub fn parse_faults(args: &[String]) -> Result<Vec<Fault>, FaultError> {
    args.iter().map(|a| Fault::parse(a)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_entry_parses() {
        for info in VOCABULARY {
            let arg = match info.value {
                Some("CODE") => format!("{}=51", info.id),
                Some(_) => format!("{}=3h", info.id),
                None => info.id.to_owned(),
            };
            let fault = Fault::parse(&arg).expect(info.id);
            assert_eq!(fault.id(), info.id);
            assert!(!info.effect.is_incomplete());
        }
    }

    #[test]
    fn clock_skew_has_a_sign() {
        assert_eq!(
            Fault::parse("clock.wrong=-10m").unwrap(),
            Fault::ClockWrong {
                by: Duration::from_secs(600),
                behind: true
            }
        );
    }

    #[test]
    fn errors_say_what_to_do() {
        let e = Fault::parse("printer.on_fire").unwrap_err().to_string();
        assert!(e.contains("reader.not_answering"), "{e}");
        assert!(Fault::parse("clock.wrong")
            .unwrap_err()
            .to_string()
            .contains("clock.wrong="));
        assert!(Fault::parse("clock.wrong=soon").is_err());
        assert!(Fault::parse("link.silent=1").is_err());
        assert!(Fault::parse("host.decline").is_err());
        assert!(Fault::parse("host.decline=5").is_err());
        assert_eq!(
            Fault::parse("host.decline=a0").unwrap(),
            Fault::HostDecline { code: "A0".into() }
        );
        assert!(Fault::parse("network.slow=soon").is_err());
    }
}
