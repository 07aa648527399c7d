//! The printer popup's model: the selected action, the action under way, and the last test
//! receipt.
//!
//! The receipt is read from the print data posdiag sent (a printer frame going out that starts
//! with `ESC @`), rendered the way the simulated printer prints it. So it is the same for a
//! real printer, for the demo (whose simulated printer prints exactly those bytes) and when a
//! capture is replayed. An action runs until the next notice: the session announces every
//! outcome as one notice.

use std::time::SystemTime;

use crate::event::{Channel, Direction, FrameRecord};
use crate::proto::escpos::commands::INITIALISE;
use crate::tui::model::PrinterAction;

/// The last test receipt, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestReceipt {
    /// When posdiag sent it.
    pub time: SystemTime,
    /// The printed lines; the blank lines the paper is fed by before the cut are left out.
    pub lines: Vec<String>,
    /// True when the bytes ended with a cut.
    pub cut: bool,
    /// Bytes sent.
    pub bytes: usize,
}

#[derive(Debug, Clone, Default)]
pub struct PrinterPanel {
    selected: usize,
    running: Option<PrinterAction>,
    last_receipt: Option<TestReceipt>,
}

impl PrinterPanel {
    pub fn selected_index(&self) -> usize {
        self.selected.min(PrinterAction::ALL.len() - 1)
    }

    pub fn selected(&self) -> PrinterAction {
        PrinterAction::ALL[self.selected_index()]
    }

    pub fn move_by(&mut self, down: bool, n: usize) {
        self.selected = if down {
            (self.selected_index() + n).min(PrinterAction::ALL.len() - 1)
        } else {
            self.selected_index().saturating_sub(n)
        };
    }

    /// Takes over `other`'s menu line (a replay rebuilds the state at every step).
    pub fn keep_selection_of(&mut self, other: &PrinterPanel) {
        self.selected = other.selected;
    }

    /// The action sent and not yet answered.
    pub fn running(&self) -> Option<PrinterAction> {
        self.running
    }

    pub fn started(&mut self, action: PrinterAction) {
        self.running = Some(action);
    }

    pub fn finished(&mut self) {
        self.running = None;
    }

    pub fn last_receipt(&self) -> Option<&TestReceipt> {
        self.last_receipt.as_ref()
    }

    /// Notes print data going to the printer as the last test receipt.
    pub fn saw_frame(&mut self, frame: &FrameRecord) {
        if frame.channel != Channel::Printer
            || frame.direction != Direction::Tx
            || !frame.raw.starts_with(&INITIALISE)
        {
            return;
        }
        let printed = crate::proto::escpos::render::render_print_bytes(&frame.raw);
        let mut lines = printed.lines;
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        self.last_receipt = Some(TestReceipt {
            time: frame.time,
            lines,
            cut: printed.cut,
            bytes: frame.raw.len(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::escpos::receipt::{test_receipt, TEST_CHINESE_LINE};

    fn printer_frame(direction: Direction, raw: Vec<u8>) -> FrameRecord {
        FrameRecord {
            time: SystemTime::UNIX_EPOCH,
            channel: Channel::Printer,
            direction,
            raw,
            summary: String::new(),
            error: false,
            summary_zh: None,
        }
    }

    #[test]
    fn print_data_becomes_the_last_receipt_and_status_requests_do_not() {
        let mut panel = PrinterPanel::default();
        panel.saw_frame(&printer_frame(Direction::Tx, vec![0x10, 0x04, 0x01]));
        panel.saw_frame(&printer_frame(Direction::Rx, test_receipt("x")));
        assert!(panel.last_receipt().is_none());
        panel.saw_frame(&printer_frame(Direction::Tx, test_receipt("stamp")));
        let r = panel.last_receipt().expect("receipt");
        assert!(r.cut);
        assert_eq!(r.lines.last().map(String::as_str), Some("stamp"));
        assert!(r.lines.iter().any(|l| l == TEST_CHINESE_LINE));
    }

    #[test]
    fn selection_stays_in_the_menu() {
        let mut panel = PrinterPanel::default();
        panel.move_by(true, 10);
        assert_eq!(panel.selected_index(), PrinterAction::ALL.len() - 1);
        panel.move_by(false, 10);
        assert_eq!(panel.selected(), PrinterAction::TestPrint);
    }
}
