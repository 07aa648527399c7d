//! Reading exchanges into outcomes and summaries, without a terminal.

use super::*;
use crate::drivers::zvt::Exchange;
use crate::proto::zvt::bmp::Bmp;
use crate::proto::zvt::message::{Abort, CommandCode, Completion, IntermediateStatus, PrintLine};

fn record(command: CommandCode, messages: Vec<PtMessage>, end: PtMessage) -> CommandRecord {
    CommandRecord {
        exchange: Exchange {
            command,
            messages,
            end,
        },
        frames: Vec::new(),
    }
}

#[test]
fn print_lines_and_completion() {
    let r = record(
        CommandCode::PrintSystemConfiguration,
        vec![
            PtMessage::PrintLine(PrintLine {
                attribute: 0,
                text: "SYSTEM CONFIGURATION  ".into(),
            }),
            PtMessage::PrintLine(PrintLine {
                attribute: 0xC0,
                text: "CARD 6200000000000005".into(),
            }),
        ],
        PtMessage::Completion(Completion::default()),
    );
    let o = CommandOutcome::from_record(TerminalCommand::PrintSystemConfiguration, r);
    assert!(o.succeeded());
    assert_eq!(o.print_lines[0], "SYSTEM CONFIGURATION");
    // A PAN printed in clear never reaches the notice or the capture.
    assert_eq!(o.print_lines[1], "CARD 620000******0005");
    let s = o.summary();
    assert!(s
        .en
        .starts_with("✓ Print System Configuration (06 1A): done; 2 receipt lines"));
    assert!(s.zh.starts_with("✓ 打印系统配置（06 1A）：完成；2 行凭条"));
    assert!(!s.en.contains("6200000000000005"));
}

#[test]
fn read_card_keeps_only_the_masked_pan() {
    let info = StatusInformation {
        result_code: Some(0),
        other_bmps: vec![Bmp::new(
            0x23,
            vec![
                0x62, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0xD2, 0x91, 0x21,
            ],
        )],
        ..StatusInformation::default()
    };
    let r = record(
        CommandCode::ReadCard,
        vec![
            PtMessage::IntermediateStatus(IntermediateStatus {
                code: 0x0A,
                ..Default::default()
            }),
            PtMessage::StatusInformation(Box::new(info)),
        ],
        PtMessage::Completion(Completion::default()),
    );
    let o = CommandOutcome::from_record(TerminalCommand::ReadCard, r);
    let s = o.summary().en;
    assert!(s.contains("card number (masked) 620000******0005"), "{s}");
    assert!(s.contains("terminal showed 0A insert card"), "{s}");
    assert!(!s.contains("D2912"), "{s}");
}

#[test]
fn abort_and_ack_only_endings() {
    let r = record(
        CommandCode::ReadCard,
        vec![],
        PtMessage::Abort(Abort {
            result_code: 0x64,
            ..Abort::default()
        }),
    );
    let o = CommandOutcome::from_record(TerminalCommand::ReadCard, r);
    assert!(!o.succeeded());
    assert!(o.summary().en.contains("the terminal aborted it: 64"));

    let r = record(CommandCode::Abort, vec![], PtMessage::Ack);
    let o = CommandOutcome::from_record(TerminalCommand::Abort, r);
    assert!(o.succeeded());
    assert_eq!(
        o.summary().en,
        "✓ Abort (06 B0): acknowledged by the terminal"
    );
    assert_eq!(o.summary().zh, "✓ 中止（06 B0）：终端已确认");
    // A failure carries no success mark.
    let failed = CommandOutcome::new(TerminalCommand::Abort, CommandEnd::NoTerminal);
    assert!(!crate::event::is_done_notice(&failed.summary()));
}

#[test]
fn registration_status_byte_is_named() {
    let r = record(
        CommandCode::Registration,
        vec![],
        PtMessage::Completion(Completion {
            status_byte: Some(0x02),
            tid: Some("29001006".into()),
            ..Completion::default()
        }),
    );
    let o = CommandOutcome::from_record(TerminalCommand::Registration, r);
    assert_eq!(
        o.summary().en,
        "✓ Registration (06 00): done; terminal id 29001006; status byte 02 (diagnosis necessary)"
    );
    assert!(o.summary().zh.ends_with("状态字节 02（需要诊断）"));
}

#[test]
fn failures_are_bilingual() {
    let failure = CommandFailure {
        error: ChannelError::Zvt(ZvtError::NoAcknowledgement {
            t3: Duration::from_secs(5),
        }),
        frames: Vec::new(),
        stats: Default::default(),
        garbage: Vec::new(),
    };
    let o = CommandOutcome::from_failure(TerminalCommand::DiagnosisLine, failure);
    let s = o.summary();
    assert!(
        s.en.contains("did not acknowledge the command within T3 (5.0 s)"),
        "{}",
        s.en
    );
    assert!(s.zh.contains("T3（5.0 s）"), "{}", s.zh);

    let refused = CommandFailure {
        error: ChannelError::Zvt(ZvtError::Refused { result_code: 0x83 }),
        frames: Vec::new(),
        stats: Default::default(),
        garbage: Vec::new(),
    };
    let o = CommandOutcome::from_failure(TerminalCommand::EndOfDay, refused);
    assert_eq!(o.end, CommandEnd::Refused { result_code: 0x83 });
    assert!(o
        .summary()
        .en
        .starts_with("End-of-Day (06 50): the terminal refused it: 83"));
}
