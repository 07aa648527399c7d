//! Area network, over TLS: the handshake (rustls) and the server certificate's validity
//! (notBefore / notAfter) against the laptop's clock; an expired or not-yet-valid certificate
//! fails with its own cause, and so do untrusted and wrong-name certificates.

use std::time::{Duration, SystemTime};

use super::host_common::link_cause;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::durations::show;
use crate::i18n::Text;
use crate::link::certificate::{format_utc, CertificateInfo, Validity};
use crate::link::tls::{connect_tls, TlsError, TlsFailure, TlsSettings};
use crate::tr;

pub const TLS: CheckSpec = CheckSpec {
    id: "network.tls",
    area: Area::Network,
    title: Text::fixed("TLS 握手与证书", "TLS handshake and certificate"),
};

/// A certificate this close to its end gets a warning.
const EXPIRY_WARNING: Duration = Duration::from_secs(30 * 24 * 3600);

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
                    show(report.handshake)
                ),
            )
            .with_evidence(Text::fixed("协议", "protocol"), report.protocol.clone())
            .with_evidence(
                Text::fixed("密码套件", "cipher suite"),
                report.cipher.clone(),
            )
            .with_evidence(
                Text::fixed("握手时间", "handshake time"),
                show(report.handshake),
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
                        r = r.with_cause(crate::cause!("network.cert_expiring"));
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
                    crate::cause!("network.cert_expired"),
                    tr!(
                        "主机证书已过期（电脑时间 {laptop}）：若电脑时间正确，需收单机构更新证书",
                        "the host's certificate has expired (laptop clock {laptop}): if the clock is right, the acquirer must renew it"
                    ),
                ),
                (Some(Validity::NotYetValid { .. }), _) | (None, TlsFailure::NotYetValid) => (
                    crate::cause!("network.cert_not_yet_valid"),
                    tr!(
                        "主机证书尚未生效（电脑时间 {laptop}）：先检查电脑和终端的时钟",
                        "the host's certificate is not valid yet (laptop clock {laptop}): check the laptop's and the terminal's clocks first"
                    ),
                ),
                (_, TlsFailure::NameMismatch) => (
                    crate::cause!("network.cert_name_mismatch"),
                    tr!(
                        "证书不属于该主机名：检查地址或配置 tls_server_name",
                        "the certificate is for another name: check the address or set tls_server_name"
                    ),
                ),
                (_, TlsFailure::Untrusted) => (
                    crate::cause!("network.cert_untrusted"),
                    tr!(
                        "证书不受信任（自签名或私有 CA）：在配置 tls_ca_file 中给出收单机构的 CA",
                        "the certificate is not trusted (self-signed or private CA): give the acquirer's CA in tls_ca_file"
                    ),
                ),
                _ => (
                    crate::cause!("network.tls_failed"),
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
                .with_cause(crate::cause!("network.tls_failed"))
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
