//! Terminal commands run by hand from the TUI's command menu ("live terminals are someone's
//! shop"): automatic checks send only the read-only Status-Enquiry; everything here that
//! changes the terminal, prints, contacts the host or prompts the cardholder is confirmed by
//! the user first (the TUI's job) and is never run on its own.
//!
//! - `catalog`: [`TerminalCommand`], its [`SafetyClass`] and what it does, in both languages
//! - `outcome`: [`CommandOutcome`], what came back, with a one-line bilingual summary
//!
//! The outcome is announced on the bus as an [`Event::Notice`]; its frames have already gone to
//! the Log tab and the capture through the channel.

mod catalog;
mod outcome;

use std::time::Instant;

pub use catalog::{SafetyClass, TerminalCommand, READ_CARD_TIMEOUT_S};
pub use outcome::{CommandEnd, CommandOutcome, Fact};

use super::Session;
use crate::drivers::terminal::TerminalProtocol;
use crate::event::Event;

impl Session {
    /// Runs `command` on the terminal with the profile's password and config byte, announces
    /// the outcome as a notice and returns it. The caller has asked the user first.
    pub async fn run_terminal_command(&self, command: TerminalCommand) -> CommandOutcome {
        let started = Instant::now();
        let mut outcome = match (&self.terminal, &self.profile.terminal) {
            (Some(super::Terminal::Zvt(channel)), Some(settings)) => {
                let message = command.message(self.password(), settings.config_byte);
                match channel.run(&message).await {
                    Ok(record) => CommandOutcome::from_record(command, record),
                    Err(failure) => CommandOutcome::from_failure(command, failure),
                }
            }
            _ if self.terminal_protocol() != TerminalProtocol::Zvt => {
                let protocol = self.terminal_protocol().name();
                CommandOutcome::new(command, CommandEnd::NotZvt { protocol })
            }
            _ => CommandOutcome::new(command, CommandEnd::NoTerminal),
        };
        outcome.duration = started.elapsed();
        self.bus.emit(Event::Notice(outcome.summary()));
        outcome
    }
}
