//! A scripted conversation for the transaction tracker's tests with a ZVT terminal: a cash
//! register, a terminal and a host exchanging frames built by the codecs (redacted as posdiag
//! records them), on a fixed clock. The frames reach the tracker through this driver's
//! observer, as in a session.

use std::time::{Duration, SystemTime};

use super::{StepKind, TransactionRecord, TxnTracker};
use crate::frame::{Channel, Direction, FrameRecord};
use crate::proto::iso8583::{redact_message, Dialect, FieldValue, Message, Mti};
use crate::proto::zvt::bmp::Bmp;
use crate::proto::zvt::encode_serial_frame;
use crate::proto::zvt::message::{
    Abort, Authorisation, Completion, EcrMessage, IntermediateStatus, PrintLine, PtMessage,
    StatusInformation,
};
use crate::proto::zvt::values::encode_pan;

const PAN: &str = "6200000000000005";

pub(crate) struct Script {
    pub(crate) tracker: TxnTracker,
    pub(crate) now: SystemTime,
    pub(crate) dialect: Dialect,
    pub(crate) serial: bool,
}

impl Script {
    pub(crate) fn new() -> Self {
        Script {
            tracker: TxnTracker::new(Dialect::cup()),
            now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
            dialect: Dialect::cup(),
            serial: false,
        }
    }

    pub(crate) fn frame(&mut self, channel: Channel, direction: Direction, raw: Vec<u8>) {
        self.now += Duration::from_millis(120);
        let frame = FrameRecord {
            time: self.now,
            channel,
            direction,
            raw,
            summary: "test".into(),
            error: false,
            summary_zh: None,
        };
        self.tracker.feed(&frame);
    }

    pub(crate) fn ecr(&mut self, m: EcrMessage) {
        let mut raw = m.encode().expect("encodes");
        if self.serial {
            raw = encode_serial_frame(&raw);
        }
        self.frame(Channel::Terminal, Direction::Tx, raw);
    }

    pub(crate) fn pt(&mut self, m: PtMessage) {
        let mut raw = m.encode().expect("encodes");
        if self.serial {
            raw = encode_serial_frame(&raw);
        }
        self.frame(Channel::Terminal, Direction::Rx, raw);
        // The cash register acks every PT message.
        self.ecr(EcrMessage::Ack);
    }

    pub(crate) fn host(&mut self, direction: Direction, m: Message) {
        let raw = m.encode(&self.dialect).expect("encodes");
        let clean = redact_message(&self.dialect, &raw);
        self.frame(Channel::Host, direction, clean);
    }

    pub(crate) fn pay(&mut self, amount: u64) {
        let card = Bmp::new(0x22, encode_pan(PAN).expect("pan"));
        self.ecr(EcrMessage::Authorisation(Authorisation {
            amount_minor: Some(amount),
            other_bmps: vec![card],
            ..Authorisation::default()
        }));
        self.pt(PtMessage::Ack);
        for code in [0x0A, 0x01, 0x04] {
            self.pt(PtMessage::IntermediateStatus(IntermediateStatus {
                code,
                ..Default::default()
            }));
        }
    }

    pub(crate) fn sale(&mut self, stan: &str, amount: u64) {
        let m = iso("0200", stan)
            .with(2, FieldValue::digits(PAN))
            .with(3, FieldValue::digits("000000"))
            .with(4, FieldValue::digits(format!("{amount:012}")))
            .with(60, FieldValue::digits("22000001"));
        self.host(Direction::Tx, m);
    }

    pub(crate) fn answer(&mut self, mti: &str, stan: &str, code: &str) {
        let m = iso(mti, stan)
            .with(37, FieldValue::text("000000000042"))
            .with(39, FieldValue::text(code))
            .with(60, FieldValue::digits("22000001"));
        self.host(Direction::Rx, m);
    }

    pub(crate) fn reversal(&mut self, stan: &str, reason: &str) {
        let m = iso("0400", stan)
            .with(3, FieldValue::digits("000000"))
            .with(39, FieldValue::text(reason))
            .with(60, FieldValue::digits("22000001"));
        self.host(Direction::Tx, m);
    }

    pub(crate) fn status_info(&mut self, result: u8, trace: &str) {
        self.pt(PtMessage::StatusInformation(Box::new(StatusInformation {
            result_code: Some(result),
            amount_minor: Some(1234),
            currency: Some(156),
            pan_masked: Some("620000******0005".into()),
            trace: Some(trace.into()),
            receipt_no: Some("0001".into()),
            ..StatusInformation::default()
        })));
    }

    pub(crate) fn receipt(&mut self) {
        for (i, text) in ["POSDIAG SIM", "SALE 12.34"].into_iter().enumerate() {
            self.pt(PtMessage::PrintLine(PrintLine {
                attribute: if i == 1 { 0xC0 } else { 0 },
                text: text.into(),
            }));
        }
    }

    pub(crate) fn end(&mut self, result: Option<u8>) {
        self.pt(PtMessage::Completion(Completion {
            result_code: result,
            ..Completion::default()
        }));
    }

    pub(crate) fn abort(&mut self, rc: u8) {
        self.pt(PtMessage::Abort(Abort {
            result_code: rc,
            ..Abort::default()
        }));
    }

    pub(crate) fn last(&self) -> TransactionRecord {
        TransactionRecord::of(self.tracker.transactions().last().expect("a transaction"))
    }
}

pub(crate) fn iso(mti: &str, stan: &str) -> Message {
    Message::new(Mti::new(mti).expect("mti"))
        .with(11, FieldValue::digits(stan))
        .with(41, FieldValue::text("29001006"))
}

pub(crate) fn steps(r: &TransactionRecord) -> Vec<StepKind> {
    r.timeline.iter().map(|e| e.step).collect()
}
