//! Status-Information `04 0F` (PA00P015 p.115–121): the result of a transaction, end-of-day
//! totals or a card read. The ECR must ack it at once, or the PT reverses the payment.
//!
//! Typed fields hold what posdiag shows; every other BMP (Geldkarte record, totals, track data
//! after Read Card…) stays in `other_bmps` as received. The PAN is only ever held masked.

use serde::Serialize;

use super::super::bmp::Bmp;
use super::super::codes::{result_code, ResultCodeInfo};
use super::super::error::{ZvtDecodeError, ZvtEncodeError};
use super::super::reader::Reader;
use super::super::tlv::{find_tlv, Tlv};
use super::super::values::{
    bcd_string, decode_amount, decode_cp437, decode_cp437_nul, decode_currency, decode_pan_masked,
    encode_amount, encode_cp437, encode_currency, encode_pan, format_amount, parse_bcd_string,
    ZvtDate, ZvtTime,
};
use super::fields::{bcd, rest_bmps, set_or_keep, set_tlv, BmpWriter};

/// `04 0F` Status-Information.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatusInformation {
    /// BMP 27.
    pub result_code: Option<u8>,
    /// BMP 04, minor units.
    pub amount_minor: Option<u64>,
    /// BMP 49.
    pub currency: Option<u16>,
    /// BMP 0C.
    pub time: Option<ZvtTime>,
    /// BMP 0D (no year).
    pub date: Option<ZvtDate>,
    /// BMP 22, masked: BIN + last four, `*` for the rest.
    pub pan_masked: Option<String>,
    /// BMP 87 digits (`FFFF` when the PT sends no number).
    pub receipt_no: Option<String>,
    /// BMP 3B, 8 characters.
    pub aid: Option<String>,
    /// BMP 0B digits.
    pub trace: Option<String>,
    /// BMP 37 digits (reversal).
    pub original_trace: Option<String>,
    /// BMP 19: 40 offline, 50 card checked, 60 online, 70 PIN.
    pub payment_type: Option<u8>,
    /// BMP 29 digits.
    pub tid: Option<String>,
    /// BMP 0E digits `YYMM`.
    pub expiry: Option<String>,
    /// BMP 17 digits.
    pub card_sequence_no: Option<String>,
    /// BMP 8A (`FF` ⇒ see TLV 41).
    pub card_type: Option<u8>,
    /// BMP 8C.
    pub network_card_type: Option<u8>,
    /// BMP 8B without its NUL.
    pub card_name: Option<String>,
    /// BMP 2A, trailing spaces removed.
    pub vu_number: Option<String>,
    /// BMP 88 digits.
    pub turnover_no: Option<String>,
    /// BMP 3C.
    pub additional_text: Option<String>,
    /// BMP A0.
    pub result_code_as: Option<u8>,
    pub tlv: Option<Vec<Tlv>>,
    pub other_bmps: Vec<Bmp>,
}

/// The order Feig/EVerest terminals use; old ECRs rely on a fixed order.
const ORDER: &[u8] = &[
    0x27, 0x04, 0x49, 0x0C, 0x0D, 0x22, 0x87, 0x3B, 0x0B, 0x37, 0x19, 0x29, 0x0E, 0x17, 0x8A, 0x8C,
    0x8B, 0x2A, 0x88, 0x3C, 0xA0,
];

fn text(b: &Bmp) -> Option<String> {
    Some(decode_cp437(&b.value))
}

impl StatusInformation {
    pub(crate) fn decode_at(data: &[u8], base: usize) -> Result<StatusInformation, ZvtDecodeError> {
        let mut m = StatusInformation::default();
        let mut r = Reader::new(data, base);
        for b in rest_bmps(&mut r)? {
            let first = b.value.first().copied();
            let o = &mut m.other_bmps;
            match b.tag {
                0x27 => set_or_keep(&mut m.result_code, first, &b, o),
                0x04 => set_or_keep(&mut m.amount_minor, decode_amount(&b.value), &b, o),
                0x49 => set_or_keep(&mut m.currency, decode_currency(&b.value), &b, o),
                0x0C => set_or_keep(&mut m.time, ZvtTime::decode(&b.value), &b, o),
                0x0D => set_or_keep(&mut m.date, ZvtDate::decode_mmdd(&b.value), &b, o),
                0x22 => set_or_keep(&mut m.pan_masked, Some(decode_pan_masked(&b.value)), &b, o),
                0x87 => set_or_keep(&mut m.receipt_no, bcd(&b), &b, o),
                0x3B => set_or_keep(&mut m.aid, text(&b), &b, o),
                0x0B => set_or_keep(&mut m.trace, bcd(&b), &b, o),
                0x37 => set_or_keep(&mut m.original_trace, bcd(&b), &b, o),
                0x19 => set_or_keep(&mut m.payment_type, first, &b, o),
                0x29 => set_or_keep(&mut m.tid, bcd(&b), &b, o),
                0x0E => set_or_keep(&mut m.expiry, bcd(&b), &b, o),
                0x17 => set_or_keep(&mut m.card_sequence_no, bcd(&b), &b, o),
                0x8A => set_or_keep(&mut m.card_type, first, &b, o),
                0x8C => set_or_keep(&mut m.network_card_type, first, &b, o),
                0x8B => set_or_keep(&mut m.card_name, Some(decode_cp437_nul(&b.value)), &b, o),
                0x2A => set_or_keep(
                    &mut m.vu_number,
                    text(&b).map(|s| s.trim_end().to_string()),
                    &b,
                    o,
                ),
                0x88 => set_or_keep(&mut m.turnover_no, bcd(&b), &b, o),
                0x3C => set_or_keep(&mut m.additional_text, text(&b), &b, o),
                0xA0 => set_or_keep(&mut m.result_code_as, first, &b, o),
                0x06 => set_tlv(&mut m.tlv, &b, o)?,
                _ => o.push(b),
            }
        }
        Ok(m)
    }

    pub(crate) fn encode_data(&self) -> Result<Vec<u8>, ZvtEncodeError> {
        let mut w = BmpWriter::default();
        w.opt_u8(0x27, self.result_code)?;
        if let Some(a) = self.amount_minor {
            w.raw(0x04, &encode_amount(a)?)?;
        }
        if let Some(c) = self.currency {
            w.raw(0x49, &encode_currency(c)?)?;
        }
        if let Some(t) = self.time {
            w.raw(0x0C, &t.encode())?;
        }
        if let Some(d) = self.date {
            w.raw(0x0D, &d.encode_mmdd())?;
        }
        if let Some(pan) = &self.pan_masked {
            w.raw(0x22, &encode_pan(pan)?)?;
        }
        let digits = [
            (0x87, "receipt number", &self.receipt_no),
            (0x0B, "trace number", &self.trace),
            (0x37, "original trace number", &self.original_trace),
            (0x29, "TID", &self.tid),
            (0x0E, "expiry", &self.expiry),
            (0x17, "card sequence number", &self.card_sequence_no),
            (0x88, "turnover number", &self.turnover_no),
        ];
        for (tag, field, value) in digits {
            if let Some(v) = value {
                w.raw(tag, &parse_bcd_string(field, v)?)?;
            }
        }
        if let Some(aid) = &self.aid {
            w.raw(0x3B, &encode_cp437(aid))?;
        }
        w.opt_u8(0x19, self.payment_type)?;
        w.opt_u8(0x8A, self.card_type)?;
        w.opt_u8(0x8C, self.network_card_type)?;
        if let Some(name) = &self.card_name {
            let mut bytes = encode_cp437(name);
            bytes.push(0);
            w.raw(0x8B, &bytes)?;
        }
        if let Some(vu) = &self.vu_number {
            let mut bytes = encode_cp437(vu);
            if bytes.len() < 15 {
                bytes.resize(15, b' ');
            }
            w.raw(0x2A, &bytes)?;
        }
        if let Some(t) = &self.additional_text {
            w.raw(0x3C, &encode_cp437(t))?;
        }
        w.opt_u8(0xA0, self.result_code_as)?;
        w.bmps(&self.other_bmps)?;
        w.tlv(self.tlv.as_ref())?;
        Ok(w.finish(ORDER))
    }

    /// The meaning of the result code (`00` when absent: a status information without BMP 27
    /// reports success).
    pub fn result(&self) -> ResultCodeInfo {
        result_code(self.result_code.unwrap_or(0))
    }

    /// `25.00 EUR` when an amount is present.
    pub fn amount_text(&self) -> Option<String> {
        self.amount_minor.map(|a| format_amount(a, self.currency))
    }

    /// True when the message carries track or chip data (after Read Card): its raw bytes must
    /// go through redaction before they are stored.
    pub fn has_card_data(&self) -> bool {
        self.other_bmps
            .iter()
            .any(|b| b.spec().is_some_and(|s| s.sensitive.is_some()))
    }

    /// The card number of a Read Card answer, masked to BIN + last four: BMP 22 as the terminal
    /// sent it (masked already), else the PAN digits of the track-2 data (BMP 23) before its
    /// separator. Nothing else of the track is kept.
    pub fn card_number_masked(&self) -> Option<String> {
        if let Some(pan) = &self.pan_masked {
            return Some(pan.clone());
        }
        let track2 = self.other_bmps.iter().find(|b| b.tag == 0x23)?;
        let digits: String = track2
            .value
            .iter()
            .flat_map(|b| [b >> 4, b & 0x0F])
            .take_while(|n| *n <= 9)
            .map(|n| char::from(b'0' + n))
            .collect();
        (digits.len() >= 12).then(|| crate::redact::mask_pan(&digits))
    }

    /// TLV 1F16 (vendor error code) as hex and 1F17 (vendor error text), when present.
    pub fn vendor_error(&self) -> (Option<String>, Option<String>) {
        vendor_error(self.tlv.as_deref())
    }

    /// Expiry as `MM/YY`.
    pub fn expiry_text(&self) -> Option<String> {
        let e = self.expiry.as_deref()?;
        let (yy, mm) = (e.get(..2)?, e.get(2..4)?);
        Some(format!("{mm}/{yy}"))
    }
}

/// TLV 1F16 (hex) and 1F17 (CP437 text) from a container.
pub(crate) fn vendor_error(tlv: Option<&[Tlv]>) -> (Option<String>, Option<String>) {
    let list = tlv.unwrap_or(&[]);
    (
        find_tlv(list, 0x1F16).map(|t| bcd_string(&t.value)),
        find_tlv(list, 0x1F17).map(|t| decode_cp437(&t.value).trim_end_matches('\0').to_string()),
    )
}
