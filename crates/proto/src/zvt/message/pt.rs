//! Messages the PT sends to the ECR, and [`decode_pt_message`], which needs the command that
//! was sent as context: a `06 0F` after Status-Enquiry has its own layout.

use serde::Serialize;

use super::super::apdu::Apdu;
use super::super::bmp::find_bmp;
use super::super::codes::{intermediate_status, IntermediateStatusInfo};
use super::super::error::{DecodeReason, ZvtDecodeError, ZvtEncodeError};
use super::super::reader::Reader;
use super::super::tlv::{find_tlv_deep, Tlv};
use super::super::values::{
    bcd_to_u64, decode_cp437, decode_var_len, encode_cp437, u64_to_bcd, ZvtDate, ZvtTime,
};
use super::completion::{Abort, Completion, StatusEnquiryCompletion};
use super::fields::{only_tlv, rest_bmps, tlv_bmp, BmpWriter};
use super::names::CommandCode;
use super::status_info::StatusInformation;
use crate::i18n::Text;

/// `04 FF`: what the PT shows while a command runs; restarts T4 (optionally to
/// `timeout_min` minutes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IntermediateStatus {
    pub code: u8,
    /// BCD minutes, 0–99.
    pub timeout_min: Option<u8>,
    /// Display texts (tag 24 with 07 lines); only allowed after a timeout.
    pub tlv: Option<Vec<Tlv>>,
}

impl IntermediateStatus {
    pub fn info(&self) -> IntermediateStatusInfo {
        intermediate_status(self.code)
    }

    /// The display text lines (TLV 24 → 07), if the PT sent them.
    pub fn display_lines(&self) -> Vec<String> {
        text_lines(self.tlv.as_deref().unwrap_or(&[]), 0x24)
    }
}

/// Text lines (tag 07) inside the container `tag` (24 display, 25 print).
fn text_lines(list: &[Tlv], tag: u32) -> Vec<String> {
    find_tlv_deep(list, tag)
        .map(|t| {
            t.children
                .iter()
                .filter(|c| c.tag == 0x07)
                .map(|c| decode_cp437(&c.value))
                .collect()
        })
        .unwrap_or_default()
}

/// `06 D1`: one receipt line. Attribute: `0000 nnnn` normal (indent), `01xx nnnn` centred,
/// `0x1x xxxx` double width, `0xx1 xxxx` double height, `1xxx xxxx` (≠ 80) last line,
/// `FF` line feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PrintLine {
    pub attribute: u8,
    /// Decoded as CP437.
    pub text: String,
}

impl PrintLine {
    /// True for the last line of a receipt.
    pub fn is_last_line(&self) -> bool {
        self.attribute & 0x80 != 0 && self.attribute != 0x80 && self.attribute != 0xFF
    }
}

/// `06 D3`: a whole receipt as TLV (14 charset, 25 { 07 lines, 09 attribute }, 1F07 type).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PrintTextBlock {
    pub tlv: Vec<Tlv>,
}

impl PrintTextBlock {
    /// TLV 1F07: 01 merchant, 02 customer, 03 administration receipt.
    pub fn receipt_type(&self) -> Option<u8> {
        find_tlv_deep(&self.tlv, 0x1F07).and_then(|t| t.value.first().copied())
    }

    /// The receipt lines (TLV 25 → 07), decoded as CP437.
    pub fn lines(&self) -> Vec<String> {
        text_lines(&self.tlv, 0x25)
    }
}

/// `04 01`: the PT sets the ECR clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetDateTimeInEcr {
    pub date: ZvtDate,
    pub time: ZvtTime,
}

/// Every PT → ECR message posdiag knows; anything else is `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PtMessage {
    /// `80 00 00`, and `84 00 00` / `84 00`, which are positive too.
    Ack,
    /// `84 xx [data]`: refused with result code `xx` (`84 9C`: repeat status information).
    NegativeAck {
        result_code: u8,
        data: Vec<u8>,
    },
    Completion(Completion),
    StatusEnquiryCompletion(StatusEnquiryCompletion),
    Abort(Abort),
    /// Boxed: it is by far the largest message.
    StatusInformation(Box<StatusInformation>),
    IntermediateStatus(IntermediateStatus),
    PrintLine(PrintLine),
    PrintTextBlock(PrintTextBlock),
    SetDateTimeInEcr(SetDateTimeInEcr),
    Other(Apdu),
}

impl PtMessage {
    pub fn to_apdu(&self) -> Result<Apdu, ZvtEncodeError> {
        use PtMessage as M;
        let (class, instr, data) = match self {
            M::Ack => (0x80, 0x00, vec![]),
            M::NegativeAck { result_code, data } => (0x84, *result_code, data.clone()),
            M::Completion(m) => (0x06, 0x0F, m.encode_data()?),
            M::StatusEnquiryCompletion(m) => (0x06, 0x0F, m.encode_data()?),
            M::Abort(m) => (0x06, 0x1E, m.encode_data()?),
            M::StatusInformation(m) => (0x04, 0x0F, m.encode_data()?),
            M::IntermediateStatus(m) => {
                let mut data = vec![m.code];
                match (m.timeout_min, &m.tlv) {
                    (Some(t), tlv) => {
                        let bcd = u64_to_bcd(u64::from(t), 1).ok_or_else(|| {
                            ZvtEncodeError::InvalidValue {
                                field: "intermediate status timeout".into(),
                                expected: "0-99 minutes",
                                value: t.to_string(),
                            }
                        })?;
                        data.extend(bcd);
                        if let Some(list) = tlv {
                            data.extend(tlv_bmp(list)?);
                        }
                    }
                    (None, Some(_)) => {
                        return Err(ZvtEncodeError::InvalidValue {
                            field: "intermediate status".into(),
                            expected: "a timeout when TLV is sent",
                            value: "none".into(),
                        })
                    }
                    (None, None) => {}
                }
                (0x04, 0xFF, data)
            }
            M::PrintLine(m) => {
                let mut data = vec![m.attribute];
                data.extend(encode_cp437(&m.text));
                (0x06, 0xD1, data)
            }
            M::PrintTextBlock(m) => (0x06, 0xD3, tlv_bmp(&m.tlv)?),
            M::SetDateTimeInEcr(m) => {
                let mut w = BmpWriter::default();
                w.raw(0xAA, &m.date.encode_yymmdd())?;
                w.raw(0x0C, &m.time.encode())?;
                (0x04, 0x01, w.finish(&[0xAA, 0x0C]))
            }
            M::Other(a) => (a.class, a.instr, a.data.clone()),
        };
        Ok(Apdu::new(class, instr, data))
    }

    pub fn encode(&self) -> Result<Vec<u8>, ZvtEncodeError> {
        self.to_apdu()?.encode()
    }

    /// True for messages the ECR must answer with `80 00 00` (everything the PT sends while it
    /// is master, except acknowledgements).
    pub fn needs_ack(&self) -> bool {
        !matches!(self, PtMessage::Ack | PtMessage::NegativeAck { .. })
    }

    /// True for the messages that end a command (`06 0F`, `06 1E`).
    pub fn ends_command(&self) -> bool {
        matches!(
            self,
            PtMessage::Completion(_) | PtMessage::StatusEnquiryCompletion(_) | PtMessage::Abort(_)
        )
    }

    /// True for the messages that restart T4 (`04 FF`, `04 0F`).
    pub fn restarts_t4(&self) -> bool {
        matches!(
            self,
            PtMessage::IntermediateStatus(_) | PtMessage::StatusInformation(_)
        )
    }
}

/// Decodes a PT → ECR APDU. `context` is the command posdiag sent; with
/// `Some(CommandCode::StatusEnquiry)` a `06 0F` is read in the Status-Enquiry layout. Without
/// context, a `06 0F` that fails the generic BMP parse is tried in that layout too.
pub fn decode_pt_message(
    apdu: &Apdu,
    context: Option<CommandCode>,
) -> Result<PtMessage, ZvtDecodeError> {
    decode_pt_at(apdu, context, super::data_offset(apdu))
}

pub(crate) fn decode_pt_at(
    apdu: &Apdu,
    context: Option<CommandCode>,
    base: usize,
) -> Result<PtMessage, ZvtDecodeError> {
    use PtMessage as M;
    let data = apdu.data.as_slice();
    Ok(match apdu.code() {
        [0x80, 0x00] | [0x84, 0x00] => M::Ack,
        [0x84, code] => M::NegativeAck {
            result_code: code,
            data: data.to_vec(),
        },
        [0x06, 0x0F] => decode_completion(data, base, context)?,
        [0x06, 0x1E] => M::Abort(Abort::decode_at(data, base)?),
        [0x04, 0x0F] => M::StatusInformation(Box::new(StatusInformation::decode_at(data, base)?)),
        [0x04, 0xFF] => {
            let mut r = Reader::new(data, base);
            let code = r.u8(Text::fixed("中间状态码", "intermediate status code"))?;
            let mut m = IntermediateStatus {
                code,
                ..Default::default()
            };
            if !r.is_empty() {
                let t = r.u8(Text::fixed("超时（分钟）", "timeout (minutes)"))?;
                // BCD per spec; a PT that sends it binary still gets its T4 honoured.
                let minutes = bcd_to_u64(&[t])
                    .and_then(|v| u8::try_from(v).ok())
                    .unwrap_or(t);
                m.timeout_min = Some(minutes);
                m.tlv = only_tlv(&rest_bmps(&mut r)?, "Intermediate Status")?;
            }
            M::IntermediateStatus(m)
        }
        [0x06, 0xD1] => {
            let mut r = Reader::new(data, base);
            let attribute = r.u8(Text::fixed("打印属性", "print attribute"))?;
            M::PrintLine(PrintLine {
                attribute,
                text: decode_cp437(r.rest()),
            })
        }
        [0x06, 0xD3] => {
            let mut r = Reader::new(data, base);
            let tlv = only_tlv(&rest_bmps(&mut r)?, "Print Text-Block")?.unwrap_or_default();
            M::PrintTextBlock(PrintTextBlock { tlv })
        }
        [0x04, 0x01] => {
            let mut r = Reader::new(data, base);
            let bmps = rest_bmps(&mut r)?;
            let date = find_bmp(&bmps, 0xAA).and_then(|b| ZvtDate::decode_yymmdd(&b.value));
            let time = find_bmp(&bmps, 0x0C).and_then(|b| ZvtTime::decode(&b.value));
            match (date, time) {
                (Some(date), Some(time)) => M::SetDateTimeInEcr(SetDateTimeInEcr { date, time }),
                _ => {
                    return Err(ZvtDecodeError::new(
                        base,
                        DecodeReason::Invalid {
                            detail: Text::fixed(
                                "设置日期时间缺少有效的 BMP AA（日期）或 0C（时间）",
                                "Set Date/Time lacks a valid BMP AA (date) or 0C (time)",
                            ),
                        },
                    ))
                }
            }
        }
        _ => M::Other(apdu.clone()),
    })
}

fn decode_completion(
    data: &[u8],
    base: usize,
    context: Option<CommandCode>,
) -> Result<PtMessage, ZvtDecodeError> {
    // A generic completion starts with a BMP (27, 0C, AA, 19, 29, 49, 06), never with three
    // F0–F9 bytes: data that opens with an LLLVAR ending right before one status byte (and an
    // optional TLV container) is a Status-Enquiry completion even without context — also when
    // the SW version in it is empty (`F0 F0 F0`), which the generic parse would misread.
    let se_shape = data
        .get(..3)
        .and_then(decode_var_len)
        .map(|len| len.saturating_add(3))
        .is_some_and(|after| {
            after < data.len() && matches!(data.get(after + 1), None | Some(0x06))
        });
    let status_first = context == Some(CommandCode::StatusEnquiry) || se_shape;
    let se =
        || StatusEnquiryCompletion::decode_at(data, base).map(PtMessage::StatusEnquiryCompletion);
    let generic = || Completion::decode_at(data, base).map(PtMessage::Completion);
    if status_first {
        se().or_else(|e| generic().map_err(|_| e))
    } else {
        generic().or_else(|e| se().map_err(|_| e))
    }
}
