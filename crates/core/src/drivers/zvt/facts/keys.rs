//! Keys: E4 device info (1F43 device state, 1F54 key generation) and the secure-module bit
//! of 1F55. Key values are never read; only their presence.

use super::status::Snapshot;
use crate::drivers::terminal::{AreaFact, FactState};
use crate::i18n::Text;
use crate::proto::zvt::device::{DeviceState, LockBit};
use crate::tr;

pub(super) fn keys(s: &Snapshot<'_>) -> AreaFact {
    let d = s.diagnostics;
    let mut fact = match d.device_state {
        None => AreaFact::new(
            FactState::Unknown,
            tr!("终端未报告设备状态（E4/1F43）", "the terminal did not report its device state (E4/1F43)"),
        ),
        Some(DeviceState::NoKeysLoaded) => AreaFact::new(
            FactState::Fault,
            tr!(
                "终端未装载密钥：需要签到或密钥下载（联系收单机构）",
                "no keys loaded in the terminal: it needs a sign-on or key download (contact the acquirer)"
            ),
        )
        .with_cause(crate::cause!("keys.missing")),
        Some(DeviceState::Fraud) => AreaFact::new(
            FactState::Fault,
            tr!(
                "终端报告安全事件：停止使用，联系厂商，切勿自行拆机",
                "the terminal reports a security event: stop using it and contact the vendor; never open it"
            ),
        )
        .with_cause(crate::cause!("keys.fraud")),
        Some(_) => AreaFact::new(
            FactState::Ok,
            tr!("终端报告密钥已装载", "the terminal reports its keys loaded"),
        ),
    };
    if let Some(state) = d.device_state {
        let t = state.text();
        fact = fact.with_evidence_text(
            Text::fixed("设备状态 1F43", "device state 1F43"),
            &Text::new(
                format!("{:02X} {}", state.to_byte(), t.zh),
                format!("{:02X} {}", state.to_byte(), t.en),
            ),
        );
    }
    if let Some(generation) = &d.key_generation {
        fact = fact.with_evidence(
            Text::fixed("密钥版本 1F54", "key generation 1F54"),
            generation.clone(),
        );
    }
    if fact.state == FactState::Ok
        && d.locks
            .as_ref()
            .is_some_and(|l| l.is_set(LockBit::SecureModuleChanged))
    {
        fact.state = FactState::Warn;
        fact.summary = tr!(
            "安全模块已更换：确认是授权维修所为",
            "the secure module was replaced: make sure an authorised repair did it"
        );
        fact = fact.with_cause(crate::cause!("keys.secure_module_changed"));
    }
    fact
}
