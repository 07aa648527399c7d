//! Messages the ECR (posdiag) sends to the PT and their encoding (decoding: `ecr_decode`).

use serde::Serialize;

use super::super::apdu::Apdu;
use super::super::bmp::Bmp;
use super::super::error::ZvtEncodeError;
use super::super::tlv::Tlv;
use super::super::values::{
    encode_amount, encode_currency, u64_to_bcd, Password, ZvtDate, ZvtTime,
};
use super::fields::{tlv_bmp, BmpWriter};
use super::names::CommandCode;

/// `05 01`: read-only health question. Service byte 0x04 asks for TLV (1F55, E4, 34…) in the
/// completion, 0x02 suppresses the SW version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatusEnquiry {
    pub password: Option<Password>,
    pub service_byte: Option<u8>,
    pub tlv: Option<Vec<Tlv>>,
}

/// `06 00`: sets the config byte, print target and TLV mode (state-changing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Registration {
    pub password: Password,
    pub config_byte: u8,
    /// ISO 4217 numeric; required on the wire when a service byte or TLV follows (EUR then).
    pub currency: Option<u16>,
    pub service_byte: Option<u8>,
    pub tlv: Option<Vec<Tlv>>,
}

/// The diagnosis type (TLV 1B in `06 70`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum DiagnosisKind {
    Line,
    /// The PT default when no type is sent.
    #[default]
    Extended,
    Configuration,
    EmvConfiguration,
    Ep2Configuration,
    Other(u8),
}

impl DiagnosisKind {
    pub fn from_byte(b: u8) -> DiagnosisKind {
        match b {
            1 => DiagnosisKind::Line,
            2 => DiagnosisKind::Extended,
            3 => DiagnosisKind::Configuration,
            4 => DiagnosisKind::EmvConfiguration,
            5 => DiagnosisKind::Ep2Configuration,
            other => DiagnosisKind::Other(other),
        }
    }

    pub fn to_byte(self) -> u8 {
        match self {
            DiagnosisKind::Line => 1,
            DiagnosisKind::Extended => 2,
            DiagnosisKind::Configuration => 3,
            DiagnosisKind::EmvConfiguration => 4,
            DiagnosisKind::Ep2Configuration => 5,
            DiagnosisKind::Other(b) => b,
        }
    }
}

/// `06 70`: the PT goes online to its host. Without a type the PT runs Extended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub kind: DiagnosisKind,
}

/// `06 C0`: prompts the cardholder; the reply carries track data (mask it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadCard {
    /// Fixed first byte; must be present when anything else is sent.
    pub timeout_s: Option<u8>,
    pub card_type: Option<u8>,
    pub dialog_control: Option<u8>,
    pub tlv: Option<Vec<Tlv>>,
}

/// `06 B0`: ECR-initiated abort.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AbortCommand {
    pub card_output_direction: Option<u8>,
    pub card_reader_activation: Option<u8>,
}

/// `06 01`: a payment (financial; never automatic).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Authorisation {
    pub amount_minor: Option<u64>,
    pub currency: Option<u16>,
    pub payment_type: Option<u8>,
    pub timeout_s: Option<u8>,
    pub max_status_infos: Option<u8>,
    pub card_type: Option<u8>,
    pub tlv: Option<Vec<Tlv>>,
    /// Any other BMP (card data from the ECR, pump number…), kept as received.
    pub other_bmps: Vec<Bmp>,
}

/// `06 30`: reverses the payment with `receipt_no`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reversal {
    pub password: Password,
    /// BMP 87, 0–9999.
    pub receipt_no: Option<u16>,
    pub tlv: Option<Vec<Tlv>>,
    pub other_bmps: Vec<Bmp>,
}

/// `06 50`: closes the day's batch (financial).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EndOfDay {
    pub password: Password,
    pub tlv: Option<Vec<Tlv>>,
}

/// `06 20`: service byte bit 0 = send the status information, bit 1 = do not print.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RepeatReceipt {
    pub password: Password,
    pub service_byte: Option<u8>,
    pub tlv: Option<Vec<Tlv>>,
}

/// `06 91`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetDateTimeInPt {
    pub password: Password,
    pub date: ZvtDate,
    pub time: ZvtTime,
}

/// Every ECR → PT message posdiag knows; anything else is `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum EcrMessage {
    StatusEnquiry(StatusEnquiry),
    Registration(Registration),
    Diagnosis(Diagnosis),
    ReadCard(ReadCard),
    PrintSystemConfiguration,
    Abort(AbortCommand),
    LogOff,
    Authorisation(Authorisation),
    EndOfDay(EndOfDay),
    RepeatReceipt(RepeatReceipt),
    Reversal(Reversal),
    Selftest,
    /// `06 93`.
    Initialisation {
        password: Password,
    },
    /// `06 10`.
    SendTurnoverTotals {
        password: Password,
    },
    SetDateTimeInPt(SetDateTimeInPt),
    /// `80 00 00` (the ECR acks every PT message).
    Ack,
    /// `84 xx 00`, e.g. `84 CC 00` when the ECR's printer is not ready.
    NegativeAck {
        result_code: u8,
    },
    Other(Apdu),
}

fn pw_only(password: &Password) -> Vec<u8> {
    password.0.to_vec()
}

fn invalid(field: &str, expected: &'static str, value: String) -> ZvtEncodeError {
    ZvtEncodeError::InvalidValue {
        field: field.to_string(),
        expected,
        value,
    }
}

impl EcrMessage {
    /// The command code (for `Other`, its own code).
    pub fn command_code(&self) -> CommandCode {
        let [class, instr] = self.code();
        CommandCode::from_bytes(class, instr)
    }

    fn code(&self) -> [u8; 2] {
        use EcrMessage as M;
        match self {
            M::StatusEnquiry(_) => [0x05, 0x01],
            M::Registration(_) => [0x06, 0x00],
            M::Diagnosis(_) => [0x06, 0x70],
            M::ReadCard(_) => [0x06, 0xC0],
            M::PrintSystemConfiguration => [0x06, 0x1A],
            M::Abort(_) => [0x06, 0xB0],
            M::LogOff => [0x06, 0x02],
            M::Authorisation(_) => [0x06, 0x01],
            M::EndOfDay(_) => [0x06, 0x50],
            M::RepeatReceipt(_) => [0x06, 0x20],
            M::Reversal(_) => [0x06, 0x30],
            M::Selftest => [0x06, 0x79],
            M::Initialisation { .. } => [0x06, 0x93],
            M::SendTurnoverTotals { .. } => [0x06, 0x10],
            M::SetDateTimeInPt(_) => [0x06, 0x91],
            M::Ack => [0x80, 0x00],
            M::NegativeAck { result_code } => [0x84, *result_code],
            M::Other(a) => a.code(),
        }
    }

    pub fn to_apdu(&self) -> Result<Apdu, ZvtEncodeError> {
        use EcrMessage as M;
        let [class, instr] = self.code();
        let data = match self {
            M::StatusEnquiry(m) => {
                let mut out = Vec::new();
                match &m.password {
                    Some(pw) => out.extend_from_slice(&pw.0),
                    None if m.service_byte.is_some() || m.tlv.is_some() => {
                        return Err(invalid(
                            "Status-Enquiry password",
                            "present when a service byte or TLV is sent",
                            "none".into(),
                        ))
                    }
                    None => {}
                }
                let mut w = BmpWriter::default();
                w.opt_u8(0x03, m.service_byte)?;
                w.tlv(m.tlv.as_ref())?;
                out.extend(w.finish(&[]));
                out
            }
            M::Registration(m) => {
                let mut out = pw_only(&m.password);
                out.push(m.config_byte);
                if m.currency.is_some() || m.service_byte.is_some() || m.tlv.is_some() {
                    out.extend_from_slice(&encode_currency(m.currency.unwrap_or(978))?);
                }
                let mut w = BmpWriter::default();
                w.opt_u8(0x03, m.service_byte)?;
                w.tlv(m.tlv.as_ref())?;
                out.extend(w.finish(&[]));
                out
            }
            M::Diagnosis(m) => tlv_bmp(&[Tlv::new(0x1B, vec![m.kind.to_byte()])])?,
            M::ReadCard(m) => {
                let mut out = Vec::new();
                let more = m.card_type.is_some() || m.dialog_control.is_some() || m.tlv.is_some();
                match m.timeout_s {
                    Some(t) => out.push(t),
                    None if more => {
                        return Err(invalid(
                            "Read Card timeout",
                            "present when card type, dialog control or TLV is sent",
                            "none".into(),
                        ))
                    }
                    None => {}
                }
                let mut w = BmpWriter::default();
                w.opt_u8(0x19, m.card_type)?;
                w.opt_u8(0xFC, m.dialog_control)?;
                w.tlv(m.tlv.as_ref())?;
                out.extend(w.finish(&[0x19, 0xFC]));
                out
            }
            M::Abort(m) => {
                let mut w = BmpWriter::default();
                w.opt_u8(0xD2, m.card_output_direction)?;
                w.opt_u8(0xFA, m.card_reader_activation)?;
                w.finish(&[0xD2, 0xFA])
            }
            M::Authorisation(m) => {
                let mut w = BmpWriter::default();
                if let Some(a) = m.amount_minor {
                    w.raw(0x04, &encode_amount(a)?)?;
                }
                if let Some(c) = m.currency {
                    w.raw(0x49, &encode_currency(c)?)?;
                }
                w.opt_u8(0x19, m.payment_type)?;
                w.opt_u8(0x01, m.timeout_s)?;
                w.opt_u8(0x02, m.max_status_infos)?;
                w.opt_u8(0x8A, m.card_type)?;
                w.bmps(&m.other_bmps)?;
                w.tlv(m.tlv.as_ref())?;
                w.finish(&[
                    0x04, 0x49, 0x19, 0x2D, 0x0E, 0x22, 0x23, 0x24, 0x01, 0x02, 0x05, 0x3A, 0x3C,
                    0x8A,
                ])
            }
            M::EndOfDay(m) => {
                let mut out = pw_only(&m.password);
                if let Some(list) = &m.tlv {
                    out.extend(tlv_bmp(list)?);
                }
                out
            }
            M::RepeatReceipt(m) => {
                let mut out = pw_only(&m.password);
                let mut w = BmpWriter::default();
                w.opt_u8(0x03, m.service_byte)?;
                w.tlv(m.tlv.as_ref())?;
                out.extend(w.finish(&[]));
                out
            }
            M::Reversal(m) => {
                let mut out = pw_only(&m.password);
                let mut w = BmpWriter::default();
                if let Some(no) = m.receipt_no {
                    let bcd = u64_to_bcd(u64::from(no), 2)
                        .ok_or_else(|| invalid("receipt number", "0-9999", no.to_string()))?;
                    w.raw(0x87, &bcd)?;
                }
                w.bmps(&m.other_bmps)?;
                w.tlv(m.tlv.as_ref())?;
                out.extend(w.finish(&[0x87, 0x04, 0x49, 0x19, 0x2D, 0x0E, 0x22, 0x23, 0x24, 0x3C]));
                out
            }
            M::Initialisation { password } | M::SendTurnoverTotals { password } => {
                pw_only(password)
            }
            M::SetDateTimeInPt(m) => {
                let mut out = pw_only(&m.password);
                let mut w = BmpWriter::default();
                w.raw(0xAA, &m.date.encode_yymmdd())?;
                w.raw(0x0C, &m.time.encode())?;
                out.extend(w.finish(&[0xAA, 0x0C]));
                out
            }
            M::NegativeAck { .. } | M::Ack => vec![],
            M::PrintSystemConfiguration | M::LogOff | M::Selftest => vec![],
            M::Other(a) => a.data.clone(),
        };
        Ok(Apdu::new(class, instr, data))
    }

    /// The APDU bytes (TCP); wrap with [`crate::zvt::encode_serial_frame`] for serial.
    pub fn encode(&self) -> Result<Vec<u8>, ZvtEncodeError> {
        self.to_apdu()?.encode()
    }
}
