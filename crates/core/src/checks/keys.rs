//! Area keys: key state from E4 device info (1F43 device state, 1F54 key generation) and the
//! secure-module bit of 1F55. Key values are never read; only their presence.

use super::common::no_answer;
use super::probe::TerminalProbe;
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::i18n::Text;
use crate::proto::zvt::device::{DeviceState, LockBit};
use crate::tr;

pub const STATE: CheckSpec = CheckSpec {
    id: "keys.state",
    area: Area::Keys,
    title: Text::fixed("密钥状态", "key state"),
};

pub async fn state(probe: &TerminalProbe) -> CheckResult {
    let snapshot = match probe.status().await {
        Ok(s) => s,
        Err(f) => return no_answer(STATE.id, Area::Keys, f),
    };
    let d = &snapshot.diagnostics;
    let id = STATE.id;
    let mut r = match d.device_state {
        None => CheckResult::new(
            id,
            Area::Keys,
            CheckStatus::Skip,
            tr!("终端未报告设备状态（E4/1F43）", "the terminal did not report its device state (E4/1F43)"),
        ),
        Some(DeviceState::NoKeysLoaded) => CheckResult::new(
            id,
            Area::Keys,
            CheckStatus::Fail,
            tr!(
                "终端未装载密钥：需要签到或密钥下载（联系收单机构）",
                "no keys loaded in the terminal: it needs a sign-on or key download (contact the acquirer)"
            ),
        )
        .with_cause("keys.missing"),
        Some(DeviceState::Fraud) => CheckResult::new(
            id,
            Area::Keys,
            CheckStatus::Fail,
            tr!(
                "终端报告安全事件：停止使用，联系厂商，切勿自行拆机",
                "the terminal reports a security event: stop using it and contact the vendor; never open it"
            ),
        )
        .with_cause("keys.fraud"),
        Some(_) => CheckResult::new(
            id,
            Area::Keys,
            CheckStatus::Pass,
            tr!("终端报告密钥已装载", "the terminal reports its keys loaded"),
        ),
    };
    if let Some(state) = d.device_state {
        let t = state.text();
        r = r.with_evidence_text(
            Text::fixed("设备状态 1F43", "device state 1F43"),
            Text::new(
                format!("{:02X} {}", state.to_byte(), t.zh),
                format!("{:02X} {}", state.to_byte(), t.en),
            ),
        );
    }
    if let Some(generation) = &d.key_generation {
        r = r.with_evidence(
            Text::fixed("密钥版本 1F54", "key generation 1F54"),
            generation.clone(),
        );
    }
    if r.status == CheckStatus::Pass
        && d.locks
            .as_ref()
            .is_some_and(|l| l.is_set(LockBit::SecureModuleChanged))
    {
        r.status = CheckStatus::Warn;
        r.summary = tr!(
            "安全模块已更换：确认是授权维修所为",
            "the secure module was replaced: make sure an authorised repair did it"
        );
        r = r.with_cause("keys.secure_module_changed");
    }
    r.frames = snapshot.record.frames.clone();
    r
}
