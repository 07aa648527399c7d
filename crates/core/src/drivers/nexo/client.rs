//! The nexo client: one message out, one answer back, over HTTPS to the terminal's `/nexo`,
//! encrypted with the shared key. Answers are typed (`answers.rs`); every exchange is kept,
//! decrypted and masked, for the capture.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde_json::Value;

use super::answers::{
    DiagnosisAnswer, LoginAnswer, Outcome, PaymentAnswer, ReversalAnswer, StatusAnswer,
};
use super::config::NexoConfig;
use super::error::NexoClientError;
use super::http::{self, PostError};
use super::requests::{self, PaymentSpec};
use super::tls::{self, Seen};
use crate::proto::nexo::{self, Category, CryptoError, Direction, Envelope, Message, NexoError};

/// One exchange as it may be shown or stored: decrypted and masked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeRecord {
    pub category: String,
    pub service_id: String,
    pub encrypted: bool,
    pub request: Value,
    pub http_status: Option<u16>,
    /// None when no answer came (timeout, lost connection) or the answer was empty (Abort).
    pub response: Option<Value>,
}

pub struct NexoClient {
    config: NexoConfig,
    tls: Arc<rustls::ClientConfig>,
    seen: Arc<Mutex<Seen>>,
    counter: AtomicU32,
    log: Mutex<Vec<ExchangeRecord>>,
}

fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn random_nonce() -> [u8; 16] {
    use ring::rand::SecureRandom as _;
    let mut nonce = [0u8; 16];
    // Without OS randomness a time-based nonce still differs per message, which is all the
    // IV needs to stay unique.
    if ring::rand::SystemRandom::new().fill(&mut nonce).is_err() {
        nonce = time::OffsetDateTime::now_utc()
            .unix_timestamp_nanos()
            .to_le_bytes();
    }
    nonce
}

impl NexoClient {
    /// Reads the trust file; no connection yet.
    pub fn new(config: NexoConfig) -> Result<NexoClient, NexoClientError> {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let tls = Arc::new(tls::client_config(&config.trust_file, seen.clone())?);
        Ok(NexoClient {
            config,
            tls,
            seen,
            counter: AtomicU32::new(0),
            log: Mutex::new(Vec::new()),
        })
    }

    pub fn config(&self) -> &NexoConfig {
        &self.config
    }

    /// A new ServiceID: unique per SaleID for a good while, at most 10 characters.
    pub fn next_service_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed) % 1000;
        let secs = time::OffsetDateTime::now_utc()
            .unix_timestamp()
            .rem_euclid(1_000_000);
        format!("{secs}{n:03}")
    }

    /// The exchanges so far (decrypted and masked), emptied.
    pub fn take_log(&self) -> Vec<ExchangeRecord> {
        self.log
            .lock()
            .map(|mut l| std::mem::take(&mut *l))
            .unwrap_or_default()
    }

    fn record(&self, record: ExchangeRecord) {
        if let Ok(mut l) = self.log.lock() {
            l.push(record);
        }
    }

    /// Sends `body` as a request of `category` with `service_id`; the answer's plain message,
    /// or None when the terminal answered with an empty body (Abort).
    pub async fn exchange(
        &self,
        category: Category,
        service_id: &str,
        body: Value,
    ) -> Result<Option<Message>, NexoClientError> {
        let addr = self.config.addr.clone();
        let header = requests::header(&self.config.parties, &category, service_id);
        let request = Message::new(
            Direction::Request,
            header,
            &category.body_key(Direction::Request),
            body,
        );
        let wire = match &self.config.key {
            Some(key) => request.seal(key, &random_nonce()).to_value().to_string(),
            None => request.to_json(),
        };
        let money = matches!(category, Category::Payment | Category::Reversal);
        let timeout = if money {
            self.config.payment_timeout
        } else {
            self.config.timeout
        };
        let mut record = ExchangeRecord {
            category: category.name().to_owned(),
            service_id: service_id.to_owned(),
            encrypted: self.config.key.is_some(),
            request: nexo::mask_value(&request.to_value()),
            http_status: None,
            response: None,
        };
        let result = http::post(
            &addr,
            &self.config.trust_file,
            self.tls.clone(),
            self.seen.clone(),
            wire.as_bytes(),
            self.config.connect_timeout,
            timeout,
        )
        .await;
        let reply = match result {
            Ok(r) => r,
            Err(e) => {
                self.record(record);
                return Err(match e {
                    PostError::NotSent(e) => e,
                    PostError::Timeout => NexoClientError::Timeout {
                        addr,
                        category: category.name().to_owned(),
                        service_id: service_id.to_owned(),
                        timeout,
                        outcome_unknown: money,
                    },
                    PostError::Lost => NexoClientError::ConnectionLost {
                        addr,
                        category: category.name().to_owned(),
                        service_id: service_id.to_owned(),
                        outcome_unknown: money,
                    },
                });
            }
        };
        record.http_status = Some(reply.status);
        let answer = self.read_answer(reply.status, &reply.body);
        if let Ok(Some(m)) = &answer {
            record.response = Some(nexo::mask_value(&m.to_value()));
        }
        self.record(record);
        let answer = answer?;
        if let Some(m) = &answer {
            if m.header.service_id.as_deref() != Some(service_id) {
                return Err(NexoClientError::BadAnswer {
                    addr,
                    reason: format!(
                        "the answer is for service {}, not {service_id}",
                        m.header.service_id.as_deref().unwrap_or("(none)")
                    ),
                });
            }
        }
        Ok(answer)
    }

    fn read_answer(&self, status: u16, body: &[u8]) -> Result<Option<Message>, NexoClientError> {
        let addr = self.config.addr.clone();
        let wrong_key = || match &self.config.key {
            Some(k) => NexoClientError::WrongKey {
                addr: addr.clone(),
                key_id: k.key_identifier.clone(),
                key_version: k.key_version,
            },
            None => NexoClientError::Http {
                addr: addr.clone(),
                status,
                message: "the terminal wants encrypted messages: configure the shared key"
                    .to_owned(),
            },
        };
        if status != 200 {
            let message = terminal_errors(body);
            if status == 401 || message.contains("crypto error") {
                return Err(wrong_key());
            }
            return Err(NexoClientError::Http {
                addr,
                status,
                message,
            });
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let bad = |reason: String| NexoClientError::BadAnswer {
            addr: addr.clone(),
            reason,
        };
        let message = match nexo::parse(body).map_err(|e| bad(e.to_string()))? {
            Envelope::Plain(m) => m,
            Envelope::Secured(s) => {
                let Some(key) = &self.config.key else {
                    return Err(bad(
                        "the answer is encrypted and no shared key is configured".to_owned(),
                    ));
                };
                match s.open(key) {
                    Ok(m) => m,
                    Err(NexoError::Crypto(CryptoError::KeyMismatch {
                        got_id,
                        got_version,
                        ..
                    })) => {
                        return Err(NexoClientError::WrongKeyVersion {
                            addr,
                            key_id: key.key_identifier.clone(),
                            key_version: key.key_version,
                            their_id: got_id,
                            their_version: got_version,
                        })
                    }
                    Err(NexoError::Crypto(
                        CryptoError::HmacMismatch | CryptoError::Undecryptable,
                    )) => return Err(wrong_key()),
                    Err(e) => return Err(bad(e.to_string())),
                }
            }
        };
        if message.direction != Direction::Response {
            return Err(bad("not a SaleToPOIResponse".to_owned()));
        }
        Ok(Some(message))
    }

    /// Sends and insists on a response body.
    async fn ask(
        &self,
        category: Category,
        body: Value,
    ) -> Result<(String, Value), NexoClientError> {
        let service_id = self.next_service_id();
        match self.exchange(category.clone(), &service_id, body).await? {
            Some(m) => Ok((service_id, m.body)),
            None => Err(NexoClientError::BadAnswer {
                addr: self.config.addr.clone(),
                reason: format!("empty answer to {}", category.name()),
            }),
        }
    }

    /// `DiagnosisRequest` (read-only on the terminal), with the hosts' state.
    pub async fn diagnosis(&self) -> Result<DiagnosisAnswer, NexoClientError> {
        let (_, body) = self
            .ask(Category::Diagnosis, requests::diagnosis(true))
            .await?;
        Ok(DiagnosisAnswer::from_body(&body))
    }

    pub async fn login(&self) -> Result<LoginAnswer, NexoClientError> {
        let (_, body) = self
            .ask(Category::Login, requests::login(&now_rfc3339(), "en"))
            .await?;
        Ok(LoginAnswer::from_body(
            &body,
            time::OffsetDateTime::now_utc(),
        ))
    }

    pub async fn logout(&self) -> Result<Outcome, NexoClientError> {
        let (_, body) = self.ask(Category::Logout, requests::logout()).await?;
        Ok(Outcome::of_body(&body))
    }

    /// A payment with the given `service_id` (keep it: a timeout is settled with
    /// [`NexoClient::transaction_status`] naming it).
    pub async fn payment(
        &self,
        service_id: &str,
        spec: &PaymentSpec,
    ) -> Result<PaymentAnswer, NexoClientError> {
        let body = requests::payment(spec, &now_rfc3339());
        match self.exchange(Category::Payment, service_id, body).await? {
            Some(m) => Ok(PaymentAnswer::from_body(&m.body)),
            None => Err(NexoClientError::BadAnswer {
                addr: self.config.addr.clone(),
                reason: "empty answer to Payment".to_owned(),
            }),
        }
    }

    /// What became of the payment sent with `payment_service_id`.
    pub async fn transaction_status(
        &self,
        payment_service_id: &str,
    ) -> Result<StatusAnswer, NexoClientError> {
        let body = requests::transaction_status(&self.config.parties, payment_service_id);
        let (_, body) = self.ask(Category::TransactionStatus, body).await?;
        Ok(StatusAnswer::from_body(&body))
    }

    /// Reverses the payment the terminal numbered `poi_transaction_id`.
    pub async fn reversal(
        &self,
        poi_transaction_id: &str,
        poi_timestamp: &str,
    ) -> Result<ReversalAnswer, NexoClientError> {
        let body = requests::reversal(poi_transaction_id, poi_timestamp, "MerchantCancel");
        let (_, body) = self.ask(Category::Reversal, body).await?;
        Ok(ReversalAnswer::from_body(&body))
    }

    /// Asks the terminal to abort what `service_id` (of `category`) started; the terminal
    /// acknowledges with an empty answer.
    pub async fn abort(
        &self,
        category: &Category,
        service_id: &str,
    ) -> Result<(), NexoClientError> {
        let body = requests::abort(&self.config.parties, category, service_id);
        let own = self.next_service_id();
        self.exchange(Category::Abort, &own, body).await.map(drop)
    }
}

/// The `errors` a terminal lists in an error answer, masked, or a short form of the body.
fn terminal_errors(body: &[u8]) -> String {
    let shown = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| {
            v.get("errors")?.as_array().map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        })
        .unwrap_or_default();
    if shown.is_empty() {
        "(no error text)".to_owned()
    } else {
        nexo::mask_str(&shown)
    }
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
