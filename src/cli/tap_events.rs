//! What `posdiag tap` says about its state (listening, a side connected, dropped, a serial port
//! lost and back), in both languages, and how it is printed.

use super::args::TapFormat;
use super::tap_output::{Output, Stream};
use crate::drivers::tap::{TapEvent, TapSide, TapTimeout};
use crate::i18n::{Lang, Text};

pub fn side_word(side: TapSide, lang: Lang) -> &'static str {
    match (side, lang) {
        (TapSide::Client, Lang::Zh) => "客户端",
        (TapSide::Client, Lang::En) => "client",
        (TapSide::Upstream, Lang::Zh) => "上游",
        (TapSide::Upstream, Lang::En) => "upstream",
        (TapSide::Ecr, Lang::Zh) => "收银机侧",
        (TapSide::Ecr, Lang::En) => "ECR side",
        (TapSide::Terminal, Lang::Zh) => "终端侧",
        (TapSide::Terminal, Lang::En) => "terminal side",
    }
}

pub fn event_text(event: &TapEvent) -> Text {
    match event {
        TapEvent::Listening { addr } => crate::tr!("监听 {addr}", "listening on {addr}"),
        TapEvent::ClientConnected { peer } => {
            crate::tr!("客户端已连接：{peer}", "client connected: {peer}")
        }
        TapEvent::UpstreamConnected { addr } => {
            crate::tr!("已连接上游 {addr}", "upstream connected: {addr}")
        }
        TapEvent::UpstreamUnreachable { addr, reason } => crate::tr!(
            "无法连接上游 {addr}：{reason}",
            "upstream {addr} unreachable: {reason}"
        ),
        TapEvent::Dropped { side, reason } => {
            let zh = side_word(*side, Lang::Zh);
            let en = side_word(*side, Lang::En);
            crate::tr!(
                "{zh}断开：{reason}（继续监听）",
                "{en} dropped: {reason} (still listening)"
            )
        }
        TapEvent::PortOpen {
            side,
            port,
            settings,
        } => {
            let zh = side_word(*side, Lang::Zh);
            let en = side_word(*side, Lang::En);
            crate::tr!(
                "{zh}已打开：{port}（{settings}）",
                "{en} open: {port} ({settings})"
            )
        }
        TapEvent::PortLost {
            side,
            port,
            reason,
            retry_ms,
        } => {
            let zh = side_word(*side, Lang::Zh);
            let en = side_word(*side, Lang::En);
            crate::tr!(
                "{zh}丢失：{port}：{reason}（每 {retry_ms} 毫秒重试打开；另一侧照常）",
                "{en} lost: {port}: {reason} (reopening every {retry_ms} ms; the other side goes on)"
            )
        }
        TapEvent::PortBack { side, port } => {
            let zh = side_word(*side, Lang::Zh);
            let en = side_word(*side, Lang::En);
            crate::tr!(
                "{zh}已恢复：{port}（继续转发和解码）",
                "{en} back: {port} (forwarding and decoding again)"
            )
        }
        TapEvent::Refused {
            peer,
            max_connections,
        } => crate::tr!(
            "已拒绝 {peer}：已有 {max_connections} 个连接（上限）；需要更多请用 --max-connections",
            "refused {peer}: {max_connections} connections already open (the cap); raise it with --max-connections"
        ),
        TapEvent::TimedOut { timeout, after } => {
            let after = crate::durations::show(*after);
            match timeout {
                TapTimeout::Idle => crate::tr!(
                    "连接 {after} 无数据，已关闭（--idle-timeout）",
                    "connection silent for {after}, closed (--idle-timeout)"
                ),
                TapTimeout::HalfOpen => crate::tr!(
                    "一方已关闭，另一方 {after} 内未结束，连接已关闭（--half-open-timeout）",
                    "one side closed and the other did not finish within {after}, connection closed (--half-open-timeout)"
                ),
            }
        }
    }
}

impl Output {
    /// A state change: a JSON line on stdout, or a text line on stderr.
    pub fn line_event(&self, event: &TapEvent, format: TapFormat, lang: Lang) {
        let text = event_text(event);
        match format {
            TapFormat::Jsonl => self.line(
                Stream::Out,
                serde_json::json!({ "type": "state", "text": text.get(lang) }).to_string(),
            ),
            TapFormat::Text | TapFormat::Tui => self.line(Stream::Err, text.get(lang).to_string()),
        }
    }
}
