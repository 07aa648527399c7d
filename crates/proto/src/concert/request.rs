//! The cash register's payment request: 26 characters in protocol E, 34 in E+ (which adds
//! when to answer and whether to force an authorisation).
//!
//! | bytes | field |
//! |-------|-------|
//! | 0..2   | POS (checkout) number, 2 digits |
//! | 2..10  | amount in cents, 8 digits |
//! | 10     | answer form: `1` full (with repport), `0` short |
//! | 11     | payment mode: `1` card, `C` cheque, … |
//! | 12     | transaction type: `0` debit, `1` credit, `2` refund, `4` auto |
//! | 13..16 | currency, ISO 4217 numeric |
//! | 16..26 | private data, 10 characters |
//! | 26..30 | E+: delay, `A010` answer at the end of the transaction, `A011` at once |
//! | 30..34 | E+: authorisation, `B010` the terminal decides, `B011` forced |

use serde::Serialize;

use super::answer::AnswerForm;
use super::fields::{self, check_ascii, put, put_amount, Cursor, FieldError};
use super::frame::encode_frame;
use crate::i18n::Text;
use crate::tr;

pub const REQUEST_LEN_E: usize = 26;
pub const REQUEST_LEN_E_PLUS: usize = 34;

pub const DELAY_END_OF_TRANSACTION: &str = "A010";
pub const DELAY_AT_ONCE: &str = "A011";
pub const AUTHORIZATION_TERMINAL_DECIDES: &str = "B010";
pub const AUTHORIZATION_FORCED: &str = "B011";

/// E+'s two extra fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EPlus {
    pub delay: String,
    pub authorization: String,
}

/// A payment request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    /// Checkout number, 2 digits ("01").
    pub pos: String,
    pub amount_cents: u64,
    pub answer_form: AnswerForm,
    pub payment_mode: u8,
    pub transaction_type: u8,
    /// ISO 4217 numeric, 3 digits ("978").
    pub currency: String,
    /// 10 characters the cash register passes through (spaces when unused).
    pub private: String,
    /// Present in protocol E+.
    pub e_plus: Option<EPlus>,
}

impl Request {
    /// A card debit in E+ as most cash registers send it (answer at the end, full form).
    pub fn card_debit(pos: u8, amount_cents: u64, currency: &str) -> Request {
        Request {
            pos: format!("{:02}", pos % 100),
            amount_cents,
            answer_form: AnswerForm::Full,
            payment_mode: b'1',
            transaction_type: b'0',
            currency: currency.to_owned(),
            private: " ".repeat(10),
            e_plus: Some(EPlus {
                delay: DELAY_END_OF_TRANSACTION.to_owned(),
                authorization: AUTHORIZATION_TERMINAL_DECIDES.to_owned(),
            }),
        }
    }

    pub fn encode_body(&self) -> Result<Vec<u8>, FieldError> {
        let mut out = Vec::with_capacity(REQUEST_LEN_E_PLUS);
        put(&mut out, "pos", &self.pos, 2)?;
        put_amount(&mut out, self.amount_cents)?;
        out.push(self.answer_form.byte());
        out.push(self.payment_mode);
        out.push(self.transaction_type);
        put(&mut out, "currency", &self.currency, 3)?;
        put(&mut out, "private", &self.private, 10)?;
        if let Some(e) = &self.e_plus {
            put(&mut out, "delay", &e.delay, 4)?;
            put(&mut out, "authorization", &e.authorization, 4)?;
        }
        Ok(out)
    }

    pub fn to_frame(&self) -> Result<Vec<u8>, FieldError> {
        Ok(encode_frame(&self.encode_body()?))
    }

    pub fn decode_body(body: &[u8]) -> Result<Request, FieldError> {
        if body.len() != REQUEST_LEN_E && body.len() != REQUEST_LEN_E_PLUS {
            return Err(FieldError::Length {
                what: "request",
                got: body.len(),
                expected: "26 (E) or 34 (E+)",
            });
        }
        let text = check_ascii(body)?;
        let mut c = Cursor::new(text);
        let pos = c.digits("pos", 2)?.to_owned();
        let amount_cents = fields::amount(&mut c)?;
        let answer_form = AnswerForm::from_byte(c.byte());
        let payment_mode = c.byte();
        let transaction_type = c.byte();
        let currency = c.digits("currency", 3)?.to_owned();
        let private = c.take(10).to_owned();
        let e_plus = (body.len() == REQUEST_LEN_E_PLUS).then(|| EPlus {
            delay: c.take(4).to_owned(),
            authorization: c.take(4).to_owned(),
        });
        Ok(Request {
            pos,
            amount_cents,
            answer_form,
            payment_mode,
            transaction_type,
            currency,
            private,
            e_plus,
        })
    }

    /// True when the terminal answers only after the transaction (E, or E+ with A010).
    pub fn waits_for_end(&self) -> bool {
        self.e_plus
            .as_ref()
            .is_none_or(|e| e.delay != DELAY_AT_ONCE)
    }
}

pub fn transaction_type_name(t: u8) -> Text {
    match t {
        b'0' => Text::fixed("消费（借记）", "debit (purchase)"),
        b'1' => Text::fixed("贷记", "credit"),
        b'2' => Text::fixed("退款/撤销", "refund / cancellation"),
        b'4' => Text::fixed("自动", "auto"),
        other => {
            let c = char::from(other);
            tr!("未知类型 '{c}'", "unknown type '{c}'")
        }
    }
}

pub fn delay_name(delay: &str) -> Text {
    match delay {
        DELAY_END_OF_TRANSACTION => {
            Text::fixed("交易结束后应答", "answer at the end of the transaction")
        }
        DELAY_AT_ONCE => Text::fixed(
            "立即应答（不含交易结果）",
            "answer at once (no transaction result)",
        ),
        other => tr!("未知延迟 '{other}'", "unknown delay '{other}'"),
    }
}

pub fn authorization_name(auth: &str) -> Text {
    match auth {
        AUTHORIZATION_TERMINAL_DECIDES => Text::fixed(
            "由终端决定是否联机授权",
            "the terminal decides on authorisation",
        ),
        AUTHORIZATION_FORCED => Text::fixed("强制联机授权", "authorisation forced"),
        other => tr!("未知授权方式 '{other}'", "unknown authorisation '{other}'"),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// Made with pyTeliumManager 2.4.2 (PyPI) in a scratch venv:
    /// `TeliumAsk.new_payment(12.5, payment_mode='debit', target_currency='EUR',
    /// checkout_unique_id='1').encode().encode('ascii').hex()`.
    const PY_DEBIT_12_50_EUR: &str =
        "02303130303030313235303131303937382020202020202020202041303130423031300301";
    /// `TeliumAsk.new_payment(99999.99, payment_mode='refund', target_currency='USD',
    /// checkout_unique_id='42', wait_for_transaction_to_end=False,
    /// collect_payment_source_info=False, force_bank_verification=True)`.
    const PY_REFUND_SHORT_FORCED: &str =
        "02343230393939393939393031323834302020202020202020202041303131423031310300";

    #[test]
    fn decodes_and_rebuilds_pytelium_requests_byte_for_byte() {
        let frame = hex::decode(PY_DEBIT_12_50_EUR).unwrap();
        let body = crate::concert::decode_frame(&frame).unwrap();
        let r = Request::decode_body(body).unwrap();
        assert_eq!(r, Request::card_debit(1, 1250, "978"));
        assert!(r.waits_for_end());
        assert_eq!(r.to_frame().unwrap(), frame);

        let frame = hex::decode(PY_REFUND_SHORT_FORCED).unwrap();
        let r = Request::decode_body(crate::concert::decode_frame(&frame).unwrap()).unwrap();
        assert_eq!(r.pos, "42");
        assert_eq!(r.amount_cents, 9_999_999);
        assert_eq!(r.answer_form, AnswerForm::Short);
        assert_eq!(r.transaction_type, b'2');
        assert_eq!(r.currency, "840");
        assert!(!r.waits_for_end());
        assert_eq!(
            r.e_plus.as_ref().unwrap().authorization,
            AUTHORIZATION_FORCED
        );
        assert_eq!(r.to_frame().unwrap(), frame);
    }

    #[test]
    fn protocol_e_has_no_delay_or_authorisation() {
        let mut r = Request::card_debit(3, 500, "978");
        r.e_plus = None;
        let body = r.encode_body().unwrap();
        assert_eq!(body.len(), REQUEST_LEN_E);
        assert_eq!(Request::decode_body(&body).unwrap(), r);
    }

    #[test]
    fn wrong_requests_name_the_field() {
        assert!(matches!(
            Request::decode_body(b"0100"),
            Err(FieldError::Length { got: 4, .. })
        ));
        let mut body = Request::card_debit(1, 1250, "978").encode_body().unwrap();
        body[4] = b'x';
        assert!(matches!(
            Request::decode_body(&body),
            Err(FieldError::NotDigits {
                field: "amount",
                ..
            })
        ));
        body[4] = 0xFF;
        assert_eq!(
            Request::decode_body(&body),
            Err(FieldError::NotAscii { offset: 4 })
        );
        let mut r = Request::card_debit(1, 100_000_000, "978");
        assert!(r.encode_body().is_err());
        r.amount_cents = 1;
        r.currency = "EURO".into();
        assert!(matches!(
            r.encode_body(),
            Err(FieldError::Width {
                field: "currency",
                ..
            })
        ));
    }
}
