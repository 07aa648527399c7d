//! The nexo terminal as the checks see it ([`TerminalDriver`]): the read-only
//! `DiagnosisRequest` (with the hosts' state) read per area through [`summarize`] into
//! [`StatusFacts`]. What nexo cannot tell (supply voltage, battery, the terminal's clock in a
//! diagnosis) stays `None`, so those checks say "not reported by this terminal", never pass.
//! Every exchange is emitted as frames of the terminal channel, decrypted and masked.

use std::sync::{Arc, Mutex};

use tokio::time::Instant;

use super::client::NexoClient;
use super::error::NexoClientError;
use super::frames::exchange_frames;
use super::summary::{summarize, Area, AreaFinding, DiagnosisSummary, Level};
use crate::drivers::terminal::{
    Answered, AreaFact, FactState, FrameSink, LinkProgress, SettingsScan, StatusFacts,
    TerminalDriver, TerminalError, TerminalFailure, TerminalFuture, TerminalProtocol, WireSummary,
    WrongAnswer, WrongAnswerKind,
};
use crate::frame::FrameRecord;
use crate::i18n::Text;
use crate::link::{LinkError, ModemLines};

/// A nexo terminal behind its client.
pub struct NexoTerminal {
    client: Arc<NexoClient>,
    sink: FrameSink,
    /// The frames of the query in flight (for a check that gives up waiting).
    seen: Mutex<Vec<FrameRecord>>,
    /// The last diagnosis read per area (for the host diagnosis, asked after the status).
    last: Mutex<Option<(DiagnosisSummary, Vec<FrameRecord>)>>,
}

impl NexoTerminal {
    pub fn new(client: Arc<NexoClient>, sink: FrameSink) -> Self {
        NexoTerminal {
            client,
            sink,
            seen: Mutex::new(Vec::new()),
            last: Mutex::new(None),
        }
    }

    /// Moves the client's exchanges to the bus and returns their frames.
    fn flush(&self) -> Vec<FrameRecord> {
        let frames: Vec<FrameRecord> = self
            .client
            .take_log()
            .iter()
            .flat_map(exchange_frames)
            .collect();
        for f in &frames {
            (self.sink)(f.clone());
        }
        if let Ok(mut seen) = self.seen.lock() {
            seen.extend(frames.iter().cloned());
        }
        frames
    }

    async fn diagnose(&self) -> Result<StatusFacts, TerminalFailure> {
        let answer = self.client.diagnosis().await;
        let frames = self.flush();
        let answer = answer.map_err(|e| failure(e, frames.clone()))?;
        let summary = summarize(&answer.diagnosis);
        let facts = status_facts(&summary, frames.clone());
        if let Ok(mut last) = self.last.lock() {
            *last = Some((summary, frames));
        }
        Ok(facts)
    }
}

/// A client error as the link check reads it: the connection errors as link errors, the
/// rest with the bytes that came (an answer that came is never "silence").
pub fn failure(e: NexoClientError, frames: Vec<FrameRecord>) -> TerminalFailure {
    let bytes_in: usize = frames
        .iter()
        .filter(|f| f.direction == crate::frame::Direction::Rx)
        .map(|f| f.raw.len().max(1))
        .sum();
    let text = e.text();
    let error = match e {
        NexoClientError::Refused { addr } => TerminalError::Link(LinkError::TcpRefused { addr }),
        NexoClientError::ConnectTimeout { addr, timeout } => {
            TerminalError::Link(LinkError::TcpTimeout { addr, timeout })
        }
        NexoClientError::Timeout { .. } => TerminalError::NoAnswer { text },
        other => match other.cause_id() {
            Some(cause) => TerminalError::Refused {
                code: cause.as_str().to_owned(),
                text,
            },
            None => TerminalError::Protocol { text },
        },
    };
    TerminalFailure {
        error,
        frames,
        wire: WireSummary {
            bytes_in,
            unframed_bytes: 0,
            unframed_sample: Vec::new(),
        },
    }
}

fn state_of(level: Level) -> FactState {
    match level {
        Level::Ok => FactState::Ok,
        Level::Warn => FactState::Warn,
        Level::Fail => FactState::Fault,
    }
}

fn fact(finding: &AreaFinding, label: Text) -> AreaFact {
    let mut f = AreaFact::new(state_of(finding.level), finding.detail.clone())
        .with_evidence_text(label, &finding.detail);
    f.cause = finding.cause;
    f
}

/// The worst of several findings (the first of the worst), as one fact.
fn worst_fact(findings: &[&AreaFinding], label: Text) -> Option<AreaFact> {
    // `max_by_key` keeps the last of equals: reversed, the first of the worst.
    let worst = findings.iter().rev().max_by_key(|f| f.level)?;
    let mut out = fact(worst, label.clone());
    for f in findings.iter().filter(|f| !std::ptr::eq(**f, *worst)) {
        out = out.with_evidence_text(label.clone(), &f.detail);
    }
    Some(out)
}

/// The diagnosis per area as the checks' facts.
pub fn status_facts(summary: &DiagnosisSummary, frames: Vec<FrameRecord>) -> StatusFacts {
    let mut facts = StatusFacts::ready();
    let area = |a: Area| summary.area(a);
    if let Some(t) = area(Area::Terminal) {
        facts.state.state = state_of(t.level);
        facts.state.cause = t.cause;
        facts
            .state
            .evidence
            .push(crate::drivers::terminal::Evidence::text(
                Text::fixed("终端状态", "terminal status"),
                &t.detail,
            ));
    } else {
        facts.state.state = FactState::Unknown;
    }
    facts.printer = area(Area::Printer).map(|f| fact(f, Text::fixed("打印机", "printer")));
    let readers: Vec<&AreaFinding> = [Area::Reader, Area::PinPad]
        .into_iter()
        .filter_map(area)
        .collect();
    facts.reader = worst_fact(
        &readers,
        Text::fixed("读卡器 / 密码键盘", "reader / PIN pad"),
    );
    facts.keys = area(Area::Security).map(|f| fact(f, Text::fixed("安全", "security")));
    let hosts: Vec<&AreaFinding> = summary
        .findings
        .iter()
        .filter(|f| matches!(f.area, Area::Network | Area::Host))
        .collect();
    facts.host = worst_fact(&hosts, Text::fixed("主机", "host"));
    facts.frames = frames;
    facts
}

impl TerminalDriver for NexoTerminal {
    fn protocol(&self) -> TerminalProtocol {
        TerminalProtocol::Nexo
    }

    fn target(&self) -> String {
        format!("https://{}/nexo", self.client.config().addr)
    }

    fn query_status(&self) -> TerminalFuture<'_, Result<StatusFacts, TerminalFailure>> {
        Box::pin(self.diagnose())
    }

    fn progress(&self) -> LinkProgress {
        let seen = self.seen.lock().map(|s| s.clone()).unwrap_or_default();
        let rx = seen
            .iter()
            .filter(|f| f.direction == crate::frame::Direction::Rx)
            .count();
        LinkProgress {
            units_in: rx,
            frames_in: rx,
            unframed_sample: Vec::new(),
        }
    }

    fn frames_so_far(&self) -> Vec<FrameRecord> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn classify_unframed(&self, _bytes: &[u8]) -> WrongAnswer {
        WrongAnswer {
            kind: WrongAnswerKind::OtherProtocol,
            description: Text::fixed(
                "对端应答的不是 nexo 报文",
                "the peer answers, but not with a nexo message",
            ),
        }
    }

    fn scan_settings(&self, _deadline: Instant) -> TerminalFuture<'_, Option<SettingsScan>> {
        Box::pin(async { None })
    }

    fn modem_lines(&self) -> TerminalFuture<'_, Option<ModemLines>> {
        Box::pin(async { None })
    }

    fn reads_cards(&self) -> bool {
        // nexo has no read-only card read (only a payment reads a card).
        false
    }

    /// The hosts' state from the diagnosis (asked with `HostDiagnosisFlag`: read-only).
    fn host_diagnosis(&self) -> TerminalFuture<'_, Option<Result<Answered, TerminalFailure>>> {
        Box::pin(async move {
            let last = self.last.lock().ok().and_then(|l| l.clone());
            let (summary, frames) = match last {
                Some(l) => l,
                None => match self.diagnose().await {
                    Ok(_) => self.last.lock().ok().and_then(|l| l.clone())?,
                    Err(f) => return Some(Err(f)),
                },
            };
            let facts = status_facts(&summary, frames.clone());
            let fact = facts.host.unwrap_or_else(|| {
                AreaFact::new(
                    FactState::Unknown,
                    Text::fixed(
                        "终端的诊断未报告主机状态",
                        "the terminal's diagnosis did not report its hosts",
                    ),
                )
            });
            Some(Ok(Answered { fact, frames }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::nexo::Diagnosis;
    use serde_json::json;

    fn facts(v: serde_json::Value) -> StatusFacts {
        status_facts(&summarize(&Diagnosis::from_body(&v)), Vec::new())
    }

    #[test]
    fn each_area_carries_its_cause_and_unreported_areas_stay_none() {
        let f = facts(
            json!({"POIStatus": {"GlobalStatus": "OK", "PrinterStatus": "PaperEmpty",
            "CardReaderOKFlag": false, "PEDOKFlag": true, "SecurityOKFlag": false,
            "CommunicationOKFlag": false},
            "HostStatus": [{"AcquirerID": "A", "IsReachableFlag": false}]}),
        );
        assert_eq!(f.state.state, FactState::Ok);
        let p = f.printer.unwrap();
        assert_eq!(
            (p.state, p.cause.map(|c| c.as_str())),
            (FactState::Fault, Some("printer.paper_out"))
        );
        assert_eq!(
            f.reader.unwrap().cause.map(|c| c.as_str()),
            Some("reader.not_answering")
        );
        assert_eq!(
            f.keys.unwrap().cause.map(|c| c.as_str()),
            Some("keys.missing")
        );
        assert_eq!(
            f.host.unwrap().cause.map(|c| c.as_str()),
            Some("network.down")
        );
        assert!(f.power_supply.is_none() && f.battery.is_none() && f.clock.is_none());
    }

    #[test]
    fn a_healthy_terminal_is_ok_everywhere_it_reports() {
        let f = facts(
            json!({"POIStatus": {"GlobalStatus": "OK", "PrinterStatus": "OK",
            "CardReaderOKFlag": true, "PEDOKFlag": true, "SecurityOKFlag": true,
            "CommunicationOKFlag": true},
            "HostStatus": [{"AcquirerID": "A", "IsReachableFlag": true}]}),
        );
        for a in [&f.printer, &f.reader, &f.keys, &f.host] {
            assert_eq!(a.as_ref().unwrap().state, FactState::Ok);
        }
        let empty = facts(json!({}));
        assert_eq!(empty.state.state, FactState::Unknown);
        assert!(empty.printer.is_none());
    }
}
