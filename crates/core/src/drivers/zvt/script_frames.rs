//! The ZVT frames of a scripted payment's steps (`drivers::terminal::script`), for tests of
//! views: TCP framing, summaries as the driver writes them, the cash register acknowledging
//! every terminal message.

use crate::drivers::terminal::script::{ScriptFrame, ScriptResult, ScriptStep, Shows};
use crate::frame::{Channel, Direction};
use crate::proto::zvt::message::{
    Abort, Authorisation, Completion, EcrMessage, IntermediateStatus, PrintLine, PtMessage,
    StatusInformation,
};
use crate::proto::zvt::{summarize, CommandCode};

fn result_byte(r: ScriptResult) -> u8 {
    match r {
        ScriptResult::Approved => 0,
        // Host codes travel as their value (51 is the byte 51).
        ScriptResult::HostDeclined(code) => code,
        ScriptResult::NoHostAnswer => 0xA1,
        ScriptResult::PrinterFault => 0xCC,
    }
}

fn ecr(after_ms: u64, m: EcrMessage) -> ScriptFrame {
    let apdu = m.to_apdu().expect("apdu");
    ScriptFrame {
        after_ms,
        channel: Channel::Terminal,
        direction: Direction::Tx,
        raw: apdu.encode().expect("bytes"),
        summary: summarize(&apdu, None),
    }
}

/// A terminal message and the cash register's acknowledgement 2 ms later.
fn pt(m: PtMessage) -> Vec<ScriptFrame> {
    let apdu = m.to_apdu().expect("apdu");
    vec![
        ScriptFrame {
            after_ms: 0,
            channel: Channel::Terminal,
            direction: Direction::Rx,
            raw: apdu.encode().expect("bytes"),
            summary: summarize(&apdu, Some(CommandCode::Authorisation)),
        },
        ecr(2, EcrMessage::Ack),
    ]
}

pub fn frames(step: &ScriptStep) -> Vec<ScriptFrame> {
    match step {
        ScriptStep::Pay { amount_minor } => vec![ecr(
            0,
            EcrMessage::Authorisation(Authorisation {
                amount_minor: Some(*amount_minor),
                payment_type: Some(0x40),
                ..Authorisation::default()
            }),
        )],
        ScriptStep::Accepted => vec![ScriptFrame {
            after_ms: 0,
            channel: Channel::Terminal,
            direction: Direction::Rx,
            raw: vec![0x80, 0x00, 0x00],
            summary: "80 00 positive acknowledgement".into(),
        }],
        ScriptStep::Shows(shows) => {
            let code = match shows {
                Shows::InsertCard => 0x0A,
                Shows::Pin => 0x01,
                Shows::Online => 0x04,
                Shows::Reversing => 0x05,
            };
            pt(PtMessage::IntermediateStatus(IntermediateStatus {
                code,
                ..Default::default()
            }))
        }
        ScriptStep::Report {
            result,
            trace,
            receipt,
        } => pt(PtMessage::StatusInformation(Box::new(StatusInformation {
            result_code: Some(result_byte(*result)),
            amount_minor: Some(1234),
            currency: Some(156),
            pan_masked: Some("620000******0005".into()),
            trace: Some(trace.clone()),
            receipt_no: receipt.clone(),
            card_name: Some("UnionPay".into()),
            ..StatusInformation::default()
        }))),
        ScriptStep::PrintLine { text, last } => pt(PtMessage::PrintLine(PrintLine {
            attribute: if *last { 0xC0 } else { 0 },
            text: text.clone(),
        })),
        ScriptStep::Completed => pt(PtMessage::Completion(Completion {
            result_code: Some(0),
            ..Completion::default()
        })),
        ScriptStep::Aborted(result) => pt(PtMessage::Abort(Abort {
            result_code: result_byte(*result),
            ..Abort::default()
        })),
    }
}
