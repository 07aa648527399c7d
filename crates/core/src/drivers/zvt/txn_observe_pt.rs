//! The terminal's ZVT answers as observations: intermediate status as a step, the
//! Status-Information as a report, receipt lines, and how the command ended.

use crate::drivers::terminal::observe::{Progress, TerminalEvent, TerminalReport};
use crate::i18n::Text;
use crate::proto::zvt::message::StatusInformation;
use crate::proto::zvt::PtMessage;

use super::txn_codes::{code, result};

/// A terminal's message (decoded in the context of the command it answers).
pub(super) fn pt_event(message: PtMessage) -> TerminalEvent {
    match message {
        PtMessage::Ack => TerminalEvent::Accepted {
            result: result(0),
            text: Text::fixed(
                "终端接受中止（80 00 00）",
                "the terminal accepted the abort (80 00 00)",
            ),
        },
        PtMessage::NegativeAck { result_code, .. } => {
            let m = crate::proto::zvt::result_code(result_code).text;
            TerminalEvent::Refused {
                result: result(result_code),
                text: Text::new(
                    format!("终端拒绝命令：{result_code:02X} {}", m.zh),
                    format!("the terminal refused: {result_code:02X} {}", m.en),
                ),
            }
        }
        PtMessage::IntermediateStatus(s) => progress(s.code),
        PtMessage::StatusInformation(si) => TerminalEvent::Report(Box::new(report(&si))),
        PtMessage::PrintLine(p) => TerminalEvent::Printed {
            last: p.is_last_line(),
            lines: vec![p.text],
        },
        PtMessage::PrintTextBlock(b) => TerminalEvent::Printed {
            lines: b.lines(),
            last: true,
        },
        PtMessage::Completion(c) => TerminalEvent::Completed {
            result: c.result_code.map(result),
            wire: "06 0F",
        },
        PtMessage::Abort(a) => {
            let rc = a.result_code;
            let m = crate::proto::zvt::result_code(rc).text;
            TerminalEvent::Aborted {
                result: result(rc),
                // 6F "wrong currency" names the terminal's own currency.
                currency: a.currency,
                text: Text::new(
                    format!("终端中止：{rc:02X} {}（06 1E）", m.zh),
                    format!("aborted by the terminal: {rc:02X} {} (06 1E)", m.en),
                ),
            }
        }
        PtMessage::StatusEnquiryCompletion(c) => {
            TerminalEvent::State(code(c.terminal_status.to_byte()))
        }
        PtMessage::SetDateTimeInEcr(_) | PtMessage::Other(_) => TerminalEvent::Other,
    }
}

/// Intermediate status `04 FF`: what the terminal shows, and what it means for the timeline.
fn progress(code: u8) -> TerminalEvent {
    // 41–5D repeat 01–1D with "please remove card".
    let base = if (0x41..=0x5D).contains(&code) {
        code - 0x40
    } else {
        code
    };
    let info = crate::proto::zvt::intermediate_status(code).text;
    let text = Text::new(
        format!("终端显示：{} (04 FF {code:02X})", info.zh),
        format!("terminal shows: {} (04 FF {code:02X})", info.en),
    );
    let step = match base {
        0x01 | 0x02 => Progress::Pin,
        0x04 => Progress::Online,
        0x05 => Progress::Reversing,
        0x07..=0x0D | 0x10 | 0x12..=0x16 | 0x18 | 0x19 | 0x1D => Progress::Notice,
        _ => Progress::Quiet,
    };
    TerminalEvent::Progress { step, text }
}

/// Status-Information `04 0F`: result, identifiers, amount and card as the terminal reports.
fn report(si: &StatusInformation) -> TerminalReport {
    TerminalReport {
        result: si.result_code.map(result),
        shown: Some(result(si.result_code.unwrap_or(0))),
        amount_minor: si.amount_minor,
        currency: si.currency,
        card: si.pan_masked.clone(),
        card_name: si.card_name.clone(),
        trace: si.trace.clone(),
        receipt_no: si.receipt_no.clone(),
        original_trace: si.original_trace.clone(),
        tid: si.tid.clone(),
        totals: si
            .other_bmps
            .iter()
            .find(|b| b.tag == 0x60)
            .map(|b| hex::encode_upper(&b.value)),
        wire: "04 0F",
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::super::txn_observe::ZvtTxnObserver;
    use crate::drivers::terminal::observe::{Progress, TerminalEvent};
    use crate::frame::{Channel, Direction, FrameRecord};
    use crate::proto::zvt::message::{
        Authorisation, EcrMessage, IntermediateStatus, PrintLine, PtMessage, StatusInformation,
    };

    fn frame(direction: Direction, raw: Vec<u8>) -> FrameRecord {
        FrameRecord {
            time: SystemTime::UNIX_EPOCH,
            channel: Channel::Terminal,
            direction,
            raw,
            summary: String::new(),
            error: false,
            summary_zh: None,
        }
    }

    fn read(o: &mut ZvtTxnObserver, m: PtMessage) -> Option<TerminalEvent> {
        o.read(&frame(Direction::Rx, m.encode().expect("encodes")))
    }

    #[test]
    fn a_payment_s_answers_become_observations() {
        let mut o = ZvtTxnObserver::default();
        let ask = EcrMessage::Authorisation(Authorisation {
            amount_minor: Some(1234),
            currency: Some(156),
            ..Authorisation::default()
        });
        let Some(TerminalEvent::Started(start)) =
            o.read(&frame(Direction::Tx, ask.encode().expect("encodes")))
        else {
            panic!("a start");
        };
        assert_eq!(start.asked_amount, Some(1234));
        assert!(start.text.en.contains("12.34 CNY"), "{}", start.text.en);
        let pin = read(
            &mut o,
            PtMessage::IntermediateStatus(IntermediateStatus {
                code: 0x41,
                ..Default::default()
            }),
        );
        assert!(matches!(
            pin,
            Some(TerminalEvent::Progress {
                step: Progress::Pin,
                ..
            })
        ));
        let report = read(
            &mut o,
            PtMessage::StatusInformation(Box::new(StatusInformation {
                result_code: Some(0x33),
                trace: Some("000007".into()),
                ..StatusInformation::default()
            })),
        );
        let Some(TerminalEvent::Report(r)) = report else {
            panic!("a report: {report:?}");
        };
        let result = r.result.expect("result");
        assert_eq!(result.host_code.as_deref(), Some("51"));
        assert!(!result.success);
        assert_eq!(r.trace.as_deref(), Some("000007"));
        let printed = read(
            &mut o,
            PtMessage::PrintLine(PrintLine {
                attribute: 0xC0,
                text: "TOTAL 12.34".into(),
            }),
        );
        assert_eq!(
            printed,
            Some(TerminalEvent::Printed {
                lines: vec!["TOTAL 12.34".into()],
                last: true
            })
        );
        // The cash register's acknowledgement is no observation.
        let ack = EcrMessage::Ack.encode().expect("encodes");
        assert_eq!(o.read(&frame(Direction::Tx, ack)), None);
    }
}
