//! Simulator faults. Every fault id is also the id of the cause in the knowledge base that
//! explains it, so "inject X → the checks name X" is testable.

use std::time::Duration;

use super::printer::PrinterFault;
use crate::catalogue::{NEXO_ONLY, VOCABULARY};
use posdiag_core::catalogue::CauseId;
use posdiag_core::cause;

/// A fault the simulator can inject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Terminal status E2, 1F55 "card reader not found".
    ReaderNotAnswering,
    /// Terminal status DC, 1F55 "card still inserted".
    ReaderCardInserted,
    /// Read Card ends with result code 64 (card not readable).
    ReaderUnreadable,
    /// Terminal status BF (supply voltage too low).
    PowerLowVoltage,
    /// 1F55 low-battery bit.
    PowerLowBattery,
    /// Terminal status 51, 1F55 initialisation lock, E4 device state 01.
    TerminalNeedsInit,
    /// Terminal status C2, 1F55 diagnosis lock.
    TerminalDiagnosisRequired,
    /// Terminal status F0, 1F55 reconciliation lock.
    TerminalEodRequired,
    /// E4 device state 02 (no keys loaded).
    KeysMissing,
    /// The terminal clock is off by `by`: ahead of real time, or behind when `behind`.
    ClockWrong { by: Duration, behind: bool },
    /// Never answers.
    LinkSilent,
    /// Answers with bytes as if the baud rate were wrong.
    LinkGarbled,
    /// A fault of the simulated receipt printer (ESC/POS status bits, or silence).
    Printer(PrinterFault),
    /// Terminal status CC, 1F55 printer lock: the terminal's own printer is not ready.
    TerminalPrinterNotReady,
    /// The acquirer declines with response code `code` (field 39): card codes only payments.
    HostDecline { code: String },
    /// The acquirer reads requests and never answers (the terminal reverses with 98).
    HostTimeout,
    /// The acquirer answers A0 (MAC verification failed) after sign-on.
    HostMacError,
    /// Every response header carries 处理要求 = 3 (re-sign-on).
    HostResignOn,
    /// The acquirer answers 94 (duplicate transaction) to everything but sign-on.
    HostDuplicate,
    /// Nothing listens on the host's port (connection refused).
    NetworkDown,
    /// Every host response is delayed by `by`.
    NetworkSlow { by: Duration },
    /// A payment is approved, then the terminal's printer fails mid-slip: reversal 96.
    TxnReceiptPrintFail,
    /// nexo only: the terminal answers Busy (another register or an update holds it).
    TerminalBusy,
    /// nexo only: the register must log in (LoginRequest) before payments; LoggedOut until then.
    TerminalEcrNotRegistered,
}

/// Field 39 codes about the card, the cardholder, the amount or the issuer: a host gives them
/// to a payment, never to a sign-on or an echo (no card, no amount). Every other code
/// (merchant, terminal, system: 03, 96, 97, A0 …) can answer any request.
const CARD_CODES: &[&str] = &[
    "01", "02", "04", "05", "07", "12", "13", "14", "15", "33", "34", "35", "36", "37", "38", "41",
    "43", "51", "54", "55", "57", "59", "61", "62", "65", "75", "91", "94",
];

/// True when `host.decline=code` applies to a request that carries no card (sign-on, echo,
/// settlement, the terminal's Diagnosis).
pub fn decline_applies_without_card(code: &str) -> bool {
    !CARD_CODES.contains(&code)
}

/// Why a `--fault` argument was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultError {
    #[error("unknown fault '{0}'; the simulator knows: {known}", known = known_ids())]
    Unknown(String),
    #[error("fault '{id}' needs a value: --fault {id}={hint}")]
    MissingValue { id: String, hint: String },
    #[error(
        "fault '{0}' exists only in the simulated nexo terminal (posdiag sim --terminal nexo)"
    )]
    NexoOnly(String),
    #[error("fault '{id}' takes no value (got '{value}')")]
    UnexpectedValue { id: String, value: String },
    #[error(
        "fault '{id}': '{value}' is not a response code; use two characters such as 51, 97 or A0"
    )]
    BadResponseCode { id: String, value: String },
    #[error("fault '{id}': '{value}' is not a duration ({reason}); use e.g. 3h, 90s, -10m")]
    BadDuration {
        id: String,
        value: String,
        reason: String,
    },
    #[error("fault '{id}': '{value}' is out of range; give {range}")]
    OutOfRange {
        id: String,
        value: String,
        range: &'static str,
    },
}

/// The largest clock skew the simulator takes: a terminal whose battery died reads decades
/// off, never centuries, and the skewed clock must stay a calendar date.
/// 100 years as humantime counts them (365.25 days), so `100y` itself is accepted.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(3_155_760_000);
/// The largest added latency: a day, far past any timeout a profile can sensibly set.
pub const MAX_NETWORK_DELAY: Duration = Duration::from_secs(24 * 3600);

fn known_ids() -> String {
    VOCABULARY
        .iter()
        .chain(NEXO_ONLY)
        .map(|f| match f.value {
            Some(v) => format!("{}={v}", f.id),
            None => f.id.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Fault {
    /// The cause this fault demonstrates (a cause of `kb/`, checked when the crate is built).
    pub fn cause(&self) -> CauseId {
        match self {
            Fault::ReaderNotAnswering => cause!("reader.not_answering"),
            Fault::ReaderCardInserted => cause!("reader.card_inserted"),
            Fault::ReaderUnreadable => cause!("reader.unreadable"),
            Fault::PowerLowVoltage => cause!("power.low_voltage"),
            Fault::PowerLowBattery => cause!("power.low_battery"),
            Fault::TerminalNeedsInit => cause!("terminal.needs_init"),
            Fault::TerminalDiagnosisRequired => cause!("terminal.diagnosis_required"),
            Fault::TerminalEodRequired => cause!("terminal.eod_required"),
            Fault::KeysMissing => cause!("keys.missing"),
            Fault::ClockWrong { .. } => cause!("clock.wrong"),
            Fault::LinkSilent => cause!("link.silent"),
            Fault::LinkGarbled => cause!("link.garbled"),
            Fault::Printer(p) => p.cause(),
            Fault::TerminalPrinterNotReady => cause!("terminal.printer_not_ready"),
            Fault::HostDecline { .. } => cause!("host.decline"),
            Fault::HostTimeout => cause!("host.timeout"),
            Fault::HostMacError => cause!("host.mac_error"),
            Fault::HostResignOn => cause!("host.resign_on"),
            Fault::HostDuplicate => cause!("host.duplicate"),
            Fault::NetworkDown => cause!("network.down"),
            Fault::NetworkSlow { .. } => cause!("network.slow"),
            Fault::TxnReceiptPrintFail => cause!("txn.receipt_print_fail"),
            Fault::TerminalBusy => cause!("terminal.busy"),
            Fault::TerminalEcrNotRegistered => cause!("terminal.ecr_not_registered"),
        }
    }

    /// The fault id: its cause's id.
    pub fn id(&self) -> &'static str {
        self.cause().as_str()
    }

    /// The fault as it was asked for, `ID[=VALUE]` (e.g. `host.decline=51`): what captures,
    /// replays and reports name, so the value is not lost on the way. Parses back to itself.
    pub fn arg(&self) -> String {
        let value = match self {
            Fault::HostDecline { code } => code.clone(),
            Fault::NetworkSlow { by } => humantime::format_duration(*by).to_string(),
            Fault::ClockWrong { by, behind } => format!(
                "{}{}",
                if *behind { "-" } else { "" },
                humantime::format_duration(*by)
            ),
            _ => return self.id().to_owned(),
        };
        format!("{}={value}", self.id())
    }

    /// Parses `ID[=VALUE]`.
    pub fn parse(arg: &str) -> Result<Fault, FaultError> {
        let (id, value) = match arg.split_once('=') {
            Some((id, v)) => (id.trim(), Some(v.trim())),
            None => (arg.trim(), None),
        };
        let simple = |f: Fault| match value {
            None => Ok(f),
            Some(v) => Err(FaultError::UnexpectedValue {
                id: id.to_owned(),
                value: v.to_owned(),
            }),
        };
        match id {
            "reader.not_answering" => simple(Fault::ReaderNotAnswering),
            "reader.card_inserted" => simple(Fault::ReaderCardInserted),
            "reader.unreadable" => simple(Fault::ReaderUnreadable),
            "power.low_voltage" => simple(Fault::PowerLowVoltage),
            "power.low_battery" => simple(Fault::PowerLowBattery),
            "terminal.needs_init" => simple(Fault::TerminalNeedsInit),
            "terminal.diagnosis_required" => simple(Fault::TerminalDiagnosisRequired),
            "terminal.eod_required" => simple(Fault::TerminalEodRequired),
            "keys.missing" => simple(Fault::KeysMissing),
            "link.silent" => simple(Fault::LinkSilent),
            "link.garbled" => simple(Fault::LinkGarbled),
            "terminal.printer_not_ready" => simple(Fault::TerminalPrinterNotReady),
            "host.timeout" => simple(Fault::HostTimeout),
            "host.mac_error" => simple(Fault::HostMacError),
            "host.resign_on" => simple(Fault::HostResignOn),
            "host.duplicate" => simple(Fault::HostDuplicate),
            "network.down" => simple(Fault::NetworkDown),
            "txn.receipt_print_fail" => simple(Fault::TxnReceiptPrintFail),
            "terminal.busy" => simple(Fault::TerminalBusy),
            "terminal.ecr_not_registered" => simple(Fault::TerminalEcrNotRegistered),
            "host.decline" => {
                let Some(v) = value else {
                    return Err(FaultError::MissingValue {
                        id: id.to_owned(),
                        hint: "CODE (e.g. 51)".to_owned(),
                    });
                };
                let code = v.to_ascii_uppercase();
                if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(FaultError::BadResponseCode {
                        id: id.to_owned(),
                        value: v.to_owned(),
                    });
                }
                Ok(Fault::HostDecline { code })
            }
            "network.slow" => {
                let Some(v) = value else {
                    return Err(FaultError::MissingValue {
                        id: id.to_owned(),
                        hint: "DURATION (e.g. 2s)".to_owned(),
                    });
                };
                let by = humantime::parse_duration(v).map_err(|e| FaultError::BadDuration {
                    id: id.to_owned(),
                    value: v.to_owned(),
                    reason: e.to_string(),
                })?;
                if by > MAX_NETWORK_DELAY {
                    return Err(FaultError::OutOfRange {
                        id: id.to_owned(),
                        value: v.to_owned(),
                        range: "a delay from 0s to 24h (e.g. 2s)",
                    });
                }
                Ok(Fault::NetworkSlow { by })
            }
            "clock.wrong" => {
                let Some(v) = value else {
                    return Err(FaultError::MissingValue {
                        id: id.to_owned(),
                        hint: "DURATION (e.g. 3h)".to_owned(),
                    });
                };
                let (negative, magnitude) = match v.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, v.strip_prefix('+').unwrap_or(v)),
                };
                let d =
                    humantime::parse_duration(magnitude).map_err(|e| FaultError::BadDuration {
                        id: id.to_owned(),
                        value: v.to_owned(),
                        reason: e.to_string(),
                    })?;
                if d > MAX_CLOCK_SKEW {
                    return Err(FaultError::OutOfRange {
                        id: id.to_owned(),
                        value: v.to_owned(),
                        range: "a skew from -100y to 100y (e.g. 3h, -10m)",
                    });
                }
                Ok(Fault::ClockWrong {
                    by: d,
                    behind: negative,
                })
            }
            other => match PrinterFault::from_id(other) {
                Some(p) => simple(Fault::Printer(p)),
                None => Err(FaultError::Unknown(other.to_owned())),
            },
        }
    }
}

/// Refuses the faults only the simulated nexo terminal implements (for the ZVT simulator).
pub fn refuse_nexo_only(faults: &[Fault]) -> Result<(), FaultError> {
    match faults
        .iter()
        .find(|f| NEXO_ONLY.iter().any(|n| n.id == f.id()))
    {
        Some(f) => Err(FaultError::NexoOnly(f.id().to_owned())),
        None => Ok(()),
    }
}

/// Parses every `--fault` argument, stopping at the first bad one.
pub fn parse_faults(args: &[String]) -> Result<Vec<Fault>, FaultError> {
    args.iter().map(|a| Fault::parse(a)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_names_itself_with_its_value() {
        for arg in [
            "host.decline=51",
            "network.slow=1s 200ms",
            "clock.wrong=-3h",
            "reader.not_answering",
        ] {
            let fault = Fault::parse(arg).expect("known fault");
            assert_eq!(fault.arg(), arg);
            assert_eq!(Fault::parse(&fault.arg()), Ok(fault));
        }
    }

    #[test]
    fn nexo_only_faults_parse_but_the_zvt_simulator_refuses_them() {
        let busy = parse_faults(&["terminal.busy".to_owned()]).expect("parses");
        let e = refuse_nexo_only(&busy).unwrap_err().to_string();
        assert!(e.contains("--terminal nexo"), "{e}");
        assert!(refuse_nexo_only(&[Fault::HostTimeout]).is_ok());
        assert!(FaultError::Unknown("x".into())
            .to_string()
            .contains("terminal.ecr_not_registered"));
    }

    #[test]
    fn every_vocabulary_entry_parses() {
        for info in VOCABULARY.iter().chain(NEXO_ONLY) {
            let arg = match info.value {
                Some("CODE") => format!("{}=51", info.id),
                Some(_) => format!("{}=3h", info.id),
                None => info.id.to_string(),
            };
            let fault = Fault::parse(&arg).unwrap_or_else(|e| panic!("{}: {e}", info.id));
            assert_eq!(info.id, fault.id());
            assert!(!info.effect.is_incomplete());
        }
    }

    #[test]
    fn clock_skew_has_a_sign() {
        assert_eq!(
            Fault::parse("clock.wrong=-10m").unwrap(),
            Fault::ClockWrong {
                by: Duration::from_secs(600),
                behind: true
            }
        );
    }

    #[test]
    fn errors_say_what_to_do() {
        let e = Fault::parse("printer.on_fire").unwrap_err().to_string();
        assert!(e.contains("reader.not_answering"), "{e}");
        assert!(Fault::parse("clock.wrong")
            .unwrap_err()
            .to_string()
            .contains("clock.wrong="));
        assert!(Fault::parse("clock.wrong=soon").is_err());
        // Issue 16: a skew past any calendar is a usage error naming the value and the range.
        let e = Fault::parse("clock.wrong=99999999999999h").unwrap_err();
        assert!(matches!(e, FaultError::OutOfRange { .. }), "{e:?}");
        let e = e.to_string();
        assert!(e.contains("99999999999999h") && e.contains("100y"), "{e}");
        assert!(Fault::parse("clock.wrong=-100y").is_ok());
        assert!(Fault::parse("clock.wrong=-101y").is_err());
        assert!(Fault::parse("network.slow=25h").is_err());
        assert!(Fault::parse("link.silent=1").is_err());
        assert!(Fault::parse("host.decline").is_err());
        assert!(Fault::parse("host.decline=5").is_err());
        assert_eq!(
            Fault::parse("host.decline=a0").unwrap(),
            Fault::HostDecline { code: "A0".into() }
        );
        assert!(Fault::parse("network.slow=soon").is_err());
    }
}
