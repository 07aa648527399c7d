//! Area power: supply voltage and battery, as the terminal reports them.

use super::common::{from_fact, no_answer};
use crate::checks::{Area, CheckResult, CheckSpec};
use crate::drivers::terminal::TerminalProbe;
use crate::i18n::Text;

pub const SUPPLY: CheckSpec = CheckSpec {
    id: "power.supply",
    area: Area::Power,
    title: Text::fixed("供电电压", "supply voltage"),
};

pub const BATTERY: CheckSpec = CheckSpec {
    id: "power.battery",
    area: Area::Power,
    title: Text::fixed("电池", "battery"),
};

pub async fn supply(probe: &TerminalProbe) -> CheckResult {
    match probe.status().await {
        Ok(f) => from_fact(SUPPLY.id, Area::Power, f.power_supply.as_ref(), &f.frames),
        Err(f) => no_answer(SUPPLY.id, Area::Power, f),
    }
}

pub async fn battery(probe: &TerminalProbe) -> CheckResult {
    match probe.status().await {
        Ok(f) => from_fact(BATTERY.id, Area::Power, f.battery.as_ref(), &f.frames),
        Err(f) => no_answer(BATTERY.id, Area::Power, f),
    }
}
