//! `posdiag decode zvt|escpos (HEX | --file F)`: explain bytes.

use std::process::ExitCode;

use super::args::{DecodeArgs, DecodeProtocol, ListFormat};
use super::exit::{self, CliError};
use crate::i18n::Lang;

pub fn run(args: &DecodeArgs, lang: Lang) -> Result<ExitCode, CliError> {
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
    match args.protocol {
        DecodeProtocol::Zvt => {
            let explanation = crate::proto::zvt::explain(&bytes).map_err(|e| {
                let t = e.text();
                CliError::failure(anyhow::anyhow!("{}", t.get(lang)))
            })?;
            match args.format {
                ListFormat::Text => {
                    for line in explanation.to_lines(lang) {
                        println!("{line}");
                    }
                }
                ListFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&explanation)
                        .map_err(|e| CliError::failure(anyhow::anyhow!(e)))?
                ),
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
            match args.format {
                ListFormat::Text => {
                    for line in explanation.to_lines(lang) {
                        println!("{line}");
                    }
                }
                ListFormat::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&explanation)
                        .map_err(|e| CliError::failure(anyhow::anyhow!(e)))?
                ),
            }
        }
    }
    if args.query.is_some() && args.protocol != DecodeProtocol::Escpos {
        eprintln!("note: --query applies to escpos only; ignored");
    }
    Ok(exit::OK)
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
