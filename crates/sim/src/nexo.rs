//! The simulated nexo terminal (Adyen Terminal API, local): what it answers to each request.
//! Takes the HTTP body the cash register posted, decrypts it with the shared key (or reads it
//! plain), answers Login/Logout, Diagnosis, Payment, TransactionStatus, Reversal, Abort and
//! Print, and encrypts the answer back. Faults shape the answers: `printer.paper_out`,
//! `reader.not_answering`, `network.down`, `host.decline=CODE`, `host.timeout`,
//! `txn.receipt_print_fail`, `keys.missing`, `network.slow=DURATION`, and the nexo-only
//! `terminal.busy` (Busy) and `terminal.ecr_not_registered` (LoggedOut until a Login).
//! `host.timeout` leaves a payment open: its answer is held for the host wait, during which
//! TransactionStatus answers InProgress; then the terminal gives up (UnreachableHost), which is
//! what the status query reports after. A message that does not decrypt gets what a terminal
//! gives: HTTP 401 with `Nexo Service: crypto error`. The HTTPS side is in `nexo_server.rs`.

use posdiag_core::catalogue::CauseId;
use posdiag_core::cause;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::faults::Fault;
use super::printer::PrinterFault;
use crate::proto::nexo::{self, Direction, Envelope, Message, Response, SecurityKey};

/// The simulated terminal's model and serial, as its certificate names them.
pub const SIM_NEXO_POIID: &str = "P400Plus-275039202";
/// The acquirer the simulated terminal reports in `HostStatus`.
pub const SIM_NEXO_ACQUIRER: &str = "AdyenSimAcquirer";

/// How long the simulated terminal waits for a silent acquirer before it gives up on a
/// payment (`host.timeout`), unless [`NexoTerminal::with_host_wait`] says otherwise.
pub const DEFAULT_HOST_WAIT: Duration = Duration::from_secs(30);

/// An HTTP answer: status and body (empty body for Abort, like a terminal), and how long the
/// terminal takes before sending it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
}

#[derive(Debug, Clone)]
struct Txn {
    poi_txn_id: String,
    sale_txn_id: String,
    service_id: String,
    header: Value,
    response: Value,
    reversed: bool,
    /// Until then the payment is still running (`host.timeout`): status InProgress.
    open_until: Option<Instant>,
}

/// The simulated terminal; clones share the transaction journal.
#[derive(Clone)]
pub struct NexoTerminal {
    key: SecurityKey,
    faults: Vec<Fault>,
    journal: Arc<Mutex<Vec<Txn>>>,
    logged_in: Arc<AtomicBool>,
    host_wait: Duration,
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn random_nonce() -> [u8; 16] {
    use ring::rand::SecureRandom as _;
    let mut nonce = [0u8; 16];
    // SystemRandom only fails when the OS has no randomness at all; a time-based nonce is
    // still unique per message then, which is all the IV needs.
    if ring::rand::SystemRandom::new().fill(&mut nonce).is_err() {
        let t = time::OffsetDateTime::now_utc()
            .unix_timestamp_nanos()
            .to_le_bytes();
        nonce = t;
    }
    nonce
}

impl NexoTerminal {
    pub fn new(key: SecurityKey, faults: Vec<Fault>) -> Self {
        NexoTerminal {
            key,
            faults,
            journal: Arc::new(Mutex::new(Vec::new())),
            logged_in: Arc::new(AtomicBool::new(false)),
            host_wait: DEFAULT_HOST_WAIT,
        }
    }

    /// Sets how long a payment stays open under `host.timeout`.
    pub fn with_host_wait(mut self, wait: Duration) -> Self {
        self.host_wait = wait;
        self
    }

    fn slow_by(&self) -> Duration {
        self.faults
            .iter()
            .find_map(|f| match f {
                Fault::NetworkSlow { by } => Some(*by),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// A refusal that comes before the request's own logic (busy, not logged in).
    fn gate(&self, category: &nexo::Category) -> Option<Response> {
        use nexo::Category as C;
        if self.has(cause!("terminal.busy"))
            && matches!(category, C::Payment | C::Login | C::Reversal)
        {
            return Some(Response::failure(
                "Busy",
                "message=Terminal+busy+with+another+request",
            ));
        }
        if self.has(cause!("terminal.ecr_not_registered"))
            && !self.logged_in.load(Ordering::Relaxed)
            && matches!(category, C::Payment | C::Reversal | C::TransactionStatus)
        {
            return Some(Response::failure(
                "LoggedOut",
                "message=Sale+system+not+logged+in",
            ));
        }
        None
    }

    fn has(&self, id: CauseId) -> bool {
        self.faults.iter().any(|f| f.cause() == id)
    }

    fn decline_code(&self) -> Option<String> {
        self.faults.iter().find_map(|f| match f {
            Fault::HostDecline { code } => Some(code.clone()),
            _ => None,
        })
    }

    fn host_reachable(&self) -> bool {
        !self.has(cause!("network.down"))
    }

    /// Everything a sale system can change about the terminal, as text: its journal (payments,
    /// their reversals) and whether a sale system is logged in. For tests that prove a probe
    /// changed nothing.
    pub fn state_snapshot(&self) -> String {
        format!(
            "{:?}\nlogged in: {}",
            *self.journal(),
            self.logged_in.load(Ordering::Relaxed)
        )
    }

    fn journal(&self) -> std::sync::MutexGuard<'_, Vec<Txn>> {
        self.journal.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answers one HTTP request body posted to `/nexo`.
    pub fn handle(&self, body: &[u8]) -> HttpAnswer {
        let envelope = match nexo::parse(body) {
            Ok(e) => e,
            Err(e) => return nexo_error(400, &format!("message format: {e}"), None),
        };
        let (request, secured) = match envelope {
            Envelope::Plain(m) => (m, false),
            Envelope::Secured(s) => {
                let service = s.header.service_id.clone();
                match s.open(&self.key) {
                    Ok(m) => (m, true),
                    Err(e) => {
                        tracing::debug!(error = %e, "simulated nexo terminal: cannot open message");
                        return nexo_error(401, "crypto error (9)", service.as_deref());
                    }
                }
            }
        };
        if request.direction != Direction::Request {
            return nexo_error(400, "message format: not a SaleToPOIRequest", None);
        }
        let Some((key, body)) = self.answer(&request) else {
            // Abort: the terminal acknowledges with an empty 200.
            return HttpAnswer {
                status: 200,
                body: String::new(),
                delay: self.slow_by(),
            };
        };
        let reply = Message::new(Direction::Response, request.header.reply(), &key, body);
        let wire = if secured {
            reply.seal(&self.key, &random_nonce()).to_value()
        } else {
            reply.to_value()
        };
        HttpAnswer {
            status: 200,
            body: wire.to_string(),
            delay: self.slow_by() + self.held_for(&request),
        }
    }

    /// How long the answer to `request` is held: a payment under `host.timeout` waits for
    /// the acquirer until the terminal gives up.
    fn held_for(&self, request: &Message) -> Duration {
        if request.header.category() == nexo::Category::Payment
            && self.has(cause!("host.timeout"))
            && self.gate(&nexo::Category::Payment).is_none()
            && !self.has(cause!("reader.not_answering"))
            && self.host_reachable()
        {
            self.host_wait
        } else {
            Duration::ZERO
        }
    }

    /// The response body key and body, or None when the request gets no nexo response.
    fn answer(&self, request: &Message) -> Option<(String, Value)> {
        let category = request.header.category();
        let body = &request.body;
        let key = category.body_key(Direction::Response);
        if category == nexo::Category::Abort {
            return None;
        }
        if let Some(refused) = self.gate(&category) {
            return Some((key, json!({"Response": refused})));
        }
        let answer = match category {
            nexo::Category::Abort => return None,
            nexo::Category::Login => {
                self.logged_in.store(true, Ordering::Relaxed);
                json!({
                    "Response": Response::success(),
                    "POISystemData": {
                        "DateTime": now(),
                        "POITerminalData": {
                            "TerminalEnvironment": "Attended",
                            "POICapabilities": ["CashierDisplay", "CashierInput", "CustomerDisplay", "PrinterReceipt"],
                            "POISerialNumber": SIM_NEXO_POIID.rsplit('-').next().unwrap_or(SIM_NEXO_POIID),
                        },
                        "POIStatus": {"GlobalStatus": self.global_status()},
                    },
                })
            }
            nexo::Category::Logout => {
                self.logged_in.store(false, Ordering::Relaxed);
                json!({"Response": Response::success()})
            }
            nexo::Category::Diagnosis => self.diagnosis(body),
            nexo::Category::Payment => self.payment(request),
            nexo::Category::TransactionStatus => self.transaction_status(body),
            nexo::Category::Reversal => self.reversal(body),
            nexo::Category::Print => {
                if self.printer_fault().is_some() {
                    json!({"Response": Response::failure("DeviceOut", "message=Printer out of paper")})
                } else {
                    json!({"Response": Response::success()})
                }
            }
            other => json!({"Response": Response::failure(
                "UnavailableService",
                format!("message={}+is+not+supported", other.name()),
            )}),
        };
        Some((key, answer))
    }

    fn printer_fault(&self) -> Option<&'static str> {
        self.faults.iter().find_map(|f| match f {
            Fault::Printer(PrinterFault::PaperOut) => Some("PaperEmpty"),
            Fault::Printer(PrinterFault::PaperJam) => Some("PaperJam"),
            Fault::Printer(PrinterFault::PaperNearEnd) => Some("PaperLow"),
            Fault::Printer(_) | Fault::TerminalPrinterNotReady => Some("OutOfOrder"),
            _ => None,
        })
    }

    fn global_status(&self) -> &'static str {
        if self.has(cause!("terminal.busy")) {
            "Busy"
        } else if self.has(cause!("reader.not_answering")) {
            "Maintenance"
        } else {
            "OK"
        }
    }

    fn diagnosis(&self, body: &Value) -> Value {
        let mut answer = json!({
            "Response": Response::success(),
            "POIStatus": {
                "GlobalStatus": self.global_status(),
                "SecurityOKFlag": !self.has(cause!("keys.missing")),
                "PEDOKFlag": true,
                "CardReaderOKFlag": !self.has(cause!("reader.not_answering")),
                "PrinterStatus": self.printer_fault().unwrap_or("OK"),
                "CommunicationOKFlag": self.host_reachable(),
            },
        });
        if body.get("HostDiagnosisFlag").and_then(Value::as_bool) == Some(true) {
            answer["HostStatus"] = json!([{
                "AcquirerID": SIM_NEXO_ACQUIRER,
                "IsReachableFlag": self.host_reachable() && !self.has(cause!("host.timeout")),
            }]);
        }
        answer
    }
}

/// What a terminal answers to a message it cannot open (401) or read (400): a short error list.
fn nexo_error(status: u16, what: &str, service_id: Option<&str>) -> HttpAnswer {
    HttpAnswer {
        delay: Duration::ZERO,
        status,
        body: json!({"errors": [format!("Nexo Service: {what}")], "ServiceID": service_id.unwrap_or_default()})
            .to_string(),
    }
}

#[path = "nexo_payments.rs"]
mod payments;
#[cfg(test)]
#[path = "nexo_tests.rs"]
mod tests;
