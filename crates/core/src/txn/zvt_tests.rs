//! The transaction tracker against ZVT and ISO 8583 frames built by the codecs, read through
//! this driver's observer: the five outcomes of the issue, pairing, duplicates, voids, serial
//! framing, bounded memory, and arbitrary bytes.

use std::time::{Duration, SystemTime};

use super::zvt_script::{iso, steps, Script};
use super::*;
use crate::frame::{Channel, Direction, FrameRecord};
use crate::proto::iso8583::{Dialect, FieldValue};
use crate::proto::zvt::message::{Authorisation, EcrMessage, Reversal};
use crate::proto::zvt::values::Password;

#[test]
fn approved_payment_has_the_whole_timeline() {
    let mut s = Script::new();
    s.pay(1234);
    s.sale("000001", 1234);
    s.answer("0210", "000001", "00");
    s.status_info(0, "000001");
    s.receipt();
    s.end(Some(0));
    let r = s.last();
    assert_eq!(r.verdict.as_deref(), Some("APPROVED"));
    assert_eq!(r.response_code.as_deref(), Some("00"));
    assert!(r.causes.is_empty());
    assert_eq!(r.card.as_deref(), Some("620000******0005"));
    assert_eq!(r.rrn.as_deref(), Some("000000000042"));
    let kinds = steps(&r);
    for k in [
        StepKind::Started,
        StepKind::CardRead,
        StepKind::Pin,
        StepKind::SentToHost,
        StepKind::HostAnswered,
        StepKind::ReceiptPrinted,
        StepKind::Completed,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing in {kinds:?}");
    }
    // The ZVT payment and its ISO 8583 messages are one transaction.
    assert_eq!(s.tracker.len(), 1);
    assert!(r.banner.en.starts_with("approved 12.34"), "{}", r.banner.en);
    assert!(r.timeline.iter().any(|e| !e.frames.is_empty()));
}

#[test]
fn decline_51_names_the_code_its_class_and_causes() {
    let mut s = Script::new();
    s.pay(1234);
    s.sale("000002", 1234);
    s.answer("0210", "000002", "51");
    s.status_info(51, "000002");
    s.abort(51);
    let r = s.last();
    assert_eq!(r.verdict.as_deref(), Some("DECLINED"));
    assert_eq!(r.response_code.as_deref(), Some("51"));
    assert_eq!(r.response_class.as_deref(), Some("C"));
    assert!(r
        .response_meaning
        .as_ref()
        .is_some_and(|m| m.zh.contains("余额不足")));
    assert_eq!(r.causes, vec!["host.decline", "card.insufficient_funds"]);
    assert!(r.banner.en.contains("declined 51"), "{}", r.banner.en);
    assert!(r.banner.en.contains("do not retry"), "{}", r.banner.en);
    assert!(r.banner.zh.contains("余额不足"), "{}", r.banner.zh);
}

#[test]
fn timeout_then_reversal_98() {
    let mut s = Script::new();
    s.pay(1234);
    s.sale("000003", 1234);
    s.reversal("000003", "98");
    let pending = s.last();
    assert_eq!(pending.verdict.as_deref(), Some("TIMEOUT_REVERSAL_PENDING"));
    assert_eq!(pending.causes, vec!["host.timeout"]);
    assert!(pending.banner.en.contains("do NOT charge again"));
    s.answer("0410", "000003", "00");
    s.abort(0xA1);
    let r = s.last();
    assert_eq!(r.verdict.as_deref(), Some("REVERSED"));
    assert_eq!(r.reversal_reason.as_deref(), Some("98"));
    assert_eq!(r.reversal_result.as_deref(), Some("00"));
    assert!(steps(&r).contains(&StepKind::Reversed));
}

#[test]
fn printer_failure_after_approval_is_approved_then_reversed_96() {
    let mut s = Script::new();
    s.pay(1234);
    s.sale("000004", 1234);
    s.answer("0210", "000004", "00");
    s.reversal("000004", "96");
    s.answer("0410", "000004", "00");
    s.abort(0xCC);
    let r = s.last();
    assert_eq!(r.verdict.as_deref(), Some("APPROVED_THEN_REVERSED"));
    assert_eq!(r.reversal_reason.as_deref(), Some("96"));
    assert_eq!(r.causes, vec!["txn.receipt_print_fail"]);
    assert!(r.banner.en.contains("printer failed"), "{}", r.banner.en);
}

#[test]
fn mac_failure_reverses_with_a0() {
    let mut s = Script::new();
    s.pay(1234);
    s.sale("000005", 1234);
    s.answer("0210", "000005", "00");
    s.reversal("000005", "A0");
    s.answer("0410", "000005", "00");
    let r = s.last();
    assert_eq!(r.verdict.as_deref(), Some("APPROVED_THEN_REVERSED"));
    assert_eq!(r.reversal_reason.as_deref(), Some("A0"));
    assert_eq!(r.causes, vec!["host.mac_error"]);
}

#[test]
fn an_unanswered_request_times_out_and_an_unresolved_one_is_unknown() {
    let mut s = Script::new();
    s.pay(500);
    s.sale("000006", 500);
    assert_eq!(s.last().verdict, None, "still waiting");
    let later = s.now + Duration::from_secs(61);
    s.tracker.tick(later);
    assert_eq!(
        s.last().verdict.as_deref(),
        Some("TIMEOUT_REVERSAL_PENDING")
    );

    let mut s = Script::new();
    s.sale("000007", 500);
    s.answer("0210", "000007", "00");
    s.ecr(EcrMessage::Authorisation(Authorisation {
        amount_minor: Some(700),
        ..Authorisation::default()
    }));
    s.tracker.close();
    let r = s.last();
    assert_eq!(r.verdict.as_deref(), Some("UNKNOWN"));
    assert!(r.banner.en.contains("ask the acquirer"), "{}", r.banner.en);
    assert_eq!(r.ask_acquirer.len(), 5);
}

#[test]
fn zvt_only_outcomes_read_the_result_code() {
    let mut s = Script::new();
    s.pay(100);
    s.status_info(0, "000010");
    s.receipt();
    s.end(None);
    assert_eq!(s.last().verdict.as_deref(), Some("APPROVED"));
    s.pay(100);
    s.abort(51);
    let r = s.last();
    assert_eq!(r.verdict.as_deref(), Some("DECLINED"));
    assert_eq!(
        r.response_code.as_deref(),
        Some("51"),
        "host code passed through"
    );
    s.pay(100);
    s.abort(0x6C);
    let r = s.last();
    assert_eq!(r.verdict.as_deref(), Some("DECLINED"));
    assert_eq!(r.response_code, None);
    assert_eq!(r.zvt_result.as_deref(), Some("6C"));
}

#[test]
fn same_card_and_amount_again_is_a_possible_duplicate_and_94_names_it() {
    let mut s = Script::new();
    for stan in ["000020", "000021"] {
        s.pay(1234);
        s.sale(stan, 1234);
        s.answer("0210", stan, "00");
        s.status_info(0, stan);
        s.end(Some(0));
    }
    let r = s.last();
    assert_eq!(r.duplicate_of, Some(1));
    assert!(r.causes.contains(&"host.duplicate".to_owned()));
    s.pay(999);
    s.sale("000022", 999);
    s.answer("0210", "000022", "94");
    let r = s.last();
    assert_eq!(r.causes, vec!["host.duplicate"]);
}

#[test]
fn a_void_cancels_its_payment() {
    let mut s = Script::new();
    s.pay(1234);
    s.sale("000030", 1234);
    s.answer("0210", "000030", "00");
    s.status_info(0, "000030");
    s.end(Some(0));
    s.ecr(EcrMessage::Reversal(Reversal {
        password: Password::default(),
        receipt_no: Some(1),
        ..Reversal::default()
    }));
    let void = iso("0200", "000031")
        .with(3, FieldValue::digits("200000"))
        .with(4, FieldValue::digits("000000001234"))
        .with(60, FieldValue::digits("23000001"))
        .with(61, FieldValue::digits("000001000030"));
    s.host(Direction::Tx, void);
    s.answer("0210", "000031", "00");
    s.end(Some(0));
    let payment = TransactionRecord::of(s.tracker.get(1).expect("payment"));
    assert_eq!(payment.verdict.as_deref(), Some("REVERSED"));
    assert_eq!(s.last().kind, TxnKind::Void);
    assert_eq!(s.last().verdict.as_deref(), Some("APPROVED"));
}

#[test]
fn serial_framing_reads_the_same() {
    let mut s = Script::new();
    s.serial = true;
    s.pay(1234);
    s.sale("000040", 1234);
    s.answer("0210", "000040", "00");
    s.status_info(0, "000040");
    s.end(Some(0));
    assert_eq!(s.last().verdict.as_deref(), Some("APPROVED"));
    assert_eq!(s.last().trace.as_deref(), Some("000040"));
}

#[test]
fn memory_is_bounded() {
    let mut s = Script::new();
    s.tracker = TxnTracker::with_config(
        Dialect::cup(),
        TrackerConfig {
            max_transactions: 50,
            max_frames: 8,
            ..TrackerConfig::default()
        },
    );
    for i in 0..120u64 {
        let stan = format!("{:06}", i + 1);
        s.pay(100 + i);
        s.sale(&stan, 100 + i);
        s.answer("0210", &stan, "00");
        s.status_info(0, &stan);
        s.receipt();
        s.end(Some(0));
    }
    assert_eq!(s.tracker.len(), 50);
    assert_eq!(s.tracker.evicted(), 70);
    for t in s.tracker.transactions() {
        assert!(t.frames.len() <= 8);
        assert!(t.frames_dropped > 0);
        assert_eq!(judge(t), Some(TxnVerdict::Approved), "#{}", t.id);
    }
    assert_eq!(s.tracker.transactions().last().map(|t| t.id), Some(120));
}

#[test]
fn each_outcome_is_reported_once() {
    let mut s = Script::new();
    s.pay(1234);
    s.sale("000050", 1234);
    let ids: Vec<u64> = s.tracker.transactions().map(|t| t.id).collect();
    assert!(s.tracker.newly_settled(&ids).is_empty(), "running");
    s.reversal("000050", "98");
    assert_eq!(s.tracker.newly_settled(&ids), vec![1]);
    assert!(s.tracker.newly_settled(&ids).is_empty());
    s.answer("0410", "000050", "00");
    assert_eq!(s.tracker.newly_settled(&ids), vec![1]);
}

proptest::proptest! {
    #[test]
    fn arbitrary_frames_never_panic(
        frames in proptest::collection::vec(
            (0u8..3, proptest::bool::ANY, proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80)),
            0..40,
        )
    ) {
        let mut t = TxnTracker::new(Dialect::cup());
        for (ch, tx, raw) in frames {
            let channel = match ch { 0 => Channel::Terminal, 1 => Channel::Host, _ => Channel::Printer };
            let direction = if tx { Direction::Tx } else { Direction::Rx };
            let f = FrameRecord { time: SystemTime::now(), channel, direction, raw, summary: String::new(), error: false, summary_zh: None };
            let ids = t.feed(&f);
            for id in ids {
                if let Some(x) = t.get(id) {
                    let _ = TransactionRecord::of(x);
                }
            }
        }
        t.close();
    }
}

#[test]
fn a_void_seen_only_on_zvt_pairs_by_receipt_number() {
    let mut s = Script::new();
    s.pay(1234);
    s.status_info(0, "000060");
    s.end(Some(0));
    s.ecr(EcrMessage::Reversal(Reversal {
        password: Password::default(),
        receipt_no: Some(1),
        ..Reversal::default()
    }));
    s.status_info(0, "000061");
    s.end(Some(0));
    let payment = TransactionRecord::of(s.tracker.get(1).expect("payment"));
    assert_eq!(payment.verdict.as_deref(), Some("REVERSED"));
    assert!(
        payment.banner.en.starts_with("voided"),
        "{}",
        payment.banner.en
    );
}

#[test]
fn a_second_void_of_the_same_receipt_names_nothing() {
    let mut s = Script::new();
    s.pay(1234);
    s.status_info(0, "000080");
    s.end(Some(0));
    for trace in ["000081", "000082"] {
        s.ecr(EcrMessage::Reversal(Reversal {
            password: Password::default(),
            receipt_no: Some(1),
            ..Reversal::default()
        }));
        s.status_info(0, trace);
        s.end(Some(0));
    }
    let payment = s.tracker.get(1).expect("payment");
    assert_eq!(payment.voided_by, Some(2));
}
