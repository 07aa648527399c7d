//! Named demo scenarios (`posdiag demo --scenario NAME`): a few faults that tell a story a
//! technician meets in a shop, each with what to try in the demo.

use crate::i18n::Text;

/// One scenario: its name, the faults it injects (`--fault` syntax) and its story.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: &'static str,
    pub faults: &'static [&'static str],
    pub story: Text,
}

/// Every scenario, in the order `--help` lists them.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "paper-out",
        faults: &["printer.paper_out"],
        story: Text::fixed(
            "打印机缺纸：在排障页选“打印不出”，按 r 模拟装纸，再按 f 确认修好。",
            "The printer is out of paper: on the Guide tab choose “can't print”, press r to simulate loading paper, then f to confirm the fix.",
        ),
    },
    Scenario {
        name: "declined-51",
        faults: &["host.decline=51"],
        story: Text::fixed(
            "消费被拒 51 余额不足：检查都通过（签到和回响不受影响），交易页做一笔消费，排障页说明原因。",
            "Payments are declined 51 insufficient funds: the checks pass (sign-on and echo are not affected); pay on the Transactions tab, the Guide tab explains.",
        ),
    },
    Scenario {
        name: "printer-failed-after-approval",
        faults: &["txn.receipt_print_fail"],
        story: Text::fixed(
            "批准后打印失败：终端以 96 冲正，小票作废——做一笔消费看时间线。",
            "The printer fails after the approval: the terminal reverses with 96 and the slip is void — pay once and read the timeline.",
        ),
    },
    Scenario {
        name: "needs-init",
        faults: &["terminal.needs_init"],
        story: Text::fixed(
            "终端需要初始化：检查页显示锁定；在排障页选“消费失败”，修复步骤处按 c 打开终端命令、确认发送初始化，再按 f 确认修好。",
            "The terminal needs an initialisation: the Checks tab shows the lock; on the Guide tab choose “payment failed”, at the fix steps press c for the terminal commands and confirm the Initialisation, then f to confirm the fix.",
        ),
    },
    Scenario {
        name: "host-timeout",
        faults: &["host.timeout"],
        story: Text::fixed(
            "主机无应答：消费超时并以 98 冲正——切勿重复收款。",
            "The host does not answer: a payment times out and is reversed with 98 — do not charge again.",
        ),
    },
];

/// The scenario called `name`.
pub fn scenario(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Fault;

    #[test]
    fn every_scenario_parses_and_has_an_entry() {
        for s in SCENARIOS {
            assert!(!s.faults.is_empty(), "{}", s.name);
            for f in s.faults {
                Fault::parse(f).unwrap_or_else(|e| panic!("{}: {e}", s.name));
            }
            assert_eq!(scenario(s.name).map(|x| x.name), Some(s.name));
        }
        assert!(scenario("nothing-like-this").is_none());
    }
}
