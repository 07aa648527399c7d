//! Shared by the ISO 8583 targets: a dialect chosen by the input's first bytes, so one corpus
//! covers the CUP dialect and the generic framings a profile can configure.

use posdiag_proto::iso8583::dialect::{HeaderLayout, HexBytes, MtiEncoding};
use posdiag_proto::iso8583::{Dialect, Encoding, FieldOverride, LengthKind, LengthPrefix, Pad};

/// Bytes the dialect choice takes from the front of the input.
pub const DIALECT_BYTES: usize = 4;

/// The dialect for `selector` (the input's first [`DIALECT_BYTES`] bytes); always a dialect
/// a profile could load (it passes `validate`).
pub fn dialect(selector: &[u8]) -> Dialect {
    let byte = |i: usize| selector.get(i).copied().unwrap_or(0);
    let s = byte(0);
    // 0 is the CUP dialect exactly, the one a live session uses most.
    if s == 0 {
        return Dialect::cup();
    }
    let mut d = Dialect::cup();
    d.length_prefix = match s % 3 {
        0 => LengthPrefix::Binary2,
        1 => LengthPrefix::Ascii4,
        _ => LengthPrefix::None,
    };
    d.tpdu.present = s & 0x04 != 0;
    d.mti = if s & 0x08 != 0 {
        MtiEncoding::Ascii
    } else {
        MtiEncoding::Bcd
    };
    match (s >> 4) % 3 {
        0 => {}
        1 => {
            d.header.layout = HeaderLayout::Opaque;
            d.header.length = u16::from(byte(1) % 9);
            d.header.value = HexBytes(vec![0x60; usize::from(d.header.length)]);
        }
        _ => {
            d.header.length = 0;
            d.header.layout = HeaderLayout::Opaque;
            d.header.value = HexBytes(Vec::new());
        }
    }
    d.monitor_block_len = u16::from((s >> 6) & 1) * u16::from(byte(1) % 5);
    if s & 0x80 != 0 {
        let number = 2 + byte(2) % 127;
        let encoding = [
            Encoding::Bcd,
            Encoding::Track,
            Encoding::Ascii,
            Encoding::Gbk,
            Encoding::Binary,
        ][usize::from(byte(3) % 5)];
        let length = [LengthKind::Fixed, LengthKind::Llvar, LengthKind::Lllvar]
            [usize::from((byte(3) >> 3) % 3)];
        let max = match length {
            LengthKind::Fixed => 1 + u16::from(byte(1) % 64),
            LengthKind::Llvar => 1 + u16::from(byte(1) % 99),
            LengthKind::Lllvar => 1 + u16::from(byte(1)) * 3,
        };
        d.fields.push(FieldOverride {
            number,
            encoding,
            length,
            max,
            pad: if byte(3) & 0x80 != 0 {
                Pad::Left
            } else {
                Pad::Right
            },
            name_zh: None,
            name_en: None,
        });
    }
    if d.validate().is_err() {
        d.fields.clear();
    }
    if d.validate().is_err() {
        return Dialect::cup();
    }
    d
}

/// The input split into the dialect selector and the message bytes.
pub fn split(data: &[u8]) -> (Dialect, &[u8]) {
    let n = data.len().min(DIALECT_BYTES);
    let (selector, rest) = data.split_at(n);
    (dialect(selector), rest)
}
