//! The areas of a diagnosis (link, power, printer, …): every check and every protocol code that
//! points at a part of the terminal belongs to one. Here, at the bottom, because codecs map
//! their codes to areas and checks group their results by them.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// The areas of docs/cli-contract.md; every check belongs to exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    Link,
    Power,
    Printer,
    Reader,
    Terminal,
    Clock,
    Keys,
    Network,
    Host,
}

impl Area {
    pub const ALL: [Area; 9] = [
        Area::Link,
        Area::Power,
        Area::Printer,
        Area::Reader,
        Area::Terminal,
        Area::Clock,
        Area::Keys,
        Area::Network,
        Area::Host,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Area::Link => "link",
            Area::Power => "power",
            Area::Printer => "printer",
            Area::Reader => "reader",
            Area::Terminal => "terminal",
            Area::Clock => "clock",
            Area::Keys => "keys",
            Area::Network => "network",
            Area::Host => "host",
        }
    }

    pub fn label(self) -> Text {
        match self {
            Area::Link => Text::fixed("链路", "link"),
            Area::Power => Text::fixed("电源", "power"),
            Area::Printer => Text::fixed("打印机", "printer"),
            Area::Reader => Text::fixed("读卡器", "reader"),
            Area::Terminal => Text::fixed("终端", "terminal"),
            Area::Clock => Text::fixed("时钟", "clock"),
            Area::Keys => Text::fixed("密钥", "keys"),
            Area::Network => Text::fixed("网络", "network"),
            Area::Host => Text::fixed("主机", "host"),
        }
    }
}

/// A name that is not one of the areas.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown area '{given}': use one of {}", Area::ALL.map(Area::code).join(", "))]
pub struct UnknownArea {
    pub given: String,
}

impl std::str::FromStr for Area {
    type Err = UnknownArea;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Area::ALL
            .into_iter()
            .find(|a| a.code() == s.trim())
            .ok_or_else(|| UnknownArea {
                given: s.to_owned(),
            })
    }
}
