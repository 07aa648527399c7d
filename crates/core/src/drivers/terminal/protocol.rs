//! Which protocol a terminal speaks: the tag on every fact a driver reports, so a code is
//! always read in its own protocol's table.

use serde::{Deserialize, Serialize};

/// A payment-terminal protocol posdiag has a driver for.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TerminalProtocol {
    /// ZVT (cash register ↔ terminal, docs/zvt.md).
    #[default]
    Zvt,
}

impl TerminalProtocol {
    /// The protocol's name as users know it ("ZVT"), the same in both languages.
    pub fn name(self) -> &'static str {
        match self {
            TerminalProtocol::Zvt => "ZVT",
        }
    }
}
