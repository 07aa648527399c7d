//! The guide's observations (`guide/observe.rs`) from ZVT frames, read by this driver: the
//! terminal's state and result codes.

use std::time::SystemTime;

use crate::drivers::terminal::codes::TerminalCode;
use crate::drivers::terminal::protocol::TerminalProtocol;
use crate::frame::{Channel, Direction, FrameRecord};
use crate::guide::Observations;
use crate::proto::zvt;

fn zvt_code(code: &str) -> TerminalCode {
    TerminalCode::new(TerminalProtocol::Zvt, code)
}

fn frame(channel: Channel, direction: Direction, hex_bytes: &str) -> FrameRecord {
    FrameRecord {
        time: SystemTime::UNIX_EPOCH,
        channel,
        direction,
        raw: hex::decode(hex_bytes).expect("hex"),
        summary: String::new(),
        error: false,
        summary_zh: None,
    }
}

#[test]
fn zvt_status_and_abort_codes_come_from_frames() {
    let mut obs = Observations::new();
    // Status-Enquiry (serial), then a 06 0F in the Status-Enquiry layout with status BF.
    let tx = frame(
        Channel::Terminal,
        Direction::Tx,
        "1002050105000000030410039bb9",
    );
    let rx_apdu = zvt::Apdu::new(0x06, 0x0F, vec![0xBF]);
    let rx = zvt::encode_serial_frame(&rx_apdu.encode().expect("apdu"));
    let rx = FrameRecord {
        raw: rx,
        ..frame(Channel::Terminal, Direction::Rx, "")
    };
    // Abort over TCP (bare APDU) with result 64.
    let abort = frame(Channel::Terminal, Direction::Rx, "061e0164");
    obs.add_frames([&tx, &rx, &abort]);
    assert_eq!(obs.terminal_status, Some(zvt_code("BF")));
    assert!(obs.terminal_results.contains(&zvt_code("64")));
}

#[test]
fn a_refusal_asking_to_repeat_is_no_failure() {
    let mut obs = Observations::new();
    let ask = zvt::EcrMessage::Authorisation(zvt::message::Authorisation {
        amount_minor: Some(1234),
        ..Default::default()
    });
    let tx = FrameRecord {
        raw: ask.encode().expect("encodes"),
        ..frame(Channel::Terminal, Direction::Tx, "")
    };
    let nak_9c = frame(Channel::Terminal, Direction::Rx, "849c00");
    let nak_6c = frame(Channel::Terminal, Direction::Rx, "846c00");
    obs.add_frames([&tx, &nak_9c]);
    assert!(
        obs.terminal_results.is_empty(),
        "{:?}",
        obs.terminal_results
    );
    obs.add_frames([&nak_6c]);
    assert!(obs.terminal_results.contains(&zvt_code("6C")));
}
