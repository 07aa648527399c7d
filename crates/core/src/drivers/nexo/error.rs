//! What can go wrong talking to a nexo terminal, each case with the data a technician needs to
//! act: the address, the key identifier and version, the certificate name that was found.
//! Every message is one line; none carries the passphrase, a key or card data.

use std::path::PathBuf;
use std::time::Duration;

use crate::durations::show;
use crate::i18n::Text;

/// Why an exchange with the terminal failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NexoClientError {
    #[error("cannot read the terminal's certificate or CA file '{}': {reason}", path.display())]
    TrustFile { path: PathBuf, reason: String },

    #[error("cannot read the nexo passphrase: {reason}")]
    Passphrase { reason: String },

    #[error("'{addr}' is not HOST:PORT of a terminal")]
    BadAddress { addr: String },

    #[error("the terminal at {addr} refuses the connection (nothing listens on that port: check the address, port 8443 and that the terminal is on)")]
    Refused { addr: String },

    #[error("no connection to the terminal at {addr} within {} (address, network or firewall)", show(*.timeout))]
    ConnectTimeout { addr: String, timeout: Duration },

    #[error("cannot connect to the terminal at {addr}: {reason}")]
    Unreachable { addr: String, reason: String },

    #[error("the certificate of {addr} names '{found}', not a terminal ({expected}): wrong address, or not an Adyen terminal")]
    CertificateName {
        addr: String,
        found: String,
        expected: String,
    },

    #[error("the certificate of {addr} ('{found}') is not signed by the CA in '{}': wrong CA file (TEST vs LIVE?) or another device", trust.display())]
    CertificateUntrusted {
        addr: String,
        found: String,
        trust: PathBuf,
    },

    #[error("the certificate of {addr} ('{found}') is {state} by this computer's clock: check the date and time here and on the terminal")]
    ClockSkew {
        addr: String,
        found: String,
        /// "not yet valid" or "expired".
        state: &'static str,
    },

    #[error("TLS with the terminal at {addr} failed: {reason}")]
    Tls { addr: String, reason: String },

    #[error("the terminal at {addr} rejects shared key '{key_id}' version {key_version}: wrong passphrase, key identifier or version (compare with the terminal's settings)")]
    WrongKey {
        addr: String,
        key_id: String,
        key_version: u32,
    },

    #[error("the terminal at {addr} answers with key '{their_id}' version {their_version}, this computer has '{key_id}' version {key_version}: set the same key version on both sides")]
    WrongKeyVersion {
        addr: String,
        key_id: String,
        key_version: u32,
        their_id: String,
        their_version: u32,
    },

    #[error("no answer from the terminal at {addr} to {category} (service {service_id}) within {}{}", show(*.timeout), if *.outcome_unknown { ": the outcome is unknown, ask for the transaction status before charging again" } else { "" })]
    Timeout {
        addr: String,
        category: String,
        service_id: String,
        timeout: Duration,
        /// True for a payment or reversal: the money may have moved.
        outcome_unknown: bool,
    },

    #[error("the terminal at {addr} closed the connection during {category} (service {service_id}){}", if *.outcome_unknown { ": the outcome is unknown, ask for the transaction status before charging again" } else { "" })]
    ConnectionLost {
        addr: String,
        category: String,
        service_id: String,
        outcome_unknown: bool,
    },

    #[error("the terminal at {addr} answers HTTP {status}: {message}")]
    Http {
        addr: String,
        status: u16,
        message: String,
    },

    #[error("the terminal at {addr} answers something that is not a nexo message: {reason}")]
    BadAnswer { addr: String, reason: String },
}

impl NexoClientError {
    /// The message in both languages (`Display` is the English one).
    pub fn text(&self) -> Text {
        use NexoClientError as E;
        let en = self.to_string();
        let unknown = |u: bool| {
            if u {
                "：结果未知，重新收款前先查询交易状态"
            } else {
                ""
            }
        };
        let zh = match self {
            E::TrustFile { path, reason } => {
                format!("无法读取终端证书或 CA 文件“{}”：{reason}", path.display())
            }
            E::Passphrase { reason } => format!("无法读取 nexo 口令：{reason}"),
            E::BadAddress { addr } => format!("“{addr}”不是终端的 主机:端口"),
            E::Refused { addr } => format!(
                "终端 {addr} 拒绝连接（该端口无程序监听：检查地址、端口 8443 以及终端是否开机）"
            ),
            E::ConnectTimeout { addr, timeout } => format!(
                "{} 内连不上终端 {addr}（地址、网络或防火墙）",
                show(*timeout)
            ),
            E::Unreachable { addr, reason } => format!("连不上终端 {addr}：{reason}"),
            E::CertificateName { addr, found, expected } => format!(
                "{addr} 的证书名为“{found}”，不是终端证书（{expected}）：地址错误或不是 Adyen 终端"
            ),
            E::CertificateUntrusted { addr, found, trust } => format!(
                "{addr} 的证书（“{found}”）不是由“{}”中的 CA 签发：CA 文件不对（TEST 与 LIVE？）或是另一台设备",
                trust.display()
            ),
            E::ClockSkew { addr, found, state } => format!(
                "按本机时钟，{addr} 的证书（“{found}”）{}：检查本机和终端的日期时间",
                if *state == "expired" { "已过期" } else { "尚未生效" }
            ),
            E::Tls { addr, reason } => format!("与终端 {addr} 的 TLS 失败：{reason}"),
            E::WrongKey { addr, key_id, key_version } => format!(
                "终端 {addr} 不接受共享密钥“{key_id}”版本 {key_version}：口令、密钥标识或版本不对（与终端设置比对）"
            ),
            E::WrongKeyVersion { addr, key_id, key_version, their_id, their_version } => format!(
                "终端 {addr} 用密钥“{their_id}”版本 {their_version} 应答，本机为“{key_id}”版本 {key_version}：两边设置相同的密钥版本"
            ),
            E::Timeout { addr, category, service_id, timeout, outcome_unknown } => format!(
                "终端 {addr} 在 {} 内没有应答 {category}（服务 {service_id}）{}",
                show(*timeout),
                unknown(*outcome_unknown)
            ),
            E::ConnectionLost { addr, category, service_id, outcome_unknown } => format!(
                "终端 {addr} 在 {category}（服务 {service_id}）中断开连接{}",
                unknown(*outcome_unknown)
            ),
            E::Http { addr, status, message } => format!("终端 {addr} 应答 HTTP {status}：{message}"),
            E::BadAnswer { addr, reason } => format!("终端 {addr} 的应答不是 nexo 报文：{reason}"),
        };
        Text::new(zh, en)
    }

    /// The cause id (kb/*.toml) this error points at.
    pub fn cause_id(&self) -> Option<crate::catalogue::CauseId> {
        Some(match self {
            NexoClientError::Refused { .. }
            | NexoClientError::ConnectTimeout { .. }
            | NexoClientError::Unreachable { .. } => crate::cause!("link.tcp_unreachable"),
            NexoClientError::CertificateName { .. } => crate::cause!("network.cert_name_mismatch"),
            NexoClientError::CertificateUntrusted { .. } => crate::cause!("network.cert_untrusted"),
            NexoClientError::ClockSkew { .. } => crate::cause!("clock.wrong"),
            NexoClientError::Tls { .. } => crate::cause!("network.tls_failed"),
            NexoClientError::WrongKey { .. } | NexoClientError::WrongKeyVersion { .. } => {
                crate::cause!("keys.shared_key_mismatch")
            }
            e @ (NexoClientError::Timeout { .. } | NexoClientError::ConnectionLost { .. }) => {
                if e.outcome_unknown() {
                    crate::cause!("funds.outcome_unknown")
                } else {
                    crate::cause!("link.silent")
                }
            }
            NexoClientError::TrustFile { .. }
            | NexoClientError::Passphrase { .. }
            | NexoClientError::BadAddress { .. }
            | NexoClientError::Http { .. }
            | NexoClientError::BadAnswer { .. } => return None,
        })
    }

    /// True when a payment or reversal may have completed on the terminal although no answer
    /// came: settle it with TransactionStatus before anything else.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            NexoClientError::Timeout {
                outcome_unknown: true,
                ..
            } | NexoClientError::ConnectionLost {
                outcome_unknown: true,
                ..
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_one_line_in_both_languages() {
        let addr = "192.0.2.1:8443".to_owned();
        let all = [
            NexoClientError::TrustFile {
                path: "ca.pem".into(),
                reason: "x".into(),
            },
            NexoClientError::Passphrase { reason: "x".into() },
            NexoClientError::BadAddress { addr: addr.clone() },
            NexoClientError::Refused { addr: addr.clone() },
            NexoClientError::ConnectTimeout {
                addr: addr.clone(),
                timeout: Duration::from_secs(3),
            },
            NexoClientError::Unreachable {
                addr: addr.clone(),
                reason: "x".into(),
            },
            NexoClientError::CertificateName {
                addr: addr.clone(),
                found: "n".into(),
                expected: "e".into(),
            },
            NexoClientError::CertificateUntrusted {
                addr: addr.clone(),
                found: "n".into(),
                trust: "ca.pem".into(),
            },
            NexoClientError::ClockSkew {
                addr: addr.clone(),
                found: "n".into(),
                state: "expired",
            },
            NexoClientError::Tls {
                addr: addr.clone(),
                reason: "x".into(),
            },
            NexoClientError::WrongKey {
                addr: addr.clone(),
                key_id: "K".into(),
                key_version: 2,
            },
            NexoClientError::WrongKeyVersion {
                addr: addr.clone(),
                key_id: "K".into(),
                key_version: 2,
                their_id: "K".into(),
                their_version: 3,
            },
            NexoClientError::Timeout {
                addr: addr.clone(),
                category: "Payment".into(),
                service_id: "1".into(),
                timeout: Duration::from_secs(1),
                outcome_unknown: true,
            },
            NexoClientError::ConnectionLost {
                addr: addr.clone(),
                category: "Diagnosis".into(),
                service_id: "1".into(),
                outcome_unknown: false,
            },
            NexoClientError::Http {
                addr: addr.clone(),
                status: 400,
                message: "x".into(),
            },
            NexoClientError::BadAnswer {
                addr,
                reason: "x".into(),
            },
        ];
        for e in &all {
            let t = e.text();
            assert!(
                !t.is_incomplete() && !t.zh.contains('\n') && !t.en.contains('\n'),
                "{e:?}"
            );
            assert_eq!(t.en, e.to_string());
        }
        assert!(all[12].outcome_unknown() && !all[13].outcome_unknown());
        assert_eq!(all[13].cause_id(), Some(crate::cause!("link.silent")));
    }
}
