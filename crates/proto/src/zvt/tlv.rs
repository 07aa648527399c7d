//! BER-TLV as used inside the ZVT TLV container (BMP 06), PA00P015 ch.9.
//!
//! Tags are general BER tags (`24`, `1F55`, `1F8000`; up to 4 bytes here), lengths are `00`–`7F`,
//! `81 nn` or `82 hh ll` (`80` is invalid). Constructed tags (bit 6 of the first byte) are
//! parsed into children recursively, up to [`MAX_TLV_DEPTH`] levels, except the Feig tags
//! that carry the constructed bit over a plain value ([`super::feig`]).

use serde::Serialize;

use super::error::{DecodeReason, ZvtDecodeError, ZvtEncodeError};
use super::reader::Reader;
use crate::i18n::Text;
use crate::redact::SensitiveKind;

/// Deepest nesting of constructed tags that is parsed.
pub const MAX_TLV_DEPTH: usize = 8;
/// Longest tag accepted, in bytes.
pub const MAX_TAG_BYTES: usize = 4;

/// One TLV element. `value` always holds the raw value bytes; for a constructed tag the parsed
/// elements are in `children` as well. Equality ignores `offset`.
#[derive(Clone)]
pub struct Tlv {
    /// The tag bytes as a big-endian number: `0x24`, `0x1F55`, `0x1F8000`.
    pub tag: u32,
    pub value: Vec<u8>,
    pub children: Vec<Tlv>,
    /// Offset of the tag's first byte in the decoded message (0 for built elements).
    pub offset: usize,
    /// Offset of the first value byte in the decoded message (0 for built elements).
    pub value_offset: usize,
}

impl PartialEq for Tlv {
    fn eq(&self, other: &Self) -> bool {
        self.tag == other.tag && self.value == other.value && self.children == other.children
    }
}

impl Eq for Tlv {}

impl std::fmt::Debug for Tlv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut s = f.debug_struct("Tlv");
        s.field("tag", &format_args!("{}", tag_hex(self.tag)));
        if self.children.is_empty() {
            s.field("value", &masked_hex(self.tag, &self.value));
        } else {
            s.field("children", &self.children);
        }
        s.finish()
    }
}

/// What kind of secret a tag holds: EMV card data (track equivalents, PAN) and the Feig
/// password (`FF40`). `None` for everything else.
pub fn tlv_secret_kind(tag: u32) -> Option<SensitiveKind> {
    match tag {
        0x5A => Some(SensitiveKind::Pan),
        0x56 | 0x57 | 0x9F1F | 0x9F20 | 0x9F6B => Some(SensitiveKind::Track),
        // A password is as secret as a key: hidden whole, never a digit shown.
        super::feig::TAG_PASSWORD => Some(SensitiveKind::Key),
        _ => None,
    }
}

/// Tags whose value is never shown in clear (card data, passwords).
pub fn tlv_tag_is_sensitive(tag: u32) -> bool {
    tlv_secret_kind(tag).is_some()
}

fn masked_hex(tag: u32, value: &[u8]) -> String {
    if tlv_tag_is_sensitive(tag) {
        "**".repeat(value.len())
    } else {
        hex::encode_upper(value)
    }
}

/// The value hex of `t` with every secret inside it masked: a constructed element's value
/// holds its children's bytes, secrets included.
fn masked_value_hex(t: &Tlv) -> String {
    if t.children.is_empty() {
        return masked_hex(t.tag, &t.value);
    }
    t.children
        .iter()
        .map(|c| {
            let len = encode_ber_length(c.value.len()).unwrap_or_default();
            format!(
                "{}{}{}",
                tag_hex(c.tag),
                hex::encode_upper(len),
                masked_value_hex(c)
            )
        })
        .collect()
}

/// Serialised as `{tag: "1F55", value: "4000", children: [...]}`; card data is masked, so a
/// serialised message never carries it.
impl Serialize for Tlv {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Tlv", 3)?;
        st.serialize_field("tag", &tag_hex(self.tag))?;
        st.serialize_field("value", &masked_value_hex(self))?;
        st.serialize_field("children", &self.children)?;
        st.end()
    }
}

impl Tlv {
    /// A primitive element.
    pub fn new(tag: u32, value: impl Into<Vec<u8>>) -> Tlv {
        Tlv {
            tag,
            value: value.into(),
            children: Vec::new(),
            offset: 0,
            value_offset: 0,
        }
    }

    /// A constructed element holding `children`.
    pub fn constructed(tag: u32, children: Vec<Tlv>) -> Result<Tlv, ZvtEncodeError> {
        Ok(Tlv {
            tag,
            value: encode_tlv_list(&children)?,
            children,
            offset: 0,
            value_offset: 0,
        })
    }

    /// True when the value is a list of TLV elements (the constructed bit, less Feig's quirks).
    pub fn is_constructed(&self) -> bool {
        tag_holds_tlv(self.tag)
    }

    /// Tag, BER length and value.
    pub fn encode(&self) -> Result<Vec<u8>, ZvtEncodeError> {
        let mut out = encode_tag(self.tag);
        out.extend(encode_ber_length(self.value.len())?);
        out.extend_from_slice(&self.value);
        Ok(out)
    }

    /// The first child with `tag`.
    pub fn child(&self, tag: u32) -> Option<&Tlv> {
        find_tlv(&self.children, tag)
    }
}

/// The tag bytes of `tag` (no leading zero bytes; tag 0 is one `00` byte).
pub fn encode_tag(tag: u32) -> Vec<u8> {
    let bytes = tag.to_be_bytes();
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(3);
    bytes.get(first..).unwrap_or(&[0]).to_vec()
}

/// The first byte of the tag, which carries the class and constructed bits.
fn first_tag_byte(tag: u32) -> u8 {
    encode_tag(tag).first().copied().unwrap_or(0)
}

/// The constructed bit (0x20) of the first tag byte, as BER defines it.
pub fn tag_is_constructed(tag: u32) -> bool {
    first_tag_byte(tag) & 0x20 != 0
}

/// True when the value is parsed as nested TLV: the constructed bit, except for the tags a
/// vendor sets it on over a plain value (Feig `FF40` password, `FF41` host configuration).
pub fn tag_holds_tlv(tag: u32) -> bool {
    tag_is_constructed(tag) && !super::feig::constructed_bit_but_primitive(tag)
}

/// `1F55` style hex of a tag.
pub fn tag_hex(tag: u32) -> String {
    hex::encode_upper(encode_tag(tag))
}

/// BER length: short form below 0x80, else `81 nn` or `82 hh ll`.
pub fn encode_ber_length(len: usize) -> Result<Vec<u8>, ZvtEncodeError> {
    match len {
        0..=0x7F => Ok(vec![len as u8]),
        0x80..=0xFF => Ok(vec![0x81, len as u8]),
        0x100..=0xFFFF => Ok(vec![0x82, (len >> 8) as u8, len as u8]),
        _ => Err(ZvtEncodeError::FieldTooLong {
            field: "TLV value".into(),
            len,
            max: 0xFFFF,
        }),
    }
}

/// Reads a BER length at the reader's position.
pub(crate) fn read_ber_length(r: &mut Reader<'_>) -> Result<usize, ZvtDecodeError> {
    let at = r.offset();
    let first = r.u8(Text::fixed("TLV 长度", "TLV length"))?;
    match first {
        0x00..=0x7F => Ok(usize::from(first)),
        0x81 => Ok(usize::from(r.u8(Text::fixed("TLV 长度", "TLV length"))?)),
        0x82 => {
            let b = r.take(2, Text::fixed("TLV 长度", "TLV length"))?;
            Ok(b.iter().fold(0usize, |acc, &x| (acc << 8) | usize::from(x)))
        }
        _ => Err(ZvtDecodeError::new(
            at,
            DecodeReason::BadTlvLength { byte: first },
        )),
    }
}

fn read_tag(r: &mut Reader<'_>) -> Result<u32, ZvtDecodeError> {
    let at = r.offset();
    let what = || Text::fixed("TLV 标签", "TLV tag");
    let first = r.u8(what())?;
    let mut tag = u32::from(first);
    if first & 0x1F != 0x1F {
        return Ok(tag);
    }
    for count in 2.. {
        if count > MAX_TAG_BYTES {
            return Err(ZvtDecodeError::new(
                at,
                DecodeReason::TlvTagTooLong {
                    limit: MAX_TAG_BYTES,
                },
            ));
        }
        let b = r.u8(what())?;
        tag = (tag << 8) | u32::from(b);
        if b & 0x80 == 0 {
            break;
        }
    }
    Ok(tag)
}

/// Parses a sequence of TLV elements; `base` is the offset of `bytes[0]` in the message.
pub fn parse_tlv_list(bytes: &[u8], base: usize) -> Result<Vec<Tlv>, ZvtDecodeError> {
    parse_level(bytes, base, 0)
}

fn parse_level(bytes: &[u8], base: usize, depth: usize) -> Result<Vec<Tlv>, ZvtDecodeError> {
    if depth >= MAX_TLV_DEPTH {
        return Err(ZvtDecodeError::new(
            base,
            DecodeReason::TlvTooDeep {
                limit: MAX_TLV_DEPTH,
            },
        ));
    }
    let mut r = Reader::new(bytes, base);
    let mut out = Vec::new();
    while !r.is_empty() {
        let offset = r.offset();
        let tag = read_tag(&mut r)?;
        let len = read_ber_length(&mut r)?;
        let value_offset = r.offset();
        let value = r.take(
            len,
            Text::new(
                format!("TLV {} 的值", tag_hex(tag)),
                format!("TLV {} value", tag_hex(tag)),
            ),
        )?;
        let children = if tag_holds_tlv(tag) {
            parse_level(value, value_offset, depth.saturating_add(1))?
        } else {
            Vec::new()
        };
        out.push(Tlv {
            tag,
            value: value.to_vec(),
            children,
            offset,
            value_offset,
        });
    }
    Ok(out)
}

/// Concatenated encodings of `list`.
pub fn encode_tlv_list(list: &[Tlv]) -> Result<Vec<u8>, ZvtEncodeError> {
    let mut out = Vec::new();
    for t in list {
        out.extend(t.encode()?);
    }
    Ok(out)
}

/// The first element of `list` (top level only) with `tag`.
pub fn find_tlv(list: &[Tlv], tag: u32) -> Option<&Tlv> {
    list.iter().find(|t| t.tag == tag)
}

/// The first element with `tag` anywhere in the tree, depth first.
pub fn find_tlv_deep(list: &[Tlv], tag: u32) -> Option<&Tlv> {
    list.iter().find_map(|t| {
        if t.tag == tag {
            Some(t)
        } else {
            find_tlv_deep(&t.children, tag)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_byte_tags_and_lengths() {
        let list = parse_tlv_list(
            &[0x1F, 0x80, 0x00, 0x01, 0xAA, 0x1F, 0x55, 0x02, 0x40, 0x00],
            0,
        )
        .unwrap();
        assert_eq!(list[0].tag, 0x1F8000);
        assert_eq!(list[1].tag, 0x1F55);
        assert_eq!(list[1].value, [0x40, 0x00]);
        assert_eq!(list[1].offset, 5);
        let long = Tlv::new(0x07, vec![b'x'; 300]);
        let enc = long.encode().unwrap();
        assert_eq!(&enc[..4], &[0x07, 0x82, 0x01, 0x2C]);
        assert_eq!(parse_tlv_list(&enc, 0).unwrap(), vec![long]);
        let mid = Tlv::new(0x07, vec![b'x'; 0x90]).encode().unwrap();
        assert_eq!(&mid[..3], &[0x07, 0x81, 0x90]);
    }

    #[test]
    fn constructed_parsed_recursively() {
        let bytes = [0x24, 0x05, 0x07, 0x03, b'a', b'b', b'c'];
        let list = parse_tlv_list(&bytes, 10).unwrap();
        assert_eq!(list[0].children, vec![Tlv::new(0x07, b"abc".to_vec())]);
        assert_eq!(list[0].children[0].offset, 12);
        let built = Tlv::constructed(0x24, vec![Tlv::new(0x07, b"abc".to_vec())]).unwrap();
        assert_eq!(built.encode().unwrap(), bytes);
    }

    #[test]
    fn feig_tags_with_the_constructed_bit_are_values() {
        // 08 13 Change Configuration from a Feig cVEND: E4 { FF40 password, FF41 host }.
        let bytes = hex::decode("E410FF4003123456FF4107D5B7136976C101").unwrap();
        let list = parse_tlv_list(&bytes, 5).unwrap();
        let e4 = &list[0];
        assert_eq!(e4.children.len(), 2);
        assert_eq!(e4.children[0].tag, 0xFF40);
        assert!(e4.children[0].children.is_empty());
        assert_eq!(e4.children[1].value, hex::decode("D5B7136976C101").unwrap());
        assert_eq!(e4.children[1].value_offset, 5 + 2 + 6 + 3);
        // Debug and Serialize never show the password.
        let debug = format!("{list:?}");
        assert!(
            !debug.contains("123456") && !debug.contains("3456"),
            "{debug}"
        );
        let json = serde_json::to_string(&list).unwrap();
        assert!(!json.contains("3456"), "{json}");
    }

    #[test]
    fn invalid_length_and_depth() {
        let e = parse_tlv_list(&[0x1F, 0x55, 0x80], 3).unwrap_err();
        assert_eq!(e.offset, 5);
        assert_eq!(e.reason, DecodeReason::BadTlvLength { byte: 0x80 });
        let mut nested = vec![0x07, 0x00];
        for _ in 0..MAX_TLV_DEPTH {
            let mut outer = vec![0x24, nested.len() as u8];
            outer.extend(nested);
            nested = outer;
        }
        assert!(matches!(
            parse_tlv_list(&nested, 0).unwrap_err().reason,
            DecodeReason::TlvTooDeep { .. }
        ));
    }
}
