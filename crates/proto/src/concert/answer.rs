//! The terminal's answer: 25 characters in the short form, 80 in the full form, which adds the
//! 55-character "repport" field (card number and other card data: always shown masked).
//!
//! | short  | full   | field |
//! |--------|--------|-------|
//! | 0..2   | 0..2   | POS number |
//! | 2      | 2      | result: `0` approved, `7` rejected, `9` not verified |
//! | 3..11  | 3..11  | amount in cents |
//! | 11     | 11     | payment mode |
//! | —      | 12..67 | repport (card data) |
//! | 12..15 | 67..70 | currency, ISO 4217 numeric |
//! | 15..25 | 70..80 | private data (e.g. the terminal's transaction id) |

use serde::Serialize;

use super::fields::{self, check_ascii, put, put_amount, Cursor, FieldError};
use super::frame::encode_frame;
use super::mask::{mask_repport, MaskedRepport};
use super::request::Request;
use super::result::ResultCode;

pub const ANSWER_LEN_SHORT: usize = 25;
pub const ANSWER_LEN_FULL: usize = 80;
pub const REPPORT_LEN: usize = 55;

/// Which answer the cash register asked for (request byte 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerForm {
    /// `0`: no repport.
    Short,
    /// `1`: with the repport.
    Full,
    /// Any other byte: terminals treat it as short; kept so a decode can show it.
    Other(u8),
}

impl AnswerForm {
    pub fn from_byte(b: u8) -> AnswerForm {
        match b {
            b'0' => AnswerForm::Short,
            b'1' => AnswerForm::Full,
            other => AnswerForm::Other(other),
        }
    }

    pub fn byte(self) -> u8 {
        match self {
            AnswerForm::Short => b'0',
            AnswerForm::Full => b'1',
            AnswerForm::Other(b) => b,
        }
    }

    /// Frame length (STX … ETX LRC) of the answer this form asks for.
    pub fn frame_len(self) -> usize {
        match self {
            AnswerForm::Full => ANSWER_LEN_FULL + 3,
            _ => ANSWER_LEN_SHORT + 3,
        }
    }
}

/// A terminal answer. `Debug` shows the repport masked; use [`Answer::masked_repport`] to
/// display it.
#[derive(Clone, PartialEq, Eq)]
pub struct Answer {
    pub pos: String,
    pub result: ResultCode,
    pub amount_cents: u64,
    pub payment_mode: u8,
    /// The 55 raw characters of the full form; `None` in the short form. Holds card data.
    pub repport: Option<String>,
    pub currency: String,
    pub private: String,
}

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answer")
            .field("pos", &self.pos)
            .field("result", &self.result.as_char())
            .field("amount_cents", &self.amount_cents)
            .field("payment_mode", &char::from(self.payment_mode))
            .field("repport", &self.masked_repport())
            .field("currency", &self.currency)
            .field("private", &self.private)
            .finish()
    }
}

impl Answer {
    pub fn form(&self) -> AnswerForm {
        if self.repport.is_some() {
            AnswerForm::Full
        } else {
            AnswerForm::Short
        }
    }

    pub fn masked_repport(&self) -> Option<MaskedRepport> {
        self.repport.as_deref().map(mask_repport)
    }

    pub fn encode_body(&self) -> Result<Vec<u8>, FieldError> {
        let mut out = Vec::with_capacity(ANSWER_LEN_FULL);
        put(&mut out, "pos", &self.pos, 2)?;
        out.push(self.result.0);
        put_amount(&mut out, self.amount_cents)?;
        out.push(self.payment_mode);
        if let Some(rep) = &self.repport {
            put(&mut out, "repport", rep, REPPORT_LEN)?;
        }
        put(&mut out, "currency", &self.currency, 3)?;
        put(&mut out, "private", &self.private, 10)?;
        Ok(out)
    }

    pub fn to_frame(&self) -> Result<Vec<u8>, FieldError> {
        Ok(encode_frame(&self.encode_body()?))
    }

    /// Fields of this answer that do not echo `request`: an answer for another checkout, amount
    /// or currency, or in the other form, is not the answer to this payment (a stale answer
    /// left in a buffer, or two cash registers on one terminal).
    pub fn mismatches(&self, request: &Request) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.pos != request.pos {
            out.push("pos");
        }
        if self.amount_cents != request.amount_cents {
            out.push("amount");
        }
        if self.currency != request.currency {
            out.push("currency");
        }
        if (request.answer_form == AnswerForm::Full) != self.repport.is_some() {
            out.push("answer_form");
        }
        out
    }

    pub fn decode_body(body: &[u8]) -> Result<Answer, FieldError> {
        let full = match body.len() {
            ANSWER_LEN_FULL => true,
            ANSWER_LEN_SHORT => false,
            got => {
                return Err(FieldError::Length {
                    what: "answer",
                    got,
                    expected: "25 (short) or 80 (full)",
                })
            }
        };
        let text = check_ascii(body)?;
        let mut c = Cursor::new(text);
        let pos = c.digits("pos", 2)?.to_owned();
        let result = ResultCode(c.byte());
        let amount_cents = fields::amount(&mut c)?;
        let payment_mode = c.byte();
        let repport = full.then(|| c.take(REPPORT_LEN).to_owned());
        let currency = c.digits("currency", 3)?.to_owned();
        let private = c.take(10).to_owned();
        Ok(Answer {
            pos,
            result,
            amount_cents,
            payment_mode,
            repport,
            currency,
            private,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::concert::{decode_frame, Outcome};

    /// Made with pyTeliumManager 2.4.2 (PyPI) in a scratch venv:
    /// `TeliumResponse('01', 0, 12.5, '1', '4970100000000000   ' + '0'*36, '978',
    /// '0000012345').encode().encode('ascii').hex()` (83 bytes, the full form).
    const PY_FULL_APPROVED: &str = "0230313030303030313235303134393730313030303030303030303030202020303030303030303030303030303030303030303030303030303030303030303030303030393738303030303031323334350319";
    /// `TeliumResponse('01', 7, 12.5, '1', None, '978', ' '*10)` (28 bytes, the short form).
    const PY_SHORT_REJECTED: &str = "02303137303030303132353031393738202020202020202020200334";

    #[test]
    fn decodes_and_rebuilds_pytelium_answers_byte_for_byte() {
        let frame = hex::decode(PY_FULL_APPROVED).unwrap();
        assert_eq!(frame.len(), AnswerForm::Full.frame_len());
        let a = Answer::decode_body(decode_frame(&frame).unwrap()).unwrap();
        assert_eq!(a.result.outcome(), Outcome::Approved);
        assert_eq!(a.amount_cents, 1250);
        assert_eq!(a.currency, "978");
        assert_eq!(a.private, "0000012345");
        assert_eq!(a.form(), AnswerForm::Full);
        assert_eq!(
            a.masked_repport().unwrap().pan.as_deref(),
            Some("497010******0000")
        );
        // Debug never shows the card number.
        assert!(!format!("{a:?}").contains("4970100000000000"));
        assert_eq!(a.to_frame().unwrap(), frame);
        let request = Request::card_debit(1, 1250, "978");
        assert!(a.mismatches(&request).is_empty());
        let other = Request::card_debit(2, 1300, "840");
        assert_eq!(a.mismatches(&other), ["pos", "amount", "currency"]);

        let frame = hex::decode(PY_SHORT_REJECTED).unwrap();
        assert_eq!(frame.len(), AnswerForm::Short.frame_len());
        let a = Answer::decode_body(decode_frame(&frame).unwrap()).unwrap();
        assert_eq!(a.result.outcome(), Outcome::Rejected);
        assert_eq!(a.repport, None);
        assert_eq!(a.private, " ".repeat(10));
        assert_eq!(a.to_frame().unwrap(), frame);
        assert_eq!(a.mismatches(&request), ["answer_form"]);
    }

    #[test]
    fn wrong_answers_name_the_field() {
        assert!(matches!(
            Answer::decode_body(&[b'0'; 30]),
            Err(FieldError::Length { got: 30, .. })
        ));
        let mut body = hex::decode(PY_SHORT_REJECTED).unwrap()[1..26].to_vec();
        body[13] = b'E';
        assert!(matches!(
            Answer::decode_body(&body),
            Err(FieldError::NotDigits {
                field: "currency",
                ..
            })
        ));
    }
}
