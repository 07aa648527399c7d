//! The printer's condition combined from a set of replies (docs/protocols/escpos.md §9 table), and
//! presets of the states in §2.6 for the simulator.
//!
//! Every item is `Option<bool>`: `None` means no reply received says anything about it, which
//! is never "OK". DLE EOT (real-time) wins over ASB (sent with a time lag), which wins over GS r
//! (waits behind print data).

use serde::{Deserialize, Serialize};

use super::bits::BitState;
use super::problem::Problem;
use super::reply::Reply;
use crate::i18n::Text;

/// Which level of drawer pin 3 means "drawer open": it depends on the drawer (an idle Epson TM
/// often reads HIGH), so it is configured per site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DrawerOpenLevel {
    High,
    #[default]
    Low,
}

/// What the replies say about the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct PrinterCondition {
    /// EOT1 bit 3, ASB byte 1 bit 3.
    pub offline: Option<bool>,
    /// EOT1 bit 2, ASB byte 1 bit 2, GS r 2 bit 0.
    pub drawer_pin3_high: Option<bool>,
    /// EOT1 bit 5, ASB byte 2 bit 0 (newer models).
    pub waiting_online_recovery: Option<bool>,
    /// EOT1 bit 6, ASB byte 2 bit 1 (newer models).
    pub feed_button_pressed: Option<bool>,
    /// EOT2 bit 2, ASB byte 1 bit 5.
    pub cover_open: Option<bool>,
    /// EOT2 bit 3, ASB byte 1 bit 6.
    pub paper_fed_by_button: Option<bool>,
    /// EOT2 bit 5 (also set when a near-end sensor stops printing, `ESC c 4`).
    pub stopped_by_paper_end: Option<bool>,
    /// EOT2 bit 6.
    pub error_occurred: Option<bool>,
    /// EOT3 bit 2, ASB byte 2 bit 2: recoverable error other than the cutter (jam).
    pub recoverable_error: Option<bool>,
    /// EOT3 bit 3, ASB byte 2 bit 3.
    pub cutter_error: Option<bool>,
    /// EOT3 bit 5, ASB byte 2 bit 5.
    pub unrecoverable_error: Option<bool>,
    /// EOT3 bit 6, ASB byte 2 bit 6: head overheat, or cover opened while printing.
    pub auto_recoverable_error: Option<bool>,
    /// EOT4 bits 2+3, ASB byte 3 bits 0+1, GS r 1 bits 0+1.
    pub paper_near_end: Option<bool>,
    /// EOT4 bits 5+6, ASB byte 3 bits 2+3, GS r 1 bits 2+3; else EOT2 bit 5 as a fallback.
    pub paper_out: Option<bool>,
}

impl PrinterCondition {
    /// Every item known and clear: online, paper adequate, no error, drawer pin 3 LOW.
    pub fn all_clear() -> Self {
        let f = Some(false);
        PrinterCondition {
            offline: f,
            drawer_pin3_high: f,
            waiting_online_recovery: f,
            feed_button_pressed: f,
            cover_open: f,
            paper_fed_by_button: f,
            stopped_by_paper_end: f,
            error_occurred: f,
            recoverable_error: f,
            cutter_error: f,
            unrecoverable_error: f,
            auto_recoverable_error: f,
            paper_near_end: f,
            paper_out: f,
        }
    }

    /// Adds the simulator fault `id` (the cause ids of docs/cli-contract.md) to this condition, as the
    /// bits of the §2.6 table; `None` for an id that is not a printer status fault
    /// (`printer.no_reply` is silence, not a status).
    pub fn with_fault(self, id: &str) -> Option<Self> {
        let mut c = self;
        let t = Some(true);
        match id {
            "printer.paper_near_end" => c.paper_near_end = t,
            "printer.paper_out" => {
                c.offline = t;
                c.stopped_by_paper_end = t;
                c.paper_near_end = t;
                c.paper_out = t;
            }
            "printer.cover_open" => {
                c.offline = t;
                c.cover_open = t;
            }
            "printer.offline" => c.offline = t,
            "printer.cutter_error" => {
                c.offline = t;
                c.error_occurred = t;
                c.cutter_error = t;
            }
            "printer.overheat" => {
                // §2.6 gives only EOT3 = 52; offline + "error occurred" while printing is
                // paused is inferred from the bit tables.
                c.offline = t;
                c.error_occurred = t;
                c.auto_recoverable_error = t;
            }
            "printer.paper_jam" => {
                c.offline = t;
                c.error_occurred = t;
                c.recoverable_error = t;
            }
            "printer.unrecoverable_error" => {
                c.offline = t;
                c.error_occurred = t;
                c.unrecoverable_error = t;
            }
            _ => return None,
        }
        Some(c)
    }

    /// Combines replies: GS r first, then ASB, then DLE EOT, each later source overriding.
    pub fn from_replies<'a>(replies: impl IntoIterator<Item = &'a Reply>) -> Self {
        let replies: Vec<&Reply> = replies.into_iter().collect();
        let mut c = PrinterCondition::default();
        for r in &replies {
            match r {
                Reply::TransmitPaper(p) => {
                    c.paper_near_end = Some(p.near_end().any());
                    c.paper_out = Some(p.paper_end().any());
                }
                Reply::TransmitDrawer(d) => c.drawer_pin3_high = Some(d.drawer_pin3_high()),
                _ => {}
            }
        }
        for r in &replies {
            if let Reply::Asb(a) = r {
                c.drawer_pin3_high = Some(a.drawer_pin3_high());
                c.offline = Some(a.offline());
                c.cover_open = Some(a.cover_open());
                c.paper_fed_by_button = Some(a.paper_fed_by_button());
                c.waiting_online_recovery = Some(a.waiting_online_recovery());
                c.feed_button_pressed = Some(a.feed_button_pressed());
                c.recoverable_error = Some(a.recoverable_error());
                c.cutter_error = Some(a.autocutter_error());
                c.unrecoverable_error = Some(a.unrecoverable_error());
                c.auto_recoverable_error = Some(a.auto_recoverable_error());
                c.paper_near_end = Some(a.near_end().any());
                c.paper_out = Some(a.paper_end().any());
            }
        }
        for r in &replies {
            match r {
                Reply::PrinterStatus(s) => {
                    c.drawer_pin3_high = Some(s.drawer_pin3_high());
                    c.offline = Some(s.offline());
                    c.waiting_online_recovery = Some(s.waiting_online_recovery());
                    c.feed_button_pressed = Some(s.feed_button_pressed());
                }
                Reply::OfflineCause(s) => {
                    c.cover_open = Some(s.cover_open());
                    c.paper_fed_by_button = Some(s.paper_fed_by_button());
                    c.stopped_by_paper_end = Some(s.stopped_by_paper_end());
                    c.error_occurred = Some(s.error_occurred());
                }
                Reply::ErrorCause(s) => {
                    c.recoverable_error = Some(s.recoverable_error());
                    c.cutter_error = Some(s.autocutter_error());
                    c.unrecoverable_error = Some(s.unrecoverable_error());
                    c.auto_recoverable_error = Some(s.auto_recoverable_error());
                }
                Reply::PaperSensor(s) => {
                    c.paper_near_end = Some(s.near_end() != BitState::Clear);
                    c.paper_out = Some(s.paper_end() != BitState::Clear);
                }
                _ => {}
            }
        }
        if c.paper_out.is_none() {
            c.paper_out = c.stopped_by_paper_end;
        }
        c
    }

    /// Whether the drawer is open, given which pin-3 level means open at this site.
    pub fn drawer_open(&self, open_level: DrawerOpenLevel) -> Option<bool> {
        self.drawer_pin3_high
            .map(|high| high == (open_level == DrawerOpenLevel::High))
    }

    /// The failures this condition shows, worst first (near end, a warning, last).
    pub fn problems(&self) -> Vec<Problem> {
        let yes = |v: Option<bool>| v == Some(true);
        let mut out = Vec::new();
        if yes(self.unrecoverable_error) {
            out.push(Problem::UnrecoverableError);
        }
        if yes(self.cutter_error) {
            out.push(Problem::CutterError);
        }
        if yes(self.recoverable_error) {
            out.push(Problem::PaperJam);
        }
        if yes(self.paper_out) {
            out.push(Problem::PaperOut);
        }
        if yes(self.cover_open) {
            out.push(Problem::CoverOpen);
        }
        // With the cover open, the auto-recoverable bit means "cover opened while printing",
        // which CoverOpen already covers.
        if yes(self.auto_recoverable_error) && !yes(self.cover_open) {
            out.push(Problem::Overheat);
        }
        if yes(self.offline) && out.is_empty() {
            out.push(Problem::Offline);
        }
        if yes(self.paper_near_end) && !yes(self.paper_out) {
            out.push(Problem::PaperNearEnd);
        }
        out
    }

    /// One line for a summary: the problems, or "online, no fault", or "unknown".
    pub fn summary(&self) -> Text {
        let problems = self.problems();
        if !problems.is_empty() {
            let zh: Vec<String> = problems.iter().map(|p| p.name().zh.into_owned()).collect();
            let en: Vec<String> = problems.iter().map(|p| p.name().en.into_owned()).collect();
            return Text::new(zh.join("、"), en.join(", "));
        }
        if *self == PrinterCondition::default() {
            return Text::fixed("无状态信息", "no status information");
        }
        match self.offline {
            Some(false) => Text::fixed("联机，无故障", "online, no fault"),
            _ => Text::fixed(
                "未报告故障（联机状态未知）",
                "no fault reported (online state unknown)",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawer_level_is_configurable() {
        let c = PrinterCondition {
            drawer_pin3_high: Some(true),
            ..Default::default()
        };
        assert_eq!(c.drawer_open(DrawerOpenLevel::High), Some(true));
        assert_eq!(c.drawer_open(DrawerOpenLevel::Low), Some(false));
        assert_eq!(
            PrinterCondition::default().drawer_open(DrawerOpenLevel::Low),
            None
        );
    }

    #[test]
    fn cover_open_problem_not_offline() {
        let c = PrinterCondition::all_clear()
            .with_fault("printer.cover_open")
            .unwrap();
        assert_eq!(c.problems(), vec![Problem::CoverOpen]);
        let c = PrinterCondition::all_clear()
            .with_fault("printer.offline")
            .unwrap();
        assert_eq!(c.problems(), vec![Problem::Offline]);
        assert!(PrinterCondition::all_clear()
            .with_fault("printer.no_reply")
            .is_none());
    }
}
