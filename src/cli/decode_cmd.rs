//! `posdiag decode zvt|escpos|iso8583 (HEX | --file F) [--query Q] [--profile P] [--from S]`:
//! explain bytes (nexo JSON: `decode_nexo.rs`). Exit 0: the input is valid; 1: explained as far as possible, but invalid;
//! 2: usage error.

use std::process::ExitCode;

use super::args::{DecodeArgs, DecodeProtocol, DecodeSender, ListFormat};
use super::exit::{self, CliError};
use crate::i18n::Lang;

pub fn run(args: &DecodeArgs, lang: Lang) -> Result<ExitCode, CliError> {
    if args.protocol == DecodeProtocol::Nexo {
        return super::decode_nexo::run(args, lang);
    }
    let bytes = match (&args.hex, &args.file) {
        (_, Some(path)) => std::fs::read(path).map_err(|e| {
            CliError::usage(anyhow::anyhow!("cannot read '{}': {e}", path.display()))
        })?,
        (Some(hex), None) => parse_hex(hex).map_err(CliError::usage)?,
        (None, None) => {
            return Err(CliError::usage(anyhow::anyhow!(
                "give HEX bytes or --file F"
            )))
        }
    };
    if args.query.is_some() && args.protocol != DecodeProtocol::Escpos {
        eprintln!("note: --query applies to escpos only; ignored");
    }
    if args.from.is_some() && args.protocol != DecodeProtocol::Zvt {
        eprintln!("note: --from applies to zvt only; ignored");
    }
    match args.protocol {
        DecodeProtocol::Zvt => {
            use crate::proto::zvt::message::Sender;
            let from = args.from.map(|f| match f {
                DecodeSender::Ecr => Sender::Ecr,
                DecodeSender::Pt => Sender::Pt,
            });
            let explanation =
                crate::proto::zvt::explain::explain_from(&bytes, from).map_err(|e| {
                    let t = e.text();
                    CliError::failure(anyhow::anyhow!("{}", t.get(lang)))
                })?;
            print_explanation(&explanation.to_lines(lang), &explanation, args.format)?;
            if !explanation.valid {
                // Explained what could be read; the input itself is broken.
                eprintln!(
                    "{}",
                    match lang {
                        Lang::Zh => "输入无效：见上面以 ! 开头的说明",
                        Lang::En => "the input is invalid: see the lines starting with !",
                    }
                );
                return Ok(exit::code(1));
            }
        }
        DecodeProtocol::Escpos => {
            let query = args
                .query
                .as_deref()
                .map(str::parse::<crate::proto::escpos::Query>)
                .transpose()
                .map_err(|e| CliError::usage(anyhow::anyhow!(e)))?;
            let explanation = crate::proto::escpos::explain(&bytes, query).map_err(|e| {
                let t = e.text();
                CliError::failure(anyhow::anyhow!("{}", t.get(lang)))
            })?;
            print_explanation(&explanation.to_lines(lang), &explanation, args.format)?;
        }
        DecodeProtocol::Iso8583 => return decode_iso8583(args, &bytes, lang),
        // JSON text, not hex: handled before the bytes are read.
        DecodeProtocol::Nexo => return super::decode_nexo::run(args, lang),
    }
    Ok(exit::OK)
}

/// Prints an explanation as text lines or as JSON.
fn print_explanation(
    lines: &[String],
    explanation: &impl serde::Serialize,
    format: ListFormat,
) -> Result<(), CliError> {
    match format {
        ListFormat::Text => {
            for line in lines {
                println!("{line}");
            }
        }
        ListFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(explanation)
                .map_err(|e| CliError::failure(anyhow::anyhow!(e)))?
        ),
    }
    Ok(())
}

/// How the bytes were read: as given, or with the outer parts left out (users paste bodies).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Framing {
    AsGiven,
    WithoutLengthPrefix,
    BodyOnly,
}

impl Framing {
    fn text(self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            Framing::AsGiven => Text::fixed("按配置的完整帧", "full frame as configured"),
            Framing::WithoutLengthPrefix => {
                Text::fixed("不含长度前缀", "without the length prefix")
            }
            Framing::BodyOnly => {
                Text::fixed("仅报文体（从消息类型开始）", "body only (from the MTI on)")
            }
        }
    }
}

fn decode_iso8583(args: &DecodeArgs, bytes: &[u8], lang: Lang) -> Result<ExitCode, CliError> {
    use crate::proto::iso8583::{explain, Dialect, LengthPrefix};
    let dialect = match &args.profile {
        None => Dialect::cup(),
        Some(name) => super::setup::profile_host_dialect(name)?,
    };
    let mut tries = vec![(Framing::AsGiven, dialect.clone())];
    if dialect.length_prefix != LengthPrefix::None {
        let mut d = dialect.clone();
        d.length_prefix = LengthPrefix::None;
        tries.push((Framing::WithoutLengthPrefix, d));
    }
    let mut body = dialect.clone();
    body.length_prefix = LengthPrefix::None;
    body.tpdu.present = false;
    body.monitor_block_len = 0;
    body.header.length = 0;
    body.header.value.0.clear();
    body.header.layout = crate::proto::iso8583::dialect::HeaderLayout::Opaque;
    tries.push((Framing::BodyOnly, body));
    let first = explain(&dialect, bytes);
    let (framing, explanation) = tries
        .iter()
        .map(|(f, d)| (*f, explain(d, bytes)))
        .find(|(_, e)| e.error.is_none())
        .unwrap_or((Framing::AsGiven, first));
    let mut out = String::new();
    match args.format {
        ListFormat::Text => {
            if framing != Framing::AsGiven {
                let label = match lang {
                    Lang::Zh => "解码方式",
                    Lang::En => "decoded as",
                };
                out.push_str(&format!("{label}: {}\n", framing.text().get(lang)));
            }
            for line in explanation.to_lines(lang) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        ListFormat::Json => {
            let mut json = serde_json::to_value(&explanation)
                .map_err(|e| CliError::failure(anyhow::anyhow!(e)))?;
            if let Some(map) = json.as_object_mut() {
                map.insert(
                    "decoded_as".to_owned(),
                    serde_json::to_value(framing.text())
                        .map_err(|e| CliError::failure(anyhow::anyhow!(e)))?,
                );
            }
            out = serde_json::to_string_pretty(&json)
                .map_err(|e| CliError::failure(anyhow::anyhow!(e)))?;
            out.push('\n');
        }
    }
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    Ok(if explanation.error.is_some() {
        exit::code(1)
    } else {
        exit::OK
    })
}

/// Hex with spaces, colons, commas or dashes between bytes and optional `0x` prefixes.
pub fn parse_hex(text: &str) -> anyhow::Result<Vec<u8>> {
    let mut digits = String::new();
    for token in text.split(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '-' | ';')) {
        let token = token
            .strip_prefix("0x")
            .or_else(|| token.strip_prefix("0X"))
            .unwrap_or(token);
        digits.push_str(token);
    }
    if let Some((i, c)) = digits.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
        anyhow::bail!(
            "'{c}' (character {}) is not a hex digit: give bytes like '10 02 05 01 00'",
            i + 1
        );
    }
    if digits.len() % 2 == 1 {
        anyhow::bail!(
            "odd number of hex digits ({}): every byte needs two digits",
            digits.len()
        );
    }
    if digits.is_empty() {
        anyhow::bail!("no bytes given");
    }
    hex::decode(&digits).map_err(|e| anyhow::anyhow!("{e}"))
}
