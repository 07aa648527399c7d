//! Which ISO 8583 data is secret and how it is masked: field 2 (PAN: BIN + last 4), 35/36/45
//! (track data), 52 (PIN block), 62 in 08x0 responses (working keys), and inside field 55 the
//! PAN (5A) and track-equivalent tags (57 …).
//!
//! [`redact_message`] returns the frame with those bytes overwritten (same length, still
//! decodable); when the frame does not decode, everything after the last sound structure
//! (length prefix, TPDU, header, MTI, bitmap) is overwritten.

use std::ops::Range;

use super::codec::FieldValue;
use super::dialect::{Dialect, Encoding, Pad};
use super::message::{decode_partial, DecodedField, DecodedMessage, PartialDecode};
use super::mti::Mti;
use super::subfields::is_key_response;
use super::tlv::{self, tag_sensitivity, TlvItem};
use crate::redact::{
    fill_span, mask_ascii_pan, mask_bcd_digit_runs, mask_bcd_pan, mask_pan, mask_text_digit_runs,
    mask_text_digits_str, SensitiveKind, SensitiveSpan,
};

/// Fill byte for nibble and binary data (decodes as zeros).
const FILL_BINARY: u8 = 0x00;
/// Fill byte for text data.
const FILL_TEXT: u8 = b'*';
/// Nibble that replaces masked PAN digits (not a decimal digit, so it is visibly masked).
const MASK_NIBBLE: u8 = 0xF;

/// The secret a whole field holds (field 55 is handled per TLV).
pub fn field_sensitivity(mti: Mti, number: u8) -> Option<SensitiveKind> {
    match number {
        2 => Some(SensitiveKind::Pan),
        35 | 36 | 45 => Some(SensitiveKind::Track),
        52 => Some(SensitiveKind::PinBlock),
        62 if is_key_response(mti) => Some(SensitiveKind::Key),
        _ => None,
    }
}

/// Fields whose layout is fixed and known harmless (codes, amounts, dates, ids, MAC): shown
/// as they are. Every other field not known to be secret is free or private data, which may
/// carry a card number: its text is scanned for digit runs and masked, and binary data that is
/// not text is hidden whole.
pub(crate) fn is_structured_field(mti: Mti, number: u8) -> bool {
    // Field 48 of a settlement (05x0) holds the batch totals: counts and amounts.
    (number == 48 && mti.as_str().starts_with("05"))
        || matches!(
            number,
            3 | 4
                | 5
                | 6
                | 7
                | 9
                | 10
                | 11
                | 12
                | 13
                | 14
                | 15
                | 16
                | 18
                | 19
                | 22
                | 23
                | 24
                | 25
                | 26
                | 32
                | 33
                | 37
                | 38
                | 39
                | 41
                | 42
                | 49
                | 50
                | 51
                | 53
                | 60
                | 61
                | 64
                | 70
                | 128
        )
}

/// Bytes that read as text (printable ASCII).
fn is_printable(bytes: &[u8]) -> bool {
    bytes.iter().all(|c| (0x20..0x7F).contains(c))
}

/// A field's value for display: masked where sensitive, binary as hex.
pub fn display_value(mti: Mti, number: u8, value: &FieldValue) -> String {
    match (field_sensitivity(mti, number), value) {
        (Some(SensitiveKind::Pan), FieldValue::Digits(s) | FieldValue::Text(s)) => mask_pan(s),
        (Some(_), v) => hidden(v),
        (None, FieldValue::Binary(b)) if number == 55 => {
            let mut copy = b.clone();
            mask_icc_data(&mut copy);
            hex::encode_upper(copy)
        }
        (None, v) if is_structured_field(mti, number) => v.to_plain_string(),
        (None, FieldValue::Binary(b)) if is_printable(b) => {
            let mut copy = b.clone();
            mask_text_digit_runs(&mut copy);
            hex::encode_upper(copy)
        }
        (None, v @ FieldValue::Binary(_)) => hidden(v),
        (None, v) => mask_text_digits_str(&v.to_plain_string()),
    }
}

/// A secret shown as its length only.
fn hidden(value: &FieldValue) -> String {
    match value {
        FieldValue::Digits(s) => format!("***({} digits)", s.chars().count()),
        FieldValue::Text(s) => format!("***({} chars)", s.chars().count()),
        FieldValue::Binary(b) => format!("***({} bytes)", b.len()),
    }
}

/// True for TLV tags holding card data.
pub fn tlv_is_sensitive(tag: u32) -> bool {
    tag_sensitivity(tag).is_some()
}

/// A TLV value for display: 5A as BIN + last 4, track tags as their length, others hex.
pub fn mask_tlv_value(tag: u32, value: &[u8]) -> String {
    match tag_sensitivity(tag) {
        Some(SensitiveKind::Pan) => {
            let nibbles = hex::encode_upper(value);
            mask_pan(nibbles.trim_end_matches('F'))
        }
        Some(_) => format!("***({} bytes)", value.len()),
        None => hex::encode_upper(value),
    }
}

/// Masks PAN and track tags inside field 55 data in place; unparsable data is filled whole.
pub fn mask_icc_data(data: &mut [u8]) {
    let (items, error) = tlv::parse(data);
    if error.is_some() {
        fill_span(data, 0..data.len(), FILL_BINARY);
        return;
    }
    for item in &items {
        mask_tlv_item(data, item);
    }
}

fn mask_tlv_item(data: &mut [u8], item: &TlvItem) {
    for child in &item.children {
        mask_tlv_item(data, child);
    }
    match tag_sensitivity(item.tag) {
        Some(SensitiveKind::Pan) => {
            let Some(value) = data.get_mut(item.value.clone()) else {
                return;
            };
            let digits = hex::encode_upper(&*value).trim_end_matches('F').len();
            mask_bcd_pan(value, digits, false, MASK_NIBBLE);
        }
        Some(_) => fill_span(data, item.value.clone(), FILL_BINARY),
        None => {}
    }
}

/// Byte spans of the secrets in a decoded frame (for captures and views).
pub fn sensitive_spans(decoded: &DecodedMessage, input: &[u8]) -> Vec<SensitiveSpan> {
    let mut spans = Vec::new();
    for field in &decoded.fields {
        if let Some(kind) = field.sensitive {
            spans.push(SensitiveSpan {
                range: field.data.clone(),
                kind,
            });
        } else if field.number == 55 {
            let data = input.get(field.data.clone()).unwrap_or_default();
            let (items, error) = tlv::parse(data);
            if error.is_some() {
                spans.push(SensitiveSpan {
                    range: field.data.clone(),
                    kind: SensitiveKind::Track,
                });
            } else {
                collect_tlv_spans(&items, field.data.start, &mut spans);
            }
        }
    }
    spans
}

fn collect_tlv_spans(items: &[TlvItem], base: usize, spans: &mut Vec<SensitiveSpan>) {
    for item in items {
        collect_tlv_spans(&item.children, base, spans);
        if let Some(kind) = tag_sensitivity(item.tag) {
            spans.push(SensitiveSpan {
                range: base.saturating_add(item.value.start)..base.saturating_add(item.value.end),
                kind,
            });
        }
    }
}

/// The frame with every secret overwritten; same length as `input`. A frame that is not
/// sound (see [`is_sound`]) keeps only its length prefix.
pub fn redact_message(dialect: &Dialect, input: &[u8]) -> Vec<u8> {
    let partial = decode_partial(dialect, input);
    if is_sound(dialect, &partial) {
        return redact_partial(&partial, input, false);
    }
    let mut out = input.to_vec();
    fill_span(
        &mut out,
        length_prefix_end(&partial)..input.len(),
        FILL_BINARY,
    );
    out
}

/// Where the frame's length prefix ends (0 without one): what a frame that cannot be trusted
/// keeps.
fn length_prefix_end(partial: &PartialDecode) -> usize {
    partial.envelope.length.as_ref().map_or(0, |(_, r)| r.end)
}

/// A frame posdiag may show field by field: it decoded to the end, its length prefix agrees,
/// nothing trails its last field, and its TPDU (when the dialect has one) carries the
/// dialect's id. Anything else may be a stream out of step, whose "fields" are other bytes.
pub fn is_sound(dialect: &Dialect, partial: &PartialDecode) -> bool {
    let tpdu_ok = match &partial.envelope.tpdu {
        Some((t, _)) => t.id == dialect.tpdu.id,
        None => !dialect.tpdu.present,
    };
    partial.error.is_none() && partial.warnings.is_empty() && partial.message.is_some() && tpdu_ok
}

/// Redacts `input` given its (possibly partial) decode.
///
/// A complete decode masks the secrets and overwrites bytes after the last field. An
/// incomplete one overwrites everything after the length prefix, or with `keep_fields` (for
/// on-screen views, which show only the envelope of such a frame) after the fields that did
/// decode, every one of them scanned as free text.
pub fn redact_partial(partial: &PartialDecode, input: &[u8], keep_fields: bool) -> Vec<u8> {
    let mut out = input.to_vec();
    let keep_until = match (&partial.message, &partial.error) {
        (Some(m), None) => Some(m.end),
        (Some(m), Some(_)) if keep_fields => Some(m.end),
        _ => None,
    };
    match (keep_until, &partial.message) {
        (Some(end), Some(m)) => {
            let incomplete = partial.error.is_some();
            for field in &m.fields {
                redact_field(&mut out, m.mti, field);
                if incomplete && field.sensitive.is_none() {
                    // The decode went wrong somewhere: a field that looks structured may be
                    // misread card data, so every field is scanned as free text.
                    mask_free_field(&mut out, field.spec.encoding, field.data.clone());
                }
            }
            // Bytes after the last field are unknown content: overwrite them too.
            fill_span(&mut out, end..input.len(), FILL_BINARY);
        }
        // Nothing decoded for sure: only the length prefix stays (a TPDU, header or bitmap of
        // a frame out of step may be card data).
        _ => {
            let keep = length_prefix_end(partial).min(partial.structure_end);
            fill_span(&mut out, keep..input.len(), FILL_BINARY);
        }
    }
    out
}

/// Overwrites the secrets of one decoded field in `out`.
fn redact_field(out: &mut [u8], mti: Mti, field: &DecodedField) {
    let data = field.data.clone();
    match field.sensitive {
        Some(SensitiveKind::Pan) => mask_pan_bytes(out, field, data),
        Some(_) => fill_span(out, data, fill_for(field.spec.encoding)),
        None if field.number == 55 => {
            if let Some(bytes) = out.get_mut(data) {
                mask_icc_data(bytes);
            }
        }
        None if is_structured_field(mti, field.number) => {}
        None => mask_free_field(out, field.spec.encoding, data),
    }
}

/// A free or private field: digit runs masked in text and BCD, binary that is not text
/// hidden whole.
fn mask_free_field(out: &mut [u8], encoding: Encoding, data: Range<usize>) {
    let Some(bytes) = out.get_mut(data.clone()) else {
        return;
    };
    match encoding {
        Encoding::Ascii | Encoding::Gbk => {
            mask_text_digit_runs(bytes);
        }
        Encoding::Bcd | Encoding::Track => {
            mask_bcd_digit_runs(bytes, MASK_NIBBLE);
        }
        Encoding::Binary if is_printable(bytes) => {
            mask_text_digit_runs(bytes);
        }
        Encoding::Binary => fill_span(out, data, FILL_BINARY),
    }
}

fn mask_pan_bytes(out: &mut [u8], field: &DecodedField, data: Range<usize>) {
    let encoding = field.spec.encoding;
    let Some(bytes) = out.get_mut(data.clone()) else {
        return;
    };
    match encoding {
        Encoding::Bcd | Encoding::Track => {
            let digits = field.length.min(bytes.len().saturating_mul(2));
            let skip = digits % 2 == 1 && field.spec.pad == Pad::Left;
            mask_bcd_pan(bytes, digits, skip, MASK_NIBBLE);
        }
        Encoding::Ascii => mask_ascii_pan(bytes),
        Encoding::Gbk | Encoding::Binary => fill_span(out, data, fill_for(encoding)),
    }
}

fn fill_for(encoding: Encoding) -> u8 {
    match encoding {
        Encoding::Ascii | Encoding::Gbk => FILL_TEXT,
        Encoding::Bcd | Encoding::Track | Encoding::Binary => FILL_BINARY,
    }
}
