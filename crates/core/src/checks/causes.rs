//! Every cause id a check can name, with a short bilingual title.
//!
//! Causes only one terminal protocol names (its wrong-peer cause) come with the protocol
//! ([`TerminalProtocol::causes`]); [`all`] lists both. Simulator fault ids are cause ids too. The knowledge base (the guide) will describe each
//! of these in full; a test keeps this list and the checks in step.

use crate::drivers::terminal::TerminalProtocol;
use crate::i18n::Text;

/// (cause id, title)
pub const CAUSES: &[(&str, Text)] = &[
    (
        "link.silent",
        Text::fixed(
            "终端无应答（线缆、电源或 ECR 接口设置）",
            "terminal does not answer (cable, power or ECR interface setting)",
        ),
    ),
    (
        "link.garbled",
        Text::fixed(
            "串口参数不匹配（波特率/数据位/校验）",
            "serial settings mismatch (baud rate / data bits / parity)",
        ),
    ),
    (
        "link.line_noise",
        Text::fixed(
            "线路干扰：校验错误或重发",
            "line noise: CRC errors or repeats",
        ),
    ),
    (
        "link.port_not_found",
        Text::fixed(
            "串口不存在（未插入或名称变化）",
            "serial port does not exist (unplugged or renamed)",
        ),
    ),
    (
        "link.permission_denied",
        Text::fixed("无权访问串口", "no permission to open the serial port"),
    ),
    (
        "link.port_busy",
        Text::fixed(
            "串口被其他程序占用",
            "serial port is used by another program",
        ),
    ),
    (
        "link.tcp_unreachable",
        Text::fixed(
            "无法建立 TCP 连接（地址、端口或防火墙）",
            "TCP connection impossible (address, port or firewall)",
        ),
    ),
    (
        "power.low_voltage",
        Text::fixed(
            "供电电压过低（电源适配器）",
            "supply voltage too low (power adapter)",
        ),
    ),
    (
        "power.low_battery",
        Text::fixed("电池电量低", "battery low"),
    ),
    (
        "reader.not_answering",
        Text::fixed(
            "读卡器无应答或故障",
            "card reader not answering or defective",
        ),
    ),
    (
        "reader.card_inserted",
        Text::fixed("卡仍插在读卡器中", "a card is still in the reader"),
    ),
    (
        "reader.unreadable",
        Text::fixed(
            "卡无法读取（磁头脏、卡损坏）",
            "card cannot be read (dirty head, damaged card)",
        ),
    ),
    (
        "reader.defective",
        Text::fixed("读卡器机械故障", "card reader mechanism defective"),
    ),
    (
        "terminal.needs_init",
        Text::fixed(
            "终端需要初始化（参数下载）",
            "terminal needs initialisation (parameter download)",
        ),
    ),
    (
        "terminal.diagnosis_required",
        Text::fixed("终端需要诊断", "terminal requires a diagnosis"),
    ),
    (
        "terminal.eod_required",
        Text::fixed("需要日结（结算）", "end-of-day (settlement) required"),
    ),
    (
        "terminal.out_of_order",
        Text::fixed("终端停用或故障", "terminal out of order"),
    ),
    (
        "terminal.memory_full",
        Text::fixed("终端存储已满", "terminal memory full"),
    ),
    (
        "terminal.activation_required",
        Text::fixed("终端需要激活", "terminal activation required"),
    ),
    (
        "terminal.busy",
        Text::fixed(
            "终端忙（如正在更新软件）",
            "terminal busy (e.g. software update)",
        ),
    ),
    (
        "terminal.remote_maintenance",
        Text::fixed("远程维护进行中", "remote maintenance active"),
    ),
    (
        "terminal.card_profile_invalid",
        Text::fixed(
            "卡参数无效，需要软件更新",
            "card profiles invalid: software update needed",
        ),
    ),
    (
        "terminal.printer_not_ready",
        Text::fixed("终端打印机未就绪", "the terminal's printer is not ready"),
    ),
    (
        "clock.wrong",
        Text::fixed("终端时钟错误", "terminal clock wrong"),
    ),
    (
        "printer.paper_out",
        Text::fixed("小票打印机缺纸", "receipt printer out of paper"),
    ),
    (
        "printer.paper_near_end",
        Text::fixed(
            "小票打印机纸将尽（仍可打印）",
            "receipt printer paper near end (still prints)",
        ),
    ),
    (
        "printer.cover_open",
        Text::fixed("小票打印机盖打开", "receipt printer cover open"),
    ),
    (
        "printer.paper_jam",
        Text::fixed(
            "小票打印机卡纸（可恢复错误）",
            "receipt printer paper jam (recoverable error)",
        ),
    ),
    (
        "printer.cutter_error",
        Text::fixed("小票打印机切刀错误", "receipt printer autocutter error"),
    ),
    (
        "printer.overheat",
        Text::fixed(
            "打印头过热，打印暂停（可自动恢复）",
            "print head too hot, printing paused (auto-recoverable)",
        ),
    ),
    (
        "printer.unrecoverable_error",
        Text::fixed(
            "小票打印机不可恢复错误（常见于电源不良）",
            "receipt printer unrecoverable error (often a bad power supply)",
        ),
    ),
    (
        "printer.offline",
        Text::fixed(
            "小票打印机脱机，未报告原因",
            "receipt printer offline with no cause reported",
        ),
    ),
    (
        "printer.no_reply",
        Text::fixed(
            "小票打印机不应答状态查询（线缆、端口或串口参数）",
            "receipt printer does not answer status requests (cable, port or serial settings)",
        ),
    ),
    (
        "printer.charset_mismatch",
        Text::fixed(
            "打印机字库与 GB18030 中文不符，中文会打印成乱码",
            "printer font does not match Chinese sent as GB18030: Chinese prints garbled",
        ),
    ),
    ("keys.missing", Text::fixed("未装载密钥", "no keys loaded")),
    (
        "keys.fraud",
        Text::fixed(
            "终端报告安全事件（防拆/欺诈）",
            "terminal reports a security event (tamper / fraud)",
        ),
    ),
    (
        "keys.secure_module_changed",
        Text::fixed("安全模块已更换", "secure module was replaced"),
    ),
    (
        "network.down",
        Text::fixed(
            "主机端口不可达（连接被拒绝或网络中断）",
            "host port unreachable (connection refused or network down)",
        ),
    ),
    (
        "network.port_blocked",
        Text::fixed(
            "连接超时：端口被防火墙或代理拦截",
            "connect timeout: port blocked by a firewall or proxy",
        ),
    ),
    (
        "network.dns_failure",
        Text::fixed("域名解析失败", "DNS lookup failed"),
    ),
    (
        "network.slow",
        Text::fixed(
            "网络时延过高（交易可能超时并冲正）",
            "network latency too high (transactions may time out and be reversed)",
        ),
    ),
    (
        "network.unstable",
        Text::fixed(
            "连接不稳定：部分请求无应答",
            "unstable connection: some requests unanswered",
        ),
    ),
    (
        "network.tls_failed",
        Text::fixed("TLS 握手失败", "TLS handshake failed"),
    ),
    (
        "network.cert_expired",
        Text::fixed("主机证书已过期", "the host's certificate has expired"),
    ),
    (
        "network.cert_not_yet_valid",
        Text::fixed(
            "主机证书尚未生效（常因时钟错误）",
            "the host's certificate is not valid yet (often a wrong clock)",
        ),
    ),
    (
        "network.cert_untrusted",
        Text::fixed(
            "主机证书不受信任（自签名或私有 CA）",
            "the host's certificate is not trusted (self-signed or private CA)",
        ),
    ),
    (
        "network.cert_name_mismatch",
        Text::fixed(
            "主机证书与主机名不符",
            "the host's certificate is for another name",
        ),
    ),
    (
        "network.cert_expiring",
        Text::fixed("主机证书即将到期", "the host's certificate expires soon"),
    ),
    (
        "host.decline",
        Text::fixed(
            "主机拒绝交易（应答码）",
            "the host declines (response code)",
        ),
    ),
    (
        "host.timeout",
        Text::fixed(
            "主机无应答（交易以 98 冲正）",
            "no answer from the host (a sale is reversed with 98)",
        ),
    ),
    (
        "host.mac_error",
        Text::fixed(
            "MAC 校验错（A0）：工作密钥不一致，需重新签到",
            "MAC verification failed (A0): working keys differ, sign on again",
        ),
    ),
    (
        "host.resign_on",
        Text::fixed(
            "主机要求重新签到（处理要求 = 3）",
            "the host asks for a re-sign-on (processing requirement = 3)",
        ),
    ),
    (
        "host.duplicate",
        Text::fixed(
            "重复交易（94）：流水号重复，先确认原交易",
            "duplicate transaction (94): STAN reused, check the first one",
        ),
    ),
    (
        "host.keys_invalid",
        Text::fixed(
            "工作密钥缺失或与主密钥不符",
            "working keys missing or not matching the master key",
        ),
    ),
    (
        "host.connection_closed",
        Text::fixed(
            "主机断开连接（TPDU/NII 或报文格式不符）",
            "the host closed the connection (TPDU/NII or message format)",
        ),
    ),
    (
        "host.not_iso8583",
        Text::fixed(
            "对端不是该方言的 ISO 8583 主机",
            "the peer is not an ISO 8583 host in this dialect",
        ),
    ),
    (
        "host.terminal_offline",
        Text::fixed(
            "终端自身无法联机到主机",
            "the terminal itself cannot reach its host",
        ),
    ),
    (
        "txn.receipt_print_fail",
        Text::fixed(
            "批准后打印失败，交易以 96 冲正（小票作废）",
            "approved, then the printer failed: reversed with 96 (the slip is void)",
        ),
    ),
];

/// Every cause a check can name: the shared ones, then each terminal protocol's own.
pub fn all() -> impl Iterator<Item = &'static (&'static str, Text)> {
    CAUSES.iter().chain(
        TerminalProtocol::ALL
            .into_iter()
            .flat_map(|p| p.causes().iter()),
    )
}

/// True when `id` is a known cause: one of the list above, or a knowledge-base cause a check
/// names for a response code (97 → host.terminal_not_registered).
pub fn is_known_cause(id: &str) -> bool {
    all().any(|(c, _)| *c == id) || crate::guide::builtin().is_ok_and(|kb| kb.cause(id).is_some())
}

/// The title of a cause, if known.
pub fn cause_title(id: &str) -> Option<&'static Text> {
    all().find(|(c, _)| *c == id).map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_is_bilingual_and_listed_once() {
        let all: Vec<_> = all().collect();
        for (i, (id, title)) in all.iter().enumerate() {
            assert!(!title.is_incomplete(), "{id}");
            assert!(
                all.iter().skip(i + 1).all(|(other, _)| other != id),
                "{id} twice"
            );
        }
    }

    #[test]
    fn every_fault_and_printer_problem_is_a_cause() {
        for info in crate::catalogue::VOCABULARY {
            assert!(is_known_cause(info.id), "fault {} has no cause", info.id);
        }
        for p in crate::proto::escpos::Problem::ALL {
            assert!(is_known_cause(p.cause_id()), "{p:?}");
        }
    }
}
