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
use super::tap_events::{event_text, side_word};
use super::tap_output::{Output, Stream};
use crate::drivers::tap::{
    self, SerialTapConfig, TapConfig, TapEvent, TapProtocol, TapStats, TapTotals,
};
use crate::event::{Event, FrameRecord, LinkState};
use crate::i18n::{Lang, Text};
use crate::link::SerialLink;
use crate::proto::iso8583::Dialect;
use crate::session::EventBus;
use crate::txn::{TransactionRecord, TxnTracker};

/// Reads transactions out of the tapped frames for the text and JSONL outputs.
type Outcomes = Arc<Mutex<TxnTracker>>;

pub fn run(global: &GlobalArgs, args: &TapArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let serial = super::tap_serial_cmd::config(args)?;
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
        TapProtocolArg::Concert => TapProtocol::Concert,
    };
    let dialect = match &protocol {
        TapProtocol::Iso8583(d) => (**d).clone(),
        _ => Dialect::default(),
    };
    let channel = protocol.channel();
    let terminal = protocol.terminal().unwrap_or_default();
    let tcp = match (&args.listen, &args.upstream) {
        (Some(listen), Some(upstream)) if serial.is_none() => Some(TapConfig {
            protocol,
            listen: listen.clone(),
            upstream: upstream.clone(),
            allow_remote: args.allow_remote,
            connect_timeout: Duration::from_secs(5),
            decode_inline: false,
            limits: tap::TapLimits {
                max_connections: args.max_connections.max(1),
                idle_timeout: args.idle_timeout,
                half_open_timeout: args.half_open_timeout,
                ..tap::TapLimits::default()
            },
        }),
        _ => None,
    };
    let format = args.format;
    super::runtime()?.block_on(async move {
        // Listening, or both serial ports open, before anything else: a wrong address or port
        // is said at once.
        let (source, title, target) = match (tcp, serial) {
            (Some(config), _) => {
                let listener = tap::bind(&config).await.map_err(CliError::usage)?;
                let title = format!("tap {} → {}", config.listen, config.upstream);
                let target = format!("tcp {}", config.upstream);
                (Source::Tcp(listener, config), title, target)
            }
            (None, Some(config)) => {
                let (ecr, terminal) = super::tap_serial_cmd::open(&config, lang)?;
                let title = format!(
                    "tap ECR {} ⇄ {} ({})",
                    config.ecr.port, config.terminal.port, config.ecr
                );
                let target = format!("serial {}", config.terminal.port);
                (Source::Serial(config, ecr, terminal), title, target)
            }
            (None, None) => {
                return Err(CliError::usage(anyhow::anyhow!(
                    "give --listen and --upstream (TCP), or --serial-ecr and --serial-terminal"
                )))
            }
        };
        let bus = EventBus::new();
        let stats = Arc::new(TapStats::default());
        let (output, printer) = Output::start(stats.clone());
        let ui_events = (format == TapFormat::Tui).then(|| bus.subscribe());
        let outcomes: Outcomes = Arc::new(Mutex::new(
            TxnTracker::new(dialect.clone()).with_terminal(terminal),
        ));
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
            let target = target.clone();
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
                        target: target.clone(),
                        reason: format!("{} {reason}", side_word(*side, Lang::En)),
                    }),
                    TapEvent::PortLost { side, reason, .. } => Some(LinkState::Lost {
                        target: target.clone(),
                        reason: format!("{} {reason}", side_word(*side, Lang::En)),
                    }),
                    TapEvent::PortBack { .. } => Some(LinkState::Connected {
                        target: target.clone(),
                    }),
                    _ => None,
                };
                if let Some(state) = state {
                    bus.emit(Event::Link { channel, state });
                }
            })
        };
        let server = match source {
            Source::Tcp(listener, config) => {
                tokio::spawn(tap::serve(listener, config, frames, events, stats.clone()))
            }
            Source::Serial(config, ecr, terminal) => tokio::spawn(tap::serve_serial(
                config,
                ecr,
                terminal,
                frames,
                events,
                stats.clone(),
            )),
        };
        let watcher = tokio::spawn(watch_losses(stats.clone(), bus.clone()));
        let ended = match ui_events {
            Some(events) => {
                let path = capture.path().to_owned();
                super::tap_tui::run(lang, title, terminal, path, events, bus.clone()).await
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

/// What the tap serves: a listening socket, or two open serial ports.
enum Source {
    Tcp(tokio::net::TcpListener, TapConfig),
    Serial(SerialTapConfig, SerialLink, SerialLink),
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
    let text = if t.complete() {
        crate::tr!(
            "旁路监听：转发 {f} 字节，全部已解码；{h} 字节无法识别，已隐藏",
            "tap: forwarded {f} bytes, all decoded; {h} bytes not understood, hidden"
        )
    } else {
        crate::tr!(
            "旁路监听：转发 {f} 字节（全部原样转发）；{n} 字节未解码（解码跟不上），{d} 条记录未显示或未写入（输出跟不上或超出上限）；{h} 字节无法识别，已隐藏",
            "tap: forwarded {f} bytes (all passed on unchanged); {n} bytes not decoded (decoder behind), {d} records not shown or written (output behind or over the cap); {h} bytes not understood, hidden"
        )
    };
    let lost = t.not_forwarded;
    if lost == 0 {
        return text;
    }
    let more = crate::tr!(
        "；另有 {lost} 字节在另一侧串口缺失时到达，无法转发",
        "; {lost} more bytes arrived while the other side's port was absent and could not be passed on"
    );
    Text::new(text.zh + more.zh, text.en + more.en)
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
