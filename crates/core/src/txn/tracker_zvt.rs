//! The ZVT side of the tracker: the cash register's commands open transactions, the
//! terminal's answers (intermediate status, status information, receipt lines, completion or
//! abort) fill them in.

use std::time::SystemTime;

use crate::event::FrameRecord;
use crate::i18n::Text;
use crate::proto::zvt::values::{bcd_to_u64, decode_pan_masked};
use crate::proto::zvt::{EcrMessage, PtMessage};

use super::feed::ZvtSeen;
use super::model::{StepKind, TxnKind, ZvtLeg};
use super::tracker::TxnTracker;

impl TxnTracker {
    pub(super) fn feed_zvt(&mut self, frame: &FrameRecord) -> Vec<u64> {
        let Some(seen) = self.zvt.read(frame) else {
            return Vec::new();
        };
        let time = frame.time;
        match seen {
            ZvtSeen::Ecr(message) => self.ecr_command(message, frame),
            ZvtSeen::Pt(message) => {
                let Some(id) = self.zvt_open.filter(|id| self.get(*id).is_some()) else {
                    return Vec::new();
                };
                let linked = self.pt_message(id, message, frame, time);
                std::iter::once(id).chain(linked).collect()
            }
        }
    }

    fn ecr_command(&mut self, message: EcrMessage, frame: &FrameRecord) -> Vec<u64> {
        let time = frame.time;
        let (kind, text) = match &message {
            EcrMessage::Authorisation(a) => {
                let amount = a
                    .amount_minor
                    .map(|m| super::banner::amount_string(m, a.currency));
                let amount = amount.unwrap_or_default();
                (
                    TxnKind::Payment,
                    crate::tr!(
                        "收银机发起消费 {amount}（06 01）",
                        "payment {amount} started (06 01)"
                    ),
                )
            }
            EcrMessage::Reversal(r) => {
                let no = r.receipt_no.map(|n| format!("{n:04}")).unwrap_or_default();
                (
                    TxnKind::Void,
                    crate::tr!("撤销凭条 {no}（06 30）", "void of receipt {no} (06 30)"),
                )
            }
            EcrMessage::EndOfDay(_) => (
                TxnKind::EndOfDay,
                Text::fixed("日结开始（06 50）", "end-of-day started (06 50)"),
            ),
            EcrMessage::RepeatReceipt(_) => (
                TxnKind::RepeatReceipt,
                Text::fixed("请求重打小票（06 20）", "repeat receipt asked (06 20)"),
            ),
            EcrMessage::Abort(_) => {
                let running = self.zvt_open.filter(|id| {
                    self.get(*id)
                        .is_some_and(|t| t.zvt.as_ref().is_some_and(|z| !z.ended))
                });
                if let Some(id) = running {
                    let at = self.attach(id, frame);
                    self.step(
                        id,
                        StepKind::Note,
                        time,
                        Text::fixed(
                            "收银机请求中止（06 B0）",
                            "abort asked by the cash register (06 B0)",
                        ),
                        at,
                    );
                    return vec![id];
                }
                (
                    TxnKind::Abort,
                    Text::fixed("收银机发送中止（06 B0）", "abort sent (06 B0)"),
                )
            }
            EcrMessage::NegativeAck { result_code } => {
                let Some(id) = self.zvt_open else {
                    return Vec::new();
                };
                let at = self.attach(id, frame);
                let m = crate::proto::zvt::result_code(*result_code).text;
                let text = Text::new(
                    format!("收银机拒收：{result_code:02X} {}", m.zh),
                    format!("the cash register refused: {result_code:02X} {}", m.en),
                );
                self.step(id, StepKind::Note, time, text, at);
                return vec![id];
            }
            EcrMessage::Ack => return Vec::new(),
            _ => {
                // Other commands are not transactions; their answers are not ours.
                self.zvt_open = None;
                return Vec::new();
            }
        };
        let id = self.open(kind, time);
        let at = self.attach(id, frame);
        if let Some(t) = self.get_mut(id) {
            t.zvt = Some(ZvtLeg::default());
            match &message {
                EcrMessage::Authorisation(a) => {
                    t.amount_minor = a.amount_minor;
                    t.currency = a.currency;
                    if let Some(z) = t.zvt.as_mut() {
                        z.asked_amount = a.amount_minor;
                        z.asked_currency = a.currency;
                    }
                    t.card = a
                        .other_bmps
                        .iter()
                        .find(|b| b.tag == 0x22)
                        .map(|b| decode_pan_masked(&b.value));
                }
                EcrMessage::Reversal(r) => {
                    if let Some(z) = t.zvt.as_mut() {
                        z.void_of_receipt = r.receipt_no;
                    }
                    t.amount_minor = r
                        .other_bmps
                        .iter()
                        .find(|b| b.tag == 0x04)
                        .and_then(|b| bcd_to_u64(&b.value));
                }
                _ => {}
            }
        }
        self.step(id, StepKind::Started, time, text, at);
        self.zvt_open = Some(id);
        vec![id]
    }

    fn pt_message(
        &mut self,
        id: u64,
        message: PtMessage,
        frame: &FrameRecord,
        time: SystemTime,
    ) -> Option<u64> {
        let is_abort_txn = self.get(id).is_some_and(|t| t.kind == TxnKind::Abort);
        match message {
            PtMessage::Ack if is_abort_txn => {
                let at = self.attach(id, frame);
                self.end_zvt(id, Some(0), false, false);
                self.step(
                    id,
                    StepKind::Completed,
                    time,
                    Text::fixed(
                        "终端接受中止（80 00 00）",
                        "the terminal accepted the abort (80 00 00)",
                    ),
                    at,
                );
            }
            PtMessage::Ack => {}
            PtMessage::NegativeAck { result_code, .. } => {
                let at = self.attach(id, frame);
                self.end_zvt(id, Some(result_code), false, true);
                let m = crate::proto::zvt::result_code(result_code).text;
                let text = Text::new(
                    format!("终端拒绝命令：{result_code:02X} {}", m.zh),
                    format!("the terminal refused: {result_code:02X} {}", m.en),
                );
                self.step(id, StepKind::Declined, time, text, at);
            }
            PtMessage::IntermediateStatus(s) => {
                let at = self.attach(id, frame);
                self.intermediate(id, s.code, time, at);
            }
            PtMessage::StatusInformation(si) => {
                let at = self.attach(id, frame);
                self.status_information(id, &si, time, at);
            }
            PtMessage::PrintLine(p) => {
                let at = self.attach(id, frame);
                let lines = self.count_print_lines(id, 1);
                if p.is_last_line() {
                    let text = crate::tr!(
                        "小票已发到收银机（{lines} 行）",
                        "receipt sent to the cash register ({lines} lines)"
                    );
                    self.step(id, StepKind::ReceiptPrinted, time, text, at);
                }
            }
            PtMessage::PrintTextBlock(b) => {
                let at = self.attach(id, frame);
                let lines = self.count_print_lines(id, b.lines().len());
                let text = crate::tr!(
                    "小票已发到收银机（{lines} 行）",
                    "receipt sent to the cash register ({lines} lines)"
                );
                self.step(id, StepKind::ReceiptPrinted, time, text, at);
            }
            PtMessage::Completion(c) => {
                let at = self.attach(id, frame);
                let result = self.end_zvt(id, c.result_code, false, false);
                let (kind, text) = if result == 0 {
                    (
                        StepKind::Completed,
                        Text::fixed("终端完成（06 0F）", "completed by the terminal (06 0F)"),
                    )
                } else {
                    let m = crate::proto::zvt::result_code(result).text;
                    (
                        StepKind::Declined,
                        Text::new(
                            format!("终端结束：{result:02X} {}（06 0F）", m.zh),
                            format!("ended by the terminal: {result:02X} {} (06 0F)", m.en),
                        ),
                    )
                };
                self.step(id, kind, time, text, at);
                if result == 0 {
                    return self.link_zvt_void(id, time);
                }
            }
            PtMessage::Abort(a) => {
                let at = self.attach(id, frame);
                let rc = a.result_code;
                // 6F "wrong currency" names the terminal's own currency.
                self.compare_with_request(id, a.currency, None, time, at);
                self.end_zvt(id, Some(rc), true, false);
                let m = crate::proto::zvt::result_code(rc).text;
                let text = Text::new(
                    format!("终端中止：{rc:02X} {}（06 1E）", m.zh),
                    format!("aborted by the terminal: {rc:02X} {} (06 1E)", m.en),
                );
                self.step(id, StepKind::Aborted, time, text, at);
            }
            PtMessage::StatusEnquiryCompletion(_)
            | PtMessage::SetDateTimeInEcr(_)
            | PtMessage::Other(_) => {
                self.attach(id, frame);
            }
        }
        None
    }

    /// A void the terminal completed cancels the payment it names: by the original trace
    /// (BMP 37) or the receipt number asked for. The host side, when seen, links it first.
    fn link_zvt_void(&mut self, id: u64, time: SystemTime) -> Option<u64> {
        let t = self.get(id)?;
        let z = t.zvt.as_ref()?;
        if t.kind != TxnKind::Void {
            return None;
        }
        let receipt = z.void_of_receipt.map(|n| format!("{n:04}"));
        let trace = z.original_trace.clone();
        let original = self
            .txns
            .iter()
            .rev()
            .find(|o| {
                o.id != id
                    && o.kind == TxnKind::Payment
                    && o.voided_by.is_none()
                    && o.zvt.as_ref().is_some_and(|oz| {
                        (trace.is_some() && oz.trace == trace)
                            || (receipt.is_some() && oz.receipt_no == receipt)
                    })
            })
            .map(|o| o.id)?;
        if let Some(o) = self.get_mut(original) {
            o.voided_by = Some(id);
        }
        let text = crate::tr!("已被第 {id} 笔撤销", "voided by #{id}");
        self.step(original, StepKind::Reversed, time, text, None);
        Some(original)
    }

    fn count_print_lines(&mut self, id: u64, n: usize) -> usize {
        let Some(z) = self.get_mut(id).and_then(|t| t.zvt.as_mut()) else {
            return n;
        };
        z.print_lines = z.print_lines.saturating_add(n);
        z.print_lines
    }

    /// Ends the ZVT command; returns the result that stands (a non-zero code seen earlier in
    /// the status information wins over a `06 0F` without one).
    fn end_zvt(&mut self, id: u64, result: Option<u8>, aborted: bool, refused: bool) -> u8 {
        self.zvt_open = None;
        let Some(z) = self.get_mut(id).and_then(|t| t.zvt.as_mut()) else {
            return result.unwrap_or(0);
        };
        z.ended = true;
        z.aborted = aborted;
        z.refused = refused;
        if result.is_some_and(|r| r != 0) || z.result.is_none() {
            z.result = result.or(z.result);
        }
        z.result.unwrap_or(0)
    }

    fn intermediate(&mut self, id: u64, code: u8, time: SystemTime, at: Option<usize>) {
        // 41–5D repeat 01–1D with "please remove card".
        let base = if (0x41..=0x5D).contains(&code) {
            code - 0x40
        } else {
            code
        };
        let info = crate::proto::zvt::intermediate_status(code).text;
        let shown = Text::new(
            format!("终端显示：{} (04 FF {code:02X})", info.zh),
            format!("terminal shows: {} (04 FF {code:02X})", info.en),
        );
        match base {
            0x01 | 0x02 => {
                self.card_read(id, time);
                if !self.get(id).is_some_and(|t| t.has_step(StepKind::Pin)) {
                    self.step(id, StepKind::Pin, time, shown, at);
                }
            }
            0x04 => {
                self.card_read(id, time);
                let no_host = self
                    .get(id)
                    .is_some_and(|t| t.host.is_none() && !t.has_step(StepKind::SentToHost));
                if no_host {
                    self.step(id, StepKind::SentToHost, time, shown, at);
                }
            }
            0x05 => {
                let first = self
                    .get(id)
                    .is_some_and(|t| !t.has_step(StepKind::ReversalSent));
                if first {
                    self.step(id, StepKind::ReversalSent, time, shown, at);
                }
            }
            0x07..=0x0D | 0x10 | 0x12..=0x16 | 0x18 | 0x19 | 0x1D => {
                self.step(id, StepKind::Note, time, shown, at);
            }
            _ => {}
        }
    }
}
