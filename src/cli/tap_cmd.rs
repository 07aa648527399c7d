//! `posdiag tap --protocol iso8583|zvt --listen ADDR --upstream ADDR [--format text|jsonl]`.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use super::args::{GlobalArgs, TapArgs, TapFormat, TapProtocolArg};
use super::exit::{self, CliError};
use super::setup::open_capture;
use crate::drivers::tap::{self, TapConfig, TapEvent, TapProtocol, TapSide};
use crate::event::{Event, FrameRecord, LinkState};
use crate::i18n::{Lang, Text};
use crate::proto::iso8583::Dialect;
use crate::session::EventBus;

pub fn run(global: &GlobalArgs, args: &TapArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let protocol = match args.protocol {
        // The default dialect is the CUP POS dialect.
        TapProtocolArg::Iso8583 => TapProtocol::Iso8583(Box::<Dialect>::default()),
        TapProtocolArg::Zvt => TapProtocol::Zvt,
    };
    let channel = protocol.channel();
    let config = TapConfig {
        protocol,
        listen: args.listen.clone(),
        upstream: args.upstream.clone(),
        allow_remote: args.allow_remote,
        connect_timeout: Duration::from_secs(5),
    };
    let format = args.format;
    super::runtime()?.block_on(async move {
        let listener = tap::bind(&config).await.map_err(CliError::usage)?;
        let bus = EventBus::new();
        let capture = open_capture(
            global,
            "tap",
            &format!("tap {} → {}", config.listen, config.upstream),
            Vec::new(),
            bus.subscribe(),
        )?;
        let frames = {
            let bus = bus.clone();
            Arc::new(move |frame: FrameRecord| {
                print_frame(&frame, format);
                bus.emit(Event::Frame(frame));
            })
        };
        let events = {
            let bus = bus.clone();
            let upstream = config.upstream.clone();
            Arc::new(move |event: TapEvent| {
                print_event(&event, format, lang);
                let state = match &event {
                    TapEvent::UpstreamConnected { addr } => Some(LinkState::Connected {
                        target: format!("tcp {addr}"),
                    }),
                    TapEvent::UpstreamUnreachable { addr, reason } => Some(LinkState::Failed {
                        target: format!("tcp {addr}"),
                        reason: reason.clone(),
                    }),
                    TapEvent::Dropped { side, reason } => Some(LinkState::Lost {
                        target: format!("tcp {upstream}"),
                        reason: format!("{} {reason}", side_word(*side, Lang::En)),
                    }),
                    _ => None,
                };
                if let Some(state) = state {
                    bus.emit(Event::Link { channel, state });
                }
            })
        };
        let server = tokio::spawn(tap::serve(listener, config, frames, events));
        let _ = tokio::signal::ctrl_c().await;
        server.abort();
        bus.close();
        if let Some(path) = capture.finish().await {
            eprintln!(
                "{} {}",
                Text::fixed("抓包已保存：", "capture saved:").get(lang),
                path.display()
            );
        }
        Ok(exit::OK)
    })
}

fn side_word(side: TapSide, lang: Lang) -> &'static str {
    match (side, lang) {
        (TapSide::Client, Lang::Zh) => "客户端",
        (TapSide::Client, Lang::En) => "client",
        (TapSide::Upstream, Lang::Zh) => "上游",
        (TapSide::Upstream, Lang::En) => "upstream",
    }
}

fn print_frame(frame: &FrameRecord, format: TapFormat) {
    let line = match format {
        TapFormat::Jsonl => serde_json::json!({ "type": "frame", "frame": frame }).to_string(),
        TapFormat::Text => format!(
            "{} {}{}",
            frame.direction.arrow(),
            frame.summary,
            if frame.error { "  [!]" } else { "" }
        ),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn print_event(event: &TapEvent, format: TapFormat, lang: Lang) {
    let text = match event {
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
    };
    match format {
        TapFormat::Jsonl => {
            let line = serde_json::json!({ "type": "state", "text": text.get(lang) }).to_string();
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
        TapFormat::Text => eprintln!("{}", text.get(lang)),
    }
}
