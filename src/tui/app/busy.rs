//! Whether the terminal (or the printer, or a check run) is busy, and with what: a new
//! command, check or transaction waits until it is not, and a refusal says what to wait for.

use super::AppState;
use crate::i18n::Text;

impl AppState {
    /// True while a check or a terminal command runs (quitting then asks first).
    pub fn is_busy(&self) -> bool {
        self.checks.is_running()
            || self.commands.running().is_some()
            || self.printer.running().is_some()
            || self.guide.is_verifying()
            || self.transactions.running().is_some()
    }

    /// What keeps the terminal busy, in a few words ("checks", "Payment (06 01)"), so a refusal
    /// can say what to wait for; `None` when nothing runs.
    pub fn busy_with(&self) -> Option<Text> {
        if let Some(request) = self.transactions.running() {
            return Some(request.name_on(self.transactions.protocol()));
        }
        if let Some(command) = self.commands.running() {
            return Some(command.title());
        }
        if let Some(action) = self.printer.running() {
            return Some(action.title());
        }
        if self.guide.is_verifying() {
            return Some(Text::fixed("排障的修复验证检查", "the guide's fix-check"));
        }
        if self.checks.is_running() {
            return Some(Text::fixed("检查", "checks"));
        }
        None
    }
}
