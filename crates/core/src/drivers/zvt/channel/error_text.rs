//! What a failed terminal command means, in both languages (for checks, commands and logs).

use std::time::Duration;

use super::ChannelError;
use crate::drivers::zvt::{TransportError, ZvtError};
use crate::i18n::Text;
use crate::proto::zvt::result_code;
use crate::tr;

fn result_code_text(code: u8) -> Text {
    let info = result_code(code);
    Text::new(
        format!("{code:02X} {}", info.text.zh),
        format!("{code:02X} {}", info.text.en),
    )
}

impl ChannelError {
    /// What went wrong and what to check, in both languages.
    pub fn text(&self) -> Text {
        let error = self;
        let span = |d: &Duration| crate::durations::show(*d);
        match error {
        ChannelError::Link(e) => {
            let (m, h) = (e.message(), e.hint());
            Text::new(
                format!("{}；{}", m.zh, h.zh),
                format!("{} — {}", m.en, h.en),
            )
        }
        ChannelError::Zvt(ZvtError::NoAcknowledgement { t3 }) => {
            let t = span(t3);
            tr!(
                "终端在 T3（{t}）内没有确认命令",
                "the terminal did not acknowledge the command within T3 ({t})"
            )
        }
        ChannelError::Zvt(ZvtError::NoCompletion { t4, .. }) => {
            let t = span(t4);
            tr!(
                "终端在 T4（{t}）内没有结束命令",
                "the terminal did not finish the command within T4 ({t})"
            )
        }
        ChannelError::Zvt(ZvtError::Refused { result_code }) => {
            let t = result_code_text(*result_code);
            Text::new(format!("终端拒绝：{}", t.zh), format!("refused: {}", t.en))
        }
        ChannelError::Zvt(ZvtError::Encode(why))
        | ChannelError::Zvt(ZvtError::Transport(TransportError::Encode(why))) => {
            tr!("无法编码命令：{why}", "cannot encode the command: {why}")
        }
        ChannelError::Zvt(ZvtError::Transport(t)) => match t {
            TransportError::Timeout { waited } => {
                let w = span(waited);
                tr!("{w} 内没有应答", "no answer within {w}")
            }
            TransportError::NoAck { attempts, t2, .. } => {
                let t = span(t2);
                tr!(
                    "终端在 {attempts} 次尝试后仍未确认数据块（T2 {t}）：检查线缆和串口设置",
                    "the terminal did not acknowledge the block after {attempts} attempts (T2 {t}): check the cable and serial settings"
                )
            }
            TransportError::Closed { .. } => Text::fixed(
                "链路已断开（对端关闭了连接或设备被拔出）；posdiag 会自动重连",
                "the link closed (the peer closed the connection or the device was unplugged); posdiag reconnects by itself",
            ),
            TransportError::Io(e) => tr!("链路错误：{e}", "link error: {e}"),
            TransportError::Encode(_) => Text::fixed("无法编码命令", "cannot encode the command"),
        },
    }
    }
}
