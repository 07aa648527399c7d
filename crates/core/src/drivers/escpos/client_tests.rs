//! The client against a scripted fake printer on an in-memory stream: split reads, XON/XOFF,
//! unsolicited ASB, late replies, garbage, silence and a closed link.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

use super::client::{ClientTimeouts, PrinterClient, PrinterError, WireEvent};
use crate::frame::Direction;
use crate::proto::escpos::commands::{parse_request, Request};
use crate::proto::escpos::encode::encode_reply;
use crate::proto::escpos::{
    FlowControl, IdQuery, PrinterCondition, PrinterIdentity, Problem, Query, StreamItem,
};

const TIMEOUTS: ClientTimeouts = ClientTimeouts {
    status: Duration::from_secs(1),
    id: Duration::from_millis(500),
    drain_quiet: Duration::from_millis(50),
};

/// How the fake printer answers.
#[derive(Clone)]
struct Script {
    condition: PrinterCondition,
    /// Sent before anything is asked.
    greeting: Vec<u8>,
    /// Sent between reply bytes.
    between: Vec<u8>,
    /// Delay before each reply.
    delay: Duration,
    /// Reply to GS I?
    identity: bool,
    /// Replace every reply byte with this.
    garbage: Option<u8>,
    silent: bool,
}

impl Default for Script {
    fn default() -> Self {
        Script {
            condition: PrinterCondition::all_clear(),
            greeting: Vec::new(),
            between: Vec::new(),
            delay: Duration::ZERO,
            identity: true,
            garbage: None,
            silent: false,
        }
    }
}

async fn fake_printer(mut stream: DuplexStream, script: Script) {
    if !script.greeting.is_empty() {
        let _ = stream.write_all(&script.greeting).await;
    }
    // Everything but the serial number.
    let identity = PrinterIdentity {
        model_id: Some(0x20),
        type_id: Some(0x03),
        firmware_id: Some(0x41),
        firmware_version: Some("1.00 ESC/POS".to_owned()),
        maker: Some("EPSON".to_owned()),
        model_name: Some("TM-T88V".to_owned()),
        serial_number: None,
        font_language: Some("CHINA GB18030".to_owned()),
    };
    let mut pending = Vec::new();
    let mut buf = [0u8; 64];
    while let Ok(n) = stream.read(&mut buf).await {
        if n == 0 {
            break;
        }
        pending.extend_from_slice(&buf[..n]);
        while let Some((request, len)) = parse_request(&pending) {
            pending.drain(..len);
            let Request::Query { query } = request else {
                continue;
            };
            if script.silent || (matches!(query, Query::PrinterId(_)) && !script.identity) {
                continue;
            }
            let Some(reply) = encode_reply(&script.condition, &identity, query) else {
                continue;
            };
            tokio::time::sleep(script.delay).await;
            // One byte per write: the client must handle split reads.
            for b in reply {
                let b = script.garbage.unwrap_or(b);
                if stream.write_all(&[b]).await.is_err() {
                    return;
                }
                let _ = stream.write_all(&script.between).await;
                tokio::task::yield_now().await;
            }
        }
    }
}

fn client_with(
    script: Script,
    flow: FlowControl,
) -> (PrinterClient<DuplexStream>, Arc<Mutex<Vec<String>>>) {
    let (ours, theirs) = tokio::io::duplex(1024);
    tokio::spawn(fake_printer(theirs, script));
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    let client = PrinterClient::new(ours, flow, TIMEOUTS).with_observer(Arc::new(
        move |dir: Direction, event: &WireEvent<'_>| {
            if let Some(r) = super::observe::record(dir, event) {
                seen.lock()
                    .unwrap()
                    .push(format!("{} {}", dir.arrow(), r.summary));
            }
        },
    ));
    (client, log)
}

#[tokio::test]
async fn all_clear_split_into_single_bytes() {
    let (mut client, log) = client_with(Script::default(), FlowControl::None);
    let read = client.status().await.unwrap();
    assert!(read.complete(), "{read:#?}");
    assert_eq!(read.condition(), PrinterCondition::all_clear());
    assert!(read.problems().is_empty());
    assert_eq!(read.status_bytes(), "EOT1 12, EOT2 12, EOT3 12, EOT4 12");
    // Returned on the last reply, not at the timeout.
    assert!(
        read.round_trip < Duration::from_millis(500),
        "{:?}",
        read.round_trip
    );
    let log = log.lock().unwrap();
    assert_eq!(
        log.iter().filter(|l| l.starts_with('→')).count(),
        4,
        "{log:?}"
    );
    assert_eq!(
        log.iter().filter(|l| l.starts_with('←')).count(),
        4,
        "{log:?}"
    );
}

#[tokio::test]
async fn paper_out_is_read_bit_by_bit() {
    let script = Script {
        condition: PrinterCondition::all_clear()
            .with_fault("printer.paper_out")
            .unwrap(),
        ..Default::default()
    };
    let (mut client, _) = client_with(script, FlowControl::None);
    let read = client.status().await.unwrap();
    assert_eq!(read.status_bytes(), "EOT1 1A, EOT2 32, EOT3 12, EOT4 7E");
    assert_eq!(read.problems(), vec![Problem::PaperOut]);
}

#[tokio::test(start_paused = true)]
async fn silence_is_no_reply_within_the_timeout() {
    let script = Script {
        silent: true,
        ..Default::default()
    };
    let (mut client, _) = client_with(script, FlowControl::None);
    let started = tokio::time::Instant::now();
    let read = client.status().await.unwrap();
    assert!(started.elapsed() <= TIMEOUTS.status + Duration::from_millis(10));
    assert!(read.silent());
    assert_eq!(read.unanswered().len(), 4);
    assert_eq!(read.problems(), vec![Problem::NoReply]);
    assert_eq!(read.condition(), PrinterCondition::default());
    assert_eq!(read.status_bytes(), "EOT1 —, EOT2 —, EOT3 —, EOT4 —");
}

#[tokio::test]
async fn xoff_between_replies_is_skipped_on_serial() {
    let script = Script {
        between: vec![0x13, 0x11],
        ..Default::default()
    };
    let (mut client, log) = client_with(script, FlowControl::XonXoff);
    let read = client.status().await.unwrap();
    assert!(read.complete(), "{read:#?}");
    assert!(log.lock().unwrap().iter().any(|l| l.contains("XOFF")));
}

#[tokio::test]
async fn unsolicited_asb_is_drained_and_reported() {
    let near_end = PrinterCondition::all_clear()
        .with_fault("printer.paper_near_end")
        .unwrap();
    let script = Script {
        condition: near_end,
        greeting: vec![0x10, 0x00, 0x03, 0x00],
        ..Default::default()
    };
    let (mut client, _) = client_with(script, FlowControl::None);
    // Let the ASB packet arrive before anything is asked.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let read = client.status().await.unwrap();
    assert_eq!(read.unsolicited_asb().len(), 1, "{read:#?}");
    assert!(read.complete());
    assert_eq!(read.problems(), vec![Problem::PaperNearEnd]);
}

#[tokio::test(start_paused = true)]
async fn late_replies_are_drained_before_the_next_query() {
    let script = Script {
        delay: Duration::from_millis(1500),
        ..Default::default()
    };
    let (mut client, _) = client_with(script.clone(), FlowControl::None);
    let first = client.status().await.unwrap();
    assert_eq!(first.unanswered().len(), 4);
    // The four late replies arrive; the next read must not take them for its own.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let second = client.status().await.unwrap();
    assert_eq!(
        second
            .drained
            .iter()
            .filter(|i| matches!(i, StreamItem::Stale { .. }))
            .count(),
        4,
        "{second:#?}"
    );
}

#[tokio::test]
async fn bytes_failing_the_fixed_bits_are_garbage_not_status() {
    let script = Script {
        garbage: Some(0xFF),
        ..Default::default()
    };
    let (mut client, _) = client_with(script, FlowControl::None);
    let read = client.status().await.unwrap();
    assert_eq!(read.invalid().len(), 4);
    assert_eq!(read.problems(), vec![Problem::Garbage]);
    assert_eq!(read.status_bytes(), "EOT1 FF, EOT2 FF, EOT3 FF, EOT4 FF");
    assert_eq!(read.condition(), PrinterCondition::default());
}

#[tokio::test]
async fn a_closed_link_is_an_error() {
    let (ours, theirs) = tokio::io::duplex(64);
    drop(theirs);
    let mut client = PrinterClient::new(ours, FlowControl::None, TIMEOUTS);
    match client.status().await {
        Err(PrinterError::Closed { .. }) | Err(PrinterError::Io(_)) => {}
        other => panic!("expected a closed link, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn identity_is_read_one_request_at_a_time() {
    let (mut client, _) = client_with(Script::default(), FlowControl::None);
    let read = client.identify().await.unwrap();
    let id = read.identity();
    assert_eq!(id.model_id, Some(0x20));
    assert_eq!(id.maker.as_deref(), Some("EPSON"));
    assert_eq!(id.font_language.as_deref(), Some("CHINA GB18030"));
    assert_eq!(read.asked.len(), 8);
    assert_eq!(
        read.unanswered(),
        vec![Query::PrinterId(IdQuery::SerialNumber)]
    );
}

#[tokio::test(start_paused = true)]
async fn no_gs_i_at_all_costs_one_timeout() {
    let script = Script {
        identity: false,
        ..Default::default()
    };
    let (mut client, _) = client_with(script, FlowControl::None);
    let started = tokio::time::Instant::now();
    let read = client.identify().await.unwrap();
    assert_eq!(read.asked, vec![Query::PrinterId(IdQuery::ModelId)]);
    assert!(started.elapsed() < TIMEOUTS.id * 2);
    // Nothing is left to be taken for the next status read.
    let status = client.status().await.unwrap();
    assert!(status.complete());
}
