//! Area keys: whether the terminal reports its keys loaded, missing, or a security event.
//! Key values are never read; only their presence.

use super::common::{from_fact, no_answer};
use crate::checks::{Area, CheckResult, CheckSpec};
use crate::drivers::terminal::TerminalProbe;
use crate::i18n::Text;

pub const STATE: CheckSpec = CheckSpec {
    id: "keys.state",
    area: Area::Keys,
    title: Text::fixed("密钥状态", "key state"),
};

pub async fn state(probe: &TerminalProbe) -> CheckResult {
    match probe.status().await {
        Ok(f) => from_fact(STATE.id, Area::Keys, f.keys.as_ref(), &f.frames),
        Err(f) => no_answer(STATE.id, Area::Keys, f),
    }
}
