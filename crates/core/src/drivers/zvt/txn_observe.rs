//! The ZVT driver's transaction observer: the terminal channel's frames, decoded with the
//! command in flight as context, turned into terminal-layer observations. This file reads
//! frames and the cash register's commands; `txn_observe_pt.rs` the terminal's answers.

use crate::drivers::terminal::amount::amount_string;
use crate::drivers::terminal::observe::{TerminalEvent, TxnKind, TxnStart};
use crate::frame::{Direction, FrameRecord};
use crate::i18n::Text;
use crate::proto::zvt::message::{decode_ecr_message, decode_pt_message, CommandCode};
use crate::proto::zvt::values::{bcd_to_u64, decode_pan_masked};
use crate::proto::zvt::{decode_serial_frame, Apdu, EcrMessage};

/// Reads the terminal channel, keeping the command in flight as context.
#[derive(Debug, Clone, Default)]
pub struct ZvtTxnObserver {
    context: Option<CommandCode>,
}

/// The APDU bytes of a frame: serial framing removed; ACK/NAK bytes and errors give `None`.
fn apdu_bytes(frame: &FrameRecord) -> Option<Vec<u8>> {
    if frame.error {
        return None;
    }
    if frame.raw.starts_with(&[0x10, 0x02]) {
        return decode_serial_frame(&frame.raw).ok();
    }
    (frame.raw.len() >= 3).then(|| frame.raw.clone())
}

impl ZvtTxnObserver {
    /// What one frame shows (frames in wire order).
    pub fn read(&mut self, frame: &FrameRecord) -> Option<TerminalEvent> {
        let apdu = Apdu::decode(&apdu_bytes(frame)?).ok()?;
        match frame.direction {
            Direction::Tx => {
                let message = decode_ecr_message(&apdu).ok()?;
                if !matches!(message, EcrMessage::Ack | EcrMessage::NegativeAck { .. }) {
                    self.context = Some(message.command_code());
                }
                ecr_event(message)
            }
            Direction::Rx => {
                let message = decode_pt_message(&apdu, self.context).ok()?;
                Some(super::txn_observe_pt::pt_event(message))
            }
        }
    }
}

fn start(kind: TxnKind, text: Text) -> TxnStart {
    TxnStart {
        kind,
        amount_minor: None,
        currency: None,
        asked_amount: None,
        asked_currency: None,
        card: None,
        void_of_receipt: None,
        text,
    }
}

/// A cash register's command as an observation.
fn ecr_event(message: EcrMessage) -> Option<TerminalEvent> {
    let started = match message {
        EcrMessage::Authorisation(a) => {
            let amount = a
                .amount_minor
                .map(|m| amount_string(m, a.currency))
                .unwrap_or_default();
            let text = crate::tr!(
                "收银机发起消费 {amount}（06 01）",
                "payment {amount} started (06 01)"
            );
            TxnStart {
                amount_minor: a.amount_minor,
                currency: a.currency,
                asked_amount: a.amount_minor,
                asked_currency: a.currency,
                card: a
                    .other_bmps
                    .iter()
                    .find(|b| b.tag == 0x22)
                    .map(|b| decode_pan_masked(&b.value)),
                ..start(TxnKind::Payment, text)
            }
        }
        EcrMessage::Reversal(r) => {
            let no = r.receipt_no.map(|n| format!("{n:04}"));
            let shown = no.clone().unwrap_or_default();
            let text = crate::tr!(
                "撤销凭条 {shown}（06 30）",
                "void of receipt {shown} (06 30)"
            );
            TxnStart {
                amount_minor: r
                    .other_bmps
                    .iter()
                    .find(|b| b.tag == 0x04)
                    .and_then(|b| bcd_to_u64(&b.value)),
                void_of_receipt: no,
                ..start(TxnKind::Void, text)
            }
        }
        EcrMessage::EndOfDay(_) => start(
            TxnKind::EndOfDay,
            Text::fixed("日结开始（06 50）", "end-of-day started (06 50)"),
        ),
        EcrMessage::RepeatReceipt(_) => start(
            TxnKind::RepeatReceipt,
            Text::fixed("请求重打小票（06 20）", "repeat receipt asked (06 20)"),
        ),
        EcrMessage::Abort(_) => {
            return Some(TerminalEvent::AbortAsked {
                note: Text::fixed(
                    "收银机请求中止（06 B0）",
                    "abort asked by the cash register (06 B0)",
                ),
                started: Text::fixed("收银机发送中止（06 B0）", "abort sent (06 B0)"),
            })
        }
        EcrMessage::NegativeAck { result_code } => {
            let m = crate::proto::zvt::result_code(result_code).text;
            let text = Text::new(
                format!("收银机拒收：{result_code:02X} {}", m.zh),
                format!("the cash register refused: {result_code:02X} {}", m.en),
            );
            return Some(TerminalEvent::RegisterRefused { text });
        }
        EcrMessage::Ack => return None,
        // Other commands are not transactions; their answers are not a transaction's.
        _ => return Some(TerminalEvent::OtherCommand),
    };
    Some(TerminalEvent::Started(Box::new(started)))
}
