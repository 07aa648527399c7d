//! An independent cash register against posdiag's simulated terminal: the `zvt` crate
//! (EVerest/qwello, crates.io 0.1.0) builds every request and parses every reply with its own
//! packet types and sequences, through `posdiag tap --protocol zvt`, and the tap's transaction
//! lines must carry what the terminal answered (its currency and amounts).
//!
//! The crate has no type for Authorisation `06 01`, Reversal `06 30`, Book Total `06 24` and
//! the ECR's Abort `06 B0`: those are declared in `zvt_peer/` with the crate's own derive
//! macro, and their replies parsed with the crate's response enums.

use crate::zvt_peer;

use std::io::{BufRead, BufReader};
use std::pin::Pin;
use std::process::{Command, Stdio};

use tokio::net::TcpStream;
use zvt::sequences::{self, AuthorizationResponse};
use zvt::{packets, ZvtSerializer};
use zvt_peer::*;

/// Registration (in the terminal's currency and in another) and Status-Enquiry with each
/// service byte, through the tap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_and_status_enquiry_with_each_service_byte() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_sim, _tap, mut ecr, _lines) = through_tap(dir.path()).await;

    // Registration in the terminal's currency: TID and currency echoed.
    let reg = packets::Registration {
        password: PASSWORD,
        config_byte: 0xDE,
        currency: Some(CNY),
        tlv: None,
    };
    let replies = run::<sequences::Registration>(&reg, &mut ecr).await;
    let sequences::RegistrationResponse::CompletionData(c) = &replies[0];
    assert_eq!(
        (c.terminal_id, c.currency, c.status_byte),
        (Some(TID), Some(CNY), Some(0))
    );
    // In another currency: refused `84 1E 03 6F <CC>` (docs/protocols/zvt.md §2.1, p.29).
    let eur = packets::Registration {
        currency: Some(EUR),
        ..reg
    };
    let refusal = raw_reply(&eur.zvt_serialize(), &mut ecr).await;
    assert_eq!(refusal, [0x84, 0x1E, 0x03, 0x6F, 0x01, 0x56]);

    // Status-Enquiry with each service byte: the completion always has its SW version field
    // (empty when bit 1 asks to leave the version out), the TLV only with bit 2.
    for svc in [None, Some(0x00), Some(0x02), Some(0x04), Some(0x06)] {
        let s = status(&mut ecr, svc).await;
        assert_eq!(s.terminal_status_code, 0, "{svc:?}");
        let version_left_out = svc.is_some_and(|b| b & 0x02 != 0);
        assert_eq!(s.sw_version.is_empty(), version_left_out, "{svc:?}: {s:?}");
        let tlv = svc.is_some_and(|b| b & 0x04 != 0);
        assert_eq!(s.tlv.is_some(), tlv, "{svc:?}");
        if let Some(t) = &s.tlv {
            assert_eq!(t.terminal_id, Some(TID));
            let device = t.device_information.as_ref().expect("E4");
            assert_eq!(device.device_state, Some(0));
        }
    }
}

/// Payment, a payment in another currency, reversal, reservations and their bookings,
/// End-of-Day: the crate parses every reply, and the tap's verdicts carry the terminal's
/// currency and amounts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payments_reservations_and_end_of_day_reach_the_tap_in_the_terminal_s_currency() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_sim, _tap, mut ecr, lines) = through_tap(dir.path()).await;

    // A payment of 12.34 CNY: approved, with the terminal's amount and currency.
    let pay = Authorization {
        amount: Some(1234),
        currency: Some(CNY),
        payment_type: Some(0x40),
    };
    let replies = run_payment(&pay, &mut ecr).await;
    let si = status_info(&replies);
    assert_eq!(
        (si.result_code, si.amount, si.currency),
        (Some(0), Some(1234), Some(CNY))
    );
    assert_eq!(si.terminal_id, Some(TID));
    let receipt = si.receipt_no.expect("receipt number");
    assert!(completed(&replies), "{replies:?}");
    assert!(replies
        .iter()
        .any(|r| matches!(r, AuthorizationResponse::PrintLine(_))));

    // The same payment in EUR: the terminal refuses it (6F wrong currency) instead of charging CNY.
    let in_eur = Authorization {
        currency: Some(EUR),
        ..pay
    };
    let replies = run_payment(&in_eur, &mut ecr).await;
    assert!(
        matches!(replies.last(), Some(AuthorizationResponse::Abort(a)) if a.error == 0x6F),
        "{replies:?}"
    );
    assert!(!replies
        .iter()
        .any(|r| matches!(r, AuthorizationResponse::StatusInformation(_))));

    // Reversal of the payment's receipt.
    let void = Reversal {
        password: PASSWORD,
        receipt_no: Some(receipt),
    };
    let replies = run_payment(&void, &mut ecr).await;
    let si = status_info(&replies);
    assert_eq!((si.result_code, si.amount), (Some(0), Some(1234)));
    assert!(completed(&replies), "{replies:?}");

    // Reservation of 25.00, partial reversal (booking 12.95), the wildcard receipt FF FF.
    let reserve = packets::Reservation {
        amount: Some(2500),
        currency: Some(CNY),
        payment_type: Some(0x40),
        ..packets::Reservation::default()
    };
    let replies = run::<sequences::Reservation>(&reserve, &mut ecr).await;
    let si = status_info(&replies);
    assert_eq!(
        (si.result_code, si.amount, si.currency),
        (Some(0), Some(2500), Some(CNY))
    );
    let held = si.receipt_no.expect("reservation receipt");
    assert!(completed(&replies));
    let partial = packets::PartialReversal {
        receipt_no: Some(held),
        amount: Some(1295),
        payment_type: Some(0x40),
        currency: Some(CNY),
        tlv: None,
    };
    let replies = run::<sequences::PartialReversal>(&partial, &mut ecr).await;
    let booked = replies.iter().find_map(|r| match r {
        sequences::PartialReversalResponse::StatusInformation(s) => s.amount,
        _ => None,
    });
    assert_eq!(booked, Some(1295), "{replies:?}");
    assert!(matches!(
        replies.last(),
        Some(sequences::PartialReversalResponse::CompletionData(_))
    ));
    let wildcard = packets::PartialReversal {
        receipt_no: Some(0xFFFF),
        amount: None,
        payment_type: None,
        currency: None,
        tlv: None,
    };
    let replies = run::<sequences::PartialReversal>(&wildcard, &mut ecr).await;
    let Some(sequences::PartialReversalResponse::PartialReversalAbort(a)) = replies.last() else {
        panic!("{replies:?}");
    };
    assert_eq!((a.error, a.receipt_no), (0xB8, Some(0xFFFF)));

    // A second reservation booked in total (06 24), a third released (06 25).
    let replies = run::<sequences::Reservation>(&reserve, &mut ecr).await;
    let second = status_info(&replies).receipt_no.expect("receipt");
    let book = BookTotal {
        receipt_no: Some(second),
        amount: Some(2000),
        currency: Some(CNY),
    };
    let replies = run_payment(&book, &mut ecr).await;
    assert_eq!(status_info(&replies).amount, Some(2000));
    assert!(completed(&replies));
    let replies = run::<sequences::Reservation>(&reserve, &mut ecr).await;
    let third = status_info(&replies).receipt_no.expect("receipt");
    let release = packets::PreAuthReversal {
        payment_type: None,
        currency: Some(CNY),
        receipt_no: Some(third),
    };
    let replies = run::<sequences::PreAuthReversal>(&release, &mut ecr).await;
    assert!(
        matches!(
            replies.last(),
            Some(sequences::PartialReversalResponse::CompletionData(_))
        ),
        "{replies:?}"
    );

    // End-of-Day: the bookings (12.95 + 20.00) are the day's turnover; the voided payment
    // and the released reservation are not.
    let eod = packets::EndOfDay { password: PASSWORD };
    let replies = run::<sequences::EndOfDay>(&eod, &mut ecr).await;
    let totals = replies
        .iter()
        .find_map(|r| match r {
            sequences::EndOfDayResponse::StatusInformation(s) => Some(s),
            _ => None,
        })
        .expect("totals");
    assert_eq!((totals.amount, totals.currency), (Some(3295), Some(CNY)));
    let groups = totals.single_amounts.as_ref().expect("BMP 60");
    assert_eq!((groups.others.num, groups.others.total), (2, 3295));
    assert!(matches!(
        replies.last(),
        Some(sequences::EndOfDayResponse::CompletionData(_))
    ));

    // The tap's verdicts carry what the terminal answered. Each change of outcome is a line:
    // the first line of a transaction is its verdict then, the last its verdict now.
    let txns = transactions(&lines, 5);
    let mut first = std::collections::BTreeMap::new();
    let mut last = std::collections::BTreeMap::new();
    for t in &txns {
        let id = t["id"].as_u64().expect("id");
        first.entry(id).or_insert_with(|| t.clone());
        last.insert(id, t.clone());
    }
    let of = |kind: &str| -> Vec<u64> {
        first
            .iter()
            .filter(|(_, t)| t["kind"] == kind)
            .map(|(id, _)| *id)
            .collect()
    };
    let payments = of("payment");
    assert_eq!(payments.len(), 2, "{txns:#?}");
    let (paid, refused) = (&first[&payments[0]], &last[&payments[1]]);
    assert_eq!(paid["verdict"], "APPROVED");
    assert_eq!(paid["amount"], "12.34 CNY");
    assert_eq!(paid["amount_minor"], 1234);
    assert!(
        paid["mismatches"].as_array().is_some_and(Vec::is_empty),
        "{paid:#?}"
    );
    assert_eq!(
        last[&payments[0]]["verdict"], "REVERSED",
        "voided afterwards"
    );
    assert_eq!(refused["verdict"], "DECLINED");
    assert_eq!(refused["zvt_result"], "6F");
    let finding = refused["mismatches"][0]["en"].as_str().unwrap_or_default();
    assert!(
        finding.contains("EUR") && finding.contains("CNY"),
        "{refused:#?}"
    );
    assert!(refused["banner"]["en"]
        .as_str()
        .unwrap_or_default()
        .contains("EUR"));
    let voids = of("void");
    assert_eq!(voids.len(), 1, "{txns:#?}");
    assert_eq!(last[&voids[0]]["verdict"], "APPROVED");
    assert_eq!(last[&voids[0]]["amount"], "12.34 CNY");
    let eods = of("end_of_day");
    assert_eq!(eods.len(), 1, "{txns:#?}");
    assert_eq!(last[&eods[0]]["amount"], "32.95 CNY");
}

/// Read Card, Print System Configuration, Diagnosis, Initialisation, Set Terminal-ID, the Feig
/// system information, Abort and a command the terminal does not offer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administration_commands_get_a_real_answer_or_84_83_00() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_sim, _tap, mut ecr, _lines) = through_tap(dir.path()).await;

    // Read Card: "insert card", then the status information with the card's TLV container,
    // which ends the command (the next command must not see a stray completion).
    let read = packets::ReadCard {
        timeout_sec: 15,
        card_type: None,
        dialog_control: None,
        tlv: None,
    };
    let replies = run::<sequences::ReadCard>(&read, &mut ecr).await;
    let Some(sequences::ReadCardResponse::StatusInformation(card)) = replies.last() else {
        panic!("read card: {replies:?}");
    };
    assert_eq!(card.result_code, Some(0));
    let tlv = card.tlv.as_ref().expect("read card TLV");
    assert!(tlv.uuid.is_some(), "{tlv:?}");
    assert_eq!(tlv.card_type, Some(1));
    assert_eq!(tlv.subs.len(), 1);
    assert_eq!(
        tlv.subs[0].application_id.as_deref(),
        Some("a000000333010101")
    );

    // Print System Configuration: lines, then the completion.
    let replies =
        run::<sequences::PrintSystemConfiguration>(&packets::PrintSystemConfiguration {}, &mut ecr)
            .await;
    assert!(replies.len() > 1);
    assert!(matches!(
        replies.last(),
        Some(sequences::PrintSystemConfigurationResponse::CompletionData(
            _
        ))
    ));

    // Diagnosis, line and extended (the extended one sets the ECR's clock: 04 01).
    for kind in [1u8, 2] {
        let d = packets::Diagnosis {
            tlv: Some(packets::tlv::Diagnosis {
                diagnosis_type: Some(kind),
            }),
        };
        let replies = run::<sequences::Diagnosis>(&d, &mut ecr).await;
        assert!(
            matches!(
                replies.last(),
                Some(sequences::DiagnosisResponse::CompletionData(_))
            ),
            "diagnosis {kind}: {replies:?}"
        );
        let sets_clock = replies
            .iter()
            .any(|r| matches!(r, sequences::DiagnosisResponse::SetTimeAndDate(_)));
        assert_eq!(sets_clock, kind == 2);
    }

    // Initialisation: online, a receipt, the completion.
    let init = packets::Initialization { password: PASSWORD };
    let replies = run::<sequences::Initialization>(&init, &mut ecr).await;
    assert!(
        matches!(
            replies.last(),
            Some(sequences::InitializationResponse::CompletionData(_))
        ),
        "{replies:?}"
    );

    // Set/Reset Terminal-ID (the batch is empty now), and back.
    for (asked, expected) in [(Some(29_001_007), 29_001_007), (None, TID)] {
        let set = packets::SetTerminalId {
            password: PASSWORD,
            terminal_id: asked,
        };
        let replies = run::<sequences::SetTerminalId>(&set, &mut ecr).await;
        let Some(sequences::SetTerminalIdResponse::CompletionData(c)) = replies.last() else {
            panic!("{replies:?}");
        };
        assert_eq!(c.terminal_id, Some(expected));
    }

    // Feig cVEND system information (0F A1 00 01).
    let info = zvt::feig::packets::CVendFunctions { instr: 1 };
    let replies = run::<zvt::feig::sequences::GetSystemInfo>(&info, &mut ecr).await;
    let Some(zvt::feig::sequences::GetSystemInfoResponse::CVendFunctionsEnhancedSystemInformationCompletion(c)) =
        replies.last()
    else {
        panic!("{replies:?}");
    };
    assert_eq!(c.terminal_id, TID.to_string());

    // Abort while the cash register is master: acknowledged.
    let mut src = Pin::new(&mut ecr);
    sequences::write_with_ack_async(&EcrAbort {}, &mut src)
        .await
        .expect("abort acknowledged");
    // A command the terminal does not offer (Account Balance Request): `84 83 00`, nothing else.
    let refused = raw_reply(&[0x06, 0x03, 0x00], &mut ecr).await;
    assert_eq!(refused, [0x84, 0x83, 0x00]);
    // And the terminal still answers.
    assert_eq!(status(&mut ecr, None).await.terminal_status_code, 0);
}

/// The recoveries posdiag recommends succeed and clear what they fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_recommended_recovery_clears_the_state_it_fixes() {
    let (_sim, terminal) = start_sim(&[
        "terminal.needs_init",
        "terminal.diagnosis_required",
        "terminal.eod_required",
        "reader.card_inserted",
    ]);
    let mut ecr = TcpStream::connect(terminal.as_str())
        .await
        .expect("terminal");
    // Registration says "initialisation necessary" while status 51 stands.
    let reg = packets::Registration {
        password: PASSWORD,
        config_byte: 0xDE,
        currency: None,
        tlv: None,
    };
    let sequences::RegistrationResponse::CompletionData(c) =
        run::<sequences::Registration>(&reg, &mut ecr)
            .await
            .remove(0);
    assert_eq!(c.status_byte, Some(0x01));
    assert_eq!(c.currency, None, "no currency echoed when none was sent");

    assert_eq!(status(&mut ecr, None).await.terminal_status_code, 0x51);
    let replies =
        run::<sequences::Initialization>(&packets::Initialization { password: PASSWORD }, &mut ecr)
            .await;
    assert!(matches!(
        replies.last(),
        Some(sequences::InitializationResponse::CompletionData(_))
    ));

    assert_eq!(status(&mut ecr, None).await.terminal_status_code, 0xC2);
    let extended = packets::Diagnosis {
        tlv: Some(packets::tlv::Diagnosis {
            diagnosis_type: Some(2),
        }),
    };
    let replies = run::<sequences::Diagnosis>(&extended, &mut ecr).await;
    assert!(matches!(
        replies.last(),
        Some(sequences::DiagnosisResponse::CompletionData(_))
    ));

    assert_eq!(status(&mut ecr, None).await.terminal_status_code, 0xF0);
    let replies =
        run::<sequences::EndOfDay>(&packets::EndOfDay { password: PASSWORD }, &mut ecr).await;
    assert!(matches!(
        replies.last(),
        Some(sequences::EndOfDayResponse::CompletionData(_))
    ));

    assert_eq!(status(&mut ecr, None).await.terminal_status_code, 0xDC);
    let mut src = Pin::new(&mut ecr);
    sequences::write_with_ack_async(&EcrAbort {}, &mut src)
        .await
        .expect("abort acknowledged");

    let fixed = status(&mut ecr, Some(0x04)).await;
    assert_eq!(fixed.terminal_status_code, 0x00);
    let sequences::RegistrationResponse::CompletionData(c) =
        run::<sequences::Registration>(&reg, &mut ecr)
            .await
            .remove(0);
    assert_eq!(c.status_byte, Some(0x00));
}

/// `posdiag sim --terminal-tcp 127.0.0.1:P` alone: the terminal pays against its own host.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_started_alone_completes_a_payment() {
    let port = free_port();
    let mut child = Command::new(bin())
        .args(["sim", "--terminal-tcp", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sim");
    let stdout = child.stdout.take().expect("stdout");
    let _sim = Kill(child);
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let second = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(first.starts_with("terminal tcp"), "{first}");
    assert!(
        second.starts_with("host tcp 127.0.0.1:"),
        "says which host it pays against: {second}"
    );
    wait_listening(port);
    let mut ecr = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("terminal");
    let pay = Authorization {
        amount: Some(500),
        currency: None,
        payment_type: None,
    };
    let replies = run_payment(&pay, &mut ecr).await;
    let si = status_info(&replies);
    assert_eq!(
        (si.result_code, si.amount, si.currency),
        (Some(0), Some(500), Some(CNY))
    );
    assert!(completed(&replies), "{replies:?}");
}
