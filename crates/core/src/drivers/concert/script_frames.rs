//! The Concert frames of a scripted payment's steps (`drivers::terminal::script`), for tests of
//! views: the cash register's debit request, and the terminal's full answer with its result
//! (card field masked as recorded), each with the ACK the other side sends. Concert has one
//! request and one answer per payment, and no message for a display text, a print line or a
//! separate completion: those steps give no frames.

use crate::drivers::terminal::script::{ScriptFrame, ScriptResult, ScriptStep};
use crate::frame::{Channel, Direction};
use crate::proto::concert::{redact_stream, Answer, Request, ResultCode, ACK};

const CNY: &str = "156";

fn frame(after_ms: u64, direction: Direction, raw: Vec<u8>, summary: &str) -> ScriptFrame {
    ScriptFrame {
        after_ms,
        channel: Channel::Terminal,
        direction,
        raw,
        summary: summary.to_owned(),
    }
}

fn result_code(r: ScriptResult) -> ResultCode {
    match r {
        ScriptResult::Approved => ResultCode::APPROVED,
        ScriptResult::HostDeclined(_) => ResultCode::REJECTED,
        ScriptResult::NoHostAnswer | ScriptResult::PrinterFault => ResultCode::NOT_VERIFIED,
    }
}

pub fn frames(step: &ScriptStep) -> Vec<ScriptFrame> {
    match step {
        ScriptStep::Pay { amount_minor } => {
            let raw = Request::card_debit(1, *amount_minor, CNY)
                .to_frame()
                .expect("request");
            vec![
                frame(0, Direction::Tx, raw, "Concert request: debit"),
                frame(2, Direction::Rx, vec![ACK], "ACK"),
            ]
        }
        ScriptStep::Report { result, .. } => {
            let answer = Answer {
                pos: "01".to_owned(),
                result: result_code(*result),
                amount_cents: 1234,
                payment_mode: b'1',
                repport: Some(format!("{:<55}", "6200000000000005")),
                currency: CNY.to_owned(),
                private: " ".repeat(10),
            };
            let raw = redact_stream(&answer.to_frame().expect("answer"));
            vec![
                frame(0, Direction::Rx, raw, "Concert answer"),
                frame(2, Direction::Tx, vec![ACK], "ACK"),
            ]
        }
        ScriptStep::Accepted
        | ScriptStep::Shows(_)
        | ScriptStep::PrintLine { .. }
        | ScriptStep::Completed
        | ScriptStep::Aborted(_) => Vec::new(),
    }
}
