//! An ISO 8583 message (MTI + fields) and its encoding and decoding under a [`Dialect`].
//!
//! Decoding keeps every field's byte span so views can show raw bytes and redaction can
//! overwrite secrets in place. Decoded field values are the real content for protocol logic
//! (matching, echoing); everything meant for display ([`DecodedField::display`],
//! [`DecodedMessage::detail`]) is masked, and `Debug` never prints a sensitive value.
//!
//! Decoding is typed first: it reads values and spans only, and display text and sub-field
//! views are made when asked for. A tap or a replay decodes every frame but shows few of them,
//! so building text for every field of every frame was most of the decode time.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use super::codec::{decode_field, encode_field, take, FieldValue};
use super::codes::{self, ResponseCode};
use super::dialect::{Dialect, FieldSpec, MtiEncoding};
use super::error::{DecodeError, DecodeWarning, EncodeError, Part};
use super::framing::{read_envelope, write_frame, DecodedEnvelope, Envelope};
use super::header::ProcessingRequirement;
use super::mti::Mti;
use super::redact::{display_value, field_sensitivity};
use super::subfields::{detail, Context, FieldDetail};
use super::transaction::{classify, TransactionKind};
use crate::redact::SensitiveKind;

/// A message: type and fields 2–128 (field 1, the secondary bitmap, is implied).
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    pub mti: Mti,
    pub fields: BTreeMap<u8, FieldValue>,
}

impl Message {
    pub fn new(mti: Mti) -> Self {
        Message {
            mti,
            fields: BTreeMap::new(),
        }
    }

    /// Builder: sets field `number`.
    pub fn with(mut self, number: u8, value: FieldValue) -> Self {
        self.fields.insert(number, value);
        self
    }

    pub fn set(&mut self, number: u8, value: FieldValue) -> Option<FieldValue> {
        self.fields.insert(number, value)
    }

    pub fn get(&self, number: u8) -> Option<&FieldValue> {
        self.fields.get(&number)
    }

    /// Digits or text of field `number`.
    pub fn str(&self, number: u8) -> Option<&str> {
        self.get(number).and_then(FieldValue::as_str)
    }

    /// Decodes a frame (same as [`decode`]).
    pub fn decode(dialect: &Dialect, input: &[u8]) -> Result<DecodedMessage, DecodeError> {
        decode(dialect, input)
    }

    /// The full frame with the dialect's default TPDU and header.
    pub fn encode(&self, dialect: &Dialect) -> Result<Vec<u8>, EncodeError> {
        self.encode_with(dialect, &Envelope::from_dialect(dialect))
    }

    /// The full frame with a given TPDU/header (e.g. a response echoing the request's).
    pub fn encode_with(
        &self,
        dialect: &Dialect,
        envelope: &Envelope,
    ) -> Result<Vec<u8>, EncodeError> {
        write_frame(dialect, envelope, &self.encode_body(dialect)?)
    }

    /// MTI, bitmap and fields only.
    pub fn encode_body(&self, dialect: &Dialect) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(128);
        match dialect.mti {
            MtiEncoding::Bcd => out.extend(self.mti.to_bcd()),
            MtiEncoding::Ascii => out.extend(self.mti.to_ascii()),
        }
        let mut bitmap = [0u8; 16];
        let mut secondary = false;
        for &n in self.fields.keys() {
            if !(2..=128).contains(&n) {
                return Err(EncodeError::BadFieldNumber { field: n });
            }
            secondary |= n > 64;
            set_bit(&mut bitmap, n);
        }
        if secondary {
            set_bit(&mut bitmap, 1);
        }
        out.extend(
            bitmap
                .get(..if secondary { 16 } else { 8 })
                .unwrap_or_default(),
        );
        for (&n, value) in &self.fields {
            let spec = dialect
                .field_spec(n)
                .ok_or(EncodeError::UndefinedField { field: n })?;
            encode_field(n, spec, value, &mut out)?;
        }
        Ok(out)
    }
}

fn set_bit(bitmap: &mut [u8; 16], n: u8) {
    let i = usize::from(n.saturating_sub(1));
    if let Some(b) = bitmap.get_mut(i / 8) {
        *b |= 0x80 >> (i % 8);
    }
}

fn bit_set(bitmap: &[u8], n: usize) -> bool {
    let i = n.saturating_sub(1);
    bitmap
        .get(i / 8)
        .is_some_and(|b| b & (0x80 >> (i % 8)) != 0)
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        m.entry(&"mti", &self.mti.as_str());
        for (n, v) in &self.fields {
            m.entry(n, &display_value(self.mti, *n, v));
        }
        m.finish()
    }
}

/// One decoded field.
#[derive(Clone)]
pub struct DecodedField {
    /// The field's number; its name is the dialect's ([`Dialect::field_name`]).
    pub number: u8,
    pub spec: FieldSpec,
    /// Length prefix + content, absolute in the input.
    pub span: Range<usize>,
    /// Content only.
    pub data: Range<usize>,
    /// Declared length (digits or bytes).
    pub length: usize,
    /// The real content, for protocol logic only: never display or log it, use
    /// [`DecodedField::display`].
    pub value: FieldValue,
    pub sensitive: Option<SensitiveKind>,
    /// The message's type, which decides what of this field is sensitive.
    pub mti: Mti,
}

impl DecodedField {
    /// The content for display, masked where sensitive.
    pub fn display(&self) -> String {
        display_value(self.mti, self.number, &self.value)
    }
}

impl fmt::Debug for DecodedField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodedField")
            .field("number", &self.number)
            .field("span", &self.span)
            .field("display", &self.display())
            .finish()
    }
}

/// A decoded frame.
#[derive(Debug, Clone)]
pub struct DecodedMessage {
    pub envelope: DecodedEnvelope,
    pub mti: Mti,
    pub mti_span: Range<usize>,
    pub bitmap_span: Range<usize>,
    /// The fields in ascending number order (as on the wire); [`DecodedMessage::field`] finds
    /// one by number.
    pub fields: Vec<DecodedField>,
    /// Where the last field ended.
    pub end: usize,
    pub warnings: Vec<DecodeWarning>,
}

impl DecodedMessage {
    /// The message without envelope and spans (real values, e.g. to echo fields in a response).
    pub fn to_message(&self) -> Message {
        Message {
            mti: self.mti,
            fields: self
                .fields
                .iter()
                .map(|f| (f.number, f.value.clone()))
                .collect(),
        }
    }

    pub fn field(&self, number: u8) -> Option<&DecodedField> {
        self.fields
            .binary_search_by_key(&number, |f| f.number)
            .ok()
            .and_then(|i| self.fields.get(i))
    }

    /// The sub-fields or TLV view of `field` (a field of this message), masked where sensitive.
    pub fn detail(&self, field: &DecodedField) -> FieldDetail {
        let ctx = Context {
            mti: self.mti,
            field60: self.str(60),
        };
        detail(field.number, &field.value, &ctx)
    }

    /// Real digits or text of field `number` (not for display of sensitive fields).
    pub fn str(&self, number: u8) -> Option<&str> {
        self.field(number).and_then(|f| f.value.as_str())
    }

    /// Field 39 with its meaning and class.
    pub fn response_code(&self) -> Option<ResponseCode> {
        self.str(39).map(codes::lookup)
    }

    pub fn transaction(&self) -> TransactionKind {
        classify(self.mti, self.str(3), self.str(60))
    }

    /// 处理要求 of the CUP header.
    pub fn processing_requirement(&self) -> Option<ProcessingRequirement> {
        self.envelope
            .cup_header()
            .map(|h| h.processing_requirement())
    }

    /// The MAC block: MTI through the field before 64 (never length prefix, TPDU or header).
    pub fn mac_block<'a>(&self, input: &'a [u8]) -> Option<&'a [u8]> {
        let end = self.field(64).map_or(self.end, |f| f.span.start);
        input.get(self.mti_span.start..end)
    }
}

/// A decode that may have stopped early: what was read and why it stopped.
#[derive(Debug, Clone)]
pub struct PartialDecode {
    pub envelope: DecodedEnvelope,
    /// Present once MTI and bitmap were read; holds the fields read before any error.
    pub message: Option<DecodedMessage>,
    pub error: Option<DecodeError>,
    /// End of the structure known to be sound (envelope, MTI, bitmap).
    pub structure_end: usize,
    pub warnings: Vec<DecodeWarning>,
}

/// Decodes a frame; fails with the field and offset where decoding stopped.
pub fn decode(dialect: &Dialect, input: &[u8]) -> Result<DecodedMessage, DecodeError> {
    let (partial, body) = decode_parts(dialect, input);
    match (body, partial.error) {
        (Some(body), None) => Ok(body.into_message(partial.envelope, partial.warnings)),
        (_, Some(e)) => Err(e),
        (None, None) => Err(DecodeError::Truncated {
            part: Part::Mti,
            offset: partial.structure_end,
            needed: 2,
            available: 0,
        }),
    }
}

/// Decodes as far as possible.
pub fn decode_partial(dialect: &Dialect, input: &[u8]) -> PartialDecode {
    let (mut partial, body) = decode_parts(dialect, input);
    partial.message =
        body.map(|b| b.into_message(partial.envelope.clone(), partial.warnings.clone()));
    partial
}

/// What follows the envelope: MTI, bitmap, the fields read.
struct Body {
    mti: Mti,
    mti_span: Range<usize>,
    bitmap_span: Range<usize>,
    fields: Vec<DecodedField>,
    end: usize,
}

impl Body {
    fn into_message(
        self,
        envelope: DecodedEnvelope,
        warnings: Vec<DecodeWarning>,
    ) -> DecodedMessage {
        DecodedMessage {
            envelope,
            mti: self.mti,
            mti_span: self.mti_span,
            bitmap_span: self.bitmap_span,
            fields: self.fields,
            end: self.end,
            warnings,
        }
    }
}

/// The decode both [`decode`] and [`decode_partial`] make: the partial decode without its
/// message, and the message's parts (so a full decode moves the envelope instead of copying).
fn decode_parts(dialect: &Dialect, input: &[u8]) -> (PartialDecode, Option<Body>) {
    let env = read_envelope(dialect, input);
    let mut out = PartialDecode {
        envelope: env.envelope,
        message: None,
        error: env.error,
        structure_end: env.body_start,
        warnings: env.warnings,
    };
    if out.error.is_some() {
        return (out, None);
    }
    let frame = input.get(..env.frame_end).unwrap_or(input);
    let head = match read_head(dialect, frame, env.body_start) {
        Ok(h) => h,
        Err(e) => {
            out.error = Some(e);
            return (out, None);
        }
    };
    out.structure_end = head.bitmap_span.end;
    let present = head.bitmap.iter().map(|b| b.count_ones()).sum::<u32>();
    let mut fields = Vec::with_capacity(usize::try_from(present).unwrap_or_default());
    let mut pos = head.bitmap_span.end;
    let last = if head.secondary { 128 } else { 64 };
    for n in 2..=last {
        if !bit_set(&head.bitmap, n) {
            continue;
        }
        let number = u8::try_from(n).unwrap_or(u8::MAX);
        let Some(spec) = dialect.field_spec(number) else {
            out.error = Some(DecodeError::UndefinedField {
                field: number,
                offset: pos,
            });
            break;
        };
        match decode_field(number, spec, frame, pos) {
            Ok(f) => {
                pos = f.span.end;
                let field = DecodedField {
                    number,
                    spec,
                    span: f.span,
                    data: f.data,
                    length: f.length,
                    value: f.value,
                    sensitive: field_sensitivity(head.mti, number),
                    mti: head.mti,
                };
                fields.push(field);
            }
            Err(e) => {
                out.error = Some(e);
                break;
            }
        }
    }
    if out.error.is_none() {
        if pos < frame.len() {
            out.warnings.push(DecodeWarning::TrailingBytes {
                offset: pos,
                count: frame.len() - pos,
            });
        }
        if frame.len() < input.len() {
            out.warnings.push(DecodeWarning::TrailingBytes {
                offset: frame.len(),
                count: input.len() - frame.len(),
            });
        }
    }
    let body = Body {
        mti: head.mti,
        mti_span: head.mti_span,
        bitmap_span: head.bitmap_span,
        fields,
        end: pos,
    };
    (out, Some(body))
}

struct Head {
    mti: Mti,
    mti_span: Range<usize>,
    bitmap: [u8; 16],
    bitmap_span: Range<usize>,
    secondary: bool,
}

fn read_head(dialect: &Dialect, frame: &[u8], start: usize) -> Result<Head, DecodeError> {
    let (mti, mti_len) = match dialect.mti {
        MtiEncoding::Bcd => {
            let b = take(frame, start, 2, Part::Mti)?;
            let pair: [u8; 2] = b.try_into().unwrap_or([0xFF, 0xFF]);
            (Mti::from_bcd(pair), 2)
        }
        MtiEncoding::Ascii => {
            let b = take(frame, start, 4, Part::Mti)?;
            let quad: [u8; 4] = b.try_into().unwrap_or([0xFF; 4]);
            (Mti::from_ascii(quad), 4)
        }
    };
    let mti_span = start..start + mti_len;
    let mti = mti.ok_or_else(|| DecodeError::BadMti {
        offset: start,
        found: hex::encode_upper(frame.get(mti_span.clone()).unwrap_or_default()),
    })?;
    let bitmap_start = mti_span.end;
    let primary = take(frame, bitmap_start, 8, Part::Bitmap)?;
    let secondary = primary.first().is_some_and(|b| b & 0x80 != 0);
    let len = if secondary { 16 } else { 8 };
    let mut bitmap = [0u8; 16];
    for (slot, b) in bitmap
        .iter_mut()
        .zip(take(frame, bitmap_start, len, Part::Bitmap)?)
    {
        *slot = *b;
    }
    Ok(Head {
        mti,
        mti_span,
        bitmap,
        bitmap_span: bitmap_start..bitmap_start + len,
        secondary,
    })
}
