//! The terminal command menu's model: the selected line, the command the selected check's
//! cause suggests (the spec's recovery action), and the command running on the terminal.
//!
//! A command runs until the next notice arrives: the session announces every outcome as one
//! notice, so that notice is its end.

use crate::checks::{CheckResult, CheckStatus};
use crate::session::TerminalCommand;

/// The menu's lines, in order.
pub const MENU: [TerminalCommand; 10] = TerminalCommand::ALL;

#[derive(Debug, Clone, Default)]
pub struct CommandMenu {
    selected: usize,
    running: Option<TerminalCommand>,
}

impl CommandMenu {
    pub fn selected(&self) -> TerminalCommand {
        MENU[self.selected.min(MENU.len() - 1)]
    }

    pub fn selected_index(&self) -> usize {
        self.selected.min(MENU.len() - 1)
    }

    pub fn select(&mut self, command: TerminalCommand) {
        if let Some(i) = MENU.iter().position(|&c| c == command) {
            self.selected = i;
        }
    }

    pub fn move_by(&mut self, down: bool, n: usize) {
        self.selected = if down {
            (self.selected + n).min(MENU.len() - 1)
        } else {
            self.selected.saturating_sub(n)
        };
    }

    /// The command sent and not yet answered.
    pub fn running(&self) -> Option<TerminalCommand> {
        self.running
    }

    pub fn started(&mut self, command: TerminalCommand) {
        self.running = Some(command);
    }

    pub fn finished(&mut self) {
        self.running = None;
    }
}

/// The spec's recovery action for a check that failed or warned, and the cause it is for.
pub fn recovery_for(result: &CheckResult) -> Option<(TerminalCommand, &str)> {
    if !matches!(result.status, CheckStatus::Fail | CheckStatus::Warn) {
        return None;
    }
    result
        .causes
        .iter()
        .find_map(|c| TerminalCommand::recovery_for(c).map(|cmd| (cmd, c.as_str())))
}
