//! The simulated Ingenico Concert terminal (protocol E/E+): answers the ENQ/ACK handshake, reads
//! a payment request, and after "the transaction" opens its own session to send the answer in
//! the form the cash register asked for. Faults from the shared vocabulary decide the result;
//! a presence probe (ENQ … EOT) changes nothing. Served over a pty or TCP by
//! `concert_server.rs`. See docs/protocols/concert.md.

use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::faults::Fault;
use super::terminal::TEST_CARD_PAN;
use crate::proto::concert::{
    Answer, AnswerForm, Control, Deframer, Request, ResultCode, Token, ACK, ENQ, EOT, NAK,
};

/// How long the terminal waits for the cash register's next step inside a session.
const STEP_TIMEOUT: Duration = Duration::from_secs(3);
/// How often a terminal sends its answer again after a NAK or silence.
const ANSWER_TRIES: usize = 3;

/// One payment the simulated terminal carried out.
#[derive(Debug, Clone)]
pub struct ConcertRecord {
    pub request: Request,
    pub answer: Answer,
}

#[derive(Debug, Default)]
struct Journal {
    records: Vec<ConcertRecord>,
    probes: u64,
}

/// The simulated terminal; clones share one journal.
#[derive(Debug, Clone)]
pub struct ConcertTerminal {
    faults: Vec<Fault>,
    journal: Arc<Mutex<Journal>>,
}

impl ConcertTerminal {
    pub fn new(faults: Vec<Fault>) -> Self {
        ConcertTerminal {
            faults,
            journal: Arc::new(Mutex::new(Journal::default())),
        }
    }

    fn journal(&self) -> std::sync::MutexGuard<'_, Journal> {
        self.journal
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Payments carried out so far (a probe is not one: it changes nothing).
    pub fn records(&self) -> Vec<ConcertRecord> {
        self.journal().records.clone()
    }

    /// ENQ … EOT sessions that carried no request.
    pub fn probes(&self) -> u64 {
        self.journal().probes
    }

    pub fn is_silent(&self) -> bool {
        self.faults.contains(&Fault::LinkSilent)
    }

    /// The result the faults give a payment.
    fn result(&self) -> ResultCode {
        let mut result = ResultCode::APPROVED;
        for f in &self.faults {
            match f {
                Fault::HostDecline { .. } => return ResultCode::REJECTED,
                Fault::HostTimeout
                | Fault::NetworkDown
                | Fault::ReaderNotAnswering
                | Fault::ReaderUnreadable => result = ResultCode::NOT_VERIFIED,
                _ => {}
            }
        }
        result
    }

    /// `network.slow=D`: the authorisation, and so the answer, comes D later.
    fn answer_delay(&self) -> Option<Duration> {
        self.faults.iter().find_map(|f| match f {
            Fault::NetworkSlow { by } => Some(*by),
            _ => None,
        })
    }

    fn card_was_read(&self) -> bool {
        !self
            .faults
            .iter()
            .any(|f| matches!(f, Fault::ReaderNotAnswering | Fault::ReaderUnreadable))
    }

    /// Carries out a payment: the answer, recorded in the journal.
    pub fn transact(&self, request: &Request) -> Answer {
        let result = self.result();
        let mut journal = self.journal();
        let seq = journal.records.len() + 1;
        let repport = (request.answer_form == AnswerForm::Full).then(|| {
            if self.card_was_read() {
                // PAN, then the expiry (YYMM) as terminals append it: masked on every screen.
                format!("{:<55}", format!("{TEST_CARD_PAN} 3012"))
            } else {
                " ".repeat(55)
            }
        });
        let private = if result == ResultCode::APPROVED {
            format!("{seq:010}")
        } else {
            " ".repeat(10)
        };
        let answer = Answer {
            pos: request.pos.clone(),
            result,
            amount_cents: request.amount_cents,
            payment_mode: request.payment_mode,
            repport,
            currency: request.currency.clone(),
            private,
        };
        journal.records.push(ConcertRecord {
            request: request.clone(),
            answer: answer.clone(),
        });
        answer
    }

    /// Serves one byte stream (a pty master or a TCP connection) until it ends.
    pub async fn serve<S: AsyncRead + AsyncWrite + Unpin>(&self, io: &mut S) -> io::Result<()> {
        let mut line = Line::new(io);
        loop {
            // Idle: only an ENQ opens a session; anything else is dropped, as terminals do.
            let Some(Token::Control(Control::Enq)) = line.next(None).await? else {
                continue;
            };
            if self.is_silent() {
                continue;
            }
            line.send(&[ACK]).await?;
            let Some(request) = self.read_request(&mut line).await? else {
                self.journal().probes += 1;
                continue;
            };
            // The cash register closes its session; a real terminal goes on even without it.
            let _ = line.next(Some(STEP_TIMEOUT)).await?;
            if let Some(by) = self.answer_delay() {
                tokio::time::sleep(by).await;
            }
            let answer = self.transact(&request);
            self.send_answer(&mut line, &answer).await?;
        }
    }

    /// After ACKing an ENQ: the request (ACKed), or None when the session ends without one.
    async fn read_request<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        line: &mut Line<'_, S>,
    ) -> io::Result<Option<Request>> {
        loop {
            match line.next(Some(STEP_TIMEOUT)).await? {
                Some(Token::Frame {
                    body, lrc_ok: true, ..
                }) => match Request::decode_body(&body) {
                    Ok(r) => {
                        line.send(&[ACK]).await?;
                        return Ok(Some(r));
                    }
                    Err(e) => {
                        tracing::debug!("simulated Concert terminal: bad request: {e}");
                        line.send(&[NAK]).await?;
                    }
                },
                Some(Token::Frame { lrc_ok: false, .. }) | Some(Token::Cut { .. }) => {
                    line.send(&[NAK]).await?
                }
                Some(Token::Control(Control::Enq)) => line.send(&[ACK]).await?,
                Some(Token::Control(Control::Eot)) | None => return Ok(None),
                Some(_) => {}
            }
        }
    }

    /// The terminal's session: ENQ, wait for ACK, the answer, wait for ACK, EOT.
    async fn send_answer<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        line: &mut Line<'_, S>,
        answer: &Answer,
    ) -> io::Result<()> {
        let frame = answer
            .to_frame()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        let mut opened = false;
        for _ in 0..ANSWER_TRIES {
            line.send(&[ENQ]).await?;
            if line.next(Some(STEP_TIMEOUT)).await? == Some(Token::Control(Control::Ack)) {
                opened = true;
                break;
            }
        }
        if !opened {
            line.send(&[EOT]).await?;
            return Ok(());
        }
        for _ in 0..ANSWER_TRIES {
            line.send(&frame).await?;
            if line.next(Some(STEP_TIMEOUT)).await? == Some(Token::Control(Control::Ack)) {
                break;
            }
        }
        line.send(&[EOT]).await
    }
}

/// Tokens from a byte stream, one at a time, with a timeout.
struct Line<'a, S> {
    io: &'a mut S,
    deframer: Deframer,
    pending: VecDeque<Token>,
}

impl<'a, S: AsyncRead + AsyncWrite + Unpin> Line<'a, S> {
    fn new(io: &'a mut S) -> Self {
        Line {
            io,
            deframer: Deframer::new(),
            pending: VecDeque::new(),
        }
    }

    async fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.io.write_all(bytes).await?;
        self.io.flush().await
    }

    /// The next token; `Ok(None)` when `timeout` passes first; an error when the stream ends.
    async fn next(&mut self, timeout: Option<Duration>) -> io::Result<Option<Token>> {
        let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
        loop {
            if let Some(t) = self.pending.pop_front() {
                return Ok(Some(t));
            }
            let mut buf = [0u8; 256];
            let n = match deadline {
                Some(d) => match tokio::time::timeout_at(d, self.io.read(&mut buf)).await {
                    Ok(r) => r?,
                    Err(_) => return Ok(None),
                },
                None => self.io.read(&mut buf).await?,
            };
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            self.pending
                .extend(self.deframer.push(buf.get(..n).unwrap_or(&[])));
        }
    }
}
