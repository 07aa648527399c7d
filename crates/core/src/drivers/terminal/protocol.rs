//! The terminal protocols posdiag speaks: the tag on every fact and observation a driver
//! reports (so a code is always read in its own protocol's table), and what each adds to the
//! cause vocabulary.

use serde::{Deserialize, Serialize};

use crate::catalogue::CauseId;

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
    /// Ingenico Concert (Telium terminals): ENQ/ACK handshake and fixed-width frames on a
    /// serial line. Transactions are read from a tapped line; no check driver yet.
    Concert,
}

impl TerminalProtocol {
    pub const ALL: [TerminalProtocol; 3] = [
        TerminalProtocol::Zvt,
        TerminalProtocol::Nexo,
        TerminalProtocol::Concert,
    ];

    /// The protocol's name as users know it ("ZVT"); the same in both languages.
    pub const fn name(self) -> &'static str {
        match self {
            TerminalProtocol::Zvt => "ZVT",
            TerminalProtocol::Nexo => "nexo",
            TerminalProtocol::Concert => "Concert",
        }
    }

    /// The cause of a peer that answers, but not in this protocol (its title is in `kb/`).
    pub const fn wrong_peer_cause(self) -> CauseId {
        match self {
            TerminalProtocol::Zvt => crate::cause!("link.not_zvt"),
            TerminalProtocol::Nexo => crate::cause!("link.not_nexo"),
            TerminalProtocol::Concert => crate::cause!("link.not_concert"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_protocol_names_its_wrong_peer_cause_first() {
        for p in TerminalProtocol::ALL {
            assert!(p.wrong_peer_cause().as_str().starts_with("link."), "{p:?}");
            assert!(!p.name().is_empty());
        }
        assert_eq!(TerminalProtocol::Zvt.wrong_peer_cause(), "link.not_zvt");
        assert_eq!(TerminalProtocol::Nexo.wrong_peer_cause(), "link.not_nexo");
        assert_eq!(
            TerminalProtocol::Concert.wrong_peer_cause(),
            "link.not_concert"
        );
    }
}
