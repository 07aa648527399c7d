//! The demo's "simulate the repair": the running simulator stops showing a fault, as if the
//! technician had done the fix steps, so the Guide tab's "Fixed?" can pass.

use super::Session;
use crate::i18n::Text;
use crate::tr;

impl Session {
    /// The demo's "simulate the repair": the simulated devices stop showing fault `cause`,
    /// as if the technician had fixed it, so "Fixed?" can pass. What happened, as a notice.
    pub fn simulate_repair(&self, cause: &str) -> Text {
        let Some(sim) = &self.simulated else {
            return tr!(
                "只有演示中才能模拟修复：请在设备上实际修复 {cause}",
                "a repair can only be simulated in the demo: fix {cause} on the device"
            );
        };
        if !sim.devices.has_fault(cause) {
            return tr!(
                "演示中没有注入故障 {cause}：无需修复",
                "the demo has no fault {cause} injected: nothing to repair"
            );
        }
        if sim.devices.repair(cause) {
            tr!(
                "已模拟修复 {cause}：按 f 重新检查",
                "simulated the repair of {cause}: press f to re-run the checks"
            )
        } else {
            tr!(
                "模拟器运行时无法撤销 {cause}：请重新启动演示",
                "the running simulator cannot undo {cause}: restart the demo"
            )
        }
    }
}
