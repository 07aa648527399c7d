//! Transactions run by hand (the TUI after confirmation, `posdiag txn --yes`): payment,
//! reversal of a receipt, abort, end-of-day, repeat last receipt. Each runs as one ZVT command
//! (on a nexo terminal: `txn_nexo.rs`);
//! the frames it causes — the terminal's and, in the demo or behind a tap, the host's — are read
//! back by the transaction model, and the outcome is the transaction with its verdict.

use std::time::{Duration, Instant};

use super::Session;
use crate::drivers::zvt::ChannelError;
use crate::event::Event;
use crate::i18n::Text;
use crate::proto::zvt::bmp::Bmp;
use crate::proto::zvt::message::{
    AbortCommand, Authorisation, EcrMessage, EndOfDay, RepeatReceipt, Reversal,
};
use crate::proto::zvt::values::{encode_pan, Password};
use crate::txn::{amount_string, judge, Transaction, TransactionRecord, TxnKind, TxnTracker};

/// How long host frames may trail the terminal's end of the command.
const SETTLE: Duration = Duration::from_millis(400);
/// Payment type "the terminal decides" (docs/protocols/zvt.md §6.1).
const PAYMENT_TYPE_PT_DECIDES: u8 = 0x40;
/// Repeat Receipt service byte: send the status information again.
const REPEAT_SEND_STATUS: u8 = 0x01;

/// A transaction command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TxnRequest {
    Pay {
        amount_minor: u64,
    },
    /// ZVT Reversal `06 30` of the payment with this receipt number (a void at the host).
    Reverse {
        receipt_no: u16,
    },
    Abort,
    EndOfDay,
    RepeatReceipt,
}

impl TxnRequest {
    pub fn name(self) -> Text {
        match self {
            TxnRequest::Pay { .. } => Text::fixed("消费（06 01）", "Payment (06 01)"),
            TxnRequest::Reverse { .. } => Text::fixed("撤销（06 30）", "Reversal (06 30)"),
            TxnRequest::Abort => Text::fixed("中止（06 B0）", "Abort (06 B0)"),
            TxnRequest::EndOfDay => Text::fixed("日结（06 50）", "End-of-Day (06 50)"),
            TxnRequest::RepeatReceipt => Text::fixed("重打小票（06 20）", "Repeat Receipt (06 20)"),
        }
    }

    /// Exactly what will happen, for the confirmation (`--yes` headless).
    pub fn effect(self) -> Text {
        match self {
            TxnRequest::Pay { amount_minor } => {
                let a = amount_string(amount_minor, None);
                crate::tr!(
                    "posdiag 向终端发起一笔 {a} 的消费（06 01，终端的货币）。这是真实的财务交易：持卡人会被扣款。只在测试终端或商户同意时执行。",
                    "posdiag starts a PAYMENT of {a} (06 01, in the terminal's currency). This is a real financial transaction: the cardholder is charged. Run it on a test terminal, or only when the shop agrees."
                )
            }
            TxnRequest::Reverse { receipt_no } => crate::tr!(
                "posdiag 发送撤销命令（06 30），撤销凭条号 {receipt_no:04} 的交易。持卡人的扣款将被退回；无法撤回此操作。",
                "posdiag sends Reversal (06 30) for receipt {receipt_no:04}. That payment is cancelled and the cardholder refunded; this cannot be undone."
            ),
            TxnRequest::Abort => Text::fixed(
                "posdiag 发送中止命令（06 B0）。终端停止当前操作；正在进行的支付可能被取消，终端也可能拒绝中止。",
                "posdiag sends Abort (06 B0). The terminal stops what it is doing; a payment in progress may be cancelled, or the terminal may refuse.",
            ),
            TxnRequest::EndOfDay => Text::fixed(
                "posdiag 发送日结命令（06 50）。终端关闭今天的批次并与主机结算，打印总额。这是财务操作，无法撤销。",
                "posdiag sends End-of-Day (06 50). The terminal CLOSES TODAY'S BATCH, settles it with the host and prints the totals. This is a financial operation and cannot be undone.",
            ),
            TxnRequest::RepeatReceipt => Text::fixed(
                "posdiag 发送重打小票命令（06 20）。终端重发上一笔交易的结果并重打小票：结果不明时先做这一步。",
                "posdiag sends Repeat Receipt (06 20). The terminal sends the last transaction's result again and reprints its slip: the right first step after an unclear outcome.",
            ),
        }
    }

    /// True for commands that move or settle money.
    pub fn is_financial(self) -> bool {
        matches!(
            self,
            TxnRequest::Pay { .. } | TxnRequest::Reverse { .. } | TxnRequest::EndOfDay
        )
    }

    /// The ZVT message; `card` (simulator only) goes in BMP 22 as a key-entered PAN; `currency`
    /// (ISO 4217 numeric, from the profile) in BMP 49 of a payment.
    pub fn message(
        self,
        password: Password,
        card: Option<&str>,
        currency: Option<u16>,
    ) -> Result<EcrMessage, TxnError> {
        Ok(match self {
            TxnRequest::Pay { amount_minor } => {
                let mut other_bmps = Vec::new();
                if let Some(pan) = card {
                    let bytes = encode_pan(pan).map_err(|_| TxnError::BadCard)?;
                    other_bmps.push(Bmp::new(0x22, bytes));
                }
                EcrMessage::Authorisation(Authorisation {
                    amount_minor: Some(amount_minor),
                    currency,
                    payment_type: Some(PAYMENT_TYPE_PT_DECIDES),
                    other_bmps,
                    ..Authorisation::default()
                })
            }
            TxnRequest::Reverse { receipt_no } => EcrMessage::Reversal(Reversal {
                password,
                receipt_no: Some(receipt_no),
                ..Reversal::default()
            }),
            TxnRequest::Abort => EcrMessage::Abort(AbortCommand::default()),
            TxnRequest::EndOfDay => EcrMessage::EndOfDay(EndOfDay {
                password,
                tlv: None,
            }),
            TxnRequest::RepeatReceipt => EcrMessage::RepeatReceipt(RepeatReceipt {
                password,
                service_byte: Some(REPEAT_SEND_STATUS),
                tlv: None,
            }),
        })
    }
}

/// Why a transaction command could not run (or what stopped it).
#[derive(Debug, thiserror::Error)]
pub enum TxnError {
    #[error("this session has no terminal: a transaction needs the terminal channel (a profile with [terminal])")]
    NoTerminal,
    #[error("posdiag does not run transactions over Concert: start the payment at the cash register, and watch it with posdiag tap --protocol concert")]
    NotOverConcert,
    #[error("--card is for the simulator only: a real terminal reads the card itself (posdiag never sends a card number to one)")]
    CardOnRealTerminal,
    #[error("the card number must be 12 to 19 digits")]
    BadCard,
    #[error("{0}")]
    Channel(String),
}

impl TxnError {
    pub fn text(&self) -> Text {
        match self {
            TxnError::NoTerminal => Text::fixed("此会话没有终端：交易需要终端通道。", "This session has no terminal: a transaction needs the terminal channel."),
            TxnError::NotOverConcert => Text::fixed("posdiag 不通过 Concert 发起交易：请在收银机上发起消费，并用 posdiag tap --protocol concert 查看。", "posdiag does not run transactions over Concert: start the payment at the cash register, and watch it with posdiag tap --protocol concert."),
            TxnError::CardOnRealTerminal => Text::fixed("--card 只能用于模拟器：真实终端自己读卡，posdiag 不会向其发送卡号。", "--card is for the simulator only: a real terminal reads the card itself; posdiag never sends it a card number."),
            TxnError::BadCard => Text::fixed("卡号必须是 12 到 19 位数字。", "The card number must be 12 to 19 digits."),
            TxnError::Channel(e) => crate::tr!("终端通信失败：{e}", "the terminal link failed: {e}"),
        }
    }
}

/// What a transaction command ended with.
#[derive(Debug, Clone)]
pub struct TxnOutcome {
    pub request: TxnRequest,
    /// The protocol the terminal spoke (names the command as that protocol does).
    pub protocol: crate::drivers::terminal::TerminalProtocol,
    /// The transaction as the model read it from the frames.
    pub record: Option<TransactionRecord>,
    /// The link or command error, when the terminal did not see the command through.
    pub error: Option<Text>,
    pub duration: Duration,
}

impl TxnOutcome {
    /// The notice line: the verdict banner, or what went wrong.
    pub fn summary(&self) -> Text {
        let name = self.request.name_on(self.protocol);
        match (&self.record, &self.error) {
            (Some(r), _) => {
                let text = Text::new(
                    format!("{}：{}", name.zh, r.banner.zh),
                    format!("{}: {}", name.en, r.banner.en),
                );
                // Only a plain approval is a success; everything else needs the reader's eye.
                if r.verdict.as_deref() == Some("APPROVED") && r.duplicate_of.is_none() {
                    crate::event::done_notice(text)
                } else {
                    text
                }
            }
            (None, Some(e)) => Text::new(
                format!("{}：{}", name.zh, e.zh),
                format!("{}: {}", name.en, e.en),
            ),
            (None, None) => Text::new(
                format!("{}：终端没有应答。", name.zh),
                format!("{}: the terminal did not answer.", name.en),
            ),
        }
    }
}

/// An amount as the user typed it that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not an amount: use e.g. 12.34 (at most two decimals, more than 0)")]
pub struct BadAmount {
    pub input: String,
}

/// "12.34" → 1234 minor units (at most two decimals, more than zero).
pub fn parse_amount(s: &str) -> Result<u64, BadAmount> {
    let bad = || BadAmount {
        input: s.to_owned(),
    };
    let (whole, frac) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
    if whole.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(frac) || frac.len() > 2 || whole.len() > 10 {
        return Err(bad());
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let cents: u64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let minor = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or_else(bad)?;
    if minor == 0 {
        return Err(bad());
    }
    Ok(minor)
}

/// Validates a `--card` value (digits only, 12–19).
pub fn check_card(card: &str) -> Result<(), TxnError> {
    let ok = (12..=19).contains(&card.len()) && card.bytes().all(|b| b.is_ascii_digit());
    ok.then_some(()).ok_or(TxnError::BadCard)
}

/// True once `t` needs nothing more from the host.
fn settled(t: &Transaction) -> bool {
    // The host still owes an answer unless the terminal gave up on it (reversal, end of command).
    let gave_up =
        t.timed_out || t.reversal.is_some() || t.terminal.as_ref().is_some_and(|z| z.ended);
    let host_waiting = t.host.as_ref().is_some_and(|h| h.response_code.is_none()) && !gave_up;
    let reversal_waiting = t
        .reversal
        .as_ref()
        .is_some_and(|r| r.response_code.is_none());
    judge(t).is_some() && !host_waiting && !reversal_waiting
}

impl Session {
    /// Runs `request` on the terminal (the caller asked the user first), announces the outcome
    /// as a notice and returns it. `card` is accepted by the built-in simulator only.
    pub async fn run_transaction(
        &self,
        request: TxnRequest,
        card: Option<&str>,
    ) -> Result<TxnOutcome, TxnError> {
        let started = Instant::now();
        if let Some(c) = card {
            if self.profile.simulator.is_none() {
                return Err(TxnError::CardOnRealTerminal);
            }
            check_card(c)?;
        }
        let channel = match &self.terminal {
            Some(super::Terminal::Zvt(channel)) => channel,
            Some(super::Terminal::Nexo(client)) => {
                return self.run_nexo_transaction(client, request).await
            }
            Some(super::Terminal::Concert(_)) => return Err(TxnError::NotOverConcert),
            None => return Err(TxnError::NoTerminal),
        };
        let currency = self.profile.terminal.as_ref().and_then(|t| t.currency);
        let message = request.message(self.password(), card, currency)?;
        let dialect = self
            .profile
            .host
            .as_ref()
            .map(|h| h.dialect.clone())
            .unwrap_or_default();
        let mut tracker = TxnTracker::new(dialect);
        let mut events = self.bus.subscribe();
        let result = channel.run(&message).await;
        let error = result.err().map(|f| match f.error {
            ChannelError::Link(e) => TxnError::Channel(e.to_string()).text(),
            ChannelError::Zvt(e) => TxnError::Channel(e.to_string()).text(),
        });
        // Host frames may trail the terminal's end; wait while the host still owes an answer.
        let host_wait = self
            .profile
            .host
            .as_ref()
            .map_or(SETTLE, |h| h.response_timeout + SETTLE);
        let deadline = tokio::time::Instant::now() + SETTLE;
        let mut patience = deadline;
        loop {
            while let Ok(event) = events.try_recv() {
                if let Event::Frame(f) = event {
                    tracker.feed(&f);
                }
            }
            let ours = ours(&tracker, request);
            if ours.is_some_and(settled)
                || (ours.is_none() && tokio::time::Instant::now() >= deadline)
            {
                break;
            }
            if ours.is_some_and(|t| !settled(t)) && patience == deadline {
                patience = tokio::time::Instant::now() + host_wait;
            }
            match tokio::time::timeout_at(patience, events.recv()).await {
                Ok(Some(Event::Frame(f))) => {
                    tracker.feed(&f);
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        tracker.close();
        let record = ours(&tracker, request).map(TransactionRecord::of);
        let outcome = TxnOutcome {
            request,
            protocol: crate::drivers::terminal::TerminalProtocol::Zvt,
            record,
            error,
            duration: started.elapsed(),
        };
        self.bus.emit(Event::Notice(outcome.summary()));
        Ok(outcome)
    }
}

/// The transaction `request` opened: the first of its kind (an abort may land on a running
/// payment instead).
fn ours(tracker: &TxnTracker, request: TxnRequest) -> Option<&Transaction> {
    let kind = match request {
        TxnRequest::Pay { .. } => TxnKind::Payment,
        TxnRequest::Reverse { .. } => TxnKind::Void,
        TxnRequest::Abort => TxnKind::Abort,
        TxnRequest::EndOfDay => TxnKind::EndOfDay,
        TxnRequest::RepeatReceipt => TxnKind::RepeatReceipt,
    };
    tracker
        .transactions()
        .find(|t| t.kind == kind && t.terminal.is_some())
        .or_else(|| tracker.transactions().find(|t| t.terminal.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_is_bilingual_and_encodes() {
        let requests = [
            TxnRequest::Pay { amount_minor: 1234 },
            TxnRequest::Reverse { receipt_no: 7 },
            TxnRequest::Abort,
            TxnRequest::EndOfDay,
            TxnRequest::RepeatReceipt,
        ];
        for r in requests {
            assert!(
                !r.name().is_incomplete() && !r.effect().is_incomplete(),
                "{r:?}"
            );
            let m = r
                .message(Password::default(), None, Some(156))
                .expect("message");
            assert!(m.to_apdu().is_ok(), "{r:?}");
        }
        assert!(TxnRequest::Pay { amount_minor: 1234 }
            .effect()
            .en
            .contains("12.34"));
        for e in [
            TxnError::NoTerminal,
            TxnError::CardOnRealTerminal,
            TxnError::BadCard,
        ] {
            assert!(!e.text().is_incomplete());
        }
        assert!(check_card("6212345678901234").is_ok());
        assert!(check_card("62123456789").is_err());
        assert!(check_card("62123456789O1234").is_err());
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("12.34"), Ok(1234));
        assert_eq!(parse_amount("12"), Ok(1200));
        assert_eq!(parse_amount("0.5"), Ok(50));
        assert_eq!(parse_amount(".05"), Ok(5));
        for bad in ["", "0", "0.00", "1.234", "-1", "1,00", "abc", "99999999999"] {
            assert!(parse_amount(bad).is_err(), "{bad}");
        }
    }
}
