//! The fault vocabulary: every fault id the simulated devices implement, with what it does, for
//! `--fault` help, errors and the knowledge base's coverage test.

use super::CauseId;
use crate::cause;
use crate::i18n::Text;

/// One row of the vocabulary: id, whether it takes a value, and what it does.
pub struct FaultInfo {
    pub id: CauseId,
    pub value: Option<&'static str>,
    pub effect: Text,
}

/// Every fault this simulator implements.
pub const VOCABULARY: &[FaultInfo] = &[
    FaultInfo {
        id: cause!("reader.not_answering"),
        value: None,
        effect: Text::fixed(
            "终端状态 E2：读卡器无应答",
            "terminal status E2: card reader not answering",
        ),
    },
    FaultInfo {
        id: cause!("reader.card_inserted"),
        value: None,
        effect: Text::fixed(
            "终端状态 DC：卡仍插在读卡器中",
            "terminal status DC: a card is still inserted",
        ),
    },
    FaultInfo {
        id: cause!("reader.unreadable"),
        value: None,
        effect: Text::fixed(
            "读卡返回结果码 64：卡无法读取",
            "Read Card ends with result 64: card not readable",
        ),
    },
    FaultInfo {
        id: cause!("power.low_voltage"),
        value: None,
        effect: Text::fixed(
            "终端状态 BF：供电电压过低",
            "terminal status BF: supply voltage too low",
        ),
    },
    FaultInfo {
        id: cause!("power.low_battery"),
        value: None,
        effect: Text::fixed("TLV 1F55 电池电量低", "TLV 1F55 low-battery bit"),
    },
    FaultInfo {
        id: cause!("terminal.needs_init"),
        value: None,
        effect: Text::fixed(
            "终端状态 51：需要初始化",
            "terminal status 51: initialisation required",
        ),
    },
    FaultInfo {
        id: cause!("terminal.diagnosis_required"),
        value: None,
        effect: Text::fixed(
            "终端状态 C2：需要诊断",
            "terminal status C2: diagnosis required",
        ),
    },
    FaultInfo {
        id: cause!("terminal.eod_required"),
        value: None,
        effect: Text::fixed(
            "终端状态 F0：需要日结",
            "terminal status F0: end-of-day required",
        ),
    },
    FaultInfo {
        id: cause!("keys.missing"),
        value: None,
        effect: Text::fixed(
            "E4 设备状态 02：未装载密钥",
            "E4 device state 02: no keys loaded",
        ),
    },
    FaultInfo {
        id: cause!("clock.wrong"),
        value: Some("DURATION"),
        effect: Text::fixed(
            "终端时钟偏差（如 3h、-10m）",
            "terminal clock off by DURATION (e.g. 3h, -10m)",
        ),
    },
    FaultInfo {
        id: cause!("link.silent"),
        value: None,
        effect: Text::fixed("终端不应答", "the terminal never answers"),
    },
    FaultInfo {
        id: cause!("link.garbled"),
        value: None,
        effect: Text::fixed(
            "应答为乱码（如波特率错误）",
            "answers garbage, as with a wrong baud rate",
        ),
    },
    FaultInfo {
        id: cause!("printer.paper_out"),
        value: None,
        effect: Text::fixed(
            "打印机缺纸：DLE EOT 1A 32 12 7E，GS r 不应答",
            "printer out of paper: DLE EOT 1A 32 12 7E, GS r not answered",
        ),
    },
    FaultInfo {
        id: cause!("printer.paper_near_end"),
        value: None,
        effect: Text::fixed(
            "打印机纸将尽：DLE EOT 4 = 1E（警告，仍可打印）",
            "printer paper near end: DLE EOT 4 = 1E (a warning, printing goes on)",
        ),
    },
    FaultInfo {
        id: cause!("printer.cover_open"),
        value: None,
        effect: Text::fixed(
            "打印机盖打开：DLE EOT 1A 16",
            "printer cover open: DLE EOT 1A 16",
        ),
    },
    FaultInfo {
        id: cause!("printer.cutter_error"),
        value: None,
        effect: Text::fixed(
            "切刀错误：DLE EOT 3 = 1A（DLE ENQ 1/2 可恢复）",
            "autocutter error: DLE EOT 3 = 1A (DLE ENQ 1/2 recovers)",
        ),
    },
    FaultInfo {
        id: cause!("printer.overheat"),
        value: None,
        effect: Text::fixed(
            "打印头过热：DLE EOT 3 = 52（可自动恢复）",
            "print head too hot: DLE EOT 3 = 52 (auto-recoverable)",
        ),
    },
    FaultInfo {
        id: cause!("printer.offline"),
        value: None,
        effect: Text::fixed(
            "打印机脱机，未报告原因：DLE EOT 1 = 1A",
            "printer offline with no cause reported: DLE EOT 1 = 1A",
        ),
    },
    FaultInfo {
        id: cause!("printer.paper_jam"),
        value: None,
        effect: Text::fixed(
            "卡纸（可恢复错误）：DLE EOT 3 = 16（DLE ENQ 1/2 可恢复）",
            "paper jam (recoverable error): DLE EOT 3 = 16 (DLE ENQ 1/2 recovers)",
        ),
    },
    FaultInfo {
        id: cause!("printer.unrecoverable_error"),
        value: None,
        effect: Text::fixed(
            "不可恢复错误：DLE EOT 3 = 32",
            "unrecoverable error: DLE EOT 3 = 32",
        ),
    },
    FaultInfo {
        id: cause!("printer.no_reply"),
        value: None,
        effect: Text::fixed(
            "打印机不应答任何状态查询",
            "the printer never answers a status request",
        ),
    },
    FaultInfo {
        id: cause!("terminal.printer_not_ready"),
        value: None,
        effect: Text::fixed(
            "终端状态 CC、TLV 1F55 打印机锁定：终端自带打印机未就绪",
            "terminal status CC, TLV 1F55 printer lock: the terminal's own printer is not ready",
        ),
    },
    FaultInfo {
        id: cause!("host.decline"),
        value: Some("CODE"),
        effect: Text::fixed(
            "收单主机以应答码 CODE 拒绝请求：卡片与金额类应答码（51、55、61 等）只用于带卡的交易，终端、商户与系统类（03、96、97、A0 等）也用于签到和回响测试",
            "the acquirer declines with response code CODE: card and amount codes (51, 55, 61 …) only payments, terminal, merchant and system codes (03, 96, 97, A0 …) sign-on and echo too",
        ),
    },
    FaultInfo {
        id: cause!("host.timeout"),
        value: None,
        effect: Text::fixed(
            "收单主机收到请求但不应答，只应答冲正（终端以 98 冲正）",
            "the acquirer never answers but to reversals (the terminal reverses with 98)",
        ),
    },
    FaultInfo {
        id: cause!("host.mac_error"),
        value: None,
        effect: Text::fixed(
            "主机应答 A0（MAC 校验错）；消费应答的 MAC 无法校验（终端以 A0 冲正）",
            "the acquirer answers A0 (MAC verification failed); a sale's 0210 carries a MAC that does not verify (the terminal reverses with A0)",
        ),
    },
    FaultInfo {
        id: cause!("host.resign_on"),
        value: None,
        effect: Text::fixed(
            "应答报文头处理要求 = 3：要求重新签到",
            "response header 处理要求 = 3: re-sign-on requested",
        ),
    },
    FaultInfo {
        id: cause!("host.duplicate"),
        value: None,
        effect: Text::fixed(
            "除签到外主机均应答 94：重复交易",
            "the acquirer answers 94 (duplicate transaction) to all but sign-on",
        ),
    },
    FaultInfo {
        id: cause!("network.down"),
        value: None,
        effect: Text::fixed(
            "主机端口关闭：无程序监听",
            "host port closed: nothing listens",
        ),
    },
    FaultInfo {
        id: cause!("network.slow"),
        value: Some("DURATION"),
        effect: Text::fixed(
            "主机每个应答延迟 DURATION（如 2s）",
            "every host response is delayed by DURATION (e.g. 2s)",
        ),
    },
    FaultInfo {
        id: cause!("txn.receipt_print_fail"),
        value: None,
        effect: Text::fixed(
            "消费获批后终端打印机出错（卡纸），终端以 96 冲正",
            "a payment is approved, then the terminal's printer fails mid-slip: reversal 96",
        ),
    },
];

/// Faults only the simulated nexo terminal (`posdiag sim --terminal nexo`) implements; the ZVT
/// simulator refuses them. Kept apart so the ZVT fault matrix stays what the ZVT terminal does.
pub const NEXO_ONLY: &[FaultInfo] = &[
    FaultInfo {
        id: cause!("terminal.busy"),
        value: None,
        effect: Text::fixed(
            "nexo：终端忙，付款、登录和冲正应答 Busy，诊断报告 GlobalStatus Busy",
            "nexo: the terminal is busy: Payment, Login and Reversal answer Busy, Diagnosis reports GlobalStatus Busy",
        ),
    },
    FaultInfo {
        id: cause!("terminal.ecr_not_registered"),
        value: None,
        effect: Text::fixed(
            "nexo：收银机须先登录，登录前付款、冲正和状态查询应答 LoggedOut",
            "nexo: the register must log in first; until then Payment, Reversal and TransactionStatus answer LoggedOut",
        ),
    },
];
