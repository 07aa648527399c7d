//! The envelope around an ISO 8583 body: length prefix, TPDU, optional monitor block and
//! header; reading it, writing it, and finding frame boundaries in a byte stream.

use std::ops::Range;

use super::codec::take;
use super::dialect::{Dialect, HeaderLayout, LengthPrefix};
use super::error::{DecodeError, DecodeWarning, EncodeError, Part};
use super::header::{CupHeader, Tpdu};

/// What goes in front of the MTI when a message is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub tpdu: Option<Tpdu>,
    /// The monitor block between TPDU and header (empty when the dialect has none).
    pub monitor_block: Vec<u8>,
    pub header: Vec<u8>,
}

impl Envelope {
    /// The envelope a dialect sends by default.
    pub fn from_dialect(dialect: &Dialect) -> Self {
        Envelope {
            tpdu: dialect.tpdu.tpdu(),
            monitor_block: vec![0; usize::from(dialect.monitor_block_len)],
            header: dialect.header.value.0.clone(),
        }
    }

    /// The header read as a CUP header (its first six bytes).
    pub fn cup_header(&self) -> Option<CupHeader> {
        CupHeader::from_bytes(&self.header)
    }
}

/// The envelope as found in a received frame, with byte spans.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DecodedEnvelope {
    /// Declared length and its span, when the dialect has a length prefix.
    pub length: Option<(usize, Range<usize>)>,
    pub tpdu: Option<(Tpdu, Range<usize>)>,
    pub monitor_block: Option<(Vec<u8>, Range<usize>)>,
    pub header: Option<(Vec<u8>, Range<usize>)>,
    /// How the dialect says to read the header.
    pub header_layout: HeaderLayout,
}

impl DecodedEnvelope {
    /// The header read as a CUP header, when the layout is CUP.
    pub fn cup_header(&self) -> Option<CupHeader> {
        match (&self.header, self.header_layout) {
            (Some((bytes, _)), HeaderLayout::Cup) => CupHeader::from_bytes(bytes),
            _ => None,
        }
    }

    /// The envelope to answer with (same TPDU, monitor block and header).
    pub fn to_envelope(&self) -> Envelope {
        Envelope {
            tpdu: self.tpdu.as_ref().map(|(t, _)| *t),
            monitor_block: self
                .monitor_block
                .as_ref()
                .map(|(b, _)| b.clone())
                .unwrap_or_default(),
            header: self
                .header
                .as_ref()
                .map(|(b, _)| b.clone())
                .unwrap_or_default(),
        }
    }
}

/// Progress of reading the envelope: what was read, where the body starts, where the frame
/// ends, and how far the structure is known (even when reading stopped early).
pub struct EnvelopeRead {
    pub envelope: DecodedEnvelope,
    pub body_start: usize,
    /// End of the frame as the length prefix delimits it (clamped to the input).
    pub frame_end: usize,
    pub warnings: Vec<DecodeWarning>,
    pub error: Option<DecodeError>,
}

/// Reads length prefix, TPDU, monitor block and header from `input`.
pub fn read_envelope(dialect: &Dialect, input: &[u8]) -> EnvelopeRead {
    let mut read = EnvelopeRead {
        envelope: DecodedEnvelope {
            header_layout: dialect.header.layout,
            ..DecodedEnvelope::default()
        },
        body_start: 0,
        frame_end: input.len(),
        warnings: Vec::new(),
        error: None,
    };
    if let Err(e) = read_parts(dialect, input, &mut read) {
        read.error = Some(e);
    }
    read
}

fn read_parts(dialect: &Dialect, input: &[u8], read: &mut EnvelopeRead) -> Result<(), DecodeError> {
    let prefix_size = dialect.length_prefix.size();
    let mut pos = 0;
    if prefix_size > 0 {
        let prefix = take(input, 0, prefix_size, Part::LengthPrefix)?;
        let declared = declared_length(dialect.length_prefix, prefix)?;
        let actual = input.len().saturating_sub(prefix_size);
        if declared != actual {
            read.warnings
                .push(DecodeWarning::LengthMismatch { declared, actual });
        }
        read.frame_end = prefix_size.saturating_add(declared).min(input.len());
        read.envelope.length = Some((declared, 0..prefix_size));
        pos = prefix_size;
        read.body_start = pos;
    }
    let frame = input.get(..read.frame_end).unwrap_or(input);
    if dialect.tpdu.present {
        let bytes = take(frame, pos, Tpdu::LEN, Part::Tpdu)?;
        if let Some(tpdu) = Tpdu::from_bytes(bytes) {
            read.envelope.tpdu = Some((tpdu, pos..pos + Tpdu::LEN));
        }
        pos += Tpdu::LEN;
        read.body_start = pos;
    }
    let monitor_len = usize::from(dialect.monitor_block_len);
    if monitor_len > 0 {
        let bytes = take(frame, pos, monitor_len, Part::MonitorBlock)?;
        read.envelope.monitor_block = Some((bytes.to_vec(), pos..pos + monitor_len));
        pos += monitor_len;
        read.body_start = pos;
    }
    let header_len = usize::from(dialect.header.length);
    if header_len > 0 {
        let bytes = take(frame, pos, header_len, Part::Header)?;
        read.envelope.header = Some((bytes.to_vec(), pos..pos + header_len));
        pos += header_len;
        read.body_start = pos;
    }
    Ok(())
}

fn declared_length(kind: LengthPrefix, prefix: &[u8]) -> Result<usize, DecodeError> {
    match (kind, prefix) {
        (LengthPrefix::Binary2, [hi, lo]) => Ok(usize::from(u16::from_be_bytes([*hi, *lo]))),
        (LengthPrefix::Ascii4, digits) => std::str::from_utf8(digits)
            .ok()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| DecodeError::BadLengthPrefix {
                offset: 0,
                found: hex::encode_upper(digits),
            }),
        _ => Ok(0),
    }
}

/// Wraps an encoded body (MTI onwards) in the envelope and the length prefix.
pub fn write_frame(
    dialect: &Dialect,
    envelope: &Envelope,
    body: &[u8],
) -> Result<Vec<u8>, EncodeError> {
    let header_len = usize::from(dialect.header.length);
    if envelope.header.len() != header_len {
        return Err(EncodeError::HeaderLength {
            expected: header_len,
            got: envelope.header.len(),
        });
    }
    let mut inner = Vec::with_capacity(body.len().saturating_add(64));
    if dialect.tpdu.present {
        let tpdu = envelope.tpdu.or(dialect.tpdu.tpdu());
        inner.extend(tpdu.map(Tpdu::to_bytes).unwrap_or_default());
    }
    let monitor_len = usize::from(dialect.monitor_block_len);
    let mut monitor = envelope.monitor_block.clone();
    monitor.resize(monitor_len, 0);
    inner.extend(monitor);
    inner.extend(&envelope.header);
    inner.extend(body);
    let max = dialect.length_prefix.max_length();
    if inner.len() > max {
        return Err(EncodeError::MessageTooLong {
            length: inner.len(),
            max,
        });
    }
    let mut out = Vec::with_capacity(inner.len().saturating_add(4));
    match dialect.length_prefix {
        LengthPrefix::Binary2 => {
            let n = u16::try_from(inner.len()).unwrap_or(u16::MAX);
            out.extend(n.to_be_bytes());
        }
        LengthPrefix::Ascii4 => out.extend(format!("{:04}", inner.len()).into_bytes()),
        LengthPrefix::None => {}
    }
    out.extend(inner);
    Ok(out)
}

/// Where the next frame in a received byte stream ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameLength {
    /// More bytes are needed; at least this many in total.
    Incomplete { needed: usize },
    /// The first frame is this many bytes (prefix included).
    Complete(usize),
    /// The dialect has no length prefix: the transport must delimit messages.
    Unframed,
    /// The length prefix is not readable (ASCII prefix with non-digits).
    Invalid,
}

/// Finds the first frame in `buf` by its length prefix.
pub fn frame_length(dialect: &Dialect, buf: &[u8]) -> FrameLength {
    let size = dialect.length_prefix.size();
    if size == 0 {
        return FrameLength::Unframed;
    }
    let Some(prefix) = buf.get(..size) else {
        return FrameLength::Incomplete { needed: size };
    };
    match declared_length(dialect.length_prefix, prefix) {
        Ok(n) => {
            let total = n.saturating_add(size);
            if buf.len() >= total {
                FrameLength::Complete(total)
            } else {
                FrameLength::Incomplete { needed: total }
            }
        }
        Err(_) => FrameLength::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cup_envelope_spans() {
        let d = Dialect::cup();
        let frame = hex::decode("000F600003000060310031000002007024").unwrap_or_default();
        let r = read_envelope(&d, &frame);
        assert_eq!(r.error, None);
        assert_eq!(r.envelope.length, Some((15, 0..2)));
        assert_eq!(r.envelope.tpdu.map(|(t, _)| t.destination), Some(3));
        assert_eq!(r.body_start, 13);
        assert_eq!(r.warnings, vec![]);
    }

    #[test]
    fn stream_boundaries() {
        let d = Dialect::cup();
        assert_eq!(
            frame_length(&d, &[0x00]),
            FrameLength::Incomplete { needed: 2 }
        );
        // docs/protocols/iso8583-cup.md §1: a sign-on starting 00 63 has 99 bytes after the prefix
        assert_eq!(
            frame_length(&d, &[0x00, 0x63, 1, 2]),
            FrameLength::Incomplete { needed: 101 }
        );
        assert_eq!(
            frame_length(&d, &[0x01, 0xAA]),
            FrameLength::Incomplete { needed: 428 }
        );
        assert_eq!(
            frame_length(&d, &[0x00, 0x01, 7, 8]),
            FrameLength::Complete(3)
        );
        let mut a = d.clone();
        a.length_prefix = LengthPrefix::Ascii4;
        assert_eq!(frame_length(&a, b"0002ab"), FrameLength::Complete(6));
        assert_eq!(frame_length(&a, b"00x2ab"), FrameLength::Invalid);
        a.length_prefix = LengthPrefix::None;
        assert_eq!(frame_length(&a, b"ab"), FrameLength::Unframed);
    }

    #[test]
    fn frame_written_with_prefix() {
        let d = Dialect::cup();
        let f = write_frame(&d, &Envelope::from_dialect(&d), &[0x08, 0x00]).unwrap_or_default();
        assert_eq!(hex::encode_upper(f), "000D60000300006031003100000800");
    }
}
