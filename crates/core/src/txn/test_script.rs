//! A scripted conversation for the tracker's tests: a cash register, a terminal and a host
//! exchanging frames built by the codecs (redacted as posdiag records them), on a fixed clock.

use std::time::{Duration, SystemTime};

use super::*;
use crate::event::{Channel, Direction, FrameRecord};
use crate::proto::iso8583::{redact_message, Dialect, FieldValue, Message, Mti};
use crate::proto::zvt::bmp::Bmp;
use crate::proto::zvt::encode_serial_frame;
use crate::proto::zvt::message::{
    Abort, Authorisation, Completion, EcrMessage, IntermediateStatus, PrintLine, PtMessage,
    StatusInformation,
};
use crate::proto::zvt::values::encode_pan;

const PAN: &str = "6200000000000005";

pub(super) struct Script {
    pub(super) tracker: TxnTracker,
    pub(super) now: SystemTime,
    pub(super) dialect: Dialect,
    pub(super) serial: bool,
}

impl Script {
    pub(super) fn new() -> Self {
        Script {
            tracker: TxnTracker::new(Dialect::cup()),
            now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
            dialect: Dialect::cup(),
            serial: false,
        }
    }

    pub(super) fn frame(&mut self, channel: Channel, direction: Direction, raw: Vec<u8>) {
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

    pub(super) fn ecr(&mut self, m: EcrMessage) {
        let mut raw = m.encode().expect("encodes");
        if self.serial {
            raw = encode_serial_frame(&raw);
        }
        self.frame(Channel::Terminal, Direction::Tx, raw);
    }

    pub(super) fn pt(&mut self, m: PtMessage) {
        let mut raw = m.encode().expect("encodes");
        if self.serial {
            raw = encode_serial_frame(&raw);
        }
        self.frame(Channel::Terminal, Direction::Rx, raw);
        // The cash register acks every PT message.
        self.ecr(EcrMessage::Ack);
    }

    pub(super) fn host(&mut self, direction: Direction, m: Message) {
        let raw = m.encode(&self.dialect).expect("encodes");
        let clean = redact_message(&self.dialect, &raw);
        self.frame(Channel::Host, direction, clean);
    }

    pub(super) fn pay(&mut self, amount: u64) {
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

    pub(super) fn sale(&mut self, stan: &str, amount: u64) {
        let m = iso("0200", stan)
            .with(2, FieldValue::digits(PAN))
            .with(3, FieldValue::digits("000000"))
            .with(4, FieldValue::digits(format!("{amount:012}")))
            .with(60, FieldValue::digits("22000001"));
        self.host(Direction::Tx, m);
    }

    pub(super) fn answer(&mut self, mti: &str, stan: &str, code: &str) {
        let m = iso(mti, stan)
            .with(37, FieldValue::text("000000000042"))
            .with(39, FieldValue::text(code))
            .with(60, FieldValue::digits("22000001"));
        self.host(Direction::Rx, m);
    }

    pub(super) fn reversal(&mut self, stan: &str, reason: &str) {
        let m = iso("0400", stan)
            .with(3, FieldValue::digits("000000"))
            .with(39, FieldValue::text(reason))
            .with(60, FieldValue::digits("22000001"));
        self.host(Direction::Tx, m);
    }

    pub(super) fn status_info(&mut self, result: u8, trace: &str) {
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

    pub(super) fn receipt(&mut self) {
        for (i, text) in ["POSDIAG SIM", "SALE 12.34"].into_iter().enumerate() {
            self.pt(PtMessage::PrintLine(PrintLine {
                attribute: if i == 1 { 0xC0 } else { 0 },
                text: text.into(),
            }));
        }
    }

    pub(super) fn end(&mut self, result: Option<u8>) {
        self.pt(PtMessage::Completion(Completion {
            result_code: result,
            ..Completion::default()
        }));
    }

    pub(super) fn abort(&mut self, rc: u8) {
        self.pt(PtMessage::Abort(Abort {
            result_code: rc,
            ..Abort::default()
        }));
    }

    pub(super) fn last(&self) -> TransactionRecord {
        TransactionRecord::of(self.tracker.transactions().last().expect("a transaction"))
    }
}

pub(super) fn iso(mti: &str, stan: &str) -> Message {
    Message::new(Mti::new(mti).expect("mti"))
        .with(11, FieldValue::digits(stan))
        .with(41, FieldValue::text("29001006"))
}

pub(super) fn steps(r: &TransactionRecord) -> Vec<StepKind> {
    r.timeline.iter().map(|e| e.step).collect()
}
