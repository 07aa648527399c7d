//! Transactions on a nexo terminal: the payment through [`NexoClient`], and when its outcome
//! is unclear (no answer in time, the connection dropped) the recommended move at once:
//! `TransactionStatusRequest` naming the payment, asked until the terminal settles it. The
//! exchanges go to the bus as terminal frames (decrypted, masked) and the transaction model
//! reads them back like any protocol's, so the verdict is the same model's.

use std::time::{Duration, Instant};

use super::txn::{TxnError, TxnOutcome, TxnRequest};
use super::Session;
use crate::drivers::nexo::{NexoClient, PaymentSpec, Settled};
use crate::drivers::terminal::TerminalProtocol;
use crate::event::Event;
use crate::i18n::Text;
use crate::txn::{TransactionRecord, TxnKind, TxnTracker};

/// How often the status is asked while the terminal still works on the payment.
const STATUS_EVERY: Duration = Duration::from_millis(500);
/// How long the status is asked at least after an unclear outcome: a terminal keeps working
/// on a payment (waiting for its host) well past the register's own answer time.
const SETTLE_AT_LEAST: Duration = Duration::from_secs(30);

impl Session {
    /// Runs `request` on the nexo terminal `client`.
    pub(super) async fn run_nexo_transaction(
        &self,
        client: &NexoClient,
        request: TxnRequest,
    ) -> Result<TxnOutcome, TxnError> {
        let started = Instant::now();
        let TxnRequest::Pay { amount_minor } = request else {
            return Err(TxnError::Channel(
                "over nexo posdiag runs payments only (reversal, abort, end-of-day and repeat receipt are not wired yet)"
                    .to_owned(),
            ));
        };
        let currency = self
            .profile
            .nexo
            .as_ref()
            .map_or_else(|| "EUR".to_owned(), |n| n.currency.clone());
        let mut events = self.bus.subscribe();
        let service_id = client.next_service_id();
        let spec = PaymentSpec {
            sale_transaction_id: format!("posdiag-{service_id}"),
            currency,
            amount: amount_minor as f64 / 100.0,
        };
        let answer = client.payment(&service_id, &spec).await;
        self.flush_nexo(client);
        let mut error = None;
        if let Err(e) = answer {
            if e.outcome_unknown() {
                self.bus.emit(Event::Notice(crate::tr!(
                    "付款结果未知：向终端查询交易状态（TransactionStatus）",
                    "the payment's outcome is unknown: asking the terminal for its status (TransactionStatus)"
                )));
                error = self.settle(client, &service_id).await;
            } else {
                error = Some(e.text());
            }
        }
        let mut tracker = TxnTracker::new(Default::default()).with_terminal(TerminalProtocol::Nexo);
        while let Ok(event) = events.try_recv() {
            if let Event::Frame(f) = event {
                tracker.feed(&f);
            }
        }
        tracker.close();
        let record = tracker
            .transactions()
            .find(|t| t.kind == TxnKind::Payment)
            .map(TransactionRecord::of);
        let outcome = TxnOutcome {
            request,
            protocol: TerminalProtocol::Nexo,
            record,
            error,
            duration: started.elapsed(),
        };
        self.bus.emit(Event::Notice(outcome.summary()));
        Ok(outcome)
    }

    /// Asks TransactionStatus for the payment `service_id` until the terminal settles it or
    /// the payment's own time (at least [`SETTLE_AT_LEAST`]) is up; what stays unclear, as text.
    async fn settle(&self, client: &NexoClient, service_id: &str) -> Option<Text> {
        let deadline = Instant::now() + client.config().payment_timeout.max(SETTLE_AT_LEAST);
        loop {
            let status = client.transaction_status(service_id).await;
            self.flush_nexo(client);
            match status.as_ref().map(|s| s.settled()) {
                Ok(Settled::Payment(_) | Settled::NeverArrived) => return None,
                Ok(Settled::InProgress | Settled::Unknown) | Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(STATUS_EVERY).await;
                }
                Ok(_) => {
                    return Some(crate::tr!(
                        "终端仍未给出该付款的结果：稍后再查询交易状态，确认前不要重新收款",
                        "the terminal has not settled the payment yet: ask for its status again later, and do not charge again before"
                    ))
                }
                Err(e) => return Some(e.text()),
            }
        }
    }
}
