//! The simulated terminal's host side: a real TCP connection to the acquirer (CUP framing),
//! the terminal's own ISO 8583 requests — sale, reversal, void, settlement — signed with its
//! working key, and the responses' MACs checked, as a CUP POS terminal does.

use std::time::Duration;

use tokio::net::TcpStream;

use super::acquirer::{SIM_TERMINAL_MAK, SIM_TERMINAL_TID};
use crate::drivers::iso8583::{FrameTransport, HostClient, HostError, MacCheck, TerminalIdentity};
use crate::proto::iso8583::{Dialect, FieldValue, MacKey, Message, Mti};

/// The simulated shop's merchant number (42).
pub const SIM_MID: &str = "898310048990001";
/// CNY.
const CURRENCY_NUMERIC: &str = "156";
/// The test card's expiry (YYMM), as Read Card reports it.
pub const TEST_CARD_EXPIRY: &str = "2912";

/// What came back for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostAnswer {
    /// The request could not be built or signed: nothing was sent.
    NotSent(String),
    /// Sent, no answer in time (or the link broke after sending).
    NoAnswer,
    Answer {
        code: String,
        rrn: Option<String>,
        auth_code: Option<String>,
        /// Field 48 of a settlement response.
        field48: Option<String>,
        /// Field 64 verified under the terminal's working key.
        mac_ok: bool,
    },
}

/// A sale as the terminal sends it.
#[derive(Debug, Clone)]
pub struct Sale {
    pub trace: u32,
    pub batch: u32,
    pub amount_minor: u64,
    /// The full PAN: only ever inside the simulator and on the wire (redacted there).
    pub pan: String,
    /// Key-entered by the cash register rather than read from the card.
    pub keyed: bool,
}

fn mti(s: &str) -> Option<Mti> {
    Mti::new(s)
}

fn base(m: Mti, trace: u32) -> Message {
    Message::new(m)
        .with(11, FieldValue::digits(format!("{:06}", trace % 1_000_000)))
        .with(41, FieldValue::text(SIM_TERMINAL_TID))
        .with(42, FieldValue::text(SIM_MID))
}

impl Sale {
    /// The 0200 (60.1 = 22).
    pub fn request(&self) -> Option<Message> {
        let entry = if self.keyed { "012" } else { "051" };
        Some(
            base(mti("0200")?, self.trace)
                .with(2, FieldValue::digits(self.pan.clone()))
                .with(3, FieldValue::digits("000000"))
                .with(4, FieldValue::digits(format!("{:012}", self.amount_minor)))
                .with(14, FieldValue::digits(TEST_CARD_EXPIRY))
                .with(22, FieldValue::digits(entry))
                .with(25, FieldValue::digits("00"))
                .with(49, FieldValue::text(CURRENCY_NUMERIC))
                .with(
                    60,
                    FieldValue::digits(format!("22{:06}", self.batch % 1_000_000)),
                ),
        )
    }
}

/// The 0400 of `original`: its identifying fields again, 39 = `reason`
/// (docs/protocols/iso8583-cup.md §7.2).
pub fn reversal_of(original: &Message, reason: &str) -> Option<Message> {
    let mut m = Message::new(mti("0400")?);
    for n in [2, 3, 4, 11, 14, 22, 25, 41, 42, 49, 60] {
        if let Some(v) = original.get(n) {
            m.set(n, v.clone());
        }
    }
    m.set(39, FieldValue::text(reason));
    Some(m)
}

/// A sale void (0200, 3 = 200000, 60.1 = 23, 61 = original batch + trace).
pub fn void(trace: u32, batch: u32, original_trace: u32, amount_minor: u64) -> Option<Message> {
    Some(
        base(mti("0200")?, trace)
            .with(3, FieldValue::digits("200000"))
            .with(4, FieldValue::digits(format!("{amount_minor:012}")))
            .with(25, FieldValue::digits("00"))
            .with(49, FieldValue::text(CURRENCY_NUMERIC))
            .with(
                60,
                FieldValue::digits(format!("23{:06}", batch % 1_000_000)),
            )
            .with(
                61,
                FieldValue::digits(format!(
                    "{:06}{:06}",
                    batch % 1_000_000,
                    original_trace % 1_000_000
                )),
            ),
    )
}

/// Batch settlement (0500, 60.3 = 201) with the domestic debit totals in field 48.
pub fn settlement(trace: u32, batch: u32, count: u64, total_minor: u64) -> Option<Message> {
    let domestic = format!(
        "{:012}{:03}{:012}{:03}0",
        total_minor % 1_000_000_000_000,
        count % 1_000,
        0,
        0
    );
    let foreign = "0".repeat(31);
    Some(
        base(mti("0500")?, trace)
            .with(48, FieldValue::digits(format!("{domestic}{foreign}")))
            .with(49, FieldValue::text(CURRENCY_NUMERIC))
            .with(
                60,
                FieldValue::digits(format!("00{:06}201", batch % 1_000_000)),
            ),
    )
}

/// The pre-authorisation family (docs/protocols/iso8583-cup.md: 预授权 0100 60.1 = 10, its
/// cancellation 0100 60.1 = 11, its completion 0200 60.1 = 20; the last two name the original in
/// field 61).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreAuthRequest {
    Hold,
    Cancel { original_trace: u32 },
    Complete { original_trace: u32 },
}

/// The host request of a pre-authorisation step for `amount_minor` with the test card.
pub fn pre_auth(
    kind: PreAuthRequest,
    trace: u32,
    batch: u32,
    amount_minor: u64,
) -> Option<Message> {
    let (m, processing, code) = match kind {
        PreAuthRequest::Hold => ("0100", "030000", "10"),
        PreAuthRequest::Cancel { .. } => ("0100", "200000", "11"),
        PreAuthRequest::Complete { .. } => ("0200", "000000", "20"),
    };
    let mut message = base(mti(m)?, trace)
        .with(2, FieldValue::digits(super::terminal::TEST_CARD_PAN))
        .with(3, FieldValue::digits(processing))
        .with(4, FieldValue::digits(format!("{amount_minor:012}")))
        .with(14, FieldValue::digits(TEST_CARD_EXPIRY))
        .with(22, FieldValue::digits("071"))
        .with(25, FieldValue::digits("06"))
        .with(49, FieldValue::text(CURRENCY_NUMERIC))
        .with(
            60,
            FieldValue::digits(format!("{code}{:06}", batch % 1_000_000)),
        );
    if let PreAuthRequest::Cancel { original_trace } | PreAuthRequest::Complete { original_trace } =
        kind
    {
        message.set(
            61,
            FieldValue::digits(format!(
                "{:06}{:06}",
                batch % 1_000_000,
                original_trace % 1_000_000
            )),
        );
    }
    Some(message)
}

/// One connection to the host for one transaction (CUP terminals connect per transaction).
pub struct HostSession {
    client: HostClient<TcpStream>,
    broken: bool,
}

impl HostSession {
    /// Connects within `timeout`; `None` when the host cannot be reached.
    pub async fn connect(addr: &str, timeout: Duration) -> Option<HostSession> {
        let stream = tokio::time::timeout(timeout, TcpStream::connect(addr))
            .await
            .ok()?
            .ok()?;
        let _ = stream.set_nodelay(true);
        let identity = TerminalIdentity {
            tid: SIM_TERMINAL_TID.to_owned(),
            mid: SIM_MID.to_owned(),
            batch: "000001".to_owned(),
            operator: "001".to_owned(),
        };
        let mut client = HostClient::new(
            FrameTransport::new(stream, Dialect::cup()),
            identity,
            timeout,
        );
        client.set_mac_key(MacKey::from_hex(SIM_TERMINAL_MAK).ok());
        Some(HostSession {
            client,
            broken: false,
        })
    }

    /// Sends `request` (signed) and waits for its response.
    pub async fn send(&mut self, request: Message) -> HostAnswer {
        if self.broken {
            return HostAnswer::NoAnswer;
        }
        match self.client.exchange(request).await {
            Ok(x) => HostAnswer::Answer {
                code: x.response.str(39).unwrap_or_default().trim().to_owned(),
                rrn: x.response.str(37).map(str::to_owned),
                auth_code: x.response.str(38).map(str::to_owned),
                field48: x.response.str(48).map(str::to_owned),
                mac_ok: matches!(x.mac, MacCheck::Verified),
            },
            Err(HostError::NoResponse { .. }) => HostAnswer::NoAnswer,
            Err(e @ (HostError::Encode(_) | HostError::Mac(_))) => {
                HostAnswer::NotSent(e.to_string())
            }
            Err(e) => {
                tracing::debug!("simulated terminal: host link: {e}");
                self.broken = true;
                HostAnswer::NoAnswer
            }
        }
    }

    /// True when the link broke: a reversal needs a new connection.
    pub fn is_broken(&self) -> bool {
        self.broken
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::iso8583::decode;
    use crate::proto::iso8583::transaction::TransactionKind;

    #[test]
    fn requests_classify_as_the_acquirer_reads_them() {
        let d = Dialect::cup();
        let sale = Sale {
            trace: 7,
            batch: 1,
            amount_minor: 1234,
            pan: "6200000000000005".into(),
            keyed: false,
        }
        .request()
        .expect("sale");
        let kind = |m: &Message| {
            decode(&d, &m.encode(&d).expect("encode"))
                .expect("decode")
                .transaction()
        };
        assert_eq!(kind(&sale), TransactionKind::Sale);
        let rev = reversal_of(&sale, "98").expect("reversal");
        assert_eq!(kind(&rev), TransactionKind::Reversal);
        assert_eq!(rev.str(11), Some("000007"));
        assert_eq!(
            kind(&void(8, 1, 7, 1234).expect("void")),
            TransactionKind::SaleVoid
        );
        let s = settlement(9, 1, 2, 2468).expect("settlement");
        assert_eq!(kind(&s), TransactionKind::Settlement);
        assert_eq!(
            s.str(48).and_then(|f| f.get(0..15)),
            Some("000000002468002")
        );
    }
}

#[cfg(test)]
mod live_tests {
    use super::*;
    use crate::{start, SimConfig};

    #[tokio::test]
    async fn a_sale_is_answered_and_its_mac_verifies() {
        let sim = start(SimConfig {
            host_tcp: Some("127.0.0.1:0".into()),
            ..SimConfig::default()
        })
        .await
        .expect("sim");
        let addr = sim.host_tcp.expect("host").to_string();
        let mut host = HostSession::connect(&addr, Duration::from_secs(2))
            .await
            .expect("connects");
        let sale = Sale {
            trace: 1,
            batch: 1,
            amount_minor: 1234,
            pan: "6200000000000005".into(),
            keyed: false,
        };
        let answer = host.send(sale.request().expect("sale")).await;
        assert!(
            matches!(&answer, HostAnswer::Answer { code, mac_ok: true, .. } if code == "00"),
            "{answer:?}"
        );
    }
}
