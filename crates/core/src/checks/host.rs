//! Area host: does the acquirer answer, and with what? Sign-on (when the profile allows it),
//! echo, and the key state (working keys received, check values and MACs verify). Each shows
//! the response code with its meaning and POS class, and the header's 处理要求.

use super::host_common::{failure, judge, mac_text};
use super::host_probe::HostProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::drivers::iso8583::MacCheck;
use crate::i18n::Text;
use crate::proto::iso8583::KeyBlockError;
use crate::tr;

pub const SIGN_ON: CheckSpec = CheckSpec {
    id: "host.sign_on",
    area: Area::Host,
    title: Text::fixed("主机签到", "host sign-on"),
};

pub const ECHO: CheckSpec = CheckSpec {
    id: "host.echo",
    area: Area::Host,
    title: Text::fixed("主机回响测试", "host echo test"),
};

pub const KEYS: CheckSpec = CheckSpec {
    id: "host.keys",
    area: Area::Host,
    title: Text::fixed("工作密钥与 MAC", "working keys and MAC"),
};

const SIGN_ON_WORD: Text = Text::fixed("签到", "sign-on");
const ECHO_WORD: Text = Text::fixed("回响测试", "echo test");

pub async fn sign_on(probe: &HostProbe) -> CheckResult {
    let target = probe.channel().target();
    let Some(outcome) = probe.sign_on().await else {
        return CheckResult::new(
            SIGN_ON.id,
            Area::Host,
            CheckStatus::Skip,
            tr!(
                "签到会更新该终端号在主机的工作密钥：仅对测试终端号在配置中设置 sign_on_probe = true",
                "a sign-on renews this TID's working keys at the host: set sign_on_probe = true in the profile for a test TID only"
            ),
        );
    };
    let record = match outcome {
        Ok(r) => r,
        Err(f) => return failure(SIGN_ON.id, Area::Host, f, &target),
    };
    let s = &record.outcome;
    let mut r = judge(SIGN_ON.id, Area::Host, &SIGN_ON_WORD, &s.exchange).with_evidence(
        Text::fixed("网络管理信息码 (60.3)", "network management code (60.3)"),
        s.mode.network_code(),
    );
    match &s.keys {
        Some(Ok(keys)) => {
            let list: Vec<Text> = keys
                .keys
                .iter()
                .map(|k| (k.role.text(), &k.kcv))
                .collect::<Vec<_>>()
                .into_iter()
                .map(|(role, kcv)| {
                    Text::new(
                        format!("{} KCV {kcv}", role.zh),
                        format!("{} KCV {kcv}", role.en),
                    )
                })
                .collect();
            let zh: Vec<&str> = list.iter().map(|t| t.zh.as_ref()).collect();
            let en: Vec<&str> = list.iter().map(|t| t.en.as_ref()).collect();
            r = r.with_evidence_text(
                Text::fixed("收到的工作密钥", "working keys received"),
                Text::new(zh.join("，"), en.join(", ")),
            );
        }
        Some(Err(e)) => {
            r = r.with_evidence_text(Text::fixed("工作密钥", "working keys"), e.text());
        }
        None if r.status == CheckStatus::Pass => {
            r.status = CheckStatus::Warn;
            r.summary = tr!(
                "签到成功，但应答中没有工作密钥（域 62）",
                "sign-on approved, but the response carries no working keys (field 62)"
            );
        }
        None => {}
    }
    r.frames = record.frames.clone();
    r
}

pub async fn echo(probe: &HostProbe) -> CheckResult {
    let target = probe.channel().target();
    match probe.echo().await {
        Ok(record) => {
            let mut r = judge(ECHO.id, Area::Host, &ECHO_WORD, &record.outcome);
            r.frames = record.frames.clone();
            r
        }
        Err(f) => failure(ECHO.id, Area::Host, f, &target),
    }
}

/// Key state: the sign-on's working keys (presence, check values against the test master key)
/// and whether MACs verify both ways on the echo.
pub async fn keys(probe: &HostProbe) -> CheckResult {
    let id = KEYS.id;
    let target = probe.channel().target();
    let Some(outcome) = probe.sign_on().await else {
        return CheckResult::new(
            id,
            Area::Host,
            CheckStatus::Skip,
            tr!(
                "密钥状态需要签到（配置 sign_on_probe = true）",
                "the key state needs a sign-on (profile sign_on_probe = true)"
            ),
        );
    };
    let signed = match outcome {
        Ok(r) => r,
        Err(f) => {
            let mut r = failure(id, Area::Host, f, &target);
            r.summary = tr!(
                "签到未完成，没有工作密钥（见 host.sign_on）",
                "the sign-on did not complete: no working keys (see host.sign_on)"
            );
            return r;
        }
    };
    let sign_on = judge(id, Area::Host, &SIGN_ON_WORD, &signed.outcome.exchange);
    let keys = match &signed.outcome.keys {
        _ if sign_on.status == CheckStatus::Fail => {
            let mut r = sign_on;
            r.summary = tr!(
                "签到未成功，工作密钥不可用（见 host.sign_on）",
                "the sign-on did not succeed: no usable working keys (see host.sign_on)"
            );
            r.frames = signed.frames.clone();
            return r;
        }
        None => {
            return CheckResult::new(
                id,
                Area::Host,
                CheckStatus::Fail,
                tr!(
                    "主机签到应答中没有工作密钥（域 62）",
                    "the host's sign-on response carries no working keys (field 62)"
                ),
            )
            .with_cause(crate::cause!("host.keys_invalid"))
        }
        Some(Err(e @ KeyBlockError::CheckValue { .. })) => {
            return CheckResult::new(id, Area::Host, CheckStatus::Fail, e.text())
                .with_cause(crate::cause!("host.keys_invalid"))
        }
        Some(Err(e)) => return CheckResult::new(id, Area::Host, CheckStatus::Warn, e.text()),
        Some(Ok(k)) => k,
    };
    let kcvs: Vec<Text> = keys
        .keys
        .iter()
        .map(|k| {
            let role = k.role.text();
            Text::new(
                format!("{} KCV {}", role.zh, k.kcv),
                format!("{} KCV {}", role.en, k.kcv),
            )
        })
        .collect();
    let zh: Vec<&str> = kcvs.iter().map(|t| t.zh.as_ref()).collect();
    let en: Vec<&str> = kcvs.iter().map(|t| t.en.as_ref()).collect();
    let mut r = CheckResult::new(id, Area::Host, CheckStatus::Pass, Text::fixed("", ""))
        .with_evidence_text(
            Text::fixed("工作密钥", "working keys"),
            Text::new(zh.join("，"), en.join(", ")),
        );
    if keys.mak.is_none() {
        r.summary = tr!(
            "已收到工作密钥（配置中没有测试主密钥，无法验证校验值和 MAC）",
            "working keys received (no test master key in the profile: check values and MACs not verified)"
        );
        return r;
    }
    r = r.with_evidence_text(
        Text::fixed("校验值", "check values"),
        Text::fixed("与测试主密钥一致", "match the test master key"),
    );
    let echo = match probe.echo().await {
        Ok(e) => e,
        Err(f) => {
            let mut e = failure(id, Area::Host, f, &target);
            e.summary = tr!(
                "工作密钥校验值正确，但回响测试未完成，MAC 未验证（见 host.echo）",
                "working keys verify, but the echo did not complete: MAC not checked (see host.echo)"
            );
            return e;
        }
    };
    let exchange = &echo.outcome;
    r = r.with_evidence_text(
        Text::fixed("回响应答 MAC", "echo response MAC"),
        mac_text(&exchange.mac),
    );
    r.frames = echo.frames.clone();
    let code = exchange.response_code().map(|c| c.code).unwrap_or_default();
    let resign = exchange.processing_requirement()
        == Some(crate::proto::iso8583::ProcessingRequirement::ReSignOn);
    if matches!(code.as_str(), "A0" | "A7" | "99") {
        r.status = CheckStatus::Fail;
        r.summary = tr!(
            "主机拒绝我们的 MAC（{code}）：主机的工作密钥与终端不一致，请重新签到",
            "the host rejects our MAC ({code}): its working keys differ from the terminal's, sign on again"
        );
        r = r.with_cause(crate::cause!("host.mac_error"));
    } else if exchange.mac == MacCheck::Mismatch {
        r.status = CheckStatus::Fail;
        r.summary = tr!(
            "主机应答的 MAC 校验不通过：请重新签到",
            "the MAC of the host's response does not verify: sign on again"
        );
        r = r.with_cause(crate::cause!("host.mac_error"));
    } else if resign {
        r.status = CheckStatus::Fail;
        r.summary = tr!(
            "主机要求重新签到（处理要求 = 3）：当前工作密钥已失效",
            "the host asks for a re-sign-on (processing requirement = 3): the working keys are stale"
        );
        r = r.with_cause(crate::cause!("host.resign_on"));
    } else if exchange.mac == MacCheck::Verified {
        r.summary = tr!(
            "工作密钥正确，双向 MAC 校验通过",
            "working keys verify and MACs verify both ways"
        );
    } else {
        r.summary = tr!(
            "工作密钥正确；主机应答未带 MAC",
            "working keys verify; the host's response carried no MAC"
        );
    }
    r
}
