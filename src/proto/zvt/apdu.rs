//! The ZVT APDU: `CLASS INSTR LEN DATA` with a 1-byte length (`00`–`FE`) or an extended length
//! (`FF lo hi`, low byte first), plus [`ApduAssembler`], which rebuilds APDUs from TCP reads cut
//! at arbitrary places.

use serde::Serialize;

use super::error::{DecodeReason, ZvtDecodeError, ZvtEncodeError};
use crate::i18n::Text;

/// Largest data length an APDU can declare.
pub const MAX_APDU_DATA: usize = 65_535;

/// One ZVT application message. In responses CLASS/INSTR are called CCRC/APRC.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Apdu {
    pub class: u8,
    pub instr: u8,
    #[serde(with = "crate::proto::hex_bytes")]
    pub data: Vec<u8>,
}

/// The decoded header of an APDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApduHeader {
    pub class: u8,
    pub instr: u8,
    pub data_len: usize,
    /// 2 (short ack `84 00`), 3 (1-byte length) or 5 (extended length).
    pub header_len: usize,
}

impl ApduHeader {
    /// Header plus data.
    pub fn total_len(&self) -> usize {
        self.header_len.saturating_add(self.data_len)
    }
}

/// Reads the header at the start of `bytes`. `Ok(None)` means more bytes are needed.
pub fn parse_apdu_header(bytes: &[u8]) -> Result<Option<ApduHeader>, ZvtDecodeError> {
    let (Some(&class), Some(&instr)) = (bytes.first(), bytes.get(1)) else {
        return Ok(None);
    };
    let Some(&len) = bytes.get(2) else {
        return Ok(None);
    };
    if len != 0xFF {
        return Ok(Some(ApduHeader {
            class,
            instr,
            data_len: usize::from(len),
            header_len: 3,
        }));
    }
    let (Some(&lo), Some(&hi)) = (bytes.get(3), bytes.get(4)) else {
        return Ok(None);
    };
    Ok(Some(ApduHeader {
        class,
        instr,
        data_len: usize::from(u16::from_le_bytes([lo, hi])),
        header_len: 5,
    }))
}

impl Apdu {
    pub fn new(class: u8, instr: u8, data: impl Into<Vec<u8>>) -> Self {
        Apdu {
            class,
            instr,
            data: data.into(),
        }
    }

    /// `[CLASS, INSTR]`.
    pub fn code(&self) -> [u8; 2] {
        [self.class, self.instr]
    }

    /// Serialises with a 1-byte length when the data is shorter than 255 bytes, else `FF lo hi`.
    pub fn encode(&self) -> Result<Vec<u8>, ZvtEncodeError> {
        let len = self.data.len();
        let Ok(len16) = u16::try_from(len) else {
            return Err(ZvtEncodeError::ApduTooLong { len });
        };
        let mut out = Vec::with_capacity(len.saturating_add(5));
        out.extend_from_slice(&[self.class, self.instr]);
        match u8::try_from(len16) {
            Ok(short) if short != 0xFF => out.push(short),
            _ => {
                out.push(0xFF);
                out.extend_from_slice(&len16.to_le_bytes());
            }
        }
        out.extend_from_slice(&self.data);
        Ok(out)
    }

    /// Decodes exactly one APDU (`bytes` must end where the APDU ends). The short positive
    /// acknowledgements `80 00` / `84 00` are accepted as APDUs with no data.
    pub fn decode(bytes: &[u8]) -> Result<Apdu, ZvtDecodeError> {
        if bytes.is_empty() {
            return Err(ZvtDecodeError::new(0, DecodeReason::Empty));
        }
        // The two-byte positive acknowledgements `80 00` / `84 00` some PTs send.
        if let [class @ (0x80 | 0x84), 0x00] = bytes {
            return Ok(Apdu::new(*class, 0x00, Vec::new()));
        }
        match Self::decode_prefix(bytes)? {
            Some((apdu, used)) if used == bytes.len() => Ok(apdu),
            Some((_, used)) => Err(ZvtDecodeError::new(
                used,
                DecodeReason::TrailingBytes {
                    what: Text::fixed("APDU", "APDU"),
                    extra: bytes.len().saturating_sub(used),
                },
            )),
            None => {
                let header = parse_apdu_header(bytes)?;
                let (needed, what) = match header {
                    Some(h) => (h.total_len(), Text::fixed("APDU 数据", "APDU data")),
                    None => (3, Text::fixed("APDU 头", "APDU header")),
                };
                Err(ZvtDecodeError::new(
                    0,
                    DecodeReason::Truncated {
                        what,
                        needed,
                        available: bytes.len(),
                    },
                ))
            }
        }
    }

    /// Decodes the APDU at the start of `bytes`; `Ok(None)` when it is not complete yet.
    /// Returns the APDU and how many bytes it used.
    pub fn decode_prefix(bytes: &[u8]) -> Result<Option<(Apdu, usize)>, ZvtDecodeError> {
        let Some(header) = parse_apdu_header(bytes)? else {
            return Ok(None);
        };
        let total = header.total_len();
        let Some(data) = bytes.get(header.header_len..total) else {
            return Ok(None);
        };
        Ok(Some((
            Apdu::new(header.class, header.instr, data.to_vec()),
            total,
        )))
    }
}

/// Rebuilds APDUs from a TCP byte stream cut at arbitrary places.
#[derive(Debug, Clone)]
pub struct ApduAssembler {
    buf: Vec<u8>,
    max_data_len: usize,
}

impl Default for ApduAssembler {
    fn default() -> Self {
        Self::new()
    }
}

impl ApduAssembler {
    /// An assembler that accepts any length ZVT can express (65535 data bytes).
    pub fn new() -> Self {
        Self::with_limit(MAX_APDU_DATA)
    }

    /// An assembler that rejects APDUs declaring more than `max_data_len` data bytes.
    pub fn with_limit(max_data_len: usize) -> Self {
        ApduAssembler {
            buf: Vec::new(),
            max_data_len,
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes received but not yet returned as an APDU.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Hands back and forgets the buffered bytes (after a timeout: an incomplete APDU).
    pub fn take_buffered(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buf)
    }

    /// After a read timeout: when exactly the two-byte positive acknowledgement `80 00` or
    /// `84 00` is buffered (some PTs omit the length byte), takes it as an APDU. The assembler
    /// cannot tell it from the start of a longer APDU until no more bytes come.
    pub fn pop_short_ack(&mut self) -> Option<Apdu> {
        match self.buf.as_slice() {
            [class @ (0x80 | 0x84), 0x00] => {
                let apdu = Apdu::new(*class, 0x00, Vec::new());
                self.buf.clear();
                Some(apdu)
            }
            _ => None,
        }
    }

    /// The next complete APDU, if any.
    pub fn pop(&mut self) -> Result<Option<Apdu>, ZvtDecodeError> {
        Ok(self.pop_with_raw()?.map(|(apdu, _)| apdu))
    }

    /// The next complete APDU with its bytes as received. An APDU longer than the limit is an
    /// error; the buffer is then cleared, because the stream position can no longer be trusted
    /// (close the connection).
    pub fn pop_with_raw(&mut self) -> Result<Option<(Apdu, Vec<u8>)>, ZvtDecodeError> {
        let Some(header) = parse_apdu_header(&self.buf)? else {
            return Ok(None);
        };
        if header.data_len > self.max_data_len {
            self.buf.clear();
            return Err(ZvtDecodeError::new(
                2,
                DecodeReason::TooLarge {
                    len: header.data_len,
                    limit: self.max_data_len,
                },
            ));
        }
        match Apdu::decode_prefix(&self.buf)? {
            Some((apdu, used)) => {
                let raw: Vec<u8> = self.buf.drain(..used.min(self.buf.len())).collect();
                Ok(Some((apdu, raw)))
            }
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_length_round_trip() {
        let apdu = Apdu::new(0x06, 0xD3, vec![0xAB; 0x0461]);
        let bytes = apdu.encode().unwrap();
        assert_eq!(&bytes[..5], &[0x06, 0xD3, 0xFF, 0x61, 0x04]);
        assert_eq!(Apdu::decode(&bytes).unwrap(), apdu);
        let short = Apdu::new(0x06, 0xD3, vec![0; 0xFE]).encode().unwrap();
        assert_eq!(short[2], 0xFE);
        let ff = Apdu::new(0x06, 0xD3, vec![0; 0xFF]).encode().unwrap();
        assert_eq!(&ff[2..5], &[0xFF, 0xFF, 0x00]);
        assert!(Apdu::new(6, 0xD3, vec![0; 65_536]).encode().is_err());
    }

    #[test]
    fn short_ack_decodes() {
        assert_eq!(
            Apdu::decode(&[0x84, 0x00]).unwrap(),
            Apdu::new(0x84, 0, vec![])
        );
    }

    #[test]
    fn assembler_reassembles_fragments() {
        let a = Apdu::new(0x06, 0xD3, vec![0x42; 1648]).encode().unwrap();
        let b = [0x80, 0x00, 0x00];
        let mut stream = a.clone();
        stream.extend_from_slice(&b);
        let mut asm = ApduAssembler::new();
        let mut out = Vec::new();
        for chunk in stream.chunks(1024) {
            asm.push(chunk);
            while let Some(apdu) = asm.pop().unwrap() {
                out.push(apdu);
            }
        }
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].data.len(), 1648);
        assert_eq!(out[1], Apdu::new(0x80, 0, vec![]));
        assert!(asm.is_empty());
    }

    #[test]
    fn short_ack_after_timeout() {
        let mut asm = ApduAssembler::new();
        asm.push(&[0x84, 0x00]);
        assert_eq!(asm.pop().unwrap(), None);
        assert_eq!(asm.pop_short_ack(), Some(Apdu::new(0x84, 0, vec![])));
        assert!(asm.is_empty());
    }

    #[test]
    fn assembler_limit() {
        let mut asm = ApduAssembler::with_limit(10);
        asm.push(&[0x06, 0xD3, 0xFF, 0x00, 0x01]);
        let e = asm.pop().unwrap_err();
        assert_eq!(
            e.reason,
            DecodeReason::TooLarge {
                len: 256,
                limit: 10
            }
        );
        assert!(asm.is_empty());
    }
}
