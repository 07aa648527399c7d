//! One masked line per message for the Log tab and `FrameRecord::summary`, e.g.
//! "0200 sale 12.34 PAN 622588******1234 STAN 000123" or
//! "0210 39=51 余额不足/insufficient funds (C) STAN 000123".

use super::dialect::Dialect;
use super::header::ProcessingRequirement;
use super::message::{decode_partial, DecodedMessage};
use super::transaction::{network_code, TransactionKind};
use crate::i18n::Text;

/// Field 4 (fen) as yuan with two decimals ("000000001234" → "12.34").
pub fn format_amount(fen: &str) -> Option<String> {
    if fen.is_empty() || !fen.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = fen.trim_start_matches('0');
    let padded = format!("{digits:0>3}");
    let split = padded.len().saturating_sub(2);
    let (yuan, cents) = padded.split_at(split);
    Some(format!("{yuan}.{cents}"))
}

/// The summary in both languages.
pub fn summary(m: &DecodedMessage) -> Text {
    Text::new(line(m, Style::Zh), line(m, Style::En))
}

/// The language-neutral log line: English words, meanings of codes as "中文/English".
pub fn summary_line(m: &DecodedMessage) -> String {
    line(m, Style::Mixed)
}

/// Decodes and summarises a frame; an undecodable frame says where decoding stopped.
pub fn summarize(dialect: &Dialect, input: &[u8]) -> Text {
    let partial = decode_partial(dialect, input);
    match (&partial.message, &partial.error) {
        (Some(m), None) => summary(m),
        (Some(m), Some(e)) => {
            let base = summary(m);
            let err = e.text();
            Text::new(
                format!("{} [解码中止：{}]", base.zh, err.zh),
                format!("{} [decoding stopped: {}]", base.en, err.en),
            )
        }
        (None, Some(e)) => {
            let err = e.text();
            Text::new(
                format!("ISO 8583 无法解码：{}", err.zh),
                format!("ISO 8583 undecodable: {}", err.en),
            )
        }
        (None, None) => Text::fixed("ISO 8583 空报文", "ISO 8583 empty message"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Zh,
    En,
    Mixed,
}

impl Style {
    fn pick(self, t: &Text) -> String {
        match self {
            Style::Zh => t.zh.to_string(),
            Style::En => t.en.to_string(),
            Style::Mixed if t.zh == t.en => t.en.to_string(),
            Style::Mixed => format!("{}/{}", t.zh, t.en),
        }
    }

    fn word(self, zh: &'static str, en: &'static str) -> &'static str {
        if self == Style::Zh {
            zh
        } else {
            en
        }
    }
}

fn line(m: &DecodedMessage, style: Style) -> String {
    let mut parts = vec![m.mti.to_string()];
    let kind = m.transaction();
    // Financial responses read best as "0210 39=51 …": the request line already named the kind.
    let financial_response = m.mti.is_response()
        && matches!(m.mti.request().as_str(), "0100" | "0200" | "0220")
        && m.field(39).is_some();
    if kind != TransactionKind::Unknown && !financial_response {
        parts.push(match style {
            Style::Zh => kind.name().zh.to_string(),
            _ => kind.name().en.to_string(),
        });
    }
    if matches!(
        kind,
        TransactionKind::SignOn | TransactionKind::SignOff | TransactionKind::Management
    ) {
        if let Some(code) = network_code(m.str(60)) {
            parts.push(format!("60.3={code}"));
        }
    }
    if let Some(code) = m.response_code() {
        let class = code
            .class
            .map(|c| format!(" ({})", c.letter()))
            .unwrap_or_default();
        parts.push(format!(
            "39={} {}{class}",
            code.code,
            style.pick(&code.meaning)
        ));
    }
    if let Some(amount) = m.str(4).and_then(format_amount) {
        parts.push(amount);
    }
    if let Some(pan) = m.field(2) {
        parts.push(format!("{} {}", style.word("卡号", "PAN"), pan.display()));
    }
    if let Some(stan) = m.str(11) {
        parts.push(format!("{} {stan}", style.word("流水", "STAN")));
    }
    match m.processing_requirement() {
        None | Some(ProcessingRequirement::None) => {}
        Some(p) => parts.push(format!(
            "{}={:X} {}",
            style.word("处理要求", "header"),
            p.nibble(),
            style.pick(&p.text())
        )),
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_yuan() {
        assert_eq!(format_amount("000000001234").as_deref(), Some("12.34"));
        assert_eq!(format_amount("000000000005").as_deref(), Some("0.05"));
        assert_eq!(format_amount("000000000000").as_deref(), Some("0.00"));
        assert_eq!(format_amount("000000100000").as_deref(), Some("1000.00"));
        assert_eq!(format_amount("12a"), None);
    }
}
