//! The simulated China UnionPay acquirer: answers sign-on (working keys in field 62 sealed under
//! the test master key), echo, sale, void, balance inquiry, reversal, settlement and batch
//! upload, keeps a small ledger per terminal (so voids, reversals, duplicates and settlement
//! totals behave), verifies and computes field 64, and applies the `host.*` and `network.slow`
//! faults. Serving it on loopback is `server.rs`.

use posdiag_core::catalogue::CauseId;
use posdiag_core::cause;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::Instant;

use super::acquirer_ledger::{Ledger, Posted, PostedState, PreAuthOp, MAX_POSTED};
use super::faults::{decline_applies_without_card, Fault};
use super::repairs::Repairs;
use crate::drivers::iso8583::{FrameTransport, TransportError};
use crate::proto::iso8583::keys::{seal_key_block, KeyMode, MasterKey};
use crate::proto::iso8583::mac::{sign_with, verify_frame};
use crate::proto::iso8583::transaction::network_code;
use crate::proto::iso8583::{
    decode, CupHeader, DecodedMessage, Dialect, FieldValue, MacKey, Message, ProcessingRequirement,
    TransactionKind,
};

/// The simulator's terminal master key (a public test value, never a real key). A profile that
/// holds it can decrypt the working keys of the simulated sign-on.
pub const SIM_MASTER_KEY: &str = "0123456789ABCDEFFEDCBA9876543210";

/// The simulated terminal's working MAC key, as if it had signed on this morning (a public test
/// value, never a real key): the acquirer knows it from the start, so the terminal pays without
/// signing on first.
pub const SIM_TERMINAL_MAK: &str = "0F1E2D3C4B5A69788796A5B4C3D2E1F0";

/// The simulated terminal's TID (also its ZVT TID).
pub const SIM_TERMINAL_TID: &str = "29001006";

/// The simulated acquirer's institution code (32) and its issuer/acquirer pair (44).
const ACQUIRER_ID: &str = "48430000";
const FIELD_44: &str = "0309       4843       ";
/// Balance shown by a balance inquiry: 54 = account type 10, amount type 02, CNY, credit.
const BALANCE: &str = "1002156C000000123456";

/// A simulated acquirer with a fixed set of faults; clones share one ledger.
#[derive(Clone)]
pub struct AcquirerSim {
    faults: Vec<Fault>,
    /// Faults repaired while it runs (the demo's "simulate the repair").
    repairs: Repairs,
    dialect: Dialect,
    master: Option<MasterKey>,
    ledger: Arc<Mutex<Ledger>>,
}

impl AcquirerSim {
    pub fn new(faults: Vec<Fault>) -> Self {
        let mut ledger = Ledger::default();
        if let Ok(key) = MacKey::from_hex(SIM_TERMINAL_MAK) {
            ledger.remember(SIM_TERMINAL_TID, key);
        }
        AcquirerSim {
            faults,
            repairs: Repairs::default(),
            dialect: Dialect::cup(),
            master: MasterKey::from_hex(SIM_MASTER_KEY).ok(),
            ledger: Arc::new(Mutex::new(ledger)),
        }
    }

    /// Shares `repairs` with the rest of the simulator.
    pub fn with_repairs(mut self, repairs: Repairs) -> Self {
        self.repairs = repairs;
        self
    }

    /// The injected faults not repaired since.
    fn active(&self) -> impl Iterator<Item = &Fault> + '_ {
        self.faults
            .iter()
            .filter(|f| !self.repairs.is_repaired(f.id()))
    }

    pub fn has(&self, id: CauseId) -> bool {
        self.active().any(|f| f.cause() == id)
    }

    pub fn dialect(&self) -> &Dialect {
        &self.dialect
    }

    /// Added latency (`network.slow`).
    pub fn delay(&self) -> Duration {
        self.active()
            .find_map(|f| match f {
                Fault::NetworkSlow { by } => Some(*by),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The `host.decline` code for a request of `kind`: card and amount codes (51, 55, 61 …)
    /// only for requests that carry a card; terminal and system codes (97, 96 …) for all.
    fn decline_code(&self, kind: TransactionKind) -> Option<&str> {
        let card = matches!(
            kind,
            TransactionKind::BalanceInquiry
                | TransactionKind::PreAuth
                | TransactionKind::PreAuthVoid
                | TransactionKind::PreAuthCompletion
                | TransactionKind::PreAuthCompletionVoid
                | TransactionKind::Sale
                | TransactionKind::SaleVoid
                | TransactionKind::Refund
        );
        self.active().find_map(|f| match f {
            Fault::HostDecline { code } if card || decline_applies_without_card(code) => {
                Some(code.as_str())
            }
            _ => None,
        })
    }

    /// The response frame to `raw`, or `None` when the host stays silent (undecodable frame,
    /// a response sent to us, `host.timeout`).
    pub fn respond(&self, raw: &[u8]) -> Option<Vec<u8>> {
        let request = decode(&self.dialect, raw).ok()?;
        let response_mti = request.mti.response()?;
        let kind = request.transaction();
        let tid = request.str(41).unwrap_or_default().to_owned();
        let mut ledger = self.ledger.lock().ok()?;
        // `host.timeout`: the issuer never answers in time, but a sale still posts (the money
        // may be taken, R5); the acquirer itself answers reversals.
        if self.has(cause!("host.timeout")) && kind != TransactionKind::Reversal {
            if kind == TransactionKind::Sale {
                let mut ignored = Message::new(response_mti);
                self.process(&request, kind, &tid, &mut ledger, &mut ignored);
            }
            return None;
        }
        // The key the request was signed with (the newest of the TID's keys that verifies).
        let signed_with = request.field(64).and_then(|_| {
            ledger
                .keys(&tid)
                .find(|k| verify_frame(&self.dialect, k, raw).unwrap_or(false))
                .cloned()
        });
        let mac_ok = request.field(64).is_none() || signed_with.is_some();
        // `host.mac_error` on a sale: approved, but signed with a key the terminal does not
        // have, so its MAC check fails; reversals are answered normally.
        let bad_mac_sale = self.has(cause!("host.mac_error")) && kind == TransactionKind::Sale;
        let mac_fault = self.has(cause!("host.mac_error"))
            && !bad_mac_sale
            && kind != TransactionKind::Reversal;
        let mut response = Message::new(response_mti);
        for n in [2, 3, 4, 11, 14, 22, 25, 41, 42, 49, 60, 61] {
            if let Some(f) = request.field(n) {
                response.set(n, f.value.clone());
            }
        }
        let sign_on = kind == TransactionKind::SignOn;
        let forced = if let Some(code) = self.decline_code(kind) {
            Some(code.to_owned())
        } else if self.has(cause!("host.duplicate")) && !sign_on {
            Some("94".to_owned())
        } else if (mac_fault || !mac_ok) && !sign_on {
            Some("A0".to_owned())
        } else {
            None
        };
        let code = match forced {
            Some(code) => code,
            None => self.process(&request, kind, &tid, &mut ledger, &mut response),
        };
        let financial = matches!(
            request.mti.request().as_str(),
            "0100" | "0200" | "0220" | "0400"
        );
        if financial {
            self.add_financial_fields(&mut ledger, &mut response, &code);
        }
        response.set(39, FieldValue::text(code));
        let mut envelope = request.envelope.to_envelope();
        if let Some(mut header) = CupHeader::from_bytes(&envelope.header) {
            let requirement = if self.has(cause!("host.resign_on")) {
                ProcessingRequirement::ReSignOn
            } else {
                ProcessingRequirement::None
            };
            header.set_processing_requirement(requirement);
            if let Some(first) = envelope.header.get_mut(..CupHeader::LEN) {
                first.copy_from_slice(&header.0);
            }
        }
        // Sign when the request was signed and a working key exists.
        let key = signed_with.or_else(|| {
            ledger
                .keys(&tid)
                .next()
                .filter(|_| request.field(64).is_some())
                .cloned()
        });
        let key = match key {
            Some(_) if bad_mac_sale => not_the_terminals_key(),
            other => other,
        };
        match key {
            Some(k) => sign_with(&response, &self.dialect, &envelope, &k).ok(),
            None => response.encode_with(&self.dialect, &envelope).ok(),
        }
    }

    /// The normal answer to a well-formed, correctly signed request: its response code.
    fn process(
        &self,
        request: &DecodedMessage,
        kind: TransactionKind,
        tid: &str,
        ledger: &mut Ledger,
        response: &mut Message,
    ) -> String {
        let stan = request.str(11).unwrap_or_default().to_owned();
        let amount = request
            .str(4)
            .and_then(|a| a.parse::<u64>().ok())
            .unwrap_or(0);
        let code = match kind {
            TransactionKind::SignOn => {
                let mode = network_code(request.str(60)).and_then(KeyMode::from_network_code);
                match mode.and_then(|m| self.working_keys(m, tid, ledger)) {
                    Some(block) => {
                        response.set(62, FieldValue::binary(block));
                        "00"
                    }
                    None => "30",
                }
            }
            TransactionKind::SignOff => {
                ledger.sessions.retain(|(t, _)| t != tid);
                "00"
            }
            TransactionKind::Management => "00",
            TransactionKind::Sale => {
                if ledger.find(tid, &stan).is_some() {
                    "94"
                } else {
                    ledger.posted.push(Posted {
                        tid: tid.to_owned(),
                        stan,
                        amount,
                        state: PostedState::Approved,
                    });
                    // A long demo stays bounded: the oldest postings go (a day's batch is far
                    // smaller).
                    if ledger.posted.len() > MAX_POSTED {
                        ledger.posted.remove(0);
                    }
                    "00"
                }
            }
            TransactionKind::SaleVoid => {
                let original = request
                    .str(61)
                    .and_then(|s| s.get(6..12))
                    .unwrap_or_default()
                    .to_owned();
                match ledger.find(tid, &original) {
                    Some(p) if p.state == PostedState::Approved && p.amount == amount => {
                        p.state = PostedState::Voided;
                        "00"
                    }
                    Some(p) if p.state == PostedState::Approved => "64",
                    _ => "25",
                }
            }
            TransactionKind::BalanceInquiry => {
                response.set(54, FieldValue::text(BALANCE));
                "00"
            }
            TransactionKind::Reversal => match ledger.find(tid, &stan) {
                Some(p) => {
                    p.state = PostedState::Reversed;
                    "00"
                }
                None => "25",
            },
            TransactionKind::Settlement => {
                let (total, count) = ledger
                    .posted
                    .iter()
                    .filter(|p| p.tid == tid && p.state == PostedState::Approved)
                    .fold((0u64, 0u64), |(t, c), p| {
                        (t.saturating_add(p.amount), c + 1)
                    });
                let claimed = request.str(48).unwrap_or_default();
                let balanced = claimed.get(0..12).and_then(|t| t.parse::<u64>().ok())
                    == Some(total)
                    && claimed.get(12..15).and_then(|c| c.parse::<u64>().ok()) == Some(count);
                // 对账应答代码: 1 balanced, 2 not balanced; the host's own totals go back.
                let flag = if balanced { "1" } else { "2" };
                let domestic = format!("{total:012}{count:03}{:015}", 0);
                let foreign = "0".repeat(30);
                response.set(
                    48,
                    FieldValue::digits(format!("{domestic}{flag}{foreign}1")),
                );
                "00"
            }
            TransactionKind::BatchUpload => "00",
            TransactionKind::PreAuth
            | TransactionKind::PreAuthCompletion
            | TransactionKind::PreAuthVoid => {
                let original = request.str(61).and_then(|s| s.get(6..12));
                ledger.pre_auth(PreAuthOp {
                    tid,
                    stan: &stan,
                    amount,
                    original: original.filter(|_| kind != TransactionKind::PreAuth),
                    completion: kind == TransactionKind::PreAuthCompletion,
                })
            }
            _ => "40",
        };
        code.to_owned()
    }

    /// Fresh working keys for `tid`, sealed under the master key; the MAC key is remembered.
    fn working_keys(&self, mode: KeyMode, tid: &str, ledger: &mut Ledger) -> Option<Vec<u8>> {
        let master = self.master.as_ref()?;
        let keys: Vec<Vec<u8>> = mode
            .roles()
            .iter()
            .map(|_| test_key_bytes(ledger.next(), mode.key_len()))
            .collect();
        let block = seal_key_block(&keys, mode, master).ok()?;
        let mak = keys.get(1).and_then(|k| MacKey::new(k).ok())?;
        ledger.remember(tid, mak);
        Some(block)
    }

    fn add_financial_fields(&self, ledger: &mut Ledger, response: &mut Message, code: &str) {
        let now =
            time::OffsetDateTime::from(SystemTime::now()).to_offset(crate::localtime::offset());
        let seq = ledger.next();
        response.set(
            12,
            FieldValue::digits(format!(
                "{:02}{:02}{:02}",
                now.hour(),
                now.minute(),
                now.second()
            )),
        );
        let mmdd = format!("{:02}{:02}", u8::from(now.month()), now.day());
        response.set(13, FieldValue::digits(mmdd.clone()));
        response.set(15, FieldValue::digits(mmdd));
        response.set(32, FieldValue::digits(ACQUIRER_ID));
        response.set(
            37,
            FieldValue::text(format!("{:012}", seq % 1_000_000_000_000)),
        );
        if crate::proto::iso8583::codes::is_success(code)
            && response.mti.request().as_str() == "0200"
        {
            response.set(38, FieldValue::text(format!("{:06}", seq % 1_000_000)));
        }
        response.set(44, FieldValue::text(FIELD_44));
    }

    /// Answers frames on `transport` until the link closes.
    pub async fn serve<S: AsyncRead + AsyncWrite + Unpin + Send>(
        &self,
        transport: &mut FrameTransport<S>,
    ) -> Result<(), TransportError> {
        let forever = Instant::now() + Duration::from_secs(10 * 365 * 24 * 3600);
        loop {
            let raw = match transport.recv(forever).await {
                Ok(raw) => raw,
                Err(TransportError::Closed { .. }) => return Ok(()),
                Err(TransportError::BadLengthPrefix { .. }) => continue,
                Err(e) => return Err(e),
            };
            let delay = self.delay();
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            if let Some(response) = self.respond(&raw) {
                transport.send(&response).await?;
            }
        }
    }
}

/// A key no terminal has (a public test value): a MAC made with it never verifies.
fn not_the_terminals_key() -> Option<MacKey> {
    MacKey::from_hex("5A5A5A5A5A5A5A5AA5A5A5A5A5A5A5A5").ok()
}

/// Test working keys: bytes from a counter and the clock (splitmix64). Not secret by design.
fn test_key_bytes(counter: u64, len: usize) -> Vec<u8> {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut state = nanos ^ counter.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.extend(z.to_be_bytes());
    }
    out.truncate(len);
    out
}

#[cfg(test)]
#[path = "acquirer_tests.rs"]
mod tests;
