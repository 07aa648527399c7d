//! posdiag as a POS terminal talking to an acquirer host: request → response paired by MTI
//! class, TID (41) and STAN (11) within a timeout; sign-on (0800, 60.3 = 001 / 003 / 004) and
//! echo; field 64 signed and verified when a MAC key is known (a test host's working key).
//!
//! The echo is an 0820 with 60.3 = `301`: CUP has no field 70, and `301` is ISO 8583's network
//! management code for an echo test, carried in 60.3 like CUP's other management codes
//! (unverified as CUP text; hosts that do not know it still answer with a response code).

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::Instant;

use super::transport::{FrameStats, FrameTransport, TransportError};
use crate::proto::iso8583::keys::{open_key_block, KeyBlockError, KeyMode, MasterKey, WorkingKeys};
use crate::proto::iso8583::mac::{sign_with, verify_frame};
use crate::proto::iso8583::{
    decode, DecodedMessage, EncodeError, Envelope, FieldValue, MacError, MacKey, Message, Mti,
    ProcessingRequirement, ResponseCode,
};

/// Who posdiag says it is to the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalIdentity {
    /// 41, eight characters.
    pub tid: String,
    /// 42, fifteen characters.
    pub mid: String,
    /// 60.2, six digits.
    pub batch: String,
    /// 63.1 of the sign-on, three characters.
    pub operator: String,
}

/// 60.3 of the echo test.
pub const ECHO_NETWORK_CODE: &str = "301";

/// What field 64 of a response showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MacCheck {
    /// The response carries no MAC.
    Absent,
    /// It carries one, but no MAC key is known.
    NoKey,
    Verified,
    Mismatch,
    /// The MAC could not be computed (e.g. the key does not suit the algorithm).
    Unusable(String),
}

/// One request and its response.
#[derive(Debug, Clone)]
pub struct HostExchange {
    pub request: Message,
    pub response: DecodedMessage,
    pub round_trip: Duration,
    pub mac: MacCheck,
    /// Frames that arrived meanwhile and did not match the request.
    pub unmatched: usize,
}

impl HostExchange {
    pub fn response_code(&self) -> Option<ResponseCode> {
        self.response.response_code()
    }

    pub fn processing_requirement(&self) -> Option<ProcessingRequirement> {
        self.response.processing_requirement()
    }
}

/// A sign-on and the working keys it delivered.
#[derive(Debug, Clone)]
pub struct SignOn {
    pub mode: KeyMode,
    pub exchange: HostExchange,
    /// `None` when the response carries no field 62.
    pub keys: Option<Result<WorkingKeys, KeyBlockError>>,
}

/// Why an exchange did not complete.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error("{0}")]
    Transport(#[from] TransportError),
    #[error("no matching response within {} ({unmatched} other frames)", crate::durations::show(*.waited))]
    NoResponse { waited: Duration, unmatched: usize },
    #[error("cannot encode the request: {0}")]
    Encode(#[from] EncodeError),
    #[error("cannot sign the request: {0}")]
    Mac(#[from] MacError),
}

/// An ISO 8583 client over any byte stream.
pub struct HostClient<S> {
    transport: FrameTransport<S>,
    identity: TerminalIdentity,
    response_timeout: Duration,
    next_stan: u32,
    mak: Option<MacKey>,
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send> HostClient<S> {
    pub fn new(
        transport: FrameTransport<S>,
        identity: TerminalIdentity,
        response_timeout: Duration,
    ) -> Self {
        HostClient {
            transport,
            identity,
            response_timeout,
            next_stan: first_stan(),
            mak: None,
        }
    }

    pub fn stats(&self) -> FrameStats {
        self.transport.stats()
    }

    pub fn has_mac_key(&self) -> bool {
        self.mak.is_some()
    }

    /// Signs and verifies with `key` from now on: a terminal that signed on earlier (today's
    /// working key) does not sign on again for every transaction.
    pub fn set_mac_key(&mut self, key: Option<MacKey>) {
        self.mak = key;
    }

    /// The next STAN (11), six digits, wrapping after 999999.
    pub fn take_stan(&mut self) -> String {
        let stan = format!("{:06}", self.next_stan);
        self.next_stan = if self.next_stan >= 999_999 {
            1
        } else {
            self.next_stan + 1
        };
        stan
    }

    fn field60(&self, network_code: &str) -> FieldValue {
        FieldValue::digits(format!("00{}{network_code}", self.identity.batch))
    }

    /// A management request with STAN, TID, MID and 60 filled in.
    fn management(&mut self, mti: Mti, network_code: &str) -> Message {
        let stan = self.take_stan();
        Message::new(mti)
            .with(11, FieldValue::digits(stan))
            .with(41, FieldValue::text(self.identity.tid.clone()))
            .with(42, FieldValue::text(self.identity.mid.clone()))
            .with(60, self.field60(network_code))
    }

    /// Signs on; with `master`, the working keys are decrypted and the MAC key is kept for
    /// later requests.
    pub async fn sign_on(
        &mut self,
        mode: KeyMode,
        master: Option<&MasterKey>,
    ) -> Result<SignOn, HostError> {
        let operator = self.identity.operator.clone();
        let request = self
            .management(SIGN_ON, mode.network_code())
            .with(63, FieldValue::text(operator));
        self.mak = None;
        let exchange = self.exchange(request).await?;
        let approved = exchange.response_code().is_some_and(|c| c.success);
        let keys = match exchange.response.field(62) {
            Some(f) if approved => {
                let block = match &f.value {
                    FieldValue::Binary(b) => b.as_slice(),
                    _ => &[],
                };
                let opened = open_key_block(block, mode, master);
                if let Ok(k) = &opened {
                    self.mak = k.mak.clone();
                }
                Some(opened)
            }
            _ => None,
        };
        Ok(SignOn {
            mode,
            exchange,
            keys,
        })
    }

    /// The echo test (0820, 60.3 = 301), signed when a MAC key is known.
    pub async fn echo(&mut self) -> Result<HostExchange, HostError> {
        let request = self.management(NETWORK_MANAGEMENT, ECHO_NETWORK_CODE);
        self.exchange(request).await
    }

    /// Sends `request` (with field 64 when a MAC key is known and it is not a sign-on) and
    /// waits for the response with the same MTI class, TID and STAN.
    pub async fn exchange(&mut self, request: Message) -> Result<HostExchange, HostError> {
        let dialect = self.transport.dialect().clone();
        let envelope = Envelope::from_dialect(&dialect);
        let is_sign_on = request.mti.as_str() == "0800";
        let frame = match (&self.mak, is_sign_on) {
            (Some(key), false) => sign_with(&request, &dialect, &envelope, key)?,
            _ => request.encode_with(&dialect, &envelope)?,
        };
        let expected = request.mti.response();
        let started = Instant::now();
        let deadline = started + self.response_timeout;
        self.transport.send(&frame).await?;
        let mut unmatched = 0usize;
        loop {
            let raw = match self.transport.recv(deadline).await {
                Ok(raw) => raw,
                Err(TransportError::Timeout { .. }) => {
                    return Err(HostError::NoResponse {
                        waited: self.response_timeout,
                        unmatched,
                    })
                }
                Err(e) => return Err(e.into()),
            };
            let Ok(response) = decode(&dialect, &raw) else {
                unmatched += 1;
                continue;
            };
            if Some(response.mti) != expected || !same_keys(&request, &response) {
                unmatched += 1;
                continue;
            }
            let mac = self.check_mac(&response, &raw);
            return Ok(HostExchange {
                request,
                response,
                round_trip: started.elapsed(),
                mac,
                unmatched,
            });
        }
    }

    fn check_mac(&self, response: &DecodedMessage, raw: &[u8]) -> MacCheck {
        if response.field(64).is_none() {
            return MacCheck::Absent;
        }
        let Some(key) = &self.mak else {
            return MacCheck::NoKey;
        };
        match verify_frame(self.transport.dialect(), key, raw) {
            Ok(true) => MacCheck::Verified,
            Ok(false) => MacCheck::Mismatch,
            Err(e) => MacCheck::Unusable(e.to_string()),
        }
    }
}

/// Compile-time MTIs (a bad literal is a build error, never a runtime panic).
macro_rules! mti {
    ($digits:literal) => {
        match Mti::from_digits(*$digits) {
            Some(m) => m,
            None => panic!("not an MTI"),
        }
    };
}

const SIGN_ON: Mti = mti!(b"0800");
const NETWORK_MANAGEMENT: Mti = mti!(b"0820");

/// Pairing rule: STAN must match; TID must match when the response carries one.
fn same_keys(request: &Message, response: &DecodedMessage) -> bool {
    let stan_ok = request.str(11) == response.str(11);
    let tid_ok = match (request.str(41), response.str(41)) {
        (Some(a), Some(b)) => a.trim_end() == b.trim_end(),
        _ => true,
    };
    stan_ok && tid_ok
}

/// STANs start from the clock so two runs in a row do not reuse one (a host may answer 94).
fn first_stan() -> u32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    u32::try_from(secs % 900_000).unwrap_or(0) + 1
}
