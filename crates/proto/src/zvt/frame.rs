//! ZVT serial framing (PA00P016 §3; docs/protocols/zvt.md §1.2):
//! `DLE STX <APDU, every 10 doubled> DLE ETX CRC-lo CRC-hi`.
//!
//! Stuffing applies inside the APDU only; the two CRC bytes follow `10 03` unstuffed (a CRC of
//! 0x0610 is sent as `10 06`). A receiver therefore finds the frame end by scanning for an
//! unstuffed `10 03` and then takes exactly two bytes; it never guesses "ETX at len-3".
//! Single bytes `06` (ACK) and `15` (NAK) outside a frame are block acknowledgements. The
//! incremental receiver is [`super::deframer::SerialDeframer`] (re-exported here).

use super::crc::frame_crc;
pub use super::deframer::{SerialDeframer, SerialEvent};
use super::error::{DecodeReason, ZvtDecodeError};

pub const DLE: u8 = 0x10;
pub const STX: u8 = 0x02;
pub const ETX: u8 = 0x03;
pub const ACK: u8 = 0x06;
pub const NAK: u8 = 0x15;

/// Largest APDU a frame may carry: 5 header bytes + 65535 data bytes. Longer input is garbage.
pub const MAX_FRAME_APDU: usize = 5 + 65_535;

/// Wraps an APDU into a serial frame with DLE stuffing and CRC (low byte first, unstuffed).
pub fn encode_serial_frame(apdu: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(apdu.len() + 6);
    out.extend_from_slice(&[DLE, STX]);
    for &b in apdu {
        out.push(b);
        if b == DLE {
            out.push(DLE);
        }
    }
    out.extend_from_slice(&[DLE, ETX]);
    out.extend_from_slice(&frame_crc(apdu).to_le_bytes());
    out
}

/// The parts of one serial frame, CRC checked or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerialFrameParts {
    /// The unstuffed APDU.
    pub apdu: Vec<u8>,
    /// CRC computed over the APDU and ETX.
    pub crc_expected: u16,
    /// CRC the frame carries.
    pub crc_got: u16,
    /// Bytes of the input that formed the frame.
    pub frame_len: usize,
}

impl SerialFrameParts {
    pub fn crc_ok(&self) -> bool {
        self.crc_expected == self.crc_got
    }
}

/// Reads one serial frame from the start of `bytes` without judging the CRC (for display).
/// Offsets in errors count from the first byte of `bytes`.
pub fn inspect_serial_frame(bytes: &[u8]) -> Result<SerialFrameParts, ZvtDecodeError> {
    if bytes.is_empty() {
        return Err(ZvtDecodeError::new(0, DecodeReason::Empty));
    }
    if bytes.get(..2) != Some(&[DLE, STX][..]) {
        return Err(ZvtDecodeError::new(0, DecodeReason::NoFrameStart));
    }
    let mut apdu = Vec::new();
    let mut i = 2usize;
    loop {
        let Some(&b) = bytes.get(i) else {
            return Err(ZvtDecodeError::new(bytes.len(), DecodeReason::NoFrameEnd));
        };
        if b != DLE {
            apdu.push(b);
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(&DLE) => {
                apdu.push(DLE);
                i += 2;
            }
            Some(&ETX) => break,
            Some(&other) => {
                return Err(ZvtDecodeError::new(
                    i + 1,
                    DecodeReason::BadDleSequence { byte: other },
                ))
            }
            None => return Err(ZvtDecodeError::new(bytes.len(), DecodeReason::NoFrameEnd)),
        }
    }
    let crc_at = i + 2;
    let (Some(&lo), Some(&hi)) = (bytes.get(crc_at), bytes.get(crc_at + 1)) else {
        return Err(ZvtDecodeError::new(bytes.len(), DecodeReason::NoFrameEnd));
    };
    Ok(SerialFrameParts {
        crc_expected: frame_crc(&apdu),
        crc_got: u16::from_le_bytes([lo, hi]),
        apdu,
        frame_len: crc_at + 2,
    })
}

/// Decodes exactly one serial frame and returns its APDU; a bad CRC or trailing bytes are
/// errors.
pub fn decode_serial_frame(bytes: &[u8]) -> Result<Vec<u8>, ZvtDecodeError> {
    let parts = inspect_serial_frame(bytes)?;
    if !parts.crc_ok() {
        return Err(ZvtDecodeError::new(
            parts.frame_len.saturating_sub(2),
            DecodeReason::BadCrc {
                expected: parts.crc_expected,
                got: parts.crc_got,
            },
        ));
    }
    let extra = bytes.len().saturating_sub(parts.frame_len);
    if extra > 0 {
        return Err(ZvtDecodeError::new(
            parts.frame_len,
            DecodeReason::TrailingBytes {
                what: crate::i18n::Text::fixed("串口帧", "serial frame"),
                extra,
            },
        ));
    }
    Ok(parts.apdu)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).unwrap()
    }

    #[test]
    fn crc_low_byte_dle_is_not_stuffed() {
        assert_eq!(
            encode_serial_frame(&[0x05, 0x01, 0x00]),
            hex("10 02 05 01 00 10 03 10 06")
        );
    }

    #[test]
    fn one_shot_errors_name_offsets() {
        let e = decode_serial_frame(&hex("10 02 06 10 05")).unwrap_err();
        assert_eq!(e.offset, 4);
        assert_eq!(e.reason, DecodeReason::BadDleSequence { byte: 0x05 });
        let e = decode_serial_frame(&hex("06 B0 00")).unwrap_err();
        assert_eq!(e.reason, DecodeReason::NoFrameStart);
        let e = decode_serial_frame(&hex("10 02 06 B0 00 10 03 43")).unwrap_err();
        assert_eq!(e.reason, DecodeReason::NoFrameEnd);
    }
}
