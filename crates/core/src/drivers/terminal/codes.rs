//! Codes a terminal reports (result codes, terminal states), tagged with their protocol: the
//! guide and the verdict compare protocol + code and ask the protocol's driver what a code
//! means, so no table of one protocol is read for another's code.

use serde::{Deserialize, Serialize};

use super::protocol::TerminalProtocol;
use crate::i18n::Text;

/// A code in its protocol's own spelling: "6C" for a ZVT result byte (two hex digits),
/// "Refusal" for a nexo `ErrorCondition` ("Success" for a nexo success).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TerminalCode {
    pub protocol: TerminalProtocol,
    pub code: String,
}

impl TerminalCode {
    /// A code, trimmed; ZVT's hex in upper case (hex compares without regard to case), nexo's
    /// names as the standard spells them.
    pub fn new(protocol: TerminalProtocol, code: &str) -> Self {
        let code = code.trim();
        TerminalCode {
            protocol,
            code: match protocol {
                TerminalProtocol::Zvt => code.to_ascii_uppercase(),
                TerminalProtocol::Nexo | TerminalProtocol::Concert => code.to_owned(),
            },
        }
    }

    /// The knowledge-base causes this result code confirms on its own (`kb/`, `confirm`
    /// with a terminal result and nothing else).
    pub fn confirmed_causes(&self) -> Vec<crate::catalogue::CauseId> {
        match self.protocol {
            TerminalProtocol::Zvt => crate::catalogue::causes::for_zvt_result(&self.code),
            // nexo's ErrorConditions are kb entries of their own (kb/nexo.toml), not `confirm`
            // matchers; the host's refusal reason a nexo answer passes through is confirmed as
            // the host's code.
            TerminalProtocol::Nexo => Vec::new(),
            TerminalProtocol::Concert => {
                crate::drivers::concert::txn_observe::confirmed_causes(&self.code)
            }
        }
    }

    /// What the code means as the result of a command.
    pub fn result_meaning(&self) -> Text {
        match self.protocol {
            TerminalProtocol::Zvt => crate::drivers::zvt::txn_codes::result_meaning(&self.code),
            TerminalProtocol::Nexo => crate::drivers::nexo::txn_observe::code_meaning(&self.code),
            TerminalProtocol::Concert => {
                crate::drivers::concert::txn_observe::code_meaning(&self.code)
            }
        }
    }

    /// What the code means as the terminal's state.
    pub fn status_meaning(&self) -> Text {
        match self.protocol {
            TerminalProtocol::Zvt => crate::drivers::zvt::txn_codes::status_meaning(&self.code),
            TerminalProtocol::Nexo => crate::drivers::nexo::txn_observe::code_meaning(&self.code),
            TerminalProtocol::Concert => {
                crate::drivers::concert::txn_observe::code_meaning(&self.code)
            }
        }
    }

    /// "6C meaning" in both languages.
    pub fn result_text(&self) -> Text {
        let m = self.result_meaning();
        Text::new(
            format!("{} {}", self.code, m.zh),
            format!("{} {}", self.code, m.en),
        )
    }

    /// "BF meaning" in both languages.
    pub fn status_text(&self) -> Text {
        let m = self.status_meaning();
        Text::new(
            format!("{} {}", self.code, m.zh),
            format!("{} {}", self.code, m.en),
        )
    }
}

/// The result of a terminal's answer, with what the driver knows it means for the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TerminalResult {
    pub code: TerminalCode,
    /// The command went through.
    pub success: bool,
    /// The acquirer's response code (ISO 8583 field 39) the terminal passed through, if the
    /// code is one ("51").
    pub host_code: Option<String>,
    /// Not a failure although not a success (a request to repeat): the guide ignores it.
    pub benign: bool,
}

impl TerminalResult {
    /// The code as a response-code column shows it: the host's code where passed through.
    pub fn shown_code(&self) -> String {
        self.host_code
            .clone()
            .unwrap_or_else(|| self.code.code.clone())
    }
}
