//! The command line (docs/cli-contract.md): the CLI is the contract, keep these names.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::checks::{Area, UnknownArea};
use crate::i18n::Lang;
use crate::report::OutputFormat;

pub use super::args_decode::{DecodeArgs, DecodeProtocol, DecodeSender};

#[derive(Debug, Parser)]
#[command(
    name = "posdiag",
    version,
    about = "Field diagnostics for card-payment terminals (ZVT terminals, ESC/POS printers, UnionPay hosts)",
    long_about = "posdiag checks a POS terminal over serial or TCP, shows what it says, and captures \
                  everything (card data masked) for support.\n\
                  posdiag 检查串口或网络连接的 POS 终端，显示其状态，并保存（卡号已脱敏）抓包供技术支持回放。",
    after_help = "Environment:\n  \
                  RUST_LOG     what goes into the log file (--log-file), e.g. RUST_LOG=debug or \
                  RUST_LOG=posdiag::drivers=trace; default info\n  \
                  POSDIAG_LOG  the same, and wins over RUST_LOG when both are set\n\
                  环境变量：RUST_LOG（或优先的 POSDIAG_LOG）设置写入日志文件的级别，例如 RUST_LOG=debug。"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Language of the output: zh or en (default from LANG).
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Write the capture to FILE (default: a new file in the data directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub capture: Option<PathBuf>,
    /// Write the tracing log to FILE (default: posdiag.log in the data directory; `decode`
    /// writes a log only when given this).
    #[arg(long, global = true, value_name = "FILE")]
    pub log_file: Option<PathBuf>,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// TUI on the built-in simulated POS.
    Demo(DemoArgs),
    /// TUI on a real terminal, described by a profile.
    Tui(TuiArgs),
    /// Run the checks headless and print a report (exit 0 ok, 1 a check failed, 2 usage or profile error, 3 could not connect).
    Check(CheckArgs),
    /// List serial ports with their USB identity and known driver pitfalls.
    Ports(PortsArgs),
    /// What does this port speak? Read-only probes for ZVT, Concert, ESC/POS, nexo (and ISO 8583 with --iso8583) (exit 0 identified, 1 nothing or only unknown answers, 2 usage, 3 cannot open the port).
    Identify(IdentifyArgs),
    /// Run the simulator alone (loopback only) and print its endpoints.
    Sim(SimArgs),
    /// A transparent proxy that decodes ISO 8583 or ZVT both ways and never alters a byte.
    Tap(TapArgs),
    /// One transaction, headless: payment, reversal of a receipt, abort, end-of-day, repeat receipt (exit 0 approved, 1 any other outcome, 2 usage, 3 could not connect).
    Txn(TxnArgs),
    /// Decode bytes of a protocol and explain them (exit 0 valid input, 1 decoded but the input is invalid, e.g. a wrong CRC or a field that does not decode, 2 usage error).
    Decode(DecodeArgs),
    /// Write a bug-report bundle from a capture: summary.md, the capture, the log, a pcap.
    Report(ReportArgs),
    /// The TUI over a capture, read-only, with a cursor to step through time.
    Replay(ReplayArgs),
    /// Ranked causes and fix steps from a symptom and/or captured evidence, headless.
    Guide(GuideArgs),
    /// List, show or check profiles.
    Profiles {
        #[command(subcommand)]
        action: ProfilesAction,
    },
}

#[derive(Debug, Args)]
pub struct FaultArgs {
    /// Simulator fault to inject, ID[=VALUE] (repeatable), e.g. reader.not_answering, clock.wrong=3h.
    #[arg(long = "fault", value_name = "F")]
    pub faults: Vec<String>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub faults: FaultArgs,
    /// A named story: paper-out, declined-51, printer-failed-after-approval, needs-init,
    /// host-timeout (its faults are added to any --fault).
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// How fast the simulated terminal acts: 1 like a real one (card, PIN and host take
    /// seconds), 0 instantly, 2 half as fast. `check` and `txn` with --demo run at 0.
    #[arg(long, value_name = "F", default_value_t = 1.0)]
    pub pace: f64,
    /// Which simulated terminal the demo runs on: zvt (default) or nexo (Adyen Terminal API).
    #[arg(long, value_enum, default_value_t = DemoTerminal::Zvt)]
    pub terminal: DemoTerminal,
}

/// The terminal a `--demo` runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum DemoTerminal {
    /// The simulated ZVT terminal, with receipt printer and acquirer host (profile `demo`).
    #[default]
    Zvt,
    /// The simulated Adyen terminal: nexo Retailer over HTTPS, encrypted (profile `demo-nexo`).
    Nexo,
}

impl DemoTerminal {
    /// The built-in profile of the demo.
    pub fn profile(self) -> &'static str {
        match self {
            DemoTerminal::Zvt => "demo",
            DemoTerminal::Nexo => "demo-nexo",
        }
    }
}

#[derive(Debug, Args, Default)]
pub struct ConnectArgs {
    /// Profile name or path to a profile TOML file.
    #[arg(long, value_name = "P")]
    pub profile: Option<String>,
    /// Serial port of the terminal (overrides the profile's).
    #[arg(long, value_name = "PORT", conflicts_with = "tcp")]
    pub serial: Option<String>,
    /// HOST:PORT of the terminal over TCP (overrides the profile's).
    #[arg(long, value_name = "HOST:PORT", value_parser = super::addr_arg::parse_tcp_target)]
    pub tcp: Option<String>,
}

#[derive(Debug, Args)]
pub struct TuiArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// Check the built-in simulated POS.
    #[arg(long, conflicts_with_all = ["profile", "serial", "tcp"])]
    pub demo: bool,
    /// With --demo: the simulated terminal, zvt (default) or nexo (Adyen Terminal API).
    #[arg(long, value_enum, default_value_t = DemoTerminal::Zvt, requires = "demo")]
    pub terminal: DemoTerminal,
    #[command(flatten)]
    pub faults: FaultArgs,
    /// Only these areas (comma separated): link, power, printer, reader, terminal, clock, keys, network, host.
    #[arg(long, value_delimiter = ',', value_parser = parse_area)]
    pub only: Vec<Area>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

fn parse_area(s: &str) -> Result<Area, UnknownArea> {
    s.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ListFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct PortsArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("where").required(true).args(["serial", "tcp"])))]
pub struct IdentifyArgs {
    /// Serial port to identify (tries the usual line settings).
    #[arg(long, value_name = "PORT", conflicts_with = "tcp")]
    pub serial: Option<String>,
    /// HOST:PORT to identify over TCP (the port is required).
    #[arg(long, value_name = "HOST:PORT", value_parser = super::addr_arg::parse_host_and_port)]
    pub tcp: Option<String>,
    /// Also send an ISO 8583 echo (0820), for an acquirer host's port.
    #[arg(long)]
    pub iso8583: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct SimArgs {
    #[command(flatten)]
    pub faults: FaultArgs,
    /// Which terminal to simulate: zvt (default), nexo (Adyen Terminal API over HTTPS,
    /// served at https://ADDR/nexo on --terminal-tcp ADDR, e.g. 127.0.0.3:8443) or concert
    /// (Ingenico Concert E/E+ on --terminal-pty and/or --terminal-tcp).
    #[arg(long, value_enum, default_value_t = SimTerminalKind::Zvt)]
    pub terminal: SimTerminalKind,
    /// nexo: the shared key's identifier (the passphrase comes from POSDIAG_NEXO_PASSPHRASE).
    #[arg(long, value_name = "ID")]
    pub nexo_key_id: Option<String>,
    /// nexo: the shared key's version.
    #[arg(long, value_name = "N")]
    pub nexo_key_version: Option<u32>,
    /// Serve the terminal (ZVT over TCP, or Concert with --terminal concert) on ADDR (loopback
    /// only), e.g. 127.0.0.1:20007.
    #[arg(long, value_name = "ADDR")]
    pub terminal_tcp: Option<String>,
    /// Serve the terminal (ZVT serial framing, or Concert with --terminal concert) on a
    /// pseudo-terminal (Unix).
    #[arg(long)]
    pub terminal_pty: bool,
    /// Serve the receipt printer (ESC/POS) over TCP on ADDR (loopback only), e.g. 127.0.0.1:9100.
    #[arg(long, value_name = "ADDR")]
    pub printer_tcp: Option<String>,
    /// Serve the receipt printer (ESC/POS, serial) on a pseudo-terminal (Unix).
    #[arg(long)]
    pub printer_pty: bool,
    /// Serve the acquirer host (ISO 8583, CUP framing) on ADDR (loopback only), e.g. 127.0.0.1:5000.
    #[arg(long, value_name = "ADDR")]
    pub host_tcp: Option<String>,
    /// The acquirer the simulated terminal pays against (default: the simulator's own host),
    /// e.g. a `posdiag tap` in front of it.
    #[arg(long, value_name = "ADDR")]
    pub terminal_host: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// The terminal `posdiag sim` plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimTerminalKind {
    /// ZVT (serial framing or TCP).
    Zvt,
    /// nexo Retailer, Adyen Terminal API (local, HTTPS, encrypted).
    Nexo,
    /// Ingenico Concert, protocol E/E+ (Telium terminals; --terminal-pty and/or --terminal-tcp).
    Concert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TapProtocolArg {
    Iso8583,
    Zvt,
    /// Ingenico Concert (serial tap, or TCP).
    Concert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum TapFormat {
    /// The TUI on the Transactions tab (the default).
    #[default]
    Tui,
    /// One readable line per message, and a line per transaction outcome.
    Text,
    /// One JSON object per message, state change or transaction outcome.
    Jsonl,
}

/// `posdiag tap`: either a TCP proxy (`--listen` + `--upstream`) or a serial tap between two
/// ports (`--serial-ecr` + `--serial-terminal`).
#[derive(Debug, Args)]
pub struct TapArgs {
    #[arg(long, value_enum)]
    pub protocol: TapProtocolArg,
    /// Where clients connect, e.g. 127.0.0.1:5000 (loopback unless --allow-remote).
    #[arg(
        long,
        value_name = "ADDR",
        requires = "upstream",
        required_unless_present = "serial_ecr",
        conflicts_with_all = ["serial_ecr", "serial_terminal"]
    )]
    pub listen: Option<String>,
    /// Where the traffic goes, e.g. the host 10.1.2.3:5000 or the terminal 10.1.2.4:20007.
    #[arg(long, value_name = "ADDR", requires = "listen", value_parser = super::addr_arg::parse_tcp_target)]
    pub upstream: Option<String>,
    /// Serial tap: the port wired to the cash register, e.g. /dev/ttyUSB0.
    #[arg(long, value_name = "PORT", requires = "serial_terminal")]
    pub serial_ecr: Option<String>,
    /// Serial tap: the port wired to the terminal, e.g. /dev/ttyUSB1.
    #[arg(long, value_name = "PORT", requires = "serial_ecr")]
    pub serial_terminal: Option<String>,
    /// Serial tap: baud rate of both lines (default: the protocol's, 9600).
    #[arg(long, value_name = "N", requires = "serial_ecr")]
    pub baud: Option<u32>,
    /// Serial tap: character framing of both lines, e.g. 8N2, 7E1, "8N1 rtscts" (default: the
    /// protocol's, ZVT 8N2, Concert 7E1).
    #[arg(long, value_name = "8N2", requires = "serial_ecr")]
    pub framing: Option<String>,
    /// Listen on a non-loopback address (the tap sees card traffic: masked in every output).
    #[arg(long)]
    pub allow_remote: bool,
    /// Profile whose host dialect frames the ISO 8583 traffic (length prefix, TPDU, header);
    /// default: the CUP POS dialect (2-byte binary length).
    #[arg(long, value_name = "P")]
    pub profile: Option<String>,
    #[arg(long, value_enum, default_value_t = TapFormat::Tui)]
    pub format: TapFormat,
    /// Clients served at once; one more is closed at once and said.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub max_connections: usize,
    /// Close a connection silent both ways this long (e.g. 30m, 1h).
    #[arg(long, value_name = "DURATION", default_value = "1h", value_parser = humantime::parse_duration)]
    pub idle_timeout: std::time::Duration,
    /// After one side closed its half, close the connection if the other has not within this.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = humantime::parse_duration)]
    pub half_open_timeout: std::time::Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TxnAction {
    /// Payment (ZVT 06 01), needs --amount.
    Pay,
    /// Reversal of a receipt (ZVT 06 30), needs --receipt.
    Reverse,
    /// Abort (ZVT 06 B0).
    Abort,
    /// End-of-day (ZVT 06 50): closes the batch, with totals.
    Eod,
    /// Repeat the last receipt (ZVT 06 20): the right move after an unclear outcome.
    RepeatReceipt,
}

#[derive(Debug, Args)]
pub struct TxnArgs {
    #[arg(value_enum)]
    pub action: TxnAction,
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// Run it on the built-in simulated POS.
    #[arg(long, conflicts_with_all = ["profile", "serial", "tcp"])]
    pub demo: bool,
    /// With --demo: the simulated terminal, zvt (default) or nexo (Adyen Terminal API).
    #[arg(long, value_enum, default_value_t = DemoTerminal::Zvt, requires = "demo")]
    pub terminal: DemoTerminal,
    #[command(flatten)]
    pub faults: FaultArgs,
    /// Amount of a payment in the terminal's currency, e.g. 12.34.
    #[arg(long, value_name = "12.34")]
    pub amount: Option<String>,
    /// A synthetic card number for the simulator (refused for a real terminal).
    #[arg(long, value_name = "PAN")]
    pub card: Option<String>,
    /// Receipt number of the payment to reverse.
    #[arg(long, value_name = "N")]
    pub receipt: Option<u16>,
    /// Confirms that you mean it: a real terminal moves real money.
    #[arg(long)]
    pub yes: bool,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The capture file (JSON lines) to report on.
    pub capture: PathBuf,
    /// Folder to write into (default: next to the capture, named after it with "-report").
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The capture file (JSON lines) to replay.
    pub capture: PathBuf,
}

#[derive(Debug, Args)]
pub struct GuideArgs {
    /// What the user reports: payment_failed (消费失败), receipt_not_credited (出小票但未到账),
    /// debited_no_receipt (扣款但无小票), no_power (无法开机), cannot_print (打印不出),
    /// card_not_read (读卡失败), cannot_reach_host (连不上主机), terminal_not_answering.
    #[arg(long, value_name = "S")]
    pub symptom: Option<String>,
    /// A capture to take the evidence from (repeatable: e.g. a check run and a payment).
    #[arg(long = "from", value_name = "CAPTURE")]
    pub from: Vec<PathBuf>,
    /// An answer to one of the guide's questions, QUESTION=ANSWER (repeatable).
    #[arg(long = "answer", value_name = "Q=A")]
    pub answers: Vec<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesAction {
    /// List built-in and user profiles.
    List,
    /// Print a profile as TOML.
    Show { name: String },
    /// Validate a profile file (unknown keys are errors with line and column).
    Check { file: PathBuf },
}
