//! `posdiag decode concert (HEX | --file F)`: explains Ingenico Concert E/E+ bytes — handshake
//! bytes, requests and answers field by field — with card data masked. Exit 0: valid; 1: a
//! frame is cut, fails its LRC or does not decode, or there are bytes that are not Concert.

use std::process::ExitCode;

use super::args::ListFormat;
use super::exit::{self, CliError};
use super::stdout;
use crate::i18n::Lang;

pub fn run(bytes: &[u8], format: ListFormat, lang: Lang) -> Result<ExitCode, CliError> {
    let explanation = crate::proto::concert::explain(bytes);
    let mut text = String::new();
    match format {
        ListFormat::Text => {
            for line in explanation.to_lines(lang) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        ListFormat::Json => {
            text = serde_json::to_string_pretty(&explanation)
                .map_err(|e| CliError::failure(anyhow::anyhow!(e)))?;
            text.push('\n');
        }
    }
    stdout::print(&text)?;
    if !explanation.valid {
        eprintln!(
            "{}",
            match lang {
                Lang::Zh => "输入无效：见上面以 ! 开头的说明",
                Lang::En => "the input is invalid: see the lines starting with !",
            }
        );
        return Ok(exit::code(1));
    }
    Ok(exit::OK)
}
