//! Area network: can the laptop reach the acquirer host, and how well? DNS (answer and time),
//! TCP connect (time), round-trip latency over N echo probes (min, median, max, loss), and the
//! TLS handshake with the certificate's validity against the laptop's clock.
//!
//! Latency is measured with the host's own echo on the host channel: that round trip is what a
//! transaction waits for (TCP connect time is in `network.tcp`).

use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use super::host_common::{failure, host_link_text, link_cause, short};
use super::host_probe::HostProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::i18n::Text;
use crate::link::certificate::{format_utc, CertificateInfo, Validity};
use crate::link::tls::{connect_tls, TlsError, TlsFailure, TlsSettings};
use crate::link::{connect_tcp, Link};
use crate::tr;

pub const DNS: CheckSpec = CheckSpec {
    id: "network.dns",
    area: Area::Network,
    title: Text::fixed("域名解析", "DNS lookup"),
};

pub const TCP: CheckSpec = CheckSpec {
    id: "network.tcp",
    area: Area::Network,
    title: Text::fixed("TCP 连接", "TCP connect"),
};

pub const LATENCY: CheckSpec = CheckSpec {
    id: "network.latency",
    area: Area::Network,
    title: Text::fixed("往返时延", "round-trip latency"),
};

pub const TLS: CheckSpec = CheckSpec {
    id: "network.tls",
    area: Area::Network,
    title: Text::fixed("TLS 握手与证书", "TLS handshake and certificate"),
};

/// A certificate this close to its end gets a warning.
const EXPIRY_WARNING: Duration = Duration::from_secs(30 * 24 * 3600);

/// The host part of "host:port" / "[v6]:port".
fn host_of(addr: &str) -> &str {
    if let Some(rest) = addr.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    addr.rsplit_once(':').map_or(addr, |(h, _)| h)
}

pub async fn dns(addr: &str, timeout: Duration) -> CheckResult {
    let host = host_of(addr);
    if host.parse::<IpAddr>().is_ok() {
        return CheckResult::new(
            DNS.id,
            Area::Network,
            CheckStatus::Skip,
            tr!(
                "主机地址 {host} 是 IP 地址，无需域名解析",
                "the host address {host} is an IP address: nothing to resolve"
            ),
        );
    }
    let started = Instant::now();
    let lookup = tokio::time::timeout(timeout, tokio::net::lookup_host((host, 0))).await;
    let took = short(started.elapsed());
    match lookup {
        Ok(Ok(addrs)) => {
            let mut ips: Vec<String> = addrs.map(|a| a.ip().to_string()).collect();
            ips.dedup();
            if ips.is_empty() {
                return CheckResult::new(
                    DNS.id,
                    Area::Network,
                    CheckStatus::Fail,
                    tr!("{host} 没有地址记录", "{host} has no address records"),
                )
                .with_cause("network.dns_failure");
            }
            CheckResult::new(
                DNS.id,
                Area::Network,
                CheckStatus::Pass,
                tr!(
                    "{host} 解析为 {}（{took}）",
                    "{host} resolves to {} ({took})",
                    ips.join(", ")
                ),
            )
            .with_evidence(Text::fixed("地址", "addresses"), ips.join(", "))
            .with_evidence(Text::fixed("解析时间", "lookup time"), took)
        }
        Ok(Err(e)) => CheckResult::new(
            DNS.id,
            Area::Network,
            CheckStatus::Fail,
            tr!(
                "无法解析 {host}（{e}）：检查 DNS 服务器设置，或在配置中改用 IP 地址",
                "cannot resolve {host} ({e}): check the DNS server setting, or use the IP address in the profile"
            ),
        )
        .with_cause("network.dns_failure"),
        Err(_) => {
            let t = humantime::format_duration(timeout);
            CheckResult::new(
                DNS.id,
                Area::Network,
                CheckStatus::Fail,
                tr!(
                    "{t} 内无法解析 {host}：DNS 服务器无应答",
                    "{host} not resolved within {t}: the DNS server does not answer"
                ),
            )
            .with_cause("network.dns_failure")
        }
    }
}

pub async fn tcp(addr: &str, timeout: Duration) -> CheckResult {
    let started = Instant::now();
    match connect_tcp(addr, timeout).await {
        Ok(link) => {
            let took = short(started.elapsed());
            CheckResult::new(
                TCP.id,
                Area::Network,
                CheckStatus::Pass,
                tr!("已连接 {addr}（{took}）", "connected to {addr} ({took})"),
            )
            .with_evidence(Text::fixed("对端", "peer"), link.target())
            .with_evidence(Text::fixed("连接时间", "connect time"), took)
        }
        Err(e) => CheckResult::new(TCP.id, Area::Network, CheckStatus::Fail, host_link_text(&e))
            .with_cause(link_cause(&e))
            .with_evidence(Text::fixed("耗时", "time spent"), short(started.elapsed())),
    }
}

/// Echo round trips: the shared echo first, then more until `count` or the time `budget` runs
/// short.
pub async fn latency(probe: &HostProbe, budget: Duration) -> CheckResult {
    let started = Instant::now();
    let settings = probe.settings();
    let target = probe.channel().target();
    let mut rtts: Vec<Duration> = Vec::new();
    let mut lost = 0u32;
    let mut frames = Vec::new();
    match probe.echo().await {
        Ok(r) => {
            rtts.push(r.outcome.round_trip);
            frames.extend(r.frames.iter().cloned());
        }
        Err(f) if f.frames.is_empty() && rtts.is_empty() => {
            // Not even connected: the network is the finding.
            let mut r = failure(LATENCY.id, Area::Network, f, &target);
            if r.causes.iter().all(|c| c.starts_with("network.")) {
                r.status = CheckStatus::Fail;
            }
            return r;
        }
        Err(_) => lost += 1,
    }
    let response_timeout = probe.channel().config().response_timeout;
    let mut sent = 1u32;
    while sent < settings.latency_probes && !rtts.is_empty() {
        let typical = rtts.iter().max().copied().unwrap_or(response_timeout);
        if started.elapsed() + typical.max(Duration::from_millis(50)) > budget.mul_f32(0.8) {
            break;
        }
        sent += 1;
        match probe.channel().echo().await {
            Ok(r) => {
                rtts.push(r.outcome.round_trip);
                frames.extend(r.frames);
            }
            Err(_) => lost += 1,
        }
        // A host that answered nothing so far will not start now: stop waiting.
        if rtts.is_empty() {
            break;
        }
    }
    let mut r = judge_latency(
        &rtts,
        sent,
        lost,
        settings.latency_limit,
        settings.latency_probes,
    );
    frames.truncate(8);
    r.frames = frames;
    r
}

fn judge_latency(
    rtts: &[Duration],
    sent: u32,
    lost: u32,
    limit: Duration,
    planned: u32,
) -> CheckResult {
    let id = LATENCY.id;
    let loss = (lost * 100).checked_div(sent).unwrap_or(0);
    let counts = format!(
        "{sent}/{planned} sent, {} answered, {loss}% lost",
        rtts.len()
    );
    let mut sorted = rtts.to_vec();
    sorted.sort();
    let (Some(min), Some(max)) = (sorted.first().copied(), sorted.last().copied()) else {
        return CheckResult::new(
            id,
            Area::Network,
            CheckStatus::Fail,
            tr!(
                "{sent} 次回响测试均无应答：主机连接正常但不应答",
                "none of {sent} echo probes was answered: the host accepts the connection but does not answer"
            ),
        )
        .with_cause("host.timeout")
        .with_evidence(Text::fixed("探测", "probes"), counts);
    };
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(max);
    let spread = format!(
        "min {} / median {} / max {}",
        short(min),
        short(median),
        short(max)
    );
    let lim = short(limit);
    let mut r = if median > limit {
        CheckResult::new(
            id,
            Area::Network,
            CheckStatus::Fail,
            tr!(
                "往返时延过高：中位数 {} 超过上限 {lim}，交易可能超时并冲正",
                "round trip too slow: median {} above the limit {lim}; transactions may time out and be reversed",
                short(median)
            ),
        )
        .with_cause("network.slow")
    } else if lost > 0 {
        CheckResult::new(
            id,
            Area::Network,
            CheckStatus::Warn,
            tr!(
                "{lost} 次探测无应答（丢失 {loss}%）：连接不稳定",
                "{lost} probes got no answer ({loss}% lost): the connection is unstable"
            ),
        )
        .with_cause("network.unstable")
    } else if max > limit {
        CheckResult::new(
            id,
            Area::Network,
            CheckStatus::Warn,
            tr!(
                "往返时延有尖峰：最大 {} 超过上限 {lim}",
                "round-trip spikes: max {} above the limit {lim}",
                short(max)
            ),
        )
        .with_cause("network.slow")
    } else {
        CheckResult::new(
            id,
            Area::Network,
            CheckStatus::Pass,
            tr!("往返时延正常：{spread}", "round trip fine: {spread}"),
        )
    };
    r = r
        .with_evidence(Text::fixed("往返时延", "round trip"), spread)
        .with_evidence(Text::fixed("探测", "probes"), counts)
        .with_evidence(Text::fixed("上限", "limit"), lim);
    r
}

/// The TLS handshake and the server certificate's validity against the laptop's clock.
pub async fn tls(addr: &str, settings: &TlsSettings, timeout: Duration) -> CheckResult {
    let id = TLS.id;
    let now = SystemTime::now();
    let laptop = format_utc(now);
    match connect_tls(addr, settings, timeout).await {
        Ok((_link, report)) => {
            let mut r = CheckResult::new(
                id,
                Area::Network,
                CheckStatus::Pass,
                tr!(
                    "TLS 握手成功（{}，{}），证书有效",
                    "TLS handshake OK ({}, {}), certificate valid",
                    report.protocol,
                    short(report.handshake)
                ),
            )
            .with_evidence(Text::fixed("协议", "protocol"), report.protocol.clone())
            .with_evidence(
                Text::fixed("密码套件", "cipher suite"),
                report.cipher.clone(),
            )
            .with_evidence(
                Text::fixed("握手时间", "handshake time"),
                short(report.handshake),
            );
            if let Some(cert) = &report.certificate {
                r = with_certificate(r, cert, &laptop);
                if let Validity::Valid { remaining } = cert.validity_at(now) {
                    if remaining < EXPIRY_WARNING {
                        let days = remaining.as_secs() / 86_400;
                        r.status = CheckStatus::Warn;
                        r.summary = tr!(
                            "证书 {days} 天后到期：请收单机构及时更新",
                            "the certificate expires in {days} days: ask the acquirer to renew it"
                        );
                        r = r.with_cause("network.cert_expiring");
                    }
                }
            }
            r
        }
        Err(TlsError::Handshake {
            kind,
            reason,
            certificate,
            ..
        }) => {
            // Judge validity by the laptop clock first: it is what a technician can check.
            let by_clock = certificate.as_ref().map(|c| c.validity_at(now));
            let (cause, summary) = match (by_clock, kind) {
                (Some(Validity::Expired { .. }), _) | (None, TlsFailure::Expired) => (
                    "network.cert_expired",
                    tr!(
                        "主机证书已过期（电脑时间 {laptop}）：若电脑时间正确，需收单机构更新证书",
                        "the host's certificate has expired (laptop clock {laptop}): if the clock is right, the acquirer must renew it"
                    ),
                ),
                (Some(Validity::NotYetValid { .. }), _) | (None, TlsFailure::NotYetValid) => (
                    "network.cert_not_yet_valid",
                    tr!(
                        "主机证书尚未生效（电脑时间 {laptop}）：先检查电脑和终端的时钟",
                        "the host's certificate is not valid yet (laptop clock {laptop}): check the laptop's and the terminal's clocks first"
                    ),
                ),
                (_, TlsFailure::NameMismatch) => (
                    "network.cert_name_mismatch",
                    tr!(
                        "证书不属于该主机名：检查地址或配置 tls_server_name",
                        "the certificate is for another name: check the address or set tls_server_name"
                    ),
                ),
                (_, TlsFailure::Untrusted) => (
                    "network.cert_untrusted",
                    tr!(
                        "证书不受信任（自签名或私有 CA）：在配置 tls_ca_file 中给出收单机构的 CA",
                        "the certificate is not trusted (self-signed or private CA): give the acquirer's CA in tls_ca_file"
                    ),
                ),
                _ => (
                    "network.tls_failed",
                    tr!(
                        "TLS 握手失败：{reason}",
                        "TLS handshake failed: {reason}"
                    ),
                ),
            };
            let mut r = CheckResult::new(id, Area::Network, CheckStatus::Fail, summary)
                .with_cause(cause)
                .with_evidence(Text::fixed("握手错误", "handshake error"), reason);
            if let Some(cert) = &certificate {
                r = with_certificate(r, cert, &laptop);
            }
            r
        }
        Err(TlsError::Connect(e)) => CheckResult::new(
            id,
            Area::Network,
            CheckStatus::Fail,
            tr!("无法建立 TCP 连接：{e}", "no TCP connection: {e}"),
        )
        .with_cause(link_cause(&e)),
        Err(e @ TlsError::Timeout { .. }) => {
            CheckResult::new(id, Area::Network, CheckStatus::Fail, tr!("{e}", "{e}"))
                .with_cause("network.tls_failed")
        }
        Err(e) => CheckResult::new(id, Area::Network, CheckStatus::Error, tr!("{e}", "{e}")),
    }
}

fn with_certificate(r: CheckResult, cert: &CertificateInfo, laptop: &str) -> CheckResult {
    r.with_evidence(
        Text::fixed("证书主体", "certificate subject"),
        cert.subject.clone(),
    )
    .with_evidence(Text::fixed("颁发者", "issuer"), cert.issuer.clone())
    .with_evidence(
        Text::fixed("有效期起 (notBefore)", "valid from (notBefore)"),
        format_utc(cert.not_before),
    )
    .with_evidence(
        Text::fixed("有效期至 (notAfter)", "valid until (notAfter)"),
        format_utc(cert.not_after),
    )
    .with_evidence(Text::fixed("电脑时间", "laptop clock"), laptop.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn latency_verdicts() {
        let limit = ms(500);
        let ok = judge_latency(&[ms(10), ms(12), ms(11)], 3, 0, limit, 3);
        assert_eq!(ok.status, CheckStatus::Pass);
        assert!(ok.evidence.iter().any(|e| e.value.contains("median 11ms")));
        let slow = judge_latency(&[ms(900), ms(800), ms(700)], 3, 0, limit, 3);
        assert_eq!(slow.status, CheckStatus::Fail);
        assert_eq!(slow.causes, vec!["network.slow"]);
        let lossy = judge_latency(&[ms(10)], 2, 1, limit, 2);
        assert_eq!(lossy.causes, vec!["network.unstable"]);
        let none = judge_latency(&[], 3, 3, limit, 3);
        assert_eq!(none.causes, vec!["host.timeout"]);
        let spike = judge_latency(&[ms(10), ms(10), ms(900)], 3, 0, limit, 3);
        assert_eq!(spike.status, CheckStatus::Warn);
    }

    #[test]
    fn host_part_of_addresses() {
        assert_eq!(host_of("localhost:5000"), "localhost");
        assert_eq!(host_of("[::1]:5000"), "::1");
    }
}
