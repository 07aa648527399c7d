//! The terminal protocols posdiag speaks: the tag on every fact and observation a driver
//! reports (so a code is always read in its own protocol's table), and what each adds to the
//! cause vocabulary.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// A payment terminal protocol with a driver.
///
/// Adding one: a variant here, its name, its wrong-peer cause (and a knowledge-base entry for
/// it), a codec in `proto/`, a driver implementing [`super::TerminalDriver`], a simulator.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TerminalProtocol {
    /// ZVT (Zahlungsverkehrsterminal), ECR interface over serial or TCP.
    #[default]
    Zvt,
    /// nexo Retailer (Adyen Terminal API, local): JSON over HTTPS, encrypted with a shared key.
    Nexo,
}

impl TerminalProtocol {
    pub const ALL: [TerminalProtocol; 2] = [TerminalProtocol::Zvt, TerminalProtocol::Nexo];

    /// The protocol's name as users know it ("ZVT"); the same in both languages.
    pub const fn name(self) -> &'static str {
        match self {
            TerminalProtocol::Zvt => "ZVT",
            TerminalProtocol::Nexo => "nexo",
        }
    }

    /// The cause of a peer that answers, but not in this protocol.
    pub const fn wrong_peer_cause(self) -> &'static str {
        self.causes()[0].0
    }

    /// The causes only this protocol names (the rest are shared, in `checks::causes`).
    pub const fn causes(self) -> &'static [(&'static str, Text)] {
        match self {
            TerminalProtocol::Zvt => ZVT_CAUSES,
            TerminalProtocol::Nexo => NEXO_CAUSES,
        }
    }

    /// Every cause id the protocol's driver can name besides [`Self::causes`] (its errors and
    /// its reading of the terminal's state): the knowledge base must explain each. ZVT's are
    /// the checks' own (`checks::causes`).
    pub const fn driver_cause_ids(self) -> &'static [&'static str] {
        match self {
            TerminalProtocol::Zvt => &[],
            TerminalProtocol::Nexo => crate::drivers::nexo::CAUSE_IDS,
        }
    }
}

/// The wrong-peer cause comes first.
const ZVT_CAUSES: &[(&str, Text)] = &[(
    "link.not_zvt",
    Text::fixed(
        "对端不是 ZVT 设备或端口",
        "the peer is not a ZVT device or port",
    ),
)];

/// The wrong-peer cause comes first.
const NEXO_CAUSES: &[(&str, Text)] = &[(
    "link.not_nexo",
    Text::fixed(
        "对端不是 nexo（Adyen Terminal API）终端",
        "the peer is not a nexo (Adyen Terminal API) terminal",
    ),
)];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_protocol_names_its_wrong_peer_cause_first() {
        for p in TerminalProtocol::ALL {
            assert!(p.wrong_peer_cause().starts_with("link."), "{p:?}");
            assert!(!p.name().is_empty());
        }
        assert_eq!(TerminalProtocol::Zvt.wrong_peer_cause(), "link.not_zvt");
        assert_eq!(TerminalProtocol::Nexo.wrong_peer_cause(), "link.not_nexo");
    }
}
