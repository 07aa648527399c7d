//! `posdiag tap --serial-ecr PORT --serial-terminal PORT [--baud N] [--framing 8N2]`: the line
//! settings (the protocol's by default: ZVT 9600 8N2, Concert 9600 7E1) and the first open of
//! both ports, which says at once, naming the port, when one cannot be opened (exit 3).

use std::time::Duration;

use super::args::{TapArgs, TapProtocolArg};
use super::exit::CliError;
use crate::drivers::tap::{open_side, SerialTapConfig, SerialTapError, TapProtocol, TapSide};
use crate::i18n::{Lang, Text};
use crate::link::{SerialLink, SerialSettings};

/// How often a lost port is tried again.
const RETRY: Duration = Duration::from_millis(500);

/// The serial tap's configuration, or `None` when the tap is a TCP proxy.
pub fn config(args: &TapArgs) -> Result<Option<SerialTapConfig>, CliError> {
    let (Some(ecr), Some(terminal)) = (&args.serial_ecr, &args.serial_terminal) else {
        return Ok(None);
    };
    let (protocol, baud, framing) = match args.protocol {
        TapProtocolArg::Zvt => (TapProtocol::ZvtSerial, 9600, "8N2"),
        TapProtocolArg::Concert => (TapProtocol::Concert, 9600, "7E1"),
        TapProtocolArg::Iso8583 => {
            return Err(CliError::usage(anyhow::anyhow!(
                "ISO 8583 is tapped over TCP (--listen/--upstream); the serial tap reads \
                 --protocol zvt or --protocol concert"
            )))
        }
    };
    let short = format!(
        "{} {}",
        args.baud.unwrap_or(baud),
        args.framing.as_deref().unwrap_or(framing)
    );
    let parse = |port: &str| {
        SerialSettings::parse(port, &short)
            .map_err(|e| CliError::usage(anyhow::anyhow!("--baud/--framing: {e}")))
    };
    Ok(Some(SerialTapConfig {
        protocol,
        ecr: parse(ecr)?,
        terminal: parse(terminal)?,
        retry: RETRY,
    }))
}

/// Opens both ports (inside the runtime). A port that cannot be opened ends the tap with one
/// line naming it and what to do, exit 3.
pub fn open(config: &SerialTapConfig, lang: Lang) -> Result<(SerialLink, SerialLink), CliError> {
    let ecr = open_side(TapSide::Ecr, &config.ecr).map_err(|e| cannot_open(e, lang))?;
    let terminal =
        open_side(TapSide::Terminal, &config.terminal).map_err(|e| cannot_open(e, lang))?;
    Ok((ecr, terminal))
}

fn cannot_open(error: SerialTapError, lang: Lang) -> CliError {
    let (message, hint) = (error.source.message(), error.source.hint());
    let port = &error.port;
    let side = match error.side {
        "terminal" => Text::fixed("终端侧", "terminal side"),
        _ => Text::fixed("收银机侧", "cash register side"),
    };
    let line = Text::new(
        format!(
            "无法打开{}串口 {port}：{}。{}",
            side.zh, message.zh, hint.zh
        ),
        format!(
            "cannot open the {} port {port}: {}. {}",
            side.en, message.en, hint.en
        ),
    );
    CliError {
        code: 3,
        error: anyhow::anyhow!("{}", line.get(lang)),
    }
}
