//! Shared helpers for typed messages: the TLV container BMP, BMP ordering on encode, and the
//! "typed if it fits, else kept raw" rule on decode (so no received byte is silently dropped).

use super::super::bmp::{encode_bmp, parse_bmps, Bmp};
use super::super::error::{DecodeReason, ZvtDecodeError, ZvtEncodeError};
use super::super::reader::Reader;
use super::super::tlv::{encode_tlv_list, parse_tlv_list, Tlv};
use super::super::values::{bcd_string, Password};
use crate::i18n::Text;

/// The TLV list inside BMP 06.
pub(crate) fn tlv_of(bmp: &Bmp) -> Result<Vec<Tlv>, ZvtDecodeError> {
    parse_tlv_list(&bmp.value, bmp.value_offset)
}

/// BMP 06 holding `list` (an empty list gives `06 00`, which enables TLV in Registration).
pub(crate) fn tlv_bmp(list: &[Tlv]) -> Result<Vec<u8>, ZvtEncodeError> {
    encode_bmp(0x06, &encode_tlv_list(list)?)
}

/// Stores `value` in `slot` when it decoded and the slot is free; otherwise keeps the BMP raw.
pub(crate) fn set_or_keep<T>(
    slot: &mut Option<T>,
    value: Option<T>,
    bmp: &Bmp,
    other: &mut Vec<Bmp>,
) {
    match value {
        Some(v) if slot.is_none() => *slot = Some(v),
        _ => other.push(bmp.clone()),
    }
}

/// Reads BMP 06 into `slot` (a second container is kept raw).
pub(crate) fn set_tlv(
    slot: &mut Option<Vec<Tlv>>,
    bmp: &Bmp,
    other: &mut Vec<Bmp>,
) -> Result<(), ZvtDecodeError> {
    if slot.is_some() {
        other.push(bmp.clone());
    } else {
        *slot = Some(tlv_of(bmp)?);
    }
    Ok(())
}

/// Collects encoded BMPs and writes them in a message's customary order, TLV last.
#[derive(Default)]
pub(crate) struct BmpWriter {
    entries: Vec<(u8, Vec<u8>)>,
}

impl BmpWriter {
    pub(crate) fn raw(&mut self, tag: u8, value: &[u8]) -> Result<(), ZvtEncodeError> {
        self.entries.push((tag, encode_bmp(tag, value)?));
        Ok(())
    }

    pub(crate) fn opt_u8(&mut self, tag: u8, value: Option<u8>) -> Result<(), ZvtEncodeError> {
        match value {
            Some(v) => self.raw(tag, &[v]),
            None => Ok(()),
        }
    }

    pub(crate) fn bmps(&mut self, bmps: &[Bmp]) -> Result<(), ZvtEncodeError> {
        for b in bmps {
            self.raw(b.tag, &b.value)?;
        }
        Ok(())
    }

    pub(crate) fn tlv(&mut self, list: Option<&Vec<Tlv>>) -> Result<(), ZvtEncodeError> {
        if let Some(list) = list {
            self.entries.push((0x06, tlv_bmp(list)?));
        }
        Ok(())
    }

    /// The BMPs in the order of `order`; tags not listed follow, the TLV container comes last.
    pub(crate) fn finish(mut self, order: &[u8]) -> Vec<u8> {
        let rank = |tag: u8| {
            if tag == 0x06 {
                usize::MAX
            } else {
                order.iter().position(|&t| t == tag).unwrap_or(order.len())
            }
        };
        self.entries.sort_by_key(|(tag, _)| rank(*tag));
        self.entries
            .into_iter()
            .flat_map(|(_, bytes)| bytes)
            .collect()
    }
}

/// Reads the 3-byte password at a fixed position.
pub(crate) fn read_password(r: &mut Reader<'_>) -> Result<Password, ZvtDecodeError> {
    let b = r.take(3, Text::fixed("密码", "password"))?;
    match b {
        &[x, y, z] => Ok(Password([x, y, z])),
        _ => Err(r.error(DecodeReason::Empty)),
    }
}

/// The BMPs after the fixed part of a message.
pub(crate) fn rest_bmps(r: &mut Reader<'_>) -> Result<Vec<Bmp>, ZvtDecodeError> {
    let base = r.offset();
    parse_bmps(r.take_rest(), base)
}

/// An error for a BMP that a message does not allow.
pub(crate) fn unexpected_bmp(bmp: &Bmp, message: &str) -> ZvtDecodeError {
    ZvtDecodeError::new(
        bmp.offset,
        DecodeReason::Invalid {
            detail: Text::new(
                format!("{message} 中不应出现 BMP 0x{:02X}", bmp.tag),
                format!("BMP 0x{:02X} is not expected in {message}", bmp.tag),
            ),
        },
    )
}

/// Only BMP 06 allowed: returns its TLV list.
pub(crate) fn only_tlv(bmps: &[Bmp], message: &str) -> Result<Option<Vec<Tlv>>, ZvtDecodeError> {
    let mut tlv = None;
    for b in bmps {
        if b.tag == 0x06 && tlv.is_none() {
            tlv = Some(tlv_of(b)?);
        } else {
            return Err(unexpected_bmp(b, message));
        }
    }
    Ok(tlv)
}

/// A BCD number field kept as its digit string (`E`/`F` nibbles appear as letters).
pub(crate) fn bcd(bmp: &Bmp) -> Option<String> {
    Some(bcd_string(&bmp.value))
}

/// Error when a message that carries no data has some.
pub(crate) fn expect_empty(data: &[u8], base: usize, message: Text) -> Result<(), ZvtDecodeError> {
    if data.is_empty() {
        Ok(())
    } else {
        Err(ZvtDecodeError::new(
            base,
            DecodeReason::TrailingBytes {
                what: message,
                extra: data.len(),
            },
        ))
    }
}
