//! The PT's closing messages: Completion `06 0F` (generic, and the Status-Enquiry layout) and
//! Abort `06 1E`.

use serde::Serialize;

use super::super::bmp::{bmp_spec, Bmp};
use super::super::codes::{result_code, ResultCodeInfo, TerminalStatus};
use super::super::device::TerminalDiagnostics;
use super::super::error::{ZvtDecodeError, ZvtEncodeError};
use super::super::reader::Reader;
use super::super::tlv::Tlv;
use super::super::values::{
    decode_cp437, decode_currency, decode_var_len, encode_cp437, encode_currency, encode_var_len,
    parse_bcd_string, ZvtDate, ZvtTime,
};
use super::fields::{bcd, only_tlv, rest_bmps, set_or_keep, set_tlv, tlv_bmp, BmpWriter};
use super::status_info::vendor_error;
use crate::i18n::Text;

/// `06 0F` in its generic form: `[27 rc] [0C time] [AA date] [19 status-byte] [29 TID] [49 CC]
/// [06 TLV]` (the Registration completion uses 19, 29, 49).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Completion {
    pub result_code: Option<u8>,
    pub time: Option<ZvtTime>,
    pub date: Option<ZvtDate>,
    /// BMP 19; after Registration: 01 initialisation necessary, 02 diagnosis necessary, 04 OPT
    /// action necessary, 08 filling-station mode, 10 vending-machine mode.
    pub status_byte: Option<u8>,
    pub tid: Option<String>,
    pub currency: Option<u16>,
    pub tlv: Option<Vec<Tlv>>,
    pub other_bmps: Vec<Bmp>,
}

impl Completion {
    pub(crate) fn decode_at(data: &[u8], base: usize) -> Result<Completion, ZvtDecodeError> {
        let mut m = Completion::default();
        let mut r = Reader::new(data, base);
        for b in rest_bmps(&mut r)? {
            let o = &mut m.other_bmps;
            match b.tag {
                0x27 => set_or_keep(&mut m.result_code, b.value.first().copied(), &b, o),
                0x0C => set_or_keep(&mut m.time, ZvtTime::decode(&b.value), &b, o),
                0xAA => set_or_keep(&mut m.date, ZvtDate::decode_yymmdd(&b.value), &b, o),
                0x19 => set_or_keep(&mut m.status_byte, b.value.first().copied(), &b, o),
                0x29 => set_or_keep(&mut m.tid, bcd(&b), &b, o),
                0x49 => set_or_keep(&mut m.currency, decode_currency(&b.value), &b, o),
                0x06 => set_tlv(&mut m.tlv, &b, o)?,
                _ => o.push(b),
            }
        }
        Ok(m)
    }

    pub(crate) fn encode_data(&self) -> Result<Vec<u8>, ZvtEncodeError> {
        let mut w = BmpWriter::default();
        w.opt_u8(0x27, self.result_code)?;
        if let Some(t) = self.time {
            w.raw(0x0C, &t.encode())?;
        }
        if let Some(d) = self.date {
            w.raw(0xAA, &d.encode_yymmdd())?;
        }
        w.opt_u8(0x19, self.status_byte)?;
        if let Some(tid) = &self.tid {
            w.raw(0x29, &parse_bcd_string("TID", tid)?)?;
        }
        if let Some(c) = self.currency {
            w.raw(0x49, &encode_currency(c)?)?;
        }
        w.bmps(&self.other_bmps)?;
        w.tlv(self.tlv.as_ref())?;
        Ok(w.finish(&[0x27, 0x0C, 0xAA, 0x19, 0x29, 0x49]))
    }

    /// `00` when BMP 27 is absent.
    pub fn result(&self) -> ResultCodeInfo {
        result_code(self.result_code.unwrap_or(0))
    }
}

/// `06 0F` after Status-Enquiry: `[<SW version LLLVAR>] <terminal status> [06 <TLV>]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusEnquiryCompletion {
    pub sw_version: Option<String>,
    pub terminal_status: TerminalStatus,
    pub tlv: Option<Vec<Tlv>>,
}

impl StatusEnquiryCompletion {
    pub(crate) fn decode_at(
        data: &[u8],
        base: usize,
    ) -> Result<StatusEnquiryCompletion, ZvtDecodeError> {
        let mut r = Reader::new(data, base);
        // The SW version is there when the data starts with three F0–F9 bytes; a lone status
        // byte F0 (reconciliation required) is not followed by two more Fx digits.
        let var = data.get(..3).and_then(decode_var_len);
        let sw_version = match var {
            Some(len) if data.len() > len.saturating_add(3) => {
                r.take(3, Text::fixed("软件版本长度", "SW version length"))?;
                let v = r.take(len, Text::fixed("软件版本", "SW version"))?;
                // Empty (`F0 F0 F0`) when service byte bit 1 asked to leave it out.
                Some(decode_cp437(v).trim_end_matches(['\0', ' ']).to_string())
            }
            _ => None,
        };
        let status = r.u8(Text::fixed("终端状态", "terminal status"))?;
        let tlv = only_tlv(&rest_bmps(&mut r)?, "Status-Enquiry completion")?;
        Ok(StatusEnquiryCompletion {
            sw_version,
            terminal_status: TerminalStatus::from_byte(status),
            tlv,
        })
    }

    pub(crate) fn encode_data(&self) -> Result<Vec<u8>, ZvtEncodeError> {
        let mut out = Vec::new();
        if let Some(v) = &self.sw_version {
            let bytes = encode_cp437(v);
            out.extend(
                encode_var_len(bytes.len(), 3).ok_or(ZvtEncodeError::FieldTooLong {
                    field: "SW version".into(),
                    len: bytes.len(),
                    max: 999,
                })?,
            );
            out.extend(bytes);
        }
        out.push(self.terminal_status.to_byte());
        if let Some(list) = &self.tlv {
            out.extend(tlv_bmp(list)?);
        }
        Ok(out)
    }

    /// Lock bits, device info and clock from the TLV (empty when no TLV was sent).
    pub fn diagnostics(&self) -> TerminalDiagnostics {
        TerminalDiagnostics::from_tlv(self.tlv.as_deref().unwrap_or(&[]))
    }
}

/// `06 1E` Abort from the PT: `<result code> [87 receipt] [06 TLV]` (CC only with rc 6F).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Abort {
    pub result_code: u8,
    /// Fixed 2-byte currency some PTs append after result code 6F.
    pub currency: Option<u16>,
    /// BMP 87 digits (some PTs add it: `06 1E 04 B8 87 FF FF`).
    pub receipt_no: Option<String>,
    pub tlv: Option<Vec<Tlv>>,
    pub other_bmps: Vec<Bmp>,
}

impl Abort {
    pub(crate) fn decode_at(data: &[u8], base: usize) -> Result<Abort, ZvtDecodeError> {
        let mut r = Reader::new(data, base);
        let mut m = Abort {
            result_code: r.u8(Text::fixed("结果码", "result code"))?,
            ..Default::default()
        };
        // After 6F the terminal's currency comes untagged (docs/protocols/zvt.md §6). Its first
        // byte can look like a BMP tag (CNY is `01 56`, and 01 is the timeout BMP), so the two
        // bytes are taken as the currency when they are one and what follows them reads as BMPs.
        let rest = r.rest();
        let currency_first = rest.get(..2).and_then(decode_currency).is_some()
            && rest.get(2).is_none_or(|t| bmp_spec(*t).is_some());
        if m.result_code == 0x6F && currency_first {
            let cc = r.take(2, Text::fixed("货币代码", "currency code"))?;
            m.currency = decode_currency(cc);
        }
        for b in rest_bmps(&mut r)? {
            match b.tag {
                0x87 => set_or_keep(&mut m.receipt_no, bcd(&b), &b, &mut m.other_bmps),
                0x06 => set_tlv(&mut m.tlv, &b, &mut m.other_bmps)?,
                _ => m.other_bmps.push(b),
            }
        }
        Ok(m)
    }

    pub(crate) fn encode_data(&self) -> Result<Vec<u8>, ZvtEncodeError> {
        let mut out = vec![self.result_code];
        if let Some(c) = self.currency {
            out.extend(encode_currency(c)?);
        }
        let mut w = BmpWriter::default();
        if let Some(no) = &self.receipt_no {
            w.raw(0x87, &parse_bcd_string("receipt number", no)?)?;
        }
        w.bmps(&self.other_bmps)?;
        w.tlv(self.tlv.as_ref())?;
        out.extend(w.finish(&[0x87]));
        Ok(out)
    }

    pub fn result(&self) -> ResultCodeInfo {
        result_code(self.result_code)
    }

    /// TLV 1F16 (vendor error code, hex) and 1F17 (vendor error text).
    pub fn vendor_error(&self) -> (Option<String>, Option<String>) {
        vendor_error(self.tlv.as_deref())
    }
}
