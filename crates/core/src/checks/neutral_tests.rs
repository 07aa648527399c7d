//! The checks against a driver that is not ZVT: a protocol that reports little must read as
//! "not reported", never as a pass, and a failure must keep what the wire said.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::{clock, keys, link, power, reader, terminal, CheckStatus};
use crate::drivers::terminal::{
    Answered, AreaFact, FactState, LinkProgress, SettingsScan, StatusFacts, TerminalDriver,
    TerminalError, TerminalFailure, TerminalFuture, TerminalProbe, TerminalProtocol, WireSummary,
    WrongAnswer, WrongAnswerKind,
};
use crate::frame::FrameRecord;
use crate::i18n::Text;
use crate::link::ModemLines;

/// A terminal whose status answer is fixed (`None`: it sends `bytes` that are not its protocol).
struct Fake {
    status: Option<StatusFacts>,
    bytes: Vec<u8>,
}

impl TerminalDriver for Fake {
    fn protocol(&self) -> TerminalProtocol {
        TerminalProtocol::Zvt
    }
    fn target(&self) -> String {
        "tcp 192.0.2.1:1".into()
    }
    fn query_status(&self) -> TerminalFuture<'_, Result<StatusFacts, TerminalFailure>> {
        let outcome = self.status.clone().ok_or_else(|| TerminalFailure {
            error: TerminalError::NoAnswer {
                text: Text::same("no answer within 1 s"),
            },
            frames: Vec::new(),
            wire: WireSummary {
                bytes_in: self.bytes.len(),
                unframed_bytes: self.bytes.len(),
                unframed_sample: self.bytes.clone(),
            },
        });
        Box::pin(async move { outcome })
    }
    fn progress(&self) -> LinkProgress {
        LinkProgress::default()
    }
    fn frames_so_far(&self) -> Vec<FrameRecord> {
        Vec::new()
    }
    fn classify_unframed(&self, _bytes: &[u8]) -> WrongAnswer {
        WrongAnswer {
            kind: WrongAnswerKind::OtherProtocol,
            description: Text::same("an HTTP server"),
        }
    }
    fn scan_settings(&self, _deadline: Instant) -> TerminalFuture<'_, Option<SettingsScan>> {
        Box::pin(async { None })
    }
    fn modem_lines(&self) -> TerminalFuture<'_, Option<ModemLines>> {
        Box::pin(async { None })
    }
    fn read_card(
        &self,
        _timeout: Duration,
    ) -> TerminalFuture<'_, Option<Result<Answered, TerminalFailure>>> {
        Box::pin(async { None })
    }
    fn host_diagnosis(&self) -> TerminalFuture<'_, Option<Result<Answered, TerminalFailure>>> {
        Box::pin(async { None })
    }
}

fn probe(status: Option<StatusFacts>, bytes: &[u8]) -> TerminalProbe {
    TerminalProbe::new(Arc::new(Fake {
        status,
        bytes: bytes.to_vec(),
    }))
}

#[tokio::test]
async fn areas_a_protocol_cannot_tell_are_skipped_not_passed() {
    let p = probe(Some(StatusFacts::ready()), b"");
    for r in [
        power::supply(&p).await,
        power::battery(&p).await,
        keys::state(&p).await,
        clock::drift(&p, Duration::from_secs(60)).await,
        reader::status(&p).await,
        reader::card_read(&p, true, Duration::from_secs(5)).await,
    ] {
        assert_eq!(r.status, CheckStatus::Skip, "{r:#?}");
        assert_eq!(r.summary.en, "not reported by this terminal");
    }
    assert_eq!(terminal::status(&p).await.status, CheckStatus::Pass);
    let l = link::terminal_link(&p, Duration::from_secs(5)).await;
    assert_eq!(l.status, CheckStatus::Pass);
    assert_eq!(
        l.summary.en,
        "the terminal answers ZVT over tcp 192.0.2.1:1"
    );
}

#[tokio::test]
async fn a_fact_becomes_the_verdict_with_its_cause_and_evidence() {
    let mut facts = StatusFacts::ready();
    facts.printer = Some(
        AreaFact::new(FactState::Warn, Text::same("paper low"))
            .with_cause(crate::cause!("printer.paper_near_end"))
            .with_evidence(Text::same("PrinterStatus"), "PaperLow"),
    );
    facts.state.state = FactState::Fault;
    facts.state.cause = Some(crate::cause!("terminal.out_of_order"));
    let p = probe(Some(facts), b"");
    let r = super::printer_terminal::terminal_printer(&p).await;
    assert_eq!(r.status, CheckStatus::Warn);
    assert_eq!(r.causes, vec!["printer.paper_near_end"]);
    assert_eq!(r.evidence[0].value, "PaperLow");
    let t = terminal::status(&p).await;
    assert_eq!(t.status, CheckStatus::Fail);
    assert_eq!(t.causes, vec!["terminal.out_of_order"]);
    // No recovery named: the summary is the cause's title.
    assert_eq!(t.summary, crate::cause!("terminal.out_of_order").title());
}

#[tokio::test]
async fn another_protocol_on_the_line_names_the_wrong_peer_cause() {
    let p = probe(None, b"HTTP/1.1 400");
    let r = link::terminal_link(&p, Duration::from_secs(5)).await;
    assert_eq!(r.status, CheckStatus::Fail);
    assert_eq!(r.summary.en, "an HTTP server");
    assert_eq!(r.causes, vec![TerminalProtocol::Zvt.wrong_peer_cause()]);
    let k = keys::state(&p).await;
    assert_eq!(k.status, CheckStatus::Error);
    assert_eq!(k.evidence[0].value, "no answer within 1 s");
}
