//! The Concert terminal as the checks see it ([`TerminalDriver`]). Concert has one read-only
//! exchange, the `ENQ` → `ACK` handshake, so the status is "the terminal is there, speaks
//! Concert and is free to take a request": the link check and the terminal's state. Everything
//! else (power, reader, printer, keys, clock, host, identity) Concert cannot tell, so those
//! areas stay `None` and their checks say "not reported by this terminal", never pass; there is
//! no read-only card read or host diagnosis either.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::line::{ConcertLine, Presence};
use crate::drivers::terminal::{
    scan_order, Evidence, FactState, LinkProgress, SettingsScan, StatusFacts, TerminalDriver,
    TerminalFailure, TerminalFuture, TerminalProtocol, WrongAnswer,
};
use crate::frame::FrameRecord;
use crate::i18n::Text;
use crate::link::ModemLines;

/// How long a terminal has to answer ENQ. Telium terminals answer at once when free; the
/// cash-register libraries wait about a second (pyTeliumManager: 1 s per attempt).
const ENQ_WINDOW: Duration = Duration::from_secs(2);

/// How long each serial setting is listened to during the scan.
const SCAN_WINDOW: Duration = Duration::from_millis(300);

/// A Concert terminal behind its line.
pub struct ConcertTerminal {
    line: Arc<ConcertLine>,
}

impl ConcertTerminal {
    pub fn new(line: Arc<ConcertLine>) -> Self {
        ConcertTerminal { line }
    }

    /// The handshake read as the terminal's state: the link works whatever it answered; a
    /// NAK or an ENQ of its own means it cannot take a request now.
    async fn status(&self) -> Result<StatusFacts, TerminalFailure> {
        let (frames, state, recovery, said) = match self.line.presence(ENQ_WINDOW).await? {
            Presence::Free(frames) => (
                frames,
                FactState::Ok,
                None,
                Text::fixed(
                    "ENQ → ACK：终端在线且空闲，可以接收收银请求",
                    "ENQ → ACK: the terminal is there and free to take a request",
                ),
            ),
            Presence::Refused(frames) => (
                frames,
                FactState::Warn,
                Some(Text::fixed(
                    "等终端完成当前操作（屏幕上可见），再检查一次",
                    "let the terminal finish what it is doing (see its screen), then check again",
                )),
                Text::fixed(
                    "ENQ → NAK：终端拒绝会话，正忙",
                    "ENQ → NAK: the terminal refuses a session now (busy)",
                ),
            ),
            Presence::WantsToSend(frames) => (
                frames,
                FactState::Warn,
                Some(Text::fixed(
                    "让收银机接收终端的应答（上一笔交易的结果），再检查一次；posdiag 不会取走它",
                    "let the cash register take the terminal's answer (an earlier payment's result), then check again; posdiag does not take it",
                )),
                Text::fixed(
                    "ENQ → ENQ：终端自己要发送，上一笔交易的应答在等收银机",
                    "ENQ → ENQ: the terminal wants to send; an earlier payment's answer is waiting for the cash register",
                ),
            ),
        };
        let mut facts = StatusFacts::ready();
        facts.state.state = state;
        if state != FactState::Ok {
            facts.state.cause = Some(crate::cause!("terminal.busy"));
        }
        facts.state.recovery = recovery;
        facts
            .state
            .evidence
            .push(Evidence::text(Text::fixed("握手", "handshake"), &said));
        facts.frames = frames;
        Ok(facts)
    }
}

impl TerminalDriver for ConcertTerminal {
    fn protocol(&self) -> TerminalProtocol {
        TerminalProtocol::Concert
    }

    fn target(&self) -> String {
        self.line.target()
    }

    fn query_status(&self) -> TerminalFuture<'_, Result<StatusFacts, TerminalFailure>> {
        Box::pin(self.status())
    }

    fn progress(&self) -> LinkProgress {
        self.line.progress()
    }

    fn frames_so_far(&self) -> Vec<FrameRecord> {
        self.line.frames_so_far()
    }

    /// A ZVT terminal answers ENQ (`05`) with ACK too, but its frames start `10 02`; noise and
    /// banners are told apart as for ZVT.
    fn classify_unframed(&self, bytes: &[u8]) -> WrongAnswer {
        WrongAnswer::from_fingerprint(bytes)
    }

    fn scan_settings(&self, deadline: Instant) -> TerminalFuture<'_, Option<SettingsScan>> {
        Box::pin(async move {
            let crate::link::Endpoint::Serial(current) = self.line.endpoint() else {
                return None;
            };
            let candidates = scan_order(&current);
            let rows = self.line.scan(&candidates, SCAN_WINDOW, deadline).await;
            Some(SettingsScan {
                current,
                rows,
                planned: candidates.len(),
            })
        })
    }

    fn modem_lines(&self) -> TerminalFuture<'_, Option<ModemLines>> {
        Box::pin(self.line.modem_lines())
    }

    fn reads_cards(&self) -> bool {
        // Only a payment reads a card over Concert.
        false
    }

    fn diagnoses_host(&self) -> bool {
        false
    }
}
