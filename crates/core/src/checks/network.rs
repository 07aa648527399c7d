//! Area network: can the laptop reach the acquirer host, and how well? DNS (answer and time),
//! TCP connect (time) and round-trip latency over N echo probes (min, median, max, loss). The
//! TLS handshake is in `network_tls.rs`.
//!
//! Latency is measured with the host's own echo on the host channel: that round trip is what a
//! transaction waits for (TCP connect time is in `network.tcp`).

use std::net::IpAddr;
use std::time::Duration;

use tokio::time::Instant;

use super::host_common::{failure, host_link_text, link_cause};
use super::host_probe::HostProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::durations::show;
use crate::i18n::Text;
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
    let took = show(started.elapsed());
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
                .with_cause(crate::cause!("network.dns_failure"));
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
        .with_cause(crate::cause!("network.dns_failure")),
        Err(_) => {
            let t = crate::durations::show(timeout);
            CheckResult::new(
                DNS.id,
                Area::Network,
                CheckStatus::Fail,
                tr!(
                    "{t} 内无法解析 {host}：DNS 服务器无应答",
                    "{host} not resolved within {t}: the DNS server does not answer"
                ),
            )
            .with_cause(crate::cause!("network.dns_failure"))
        }
    }
}

pub async fn tcp(addr: &str, timeout: Duration) -> CheckResult {
    let started = Instant::now();
    match connect_tcp(addr, timeout).await {
        Ok(link) => {
            let took = show(started.elapsed());
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
            .with_evidence(Text::fixed("耗时", "time spent"), show(started.elapsed())),
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
    let answered = rtts.len();
    let counts = tr!(
        "已发 {sent}/{planned}，应答 {answered}，丢失 {loss}%",
        "{sent}/{planned} sent, {answered} answered, {loss}% lost"
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
        .with_cause(crate::cause!("host.timeout"))
        .with_evidence_text(Text::fixed("探测", "probes"), counts);
    };
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(max);
    let spread = tr!(
        "最小 {} / 中位数 {} / 最大 {}",
        "min {} / median {} / max {}",
        show(min),
        show(median),
        show(max)
    );
    let lim = show(limit);
    let mut r = if median > limit {
        CheckResult::new(
            id,
            Area::Network,
            CheckStatus::Fail,
            tr!(
                "往返时延过高：中位数 {} 超过上限 {lim}，交易可能超时并冲正",
                "round trip too slow: median {} above the limit {lim}; transactions may time out and be reversed",
                show(median)
            ),
        )
        .with_cause(crate::cause!("network.slow"))
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
        .with_cause(crate::cause!("network.unstable"))
    } else if max > limit {
        CheckResult::new(
            id,
            Area::Network,
            CheckStatus::Warn,
            tr!(
                "往返时延有尖峰：最大 {} 超过上限 {lim}",
                "round-trip spikes: max {} above the limit {lim}",
                show(max)
            ),
        )
        .with_cause(crate::cause!("network.slow"))
    } else {
        CheckResult::new(
            id,
            Area::Network,
            CheckStatus::Pass,
            Text::new(
                format!("往返时延正常：{}", spread.zh),
                format!("round trip fine: {}", spread.en),
            ),
        )
    };
    r = r
        .with_evidence_text(Text::fixed("往返时延", "round trip"), spread)
        .with_evidence_text(Text::fixed("探测", "probes"), counts)
        .with_evidence(Text::fixed("上限", "limit"), lim);
    r
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
        assert!(ok.evidence.iter().any(|e| e.value.contains("median 11 ms")));
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
