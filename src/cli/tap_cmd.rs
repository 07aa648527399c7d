//! `posdiag tap --protocol iso8583|zvt --listen ADDR --upstream ADDR [--format tui|text|jsonl]`.
//!
//! Without `--format` the tap is a TUI on the Transactions tab (`tap_tui.rs`); text and JSONL
//! print every message and, as each transaction settles, its outcome.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::args::{GlobalArgs, TapArgs, TapFormat, TapProtocolArg};
use super::exit::{self, CliError};
use super::setup::open_capture;
use crate::drivers::tap::{self, TapConfig, TapEvent, TapProtocol, TapSide};
use crate::event::{Event, FrameRecord, LinkState};
use crate::i18n::{Lang, Text};
use crate::proto::iso8583::Dialect;
use crate::session::EventBus;
use crate::txn::{TransactionRecord, TxnTracker};

/// Reads transactions out of the tapped frames for the text and JSONL outputs.
type Outcomes = Arc<Mutex<TxnTracker>>;

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
        let ui_events = (format == TapFormat::Tui).then(|| bus.subscribe());
        let outcomes: Outcomes = Arc::new(Mutex::new(TxnTracker::new(Dialect::default())));
        let title = format!("tap {} → {}", config.listen, config.upstream);
        let capture = open_capture(global, "tap", &title, Vec::new(), bus.subscribe())?;
        let frames = {
            let bus = bus.clone();
            let outcomes = outcomes.clone();
            Arc::new(move |frame: FrameRecord| {
                if format != TapFormat::Tui {
                    print_frame(&frame, format);
                    print_outcomes(&outcomes, Some(&frame), format, lang);
                }
                bus.emit(Event::Frame(frame));
            })
        };
        let events = {
            let bus = bus.clone();
            let upstream = config.upstream.clone();
            Arc::new(move |event: TapEvent| {
                match format {
                    TapFormat::Tui => bus.emit(Event::Notice(event_text(&event))),
                    _ => print_event(&event, format, lang),
                }
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
        let ended = match ui_events {
            Some(events) => {
                let path = capture.path().to_owned();
                super::tap_tui::run(lang, title, path, events, bus.clone()).await
            }
            None => {
                let _ = tokio::signal::ctrl_c().await;
                print_outcomes(&outcomes, None, format, lang);
                Ok(())
            }
        };
        server.abort();
        bus.close();
        if let Some(path) = capture.finish().await {
            eprintln!(
                "{} {}",
                Text::fixed("抓包已保存：", "capture saved:").get(lang),
                path.display()
            );
        }
        ended.map(|()| exit::OK)
    })
}

/// Feeds `frame` (or, with `None`, closes: the tap stopped) and prints the transactions
/// whose outcome changed.
fn print_outcomes(outcomes: &Outcomes, frame: Option<&FrameRecord>, format: TapFormat, lang: Lang) {
    let Ok(mut tracker) = outcomes.lock() else {
        return;
    };
    let changed = match frame {
        Some(f) => tracker.feed(f),
        None => tracker.close(),
    };
    let mut out = std::io::stdout().lock();
    for id in tracker.newly_settled(&changed) {
        let Some(t) = tracker.get(id) else { continue };
        let record = TransactionRecord::of(t);
        let line = match format {
            TapFormat::Jsonl => {
                serde_json::json!({ "type": "transaction", "transaction": record }).to_string()
            }
            _ => format!(
                "= #{} {} {}",
                record.id,
                record.verdict.as_deref().unwrap_or("?"),
                record.banner.get(lang)
            ),
        };
        let _ = writeln!(out, "{line}");
    }
    let _ = out.flush();
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
        TapFormat::Text | TapFormat::Tui => format!(
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

fn event_text(event: &TapEvent) -> Text {
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
    }
}

fn print_event(event: &TapEvent, format: TapFormat, lang: Lang) {
    let text = event_text(event);
    match format {
        TapFormat::Jsonl => {
            let line = serde_json::json!({ "type": "state", "text": text.get(lang) }).to_string();
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
        TapFormat::Text | TapFormat::Tui => eprintln!("{}", text.get(lang)),
    }
}
