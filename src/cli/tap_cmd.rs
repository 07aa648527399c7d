//! `posdiag tap --protocol iso8583|zvt --listen ADDR --upstream ADDR [--profile P]
//! [--format tui|text|jsonl]`.
//!
//! Without `--format` the tap is a TUI on the Transactions tab (`tap_tui.rs`); text and JSONL
//! print every message and, as each transaction settles, its outcome — through a printing
//! thread the tap never waits on (`tap_output.rs`). Output is capped (records per second,
//! capture size); what was skipped is counted and said on screen, in the capture and on exit.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::args::{GlobalArgs, TapArgs, TapFormat, TapProtocolArg};
use super::exit::{self, CliError};
use super::setup::{open_capture_with_dialect, CaptureIncomplete};
use super::tap_output::{Output, Stream};
use crate::drivers::tap::{
    self, TapConfig, TapEvent, TapProtocol, TapSide, TapStats, TapTimeout, TapTotals,
};
use crate::event::{Event, FrameRecord, LinkState};
use crate::i18n::{Lang, Text};
use crate::proto::iso8583::Dialect;
use crate::session::EventBus;
use crate::txn::{TransactionRecord, TxnTracker};

/// Reads transactions out of the tapped frames for the text and JSONL outputs.
type Outcomes = Arc<Mutex<TxnTracker>>;

pub fn run(global: &GlobalArgs, args: &TapArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let protocol = match args.protocol {
        TapProtocolArg::Iso8583 => {
            // The profile's host framing; the CUP POS dialect by default.
            let dialect = match &args.profile {
                Some(name) => super::setup::profile_host_dialect(name)?,
                None => Dialect::default(),
            };
            TapProtocol::Iso8583(Box::new(dialect))
        }
        TapProtocolArg::Zvt => TapProtocol::Zvt,
    };
    let dialect = match &protocol {
        TapProtocol::Iso8583(d) => (**d).clone(),
        TapProtocol::Zvt => Dialect::default(),
    };
    let channel = protocol.channel();
    let config = TapConfig {
        protocol,
        listen: args.listen.clone(),
        upstream: args.upstream.clone(),
        allow_remote: args.allow_remote,
        connect_timeout: Duration::from_secs(5),
        decode_inline: false,
        limits: tap::TapLimits {
            max_connections: args.max_connections.max(1),
            idle_timeout: args.idle_timeout,
            half_open_timeout: args.half_open_timeout,
            ..tap::TapLimits::default()
        },
    };
    let format = args.format;
    super::runtime()?.block_on(async move {
        let listener = tap::bind(&config).await.map_err(CliError::usage)?;
        let bus = EventBus::new();
        let stats = Arc::new(TapStats::default());
        let (output, printer) = Output::start(stats.clone());
        let ui_events = (format == TapFormat::Tui).then(|| bus.subscribe());
        let outcomes: Outcomes = Arc::new(Mutex::new(TxnTracker::new(dialect.clone())));
        let title = format!("tap {} → {}", config.listen, config.upstream);
        let capture = open_capture_with_dialect(
            global,
            "tap",
            &title,
            Vec::new(),
            bus.subscribe(),
            Some(dialect),
        )?;
        let gate = Arc::new(Mutex::new(FrameGate::default()));
        let frames = {
            let bus = bus.clone();
            let outcomes = outcomes.clone();
            let output = output.clone();
            let stats = stats.clone();
            Arc::new(move |frame: FrameRecord| {
                if !gate.lock().is_ok_and(|mut g| g.admit(&frame)) {
                    stats.record_dropped();
                    return;
                }
                if format != TapFormat::Tui {
                    output.line(Stream::Out, frame_line(&frame, format));
                    for line in outcome_lines(&outcomes, Some(&frame), format, lang) {
                        output.line(Stream::Out, line);
                    }
                }
                bus.emit(Event::Frame(frame));
            })
        };
        let events = {
            let bus = bus.clone();
            let upstream = config.upstream.clone();
            let output = output.clone();
            Arc::new(move |event: TapEvent| {
                match format {
                    TapFormat::Tui => bus.emit(Event::Notice(event_text(&event))),
                    _ => output.line_event(&event, format, lang),
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
        let server = tokio::spawn(tap::serve(listener, config, frames, events, stats.clone()));
        let watcher = tokio::spawn(watch_losses(stats.clone(), bus.clone()));
        let ended = match ui_events {
            Some(events) => {
                let path = capture.path().to_owned();
                super::tap_tui::run(lang, title, path, events, bus.clone()).await
            }
            None => {
                let _ = tokio::signal::ctrl_c().await;
                for line in outcome_lines(&outcomes, None, format, lang) {
                    output.line(Stream::Out, line);
                }
                Ok(())
            }
        };
        server.abort();
        watcher.abort();
        let totals = stats.totals();
        let summary = totals_text(&totals);
        // The capture says what the tap could not decode or keep, as the screen did.
        bus.emit(Event::Notice(summary.clone()));
        bus.close();
        // Straight to stderr: the printing thread may be stuck on a stdout nobody reads.
        eprintln!("{}", summary.get(lang));
        let capture_failed = match capture.finish().await {
            Ok(path) => {
                eprintln!(
                    "{} {}",
                    Text::fixed("抓包已保存：", "capture saved:").get(lang),
                    path.display()
                );
                false
            }
            Err(incomplete) => {
                incomplete.report(lang);
                true
            }
        };
        drop(output);
        // Give the printing thread a moment to drain stdout; a reader that never comes back
        // does not keep the tap from ending.
        let _ = tokio::time::timeout(
            Duration::from_secs(1),
            tokio::task::spawn_blocking(move || printer.join()),
        )
        .await;
        ended.map(|()| {
            if capture_failed {
                exit::code(CaptureIncomplete::exit_code(0))
            } else {
                exit::OK
            }
        })
    })
}

/// Records per second the tap shows and writes at most; the rest are counted as dropped.
const MAX_RECORDS_PER_SECOND: u32 = 500;
/// Bytes of frames the tap writes to its capture at most (raw and summary).
const MAX_CAPTURE_BYTES: u64 = 256 * 1024 * 1024;

/// Keeps the tap's output bounded: a rate cap and a capture size cap.
#[derive(Default)]
struct FrameGate {
    window: Option<std::time::Instant>,
    in_window: u32,
    written: u64,
}

impl FrameGate {
    fn admit(&mut self, frame: &FrameRecord) -> bool {
        let now = std::time::Instant::now();
        if self
            .window
            .is_none_or(|w| now.duration_since(w) >= Duration::from_secs(1))
        {
            self.window = Some(now);
            self.in_window = 0;
        }
        let size = u64::try_from(frame.raw.len().saturating_mul(2) + frame.summary.len())
            .unwrap_or(u64::MAX);
        if self.in_window >= MAX_RECORDS_PER_SECOND
            || self.written.saturating_add(size) > MAX_CAPTURE_BYTES
        {
            return false;
        }
        self.in_window += 1;
        self.written = self.written.saturating_add(size);
        true
    }
}

/// Says on screen (and so in the capture) when the tap starts skipping, once a second at most.
async fn watch_losses(stats: Arc<TapStats>, bus: EventBus) {
    let mut shown = TapTotals::default();
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let now = stats.totals();
        if now.not_decoded > shown.not_decoded || now.records_dropped > shown.records_dropped {
            bus.emit(Event::Notice(totals_text(&now)));
            shown = now;
        }
    }
}

/// The tap's totals in both languages.
fn totals_text(t: &TapTotals) -> Text {
    let (f, n, h, d) = (t.forwarded, t.not_decoded, t.hidden, t.records_dropped);
    if t.complete() {
        crate::tr!(
            "旁路监听：转发 {f} 字节，全部已解码；{h} 字节无法识别，已隐藏",
            "tap: forwarded {f} bytes, all decoded; {h} bytes not understood, hidden"
        )
    } else {
        crate::tr!(
            "旁路监听：转发 {f} 字节（全部原样转发）；{n} 字节未解码（解码跟不上），{d} 条记录未显示或未写入（输出跟不上或超出上限）；{h} 字节无法识别，已隐藏",
            "tap: forwarded {f} bytes (all passed on unchanged); {n} bytes not decoded (decoder behind), {d} records not shown or written (output behind or over the cap); {h} bytes not understood, hidden"
        )
    }
}

/// Feeds `frame` (or, with `None`, closes: the tap stopped) and returns a line for each
/// transaction whose outcome changed.
fn outcome_lines(
    outcomes: &Outcomes,
    frame: Option<&FrameRecord>,
    format: TapFormat,
    lang: Lang,
) -> Vec<String> {
    let Ok(mut tracker) = outcomes.lock() else {
        return Vec::new();
    };
    let changed = match frame {
        Some(f) => tracker.feed(f),
        None => tracker.close(),
    };
    let mut lines = Vec::new();
    for id in tracker.newly_settled(&changed) {
        let Some(t) = tracker.get(id) else { continue };
        let record = TransactionRecord::of(t);
        lines.push(match format {
            TapFormat::Jsonl => {
                serde_json::json!({ "type": "transaction", "transaction": record }).to_string()
            }
            _ => format!(
                "= #{} {} {}",
                record.id,
                record.verdict.as_deref().unwrap_or("?"),
                record.banner.get(lang)
            ),
        });
    }
    lines
}

fn side_word(side: TapSide, lang: Lang) -> &'static str {
    match (side, lang) {
        (TapSide::Client, Lang::Zh) => "客户端",
        (TapSide::Client, Lang::En) => "client",
        (TapSide::Upstream, Lang::Zh) => "上游",
        (TapSide::Upstream, Lang::En) => "upstream",
    }
}

fn frame_line(frame: &FrameRecord, format: TapFormat) -> String {
    match format {
        TapFormat::Jsonl => serde_json::json!({ "type": "frame", "frame": frame }).to_string(),
        TapFormat::Text | TapFormat::Tui => format!(
            "{} {}{}",
            frame.direction.arrow(),
            frame.summary,
            if frame.error { "  [!]" } else { "" }
        ),
    }
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
    fn line_event(&self, event: &TapEvent, format: TapFormat, lang: Lang) {
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
