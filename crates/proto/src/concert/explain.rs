//! Explains a Concert byte stream for `posdiag decode concert` and the logs: each handshake
//! byte, each request and answer field by field, card data masked, and what is wrong with a
//! frame that does not check out. Bytes that were not understood are counted, never echoed.

use serde::Serialize;

use super::answer::Answer;
use super::fields::{currency_name, format_amount, payment_mode_name};
use super::frame::{decode_frame, encode_frame, tokenize, FrameError, Token, ETX};
use super::mask::MaskedRepport;
use super::request::{
    authorization_name, delay_name, transaction_type_name, Request, REQUEST_LEN_E,
    REQUEST_LEN_E_PLUS,
};
use super::result::Outcome;
use crate::i18n::{Lang, Text};
use crate::redact::mask_text_digits_str;
use crate::tr;

/// One piece of the stream, explained.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    Control {
        name: &'static str,
        meaning: Text,
    },
    Request {
        lrc_ok: bool,
        protocol: &'static str,
        pos: String,
        amount: String,
        answer_form: &'static str,
        payment_mode: String,
        payment_mode_name: Text,
        transaction_type: String,
        transaction_type_name: Text,
        currency: String,
        currency_name: &'static str,
        private: String,
        delay: Option<String>,
        delay_name: Option<Text>,
        authorization: Option<String>,
        authorization_name: Option<Text>,
    },
    Answer {
        lrc_ok: bool,
        form: &'static str,
        pos: String,
        result: String,
        outcome: Outcome,
        meaning: Text,
        amount: String,
        payment_mode: String,
        payment_mode_name: Text,
        repport: Option<MaskedRepport>,
        currency: String,
        currency_name: &'static str,
        private: String,
    },
    /// A frame whose body is no request or answer, or whose LRC is wrong and could not be read.
    BadFrame {
        body_len: usize,
        error: Text,
    },
    /// A frame that never ended.
    Cut {
        body_len: usize,
    },
    /// Bytes outside any frame that are no handshake byte (not shown: they were not understood).
    Noise {
        len: usize,
    },
}

/// The explanation of a whole input.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// False when any frame is cut, fails its LRC, or does not decode, or there is noise.
    pub valid: bool,
    pub items: Vec<Item>,
}

fn form_name(full: bool) -> &'static str {
    if full {
        "full"
    } else {
        "short"
    }
}

fn explain_request(r: &Request, lrc_ok: bool) -> Item {
    let e = r.e_plus.as_ref();
    Item::Request {
        lrc_ok,
        protocol: if e.is_some() { "E+" } else { "E" },
        pos: r.pos.clone(),
        amount: format_amount(r.amount_cents),
        answer_form: form_name(r.answer_form == super::AnswerForm::Full),
        payment_mode: char::from(r.payment_mode).to_string(),
        payment_mode_name: payment_mode_name(r.payment_mode),
        transaction_type: char::from(r.transaction_type).to_string(),
        transaction_type_name: transaction_type_name(r.transaction_type),
        currency: r.currency.clone(),
        currency_name: currency_name(&r.currency),
        private: mask_text_digits_str(&r.private),
        delay: e.map(|e| e.delay.clone()),
        delay_name: e.map(|e| delay_name(&e.delay)),
        authorization: e.map(|e| e.authorization.clone()),
        authorization_name: e.map(|e| authorization_name(&e.authorization)),
    }
}

fn explain_answer(a: &Answer, lrc_ok: bool) -> Item {
    Item::Answer {
        lrc_ok,
        form: form_name(a.repport.is_some()),
        pos: a.pos.clone(),
        result: a.result.as_char().to_string(),
        outcome: a.result.outcome(),
        meaning: a.result.meaning(),
        amount: format_amount(a.amount_cents),
        payment_mode: char::from(a.payment_mode).to_string(),
        payment_mode_name: payment_mode_name(a.payment_mode),
        repport: a.masked_repport(),
        currency: a.currency.clone(),
        currency_name: currency_name(&a.currency),
        private: mask_text_digits_str(&a.private),
    }
}

/// Reads a frame body as a request or an answer, by its length.
pub fn explain_body(body: &[u8], lrc_ok: bool) -> Item {
    let decoded = match body.len() {
        REQUEST_LEN_E | REQUEST_LEN_E_PLUS => {
            Request::decode_body(body).map(|r| explain_request(&r, lrc_ok))
        }
        _ => Answer::decode_body(body).map(|a| explain_answer(&a, lrc_ok)),
    };
    decoded.unwrap_or_else(|e| Item::BadFrame {
        body_len: body.len(),
        error: e.text(),
    })
}

/// Explains a stream: handshake bytes and frames, in order.
pub fn explain(bytes: &[u8]) -> Explanation {
    let mut valid = !bytes.is_empty();
    let items = tokenize(bytes)
        .into_iter()
        .map(|token| match token {
            Token::Control(c) => Item::Control {
                name: c.name(),
                meaning: c.meaning(),
            },
            Token::Frame { body, lrc, lrc_ok } => {
                if !lrc_ok {
                    valid = false;
                }
                let item = explain_body(&body, lrc_ok);
                if matches!(item, Item::BadFrame { .. }) {
                    valid = false;
                }
                if lrc_ok {
                    return item;
                }
                // The fields may be read, but the check failed: say so first.
                let expected = encode_frame(&body).last().copied().unwrap_or(ETX);
                match item {
                    Item::BadFrame { body_len, error } => Item::BadFrame {
                        body_len,
                        error: Text::new(
                            format!(
                                "{}；{}",
                                FrameError::Lrc { got: lrc, expected }.text().zh,
                                error.zh
                            ),
                            format!(
                                "{}; {}",
                                FrameError::Lrc { got: lrc, expected }.text().en,
                                error.en
                            ),
                        ),
                    },
                    other => other,
                }
            }
            Token::Cut { body_len } => {
                valid = false;
                Item::Cut { body_len }
            }
            Token::Noise(n) => {
                valid = false;
                Item::Noise { len: n.len() }
            }
        })
        .collect();
    Explanation { valid, items }
}

/// Checks that `bytes` are exactly one good frame (for callers that need the strict form).
pub fn single_frame(bytes: &[u8]) -> Result<Item, FrameError> {
    decode_frame(bytes).map(|body| explain_body(body, true))
}

/// The answer form as a technician reads it (the JSON keeps `full` / `short`).
fn form_text(form: &str) -> Text {
    match form {
        "full" => Text::fixed("完整（含卡数据）", "full"),
        _ => Text::fixed("简短", "short"),
    }
}

fn ok_mark(lrc_ok: bool) -> &'static str {
    if lrc_ok {
        "LRC OK"
    } else {
        "! LRC"
    }
}

impl Item {
    /// Lines for a technician in `lang`.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let l = |t: Text| t.get(lang).to_owned();
        match self {
            Item::Control { name, meaning } => vec![format!("{name}  {}", meaning.get(lang))],
            Item::Request {
                lrc_ok,
                protocol,
                pos,
                amount,
                answer_form,
                payment_mode,
                payment_mode_name,
                transaction_type,
                transaction_type_name,
                currency,
                currency_name,
                private,
                delay,
                delay_name,
                authorization,
                authorization_name,
            } => {
                let mut v = vec![
                    l(tr!(
                        "请求（协议 {protocol}，{}）",
                        "request (protocol {protocol}, {})",
                        ok_mark(*lrc_ok)
                    )),
                    l(tr!("  收银台号 {pos}", "  POS number {pos}")),
                    l(tr!("  金额 {amount} {currency_name}", "  amount {amount} {currency_name}")),
                    format!(
                        "  {} {}",
                        l(Text::fixed("应答格式", "answer form")),
                        form_text(answer_form).get(lang)
                    ),
                    format!("  {} {payment_mode} {}", l(Text::fixed("支付方式", "payment mode")), payment_mode_name.get(lang)),
                    format!("  {} {transaction_type} {}", l(Text::fixed("交易类型", "transaction type")), transaction_type_name.get(lang)),
                    format!("  {} {currency}", l(Text::fixed("币种", "currency"))),
                    format!("  {} '{private}'", l(Text::fixed("私有数据", "private data"))),
                ];
                if let (Some(d), Some(dn)) = (delay, delay_name) {
                    v.push(format!("  {} {d} {}", l(Text::fixed("应答时机", "delay")), dn.get(lang)));
                }
                if let (Some(a), Some(an)) = (authorization, authorization_name) {
                    v.push(format!("  {} {a} {}", l(Text::fixed("授权", "authorisation")), an.get(lang)));
                }
                v
            }
            Item::Answer {
                lrc_ok,
                form,
                pos,
                result,
                meaning,
                amount,
                payment_mode,
                payment_mode_name,
                repport,
                currency,
                currency_name,
                private,
                ..
            } => {
                let mut v = vec![
                    {
                        let f = form_text(form);
                        let mark = ok_mark(*lrc_ok);
                        l(Text::new(
                            format!("终端应答（{}，{mark}）", f.zh),
                            format!("terminal answer ({}, {mark})", f.en),
                        ))
                    },
                    l(tr!("  收银台号 {pos}", "  POS number {pos}")),
                    format!("  {} {result} {}", l(Text::fixed("结果", "result")), meaning.get(lang)),
                    l(tr!("  金额 {amount} {currency_name}", "  amount {amount} {currency_name}")),
                    format!("  {} {payment_mode} {}", l(Text::fixed("支付方式", "payment mode")), payment_mode_name.get(lang)),
                ];
                if let Some(rep) = repport {
                    v.push(format!("  {} {}", l(Text::fixed("卡数据（repport，已遮蔽）", "card data (repport, masked)")), rep.display()));
                }
                v.push(format!("  {} {currency}", l(Text::fixed("币种", "currency"))));
                v.push(format!("  {} '{private}'", l(Text::fixed("私有数据", "private data"))));
                v
            }
            Item::BadFrame { body_len, error } => vec![l(tr!(
                "! 帧（{body_len} 字节）：{}",
                "! frame ({body_len} bytes): {}",
                error.get(lang)
            ))],
            Item::Cut { body_len } => vec![l(tr!(
                "! 帧不完整：{body_len} 字节后数据结束（缺 ETX 或 LRC）",
                "! frame cut short: the data ends after {body_len} bytes (no ETX or LRC)"
            ))],
            Item::Noise { len } => vec![l(tr!(
                "! {len} 字节不是 Concert 数据（未显示；波特率/校验位错误或其他协议？）",
                "! {len} bytes that are not Concert (not shown; wrong baud rate/parity or another protocol?)"
            ))],
        }
    }
}

impl Explanation {
    pub fn to_lines(&self, lang: Lang) -> Vec<String> {
        self.items.iter().flat_map(|i| i.lines(lang)).collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_exchange_reads_in_order_with_the_card_masked() {
        let mut bytes = vec![0x05, 0x06];
        bytes.extend(Request::card_debit(1, 1250, "978").to_frame().unwrap());
        bytes.extend([0x06, 0x04, 0x05, 0x06]);
        let rep = format!("{:<55}", "6200000000000005");
        let body = format!("010000012501{rep}9780000000042");
        bytes.extend(encode_frame(body.as_bytes()));
        bytes.extend([0x06, 0x04]);
        let e = explain(&bytes);
        assert!(e.valid);
        let text = e.to_lines(Lang::En).join("\n");
        assert!(text.contains("amount 12.50 EUR"), "{text}");
        assert!(text.contains("620000******0005"), "{text}");
        assert!(!text.contains("6200000000000005"));
        assert!(e.to_lines(Lang::Zh).join("\n").contains("交易成功"));
        let json = serde_json::to_string(&e).unwrap();
        assert!(!json.contains("6200000000000005"));
    }

    #[test]
    fn bad_lrc_and_noise_make_it_invalid() {
        let mut frame = Request::card_debit(1, 1250, "978").to_frame().unwrap();
        let last = frame.len() - 1;
        frame[last] ^= 0x20;
        let e = explain(&frame);
        assert!(!e.valid);
        assert!(e.to_lines(Lang::En)[0].contains("! LRC"));
        let e = explain(&[0x41, 0x42]);
        assert!(!e.valid);
        assert!(!e.to_lines(Lang::En).join("").contains("AB"));
    }
}
