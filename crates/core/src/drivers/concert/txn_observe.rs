//! Concert's side of the transaction observations: a request from the cash register starts a
//! transaction (a debit is a payment), the terminal's answer reports the amount, the currency
//! and the masked card, and ends it with its one-character result (`0` approved, `7` rejected,
//! `9` not verified). The handshake bytes (ENQ, ACK, NAK, EOT) show nothing.
//!
//! Frames arrive as recorded: the answer's card field ("repport") already masked.

use crate::drivers::terminal::codes::{TerminalCode, TerminalResult};
use crate::drivers::terminal::observe::{TerminalEvent, TerminalReport, TxnKind, TxnStart};
use crate::drivers::terminal::TerminalProtocol;
use crate::frame::{Direction, FrameRecord};
use crate::i18n::Text;
use crate::proto::concert::fields::format_amount;
use crate::proto::concert::mask::recorded_pan;
use crate::proto::concert::request::transaction_type_name;
use crate::proto::concert::{Answer, Request, ResultCode, ETX, STX};
use crate::tr;

/// What a Concert result character means ("0", "7", "9").
pub fn code_meaning(code: &str) -> Text {
    match code.as_bytes() {
        [b] => ResultCode(*b).meaning(),
        _ => tr!("未知结果 '{code}'", "unknown result '{code}'"),
    }
}

/// The knowledge-base cause a result names on its own.
pub fn confirmed_causes(code: &str) -> Vec<crate::catalogue::CauseId> {
    match code.as_bytes() {
        [b] => ResultCode(*b)
            .cause_id()
            .and_then(crate::catalogue::CauseId::parse)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// Reads Concert frames in wire order (it keeps nothing between them).
#[derive(Debug, Clone, Default)]
pub struct ConcertTxnObserver;

impl ConcertTxnObserver {
    pub fn read(&mut self, frame: &FrameRecord) -> Vec<TerminalEvent> {
        let Some(body) = recorded_body(&frame.raw) else {
            return Vec::new();
        };
        // Requests go to the terminal, answers come back; a frame that does not parse in its
        // own direction is shown in the log only.
        match frame.direction {
            Direction::Tx => Request::decode_body(body)
                .map(started)
                .into_iter()
                .collect(),
            Direction::Rx => Answer::decode_body(body)
                .map(|a| answered(&a))
                .unwrap_or_default(),
        }
    }
}

/// The body of a recorded frame, `STX body ETX LRC`. Its LRC is not checked: the tap records
/// only frames whose LRC was right, and masking an answer's card field on purpose leaves the
/// LRC of the original (`proto::concert::redact_stream`).
fn recorded_body(raw: &[u8]) -> Option<&[u8]> {
    match raw {
        [STX, body @ .., ETX, _lrc] => Some(body),
        _ => None,
    }
}

/// The masked card number of an answer: as recorded, the repport is already masked; one not
/// yet masked is masked here.
fn card_of(a: &Answer) -> Option<String> {
    let rep = a.repport.as_deref()?;
    recorded_pan(rep)
        .map(str::to_owned)
        .or_else(|| a.masked_repport().and_then(|m| m.pan))
}

fn numeric_currency(c: &str) -> Option<u16> {
    (c.len() == 3).then(|| c.parse().ok()).flatten()
}

fn started(r: Request) -> TerminalEvent {
    let kind = match r.transaction_type {
        b'0' => TxnKind::Payment,
        _ => TxnKind::Other,
    };
    let what = transaction_type_name(r.transaction_type);
    let amount = format_amount(r.amount_cents);
    let currency = numeric_currency(&r.currency);
    TerminalEvent::Started(Box::new(TxnStart {
        kind,
        amount_minor: Some(r.amount_cents),
        currency,
        asked_amount: Some(r.amount_cents),
        asked_currency: currency,
        card: None,
        void_of_receipt: None,
        text: Text::new(
            format!("收银机发起{}（Concert 请求，{amount}）", what.zh),
            format!("{} requested (Concert request, {amount})", what.en),
        ),
    }))
}

fn answered(a: &Answer) -> Vec<TerminalEvent> {
    let code = a.result.as_char().to_string();
    let result = TerminalResult {
        code: TerminalCode::new(TerminalProtocol::Concert, &code),
        success: a.result.outcome().is_paid(),
        host_code: None,
        benign: false,
    };
    let report = TerminalReport {
        result: Some(result.clone()),
        shown: Some(result.clone()),
        amount_minor: Some(a.amount_cents),
        currency: numeric_currency(&a.currency),
        card: card_of(a),
        card_name: None,
        trace: None,
        receipt_no: None,
        original_trace: None,
        tid: None,
        totals: None,
        wire: "answer",
    };
    vec![
        TerminalEvent::Report(Box::new(report)),
        TerminalEvent::Completed {
            result: Some(result),
            wire: "answer",
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::Channel;
    use crate::proto::concert::{encode_frame, redact_stream, AnswerForm};

    fn frame(direction: Direction, raw: Vec<u8>) -> FrameRecord {
        FrameRecord {
            time: std::time::SystemTime::now(),
            channel: Channel::Terminal,
            direction,
            raw,
            summary: String::new(),
            summary_zh: None,
            error: false,
        }
    }

    #[test]
    fn a_debit_starts_a_payment_and_the_answer_ends_it_with_its_result() {
        let mut o = ConcertTxnObserver;
        let request = Request::card_debit(1, 1234, "978");
        let start = o.read(&frame(Direction::Tx, request.to_frame().unwrap()));
        let [TerminalEvent::Started(s)] = &start[..] else {
            panic!("{start:?}")
        };
        assert_eq!(
            (s.kind, s.amount_minor, s.currency),
            (TxnKind::Payment, Some(1234), Some(978))
        );
        let answer = Answer {
            pos: "01".into(),
            result: ResultCode::REJECTED,
            amount_cents: 1234,
            payment_mode: b'1',
            repport: Some(format!("{:<55}", "4970100000000000 2512 101")),
            currency: "978".into(),
            private: " ".repeat(10),
        };
        assert_eq!(answer.form(), AnswerForm::Full);
        // As recorded: the card field masked.
        let recorded = redact_stream(&answer.to_frame().unwrap());
        let end = o.read(&frame(Direction::Rx, recorded));
        let [TerminalEvent::Report(r), TerminalEvent::Completed {
            result: Some(res), ..
        }] = &end[..]
        else {
            panic!("{end:?}")
        };
        assert_eq!(r.card.as_deref(), Some("497010******0000"));
        assert_eq!((res.success, res.code.code.as_str()), (false, "7"));
        assert_eq!(confirmed_causes("7"), vec![crate::cause!("host.decline")]);
        assert!(code_meaning("0").en.contains("approved"));
    }

    #[test]
    fn handshake_bytes_and_broken_frames_show_nothing() {
        let mut o = ConcertTxnObserver;
        for raw in [
            vec![0x05],
            vec![0x06],
            vec![0x04],
            encode_frame(b"12"),
            vec![],
        ] {
            assert!(
                o.read(&frame(Direction::Rx, raw.clone())).is_empty(),
                "{raw:02X?}"
            );
            assert!(o.read(&frame(Direction::Tx, raw)).is_empty());
        }
    }
}
