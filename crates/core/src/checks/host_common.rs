//! Pieces shared by the network and host checks: what a failed exchange means, which cause a
//! response code or a link error points at, and how a response is judged (response code with
//! its meaning and class, the header's 处理要求, the MAC).

use crate::checks::{Area, CheckResult, CheckStatus};
use crate::drivers::iso8583::{
    HostChannelError, HostError, HostExchange, HostFailure, MacCheck, TransportError,
};
use crate::i18n::Text;
use crate::link::LinkError;
use crate::proto::iso8583::ProcessingRequirement;
use crate::tr;

/// The cause a failed connection points at.
pub fn link_cause(e: &LinkError) -> crate::catalogue::CauseId {
    match e {
        LinkError::TcpTimeout { .. } => crate::cause!("network.port_blocked"),
        LinkError::Resolve { .. } | LinkError::BadAddress { .. } => {
            crate::cause!("network.dns_failure")
        }
        LinkError::Io { target, .. } if target.starts_with("tls") => {
            crate::cause!("network.tls_failed")
        }
        _ => crate::cause!("network.down"),
    }
}

/// The cause a non-success response code points at.
pub fn code_cause(code: &str) -> crate::catalogue::CauseId {
    match code {
        "A0" | "A7" | "99" => crate::cause!("host.mac_error"),
        "94" => crate::cause!("host.duplicate"),
        _ => crate::cause!("host.decline"),
    }
}

/// The knowledge base's causes for a decline's code (97 → the terminal is not registered):
/// named beside the generic one, so the guide ranks the specific cause first.
fn specific_causes(code: &str) -> Vec<crate::catalogue::CauseId> {
    crate::catalogue::causes::for_iso39(code)
}

/// What a failed connection to the host means and what to do, in both languages.
pub fn host_link_text(e: &LinkError) -> Text {
    match e {
        LinkError::TcpRefused { addr } => tr!(
            "主机 {addr} 拒绝连接：该端口无程序监听——检查配置中的主机地址和端口，以及收单前置是否运行",
            "the host {addr} refused the connection: nothing listens on that port — check the host address and port in the profile, and that the acquirer's front end is up"
        ),
        LinkError::TcpTimeout { addr, timeout } => {
            let t = crate::durations::show(*timeout);
            tr!(
                "{addr} 在 {t} 内无应答：端口可能被防火墙或代理拦截——请求开放出站端口",
                "no answer from {addr} within {t}: a firewall or proxy may block the port — ask for the outbound port to be opened"
            )
        }
        LinkError::TcpUnreachable { addr } => tr!(
            "网络不可达 {addr}：检查网线、Wi-Fi 和网关",
            "network unreachable for {addr}: check the cable, Wi-Fi and gateway"
        ),
        LinkError::Resolve { host, reason } => tr!(
            "无法解析主机名 {host}（{reason}）：检查 DNS 设置或改用 IP 地址",
            "cannot resolve {host} ({reason}): check the DNS setting or use the IP address"
        ),
        other => other.message(),
    }
}

/// The result of a check whose exchange failed.
pub fn failure(id: &str, area: Area, failure: &HostFailure, target: &str) -> CheckResult {
    let mut r = match &failure.error {
        HostChannelError::Link(e) => {
            let text = host_link_text(e);
            CheckResult::new(
                id,
                area,
                CheckStatus::Error,
                Text::new(
                    format!("无法连接主机 {target}：{}", text.zh),
                    format!("cannot reach the host {target}: {}", text.en),
                ),
            )
            .with_cause(link_cause(e))
        }
        HostChannelError::Host(HostError::NoResponse { waited, unmatched }) => {
            let w = crate::durations::show(*waited);
            CheckResult::new(
                id,
                area,
                CheckStatus::Fail,
                tr!(
                    "主机 {w} 内无应答（消费会因此以 98 冲正）：检查 TPDU/NII 与主机状态",
                    "no answer from the host within {w} (a sale would be reversed with 98): check the TPDU/NII and the host"
                ),
            )
            .with_cause(crate::cause!("host.timeout"))
            .with_evidence(
                Text::fixed("其他报文", "other frames"),
                unmatched.to_string(),
            )
        }
        HostChannelError::Host(HostError::Transport(TransportError::Closed { .. })) => {
            CheckResult::new(
                id,
                area,
                CheckStatus::Fail,
                tr!(
                    "主机收到请求后断开连接：检查 TPDU/NII、报文头和长度格式",
                    "the host closed the connection after the request: check the TPDU/NII, header and length format"
                ),
            )
            .with_cause(crate::cause!("host.connection_closed"))
        }
        HostChannelError::Host(HostError::Transport(TransportError::BadLengthPrefix {
            found,
        })) => CheckResult::new(
            id,
            area,
            CheckStatus::Fail,
            tr!(
                "对端应答不是该方言的 ISO 8583 帧（长度前缀 {found}）：检查地址和端口",
                "the peer's answer is not ISO 8583 in this dialect (length prefix {found}): check the address and port"
            ),
        )
        .with_cause(crate::cause!("host.not_iso8583")),
        HostChannelError::Host(e) => CheckResult::new(
            id,
            area,
            CheckStatus::Error,
            tr!("无法完成请求：{e}", "the request could not be made: {e}"),
        ),
    };
    r.frames = failure.frames.clone();
    r
}

/// Judges a response: success set, 处理要求, MAC. `what` names the request ("签到"/"sign-on").
pub fn judge(id: &str, area: Area, what: &Text, exchange: &HostExchange) -> CheckResult {
    let code = exchange.response_code();
    let requirement = exchange
        .processing_requirement()
        .unwrap_or(ProcessingRequirement::None);
    let rtt = crate::durations::show(exchange.round_trip);
    let mut r = match &code {
        None => CheckResult::new(
            id,
            area,
            CheckStatus::Fail,
            Text::new(
                format!("{}应答没有应答码（域 39）", what.zh),
                format!("the {} response has no response code (field 39)", what.en),
            ),
        )
        .with_cause(crate::cause!("host.decline")),
        Some(c) if c.success => CheckResult::new(
            id,
            area,
            CheckStatus::Pass,
            Text::new(
                format!("{}成功：{} {}（{rtt}）", what.zh, c.code, c.meaning.zh),
                format!("{} approved: {} {} ({rtt})", what.en, c.code, c.meaning.en),
            ),
        ),
        Some(c) => {
            let class = c
                .class
                .map(|k| format!(" ({} {})", k.letter(), k.text().en))
                .unwrap_or_default();
            let class_zh = c
                .class
                .map(|k| format!("（{} {}）", k.letter(), k.text().zh))
                .unwrap_or_default();
            CheckResult::new(
                id,
                area,
                CheckStatus::Fail,
                Text::new(
                    format!("主机拒绝{}：{} {}{class_zh}", what.zh, c.code, c.meaning.zh),
                    format!(
                        "the host declined the {}: {} {}{class}",
                        what.en, c.code, c.meaning.en
                    ),
                ),
            )
            .with_cause(code_cause(&c.code))
            .with_causes(specific_causes(&c.code))
        }
    };
    if let Some(c) = &code {
        let class = c
            .class
            .map(|k| {
                let b = k.behaviour();
                Text::new(
                    format!("{} {}", k.letter(), b.zh),
                    format!("{} {}", k.letter(), b.en),
                )
            })
            .unwrap_or_else(|| Text::same("-"));
        r = r
            .with_evidence_text(
                Text::fixed("应答码 (39)", "response code (39)"),
                Text::new(
                    format!("{} {}", c.code, c.meaning.zh),
                    format!("{} {}", c.code, c.meaning.en),
                ),
            )
            .with_evidence_text(Text::fixed("类别", "class"), class);
    }
    r = r
        .with_evidence_text(
            Text::fixed("处理要求", "processing requirement"),
            Text::new(
                format!("{:X} {}", requirement.nibble(), requirement.text().zh),
                format!("{:X} {}", requirement.nibble(), requirement.text().en),
            ),
        )
        .with_evidence(Text::fixed("往返时间", "round trip"), rtt);
    match requirement {
        ProcessingRequirement::None => {}
        ProcessingRequirement::ReSignOn => {
            r.status = CheckStatus::Fail;
            r.summary = tr!(
                "主机要求重新签到（报文头处理要求 = 3）：工作密钥或批次与主机不一致",
                "the host asks for a re-sign-on (header processing requirement = 3): working keys or batch differ from the host's"
            );
            r = r.with_cause(crate::cause!("host.resign_on"));
        }
        other => {
            if r.status == CheckStatus::Pass {
                r.status = CheckStatus::Warn;
                let t = other.text();
                r.summary = Text::new(
                    format!("{}成功，但主机要求：{}", what.zh, t.zh),
                    format!("{} approved, but the host asks: {}", what.en, t.en),
                );
            }
        }
    }
    r = r.with_evidence_text(Text::fixed("MAC (64)", "MAC (64)"), mac_text(&exchange.mac));
    if exchange.mac == MacCheck::Mismatch {
        r.status = CheckStatus::Fail;
        r.summary = tr!(
            "主机应答的 MAC 校验不通过：工作密钥不一致，请重新签到",
            "the MAC of the host's response does not verify: working keys differ, sign on again"
        );
        r = r.with_cause(crate::cause!("host.mac_error"));
    }
    r
}

pub fn mac_text(mac: &MacCheck) -> Text {
    match mac {
        MacCheck::Absent => Text::fixed("不含 MAC", "none"),
        MacCheck::NoKey => Text::fixed("有 MAC，无密钥验证", "present, no key to verify"),
        MacCheck::Verified => Text::fixed("校验通过", "verifies"),
        MacCheck::Mismatch => Text::fixed("校验失败", "does NOT verify"),
        MacCheck::Unusable(e) => {
            Text::new(format!("无法计算：{e}"), format!("cannot compute: {e}"))
        }
    }
}
