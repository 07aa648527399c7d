//! What the wire carried, as every layer records it: a frame ([`FrameRecord`]) on a
//! [`Channel`] in a [`Direction`], and the state of a link ([`LinkState`]). Drivers produce
//! them; the session puts them on the event bus; captures store them. Here, below drivers,
//! so the layers above can read frames without depending on the event bus.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// Where a driver or the tap hands what it sees (frames, link states) as it happens: the
/// session's bus, or a printer's thread. A sink must never block.
pub type Sink<T> = std::sync::Arc<dyn Fn(T) + Send + Sync>;

/// Which device a frame or state belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// The payment terminal's ECR port (ZVT).
    Terminal,
    /// The receipt printer (ESC/POS).
    Printer,
    /// The acquirer host (ISO 8583).
    Host,
}

impl Channel {
    pub fn label(self) -> Text {
        match self {
            Channel::Terminal => Text::fixed("终端", "terminal"),
            Channel::Printer => Text::fixed("打印机", "printer"),
            Channel::Host => Text::fixed("主机", "host"),
        }
    }
}

/// Direction of bytes as seen from posdiag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// posdiag → device.
    Tx,
    /// device → posdiag.
    Rx,
}

impl Direction {
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Tx => "→",
            Direction::Rx => "←",
        }
    }
}

/// One unit seen on a link: a protocol frame, a single control byte (ACK/NAK), or bytes that
/// could not be framed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameRecord {
    #[serde(with = "crate::proto::serde_fmt::time_ms")]
    pub time: SystemTime,
    pub channel: Channel,
    pub direction: Direction,
    /// Raw bytes as on the wire, with sensitive spans overwritten (same length).
    #[serde(with = "crate::proto::serde_fmt::hex_bytes")]
    pub raw: Vec<u8>,
    /// One-line decoded summary, masked (e.g. "05 01 Status-Enquiry"): English, the protocol
    /// language of logs and captures.
    pub summary: String,
    /// The same summary in Chinese, where the decoder has one (older captures have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_zh: Option<String>,
    /// True when the bytes failed to decode (bad CRC, not ZVT, garbage).
    #[serde(default)]
    pub error: bool,
}

impl FrameRecord {
    /// The summary in `lang`: the Chinese one where there is one, else the English.
    pub fn summary_in(&self, lang: crate::i18n::Lang) -> &str {
        match (lang, &self.summary_zh) {
            (crate::i18n::Lang::Zh, Some(zh)) => zh,
            _ => &self.summary,
        }
    }

    /// Both summaries, from a decoder's [`Text`].
    pub fn set_summary(&mut self, text: &Text) {
        self.summary = text.en.to_string();
        self.summary_zh = (text.zh != text.en).then(|| text.zh.to_string());
    }
}

/// Connection state of one channel, shown as a word and a colour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LinkState {
    Disconnected,
    Connecting {
        target: String,
    },
    Connected {
        target: String,
    },
    /// Open, but the peer does not answer (or answers something we cannot read).
    NoReply {
        target: String,
    },
    /// Was connected, lost it; posdiag is trying to get it back.
    Lost {
        target: String,
        reason: String,
    },
    Failed {
        target: String,
        reason: String,
    },
}

impl LinkState {
    pub fn word(&self) -> Text {
        match self {
            LinkState::Disconnected => Text::fixed("未连接", "DISCONNECTED"),
            LinkState::Connecting { .. } => Text::fixed("连接中", "CONNECTING"),
            LinkState::Connected { .. } => Text::fixed("已连接", "CONNECTED"),
            LinkState::NoReply { .. } => Text::fixed("无应答", "NO REPLY"),
            LinkState::Lost { .. } => Text::fixed("连接丢失", "LINK LOST"),
            LinkState::Failed { .. } => Text::fixed("连接失败", "FAILED"),
        }
    }
}
