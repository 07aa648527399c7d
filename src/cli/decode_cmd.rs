//! `posdiag decode zvt|escpos|iso8583|concert (HEX | --file F) [--query Q] [--profile P] [--from S]`:
//! explain bytes (nexo JSON: `decode_nexo.rs`). Exit 0: the input is valid; 1: explained as far as possible, but invalid;
//! 2: usage error.

use std::io::Write as _;
use std::process::ExitCode;

use super::args::{DecodeArgs, DecodeProtocol, DecodeSender, ListFormat};
use super::exit::{self, CliError};
use super::stdout;
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
    if args.protocol == DecodeProtocol::Concert {
        return super::decode_concert::run(&bytes, args.format, lang);
    }
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
            // A long input is a long tree: written node by node, never held whole.
            let mut out = stdout::buffered();
            match args.format {
                ListFormat::Text => explanation
                    .write_lines(lang, &mut out)
                    .map_err(stdout::write_error)?,
                ListFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &explanation)
                        .map_err(|e| stdout::write_error(e.into()))?;
                    out.write_all(b"\n").map_err(stdout::write_error)?;
                }
            }
            out.flush().map_err(stdout::write_error)?;
        }
        DecodeProtocol::Iso8583 => return decode_iso8583(args, &bytes, lang),
        // JSON text, not hex: handled before the bytes are read.
        DecodeProtocol::Nexo => return super::decode_nexo::run(args, lang),
        DecodeProtocol::Concert => return super::decode_concert::run(&bytes, args.format, lang),
    }
    Ok(exit::OK)
}

/// Prints an explanation as text lines or as JSON.
fn print_explanation(
    lines: &[String],
    explanation: &impl serde::Serialize,
    format: ListFormat,
) -> Result<(), CliError> {
    let mut text = String::new();
    match format {
        ListFormat::Text => {
            for line in lines {
                text.push_str(line);
                text.push('\n');
            }
        }
        ListFormat::Json => {
            text = serde_json::to_string_pretty(explanation)
                .map_err(|e| CliError::failure(anyhow::anyhow!(e)))?;
            text.push('\n');
        }
    }
    stdout::print(&text)
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
    stdout::print(&out)?;
    Ok(if explanation.error.is_some() {
        exit::code(1)
    } else {
        exit::OK
    })
}

/// Hex with spaces, colons, commas, semicolons or dashes between bytes and optional `0x`
/// prefixes. Each group between separators is read on its own: two digits per byte
/// (`100203` → 10 02 03), or one digit for one byte (`10 0 2` → 10 00 02); digits are never
/// joined across a separator.
pub fn parse_hex(text: &str) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let groups = text
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '-' | ';'))
        .filter(|g| !g.is_empty());
    for (n, group) in groups.enumerate() {
        let digits = group
            .strip_prefix("0x")
            .or_else(|| group.strip_prefix("0X"))
            .unwrap_or(group);
        if let Some(c) = digits.chars().find(|c| !c.is_ascii_hexdigit()) {
            anyhow::bail!(
                "'{c}' in group {} ('{group}') is not a hex digit: give bytes like '10 02 05 01 00'",
                n + 1
            );
        }
        match digits.len() {
            0 => anyhow::bail!("group {} ('{group}') has no digits after 0x", n + 1),
            1 => bytes.push(u8::from_str_radix(digits, 16)?),
            len if len % 2 == 1 => anyhow::bail!(
                "group {} ('{group}') has an odd number of hex digits ({len}): write each byte as two digits, or separate single-digit bytes",
                n + 1
            ),
            _ => bytes.extend(hex::decode(digits)?),
        }
    }
    if bytes.is_empty() {
        anyhow::bail!("no bytes given");
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::parse_hex;

    #[test]
    fn hex_is_read_group_by_group() {
        let ok = |t: &str| parse_hex(t).unwrap_or_else(|e| panic!("{t}: {e}"));
        // Issue 16: digits are never joined across a separator.
        assert_eq!(ok("10 0 2"), [0x10, 0x00, 0x02]);
        assert_eq!(ok("10 02"), [0x10, 0x02]);
        assert_eq!(ok("100205"), [0x10, 0x02, 0x05]);
        assert_eq!(ok("0x10,0x2;A-0b"), [0x10, 0x02, 0x0A, 0x0B]);
        assert_eq!(ok(" 10:02 \n 03 "), [0x10, 0x02, 0x03]);
        for (bad, says) in [
            ("10 020", "odd number"),
            ("10 0G", "not a hex digit"),
            ("0x", "no digits"),
            ("", "no bytes"),
            ("  ,  ", "no bytes"),
        ] {
            let e = parse_hex(bad).expect_err(bad).to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
