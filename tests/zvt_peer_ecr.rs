//! An independent cash register against posdiag's simulated terminal: the `zvt` crate
//! (EVerest/qwello, crates.io 0.1.0) builds every request and parses every reply with its own
//! packet types and sequences, through `posdiag tap --protocol zvt`, and the tap's transaction
//! lines must carry what the terminal answered (its currency and amounts).
//!
//! The crate has no type for Authorisation `06 01`, Reversal `06 30`, Book Total `06 24` and
//! the ECR's Abort `06 B0`: those are declared here with the crate's own derive macro, and
//! their replies parsed with the crate's response enums.

// The crate's derive macro names `zvt_builder`; the `zvt` crate re-exports all of it.
use zvt as zvt_builder;

use std::io::{BufRead, BufReader};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use zvt::sequences::{self, AuthorizationResponse, Sequence};
use zvt::{encoding, length, packets, Zvt, ZvtParser, ZvtSerializer};

const PASSWORD: usize = 123_456;
const CNY: usize = 156;
const EUR: usize = 978;
const TID: usize = 29_001_006;

/// `06 01` Authorisation.
#[derive(Debug, PartialEq, Zvt)]
#[zvt_control_field(class = 0x06, instr = 0x01)]
struct Authorization {
    #[zvt_bmp(number = 0x04, length = length::Fixed<6>, encoding = encoding::Bcd)]
    amount: Option<usize>,
    #[zvt_bmp(number = 0x49, length = length::Fixed<2>, encoding = encoding::Bcd)]
    currency: Option<usize>,
    #[zvt_bmp(number = 0x19)]
    payment_type: Option<u8>,
}

/// `06 30` Reversal of a receipt.
#[derive(Debug, PartialEq, Zvt)]
#[zvt_control_field(class = 0x06, instr = 0x30)]
struct Reversal {
    #[zvt_bmp(length = length::Fixed<3>, encoding = encoding::Bcd)]
    password: usize,
    #[zvt_bmp(number = 0x87, length = length::Fixed<2>, encoding = encoding::Bcd)]
    receipt_no: Option<usize>,
}

/// `06 24` Book Total of a reservation.
#[derive(Debug, PartialEq, Zvt)]
#[zvt_control_field(class = 0x06, instr = 0x24)]
struct BookTotal {
    #[zvt_bmp(number = 0x87, length = length::Fixed<2>, encoding = encoding::Bcd)]
    receipt_no: Option<usize>,
    #[zvt_bmp(number = 0x04, length = length::Fixed<6>, encoding = encoding::Bcd)]
    amount: Option<usize>,
    #[zvt_bmp(number = 0x49, length = length::Fixed<2>, encoding = encoding::Bcd)]
    currency: Option<usize>,
}

/// `06 B0` Abort from the cash register.
#[derive(Debug, PartialEq, Zvt)]
#[zvt_control_field(class = 0x06, instr = 0xB0)]
struct EcrAbort {}

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_posdiag")
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

fn wait_listening(port: u16) {
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("nothing listens on {port}");
}

/// `posdiag sim --terminal-tcp 127.0.0.1:0 --format json [--fault F]…`: the process and the
/// terminal's address, read from its JSON endpoint line.
fn start_sim(faults: &[&str]) -> (Kill, String) {
    let mut cmd = Command::new(bin());
    cmd.args(["sim", "--terminal-tcp", "127.0.0.1:0", "--format", "json"]);
    for f in faults {
        cmd.args(["--fault", f]);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("sim");
    let stdout = child.stdout.take().expect("stdout");
    let sim = Kill(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("endpoints");
    let v: serde_json::Value = serde_json::from_str(&line).expect("json endpoints");
    assert!(v["host_tcp"].is_string(), "a terminal brings its host: {v}");
    let addr = v["terminal_tcp"].as_str().expect("terminal_tcp").to_owned();
    (sim, addr)
}

/// `posdiag tap --protocol zvt --format jsonl` in front of `upstream`: the process, its port,
/// and every JSONL line it prints.
fn start_tap(
    upstream: &str,
    dir: &std::path::Path,
) -> (Kill, u16, Arc<Mutex<Vec<serde_json::Value>>>) {
    let port = free_port();
    let mut child = Command::new(bin())
        .args(["tap", "--protocol", "zvt", "--format", "jsonl"])
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--upstream",
            upstream,
        ])
        .arg("--capture")
        .arg(dir.join("tap.jsonl"))
        .arg("--log-file")
        .arg(dir.join("tap.log"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tap");
    let stdout = child.stdout.take().expect("stdout");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str(&line) {
                sink.lock().expect("lines").push(v);
            }
        }
    });
    let tap = Kill(child);
    wait_listening(port);
    (tap, port, lines)
}

/// Runs a crate sequence to its end; every reply must parse with the crate.
async fn run<S>(input: &S::Input, socket: &mut TcpStream) -> Vec<S::Output>
where
    S: Sequence,
    S::Input: ZvtSerializer + Send + Sync,
    encoding::Default: encoding::Encoding<S::Input>,
{
    let mut stream = S::into_stream(input, socket);
    let mut out = Vec::new();
    while let Some(reply) = stream.next().await {
        out.push(reply.unwrap_or_else(|e| panic!("a reply the crate cannot parse: {e:#}")));
    }
    out
}

/// A payment-like sequence (`06 01`, `06 30`, `06 24`) with the crate's Authorization
/// response enum: acknowledged, then every message parsed and acknowledged to the end.
async fn run_payment<P>(request: &P, socket: &mut TcpStream) -> Vec<AuthorizationResponse>
where
    P: ZvtSerializer + Sync + Send,
    encoding::Default: encoding::Encoding<P>,
{
    let mut src = Pin::new(socket);
    sequences::write_with_ack_async(request, &mut src)
        .await
        .expect("acknowledged");
    let mut out = Vec::new();
    loop {
        let bytes = sequences::read_packet_async(&mut src).await.expect("reply");
        let reply = AuthorizationResponse::zvt_parse(&bytes)
            .unwrap_or_else(|e| panic!("{e}: {}", hex::encode_upper(&bytes)));
        src.write_all(&packets::Ack {}.zvt_serialize())
            .await
            .expect("ack");
        let end = matches!(
            reply,
            AuthorizationResponse::CompletionData(_) | AuthorizationResponse::Abort(_)
        );
        out.push(reply);
        if end {
            return out;
        }
    }
}

/// Sends raw `request` and returns the terminal's first reply, raw.
async fn raw_reply(request: &[u8], socket: &mut TcpStream) -> Vec<u8> {
    socket.write_all(request).await.expect("send");
    let mut src = Pin::new(socket);
    sequences::read_packet_async(&mut src).await.expect("reply")
}

/// Status-Enquiry with `service_byte`: the completion parsed as the crate's Status-Enquiry
/// completion (`ReceiptPrintoutCompletion`: SW version, terminal status, TLV).
async fn status(
    socket: &mut TcpStream,
    service_byte: Option<u8>,
) -> packets::ReceiptPrintoutCompletion {
    let request = packets::StatusEnquiry {
        password: service_byte.map(|_| PASSWORD),
        service_byte,
        tlv: None,
    };
    let mut src = Pin::new(socket);
    sequences::write_with_ack_async(&request, &mut src)
        .await
        .expect("acknowledged");
    let bytes = sequences::read_packet_async(&mut src)
        .await
        .expect("completion");
    src.write_all(&packets::Ack {}.zvt_serialize())
        .await
        .expect("ack");
    packets::ReceiptPrintoutCompletion::zvt_deserialize(&bytes)
        .unwrap_or_else(|e| {
            panic!(
                "service byte {service_byte:?}: {e}: {}",
                hex::encode_upper(&bytes)
            )
        })
        .0
}

fn status_info(replies: &[AuthorizationResponse]) -> &packets::StatusInformation {
    replies
        .iter()
        .find_map(|r| match r {
            AuthorizationResponse::StatusInformation(s) => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no status information in {replies:?}"))
}

fn completed(replies: &[AuthorizationResponse]) -> bool {
    matches!(replies.last(), Some(AuthorizationResponse::CompletionData(c)) if c.result_code.unwrap_or(0) == 0)
}

/// The tap's transaction lines, once `n` have come (or after 10 s).
fn transactions(lines: &Mutex<Vec<serde_json::Value>>, n: usize) -> Vec<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found: Vec<serde_json::Value> = lines
            .lock()
            .expect("lines")
            .iter()
            .filter(|v| v["type"] == "transaction")
            .map(|v| v["transaction"].clone())
            .collect();
        if found.len() >= n || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_zvt_crate_as_cash_register_gets_a_real_answer_to_every_command_through_the_tap() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_sim, terminal) = start_sim(&[]);
    let (_tap, tap_port, lines) = start_tap(&terminal, dir.path());
    let mut ecr = TcpStream::connect(("127.0.0.1", tap_port))
        .await
        .expect("tap");

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
    // In another currency: refused `84 1E 03 6F <CC>` (zvt.md §2.1, p.29).
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

    // The tap's verdicts carry what the terminal answered. Each change of outcome is a line:
    // the first line of a transaction is its verdict then, the last its verdict now.
    let txns = transactions(&lines, 6);
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
