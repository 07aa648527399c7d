//! BER-TLV as carried in field 55 (ICC data), with EMV tag names and which tags hold card
//! data (5A PAN, 57 track 2 equivalent, …) so that redaction can find them.

use std::ops::Range;

use serde::Serialize;

use crate::i18n::Text;
use crate::redact::SensitiveKind;

/// Constructed TLVs nest at most this deep before parsing gives up (field 55 is flat in
/// practice; the limit only guards against hostile input).
const MAX_DEPTH: usize = 4;

/// One TLV; ranges are relative to the start of the parsed data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlvItem {
    /// Tag bytes as a number, e.g. `0x9F26`.
    pub tag: u32,
    /// Tag and length bytes.
    pub head: Range<usize>,
    /// Value bytes.
    pub value: Range<usize>,
    /// Children of a constructed tag.
    pub children: Vec<TlvItem>,
}

impl TlvItem {
    /// Tag as upper-case hex ("9F26").
    pub fn tag_hex(&self) -> String {
        tag_hex(self.tag)
    }

    pub fn is_constructed(&self) -> bool {
        first_tag_byte(self.tag) & 0x20 != 0
    }
}

/// Why TLV parsing stopped; `offset` is relative to the start of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TlvError {
    TagTooLong {
        offset: usize,
    },
    BadLength {
        offset: usize,
    },
    Truncated {
        offset: usize,
        needed: usize,
        available: usize,
    },
    TooDeep {
        offset: usize,
    },
}

impl TlvError {
    pub fn offset(self) -> usize {
        match self {
            TlvError::TagTooLong { offset }
            | TlvError::BadLength { offset }
            | TlvError::Truncated { offset, .. }
            | TlvError::TooDeep { offset } => offset,
        }
    }

    pub fn text(self) -> Text {
        match self {
            TlvError::TagTooLong { offset } => Text::new(
                format!("TLV 标签过长（偏移 {offset}）"),
                format!("TLV tag too long at offset {offset}"),
            ),
            TlvError::BadLength { offset } => Text::new(
                format!("TLV 长度编码无效（偏移 {offset}）"),
                format!("invalid TLV length at offset {offset}"),
            ),
            TlvError::Truncated {
                offset,
                needed,
                available,
            } => Text::new(
                format!("TLV 在偏移 {offset} 处需要 {needed} 字节，只剩 {available}"),
                format!("TLV at offset {offset} needs {needed} bytes, {available} left"),
            ),
            TlvError::TooDeep { offset } => Text::new(
                format!("TLV 嵌套过深（偏移 {offset}）"),
                format!("TLV nested too deep at offset {offset}"),
            ),
        }
    }
}

/// Parses `data` as a sequence of BER-TLVs: the items read and, if parsing stopped early, why.
pub fn parse(data: &[u8]) -> (Vec<TlvItem>, Option<TlvError>) {
    let mut items = Vec::new();
    let err = parse_into(data, 0, data.len(), 0, &mut items).err();
    (items, err)
}

fn parse_into(
    data: &[u8],
    mut pos: usize,
    end: usize,
    depth: usize,
    out: &mut Vec<TlvItem>,
) -> Result<(), TlvError> {
    while pos < end {
        // EMV allows 00 filler before, between and after TLVs.
        if data.get(pos) == Some(&0x00) {
            pos += 1;
            continue;
        }
        let start = pos;
        let (tag, after_tag) = read_tag(data, pos, end)?;
        let (len, value_start) = read_length(data, after_tag, end)?;
        let value_end =
            value_start
                .checked_add(len)
                .filter(|e| *e <= end)
                .ok_or(TlvError::Truncated {
                    offset: value_start,
                    needed: len,
                    available: end.saturating_sub(value_start),
                })?;
        let mut item = TlvItem {
            tag,
            head: start..value_start,
            value: value_start..value_end,
            children: Vec::new(),
        };
        if item.is_constructed() {
            if depth >= MAX_DEPTH {
                return Err(TlvError::TooDeep { offset: start });
            }
            let result = parse_into(data, value_start, value_end, depth + 1, &mut item.children);
            out.push(item);
            result?;
        } else {
            out.push(item);
        }
        pos = value_end;
    }
    Ok(())
}

fn read_tag(data: &[u8], pos: usize, end: usize) -> Result<(u32, usize), TlvError> {
    let byte = |i: usize| {
        data.get(i)
            .copied()
            .filter(|_| i < end)
            .ok_or(TlvError::Truncated {
                offset: i,
                needed: 1,
                available: 0,
            })
    };
    let first = byte(pos)?;
    let mut tag = u32::from(first);
    let mut i = pos + 1;
    if first & 0x1F == 0x1F {
        loop {
            if i - pos >= 3 {
                return Err(TlvError::TagTooLong { offset: pos });
            }
            let b = byte(i)?;
            tag = (tag << 8) | u32::from(b);
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    Ok((tag, i))
}

fn read_length(data: &[u8], pos: usize, end: usize) -> Result<(usize, usize), TlvError> {
    let avail = |i: usize, n: usize| {
        i.checked_add(n)
            .filter(|e| *e <= end)
            .and_then(|e| data.get(i..e))
            .ok_or(TlvError::Truncated {
                offset: i,
                needed: n,
                available: end.saturating_sub(i),
            })
    };
    let first = avail(pos, 1)?.first().copied().unwrap_or(0);
    if first < 0x80 {
        return Ok((usize::from(first), pos + 1));
    }
    let n = usize::from(first & 0x7F);
    if n == 0 || n > 3 {
        return Err(TlvError::BadLength { offset: pos });
    }
    let bytes = avail(pos + 1, n)?;
    let len = bytes
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    Ok((len, pos + 1 + n))
}

fn first_tag_byte(tag: u32) -> u8 {
    let bytes = tag.to_be_bytes();
    bytes.iter().copied().find(|b| *b != 0).unwrap_or(0)
}

/// Tag number as upper-case hex without leading zero bytes.
pub fn tag_hex(tag: u32) -> String {
    let bytes = tag.to_be_bytes();
    let skip = bytes.iter().take(3).take_while(|b| **b == 0).count();
    hex::encode_upper(bytes.get(skip..).unwrap_or_default())
}

/// Encodes one primitive or constructed TLV (for building field 55).
pub fn encode(tag: u32, value: &[u8]) -> Vec<u8> {
    let bytes = tag.to_be_bytes();
    let skip = bytes.iter().take(3).take_while(|b| **b == 0).count();
    let mut out: Vec<u8> = bytes.get(skip..).unwrap_or_default().to_vec();
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len <= 0xFF {
        out.extend([0x81, len as u8]);
    } else {
        let [_, _, hi, lo] = u32::try_from(len.min(0xFFFF))
            .unwrap_or(0xFFFF)
            .to_be_bytes();
        out.extend([0x82, hi, lo]);
    }
    out.extend(value);
    out
}

/// What card data a tag holds, if any.
pub fn tag_sensitivity(tag: u32) -> Option<SensitiveKind> {
    match tag {
        0x5A => Some(SensitiveKind::Pan),
        // track 2 equivalent, track 1 equivalent, track 1/2 discretionary data, track 2 data
        0x57 | 0x56 | 0x9F1F | 0x9F20 | 0x9F6B => Some(SensitiveKind::Track),
        _ => None,
    }
}

/// EMV name of a tag.
pub fn tag_name(tag: u32) -> Option<Text> {
    let (zh, en) = match tag {
        0x4F => ("应用标识符 (AID)", "application identifier (AID)"),
        0x50 => ("应用标签", "application label"),
        0x56 => ("一磁道等效数据", "track 1 equivalent data"),
        0x57 => ("二磁道等效数据", "track 2 equivalent data"),
        0x5A => ("应用主账号", "application PAN"),
        0x5F20 => ("持卡人姓名", "cardholder name"),
        0x5F24 => ("应用失效日期", "application expiration date"),
        0x5F25 => ("应用生效日期", "application effective date"),
        0x5F2A => ("交易货币代码", "transaction currency code"),
        0x5F34 => ("应用主账号序列号", "PAN sequence number"),
        0x71 => ("发卡行脚本模板1", "issuer script template 1"),
        0x72 => ("发卡行脚本模板2", "issuer script template 2"),
        0x82 => (
            "应用交互特征 (AIP)",
            "application interchange profile (AIP)",
        ),
        0x84 => ("专用文件名称", "dedicated file name"),
        0x8A => ("授权响应码", "authorisation response code"),
        0x91 => ("发卡行认证数据", "issuer authentication data"),
        0x95 => ("终端验证结果 (TVR)", "terminal verification results (TVR)"),
        0x9A => ("交易日期", "transaction date"),
        0x9B => ("交易状态信息 (TSI)", "transaction status information (TSI)"),
        0x9C => ("交易类型", "transaction type"),
        0x9F02 => ("授权金额", "amount, authorised"),
        0x9F03 => ("其他金额", "amount, other"),
        0x9F06 => ("应用标识符 (终端)", "application identifier (terminal)"),
        0x9F09 => ("应用版本号", "application version number"),
        0x9F10 => ("发卡行应用数据", "issuer application data"),
        0x9F1A => ("终端国家代码", "terminal country code"),
        0x9F1E => ("接口设备序列号", "interface device serial number"),
        0x9F1F => ("一磁道自定义数据", "track 1 discretionary data"),
        0x9F20 => ("二磁道自定义数据", "track 2 discretionary data"),
        0x9F21 => ("交易时间", "transaction time"),
        0x9F26 => ("应用密文 (ARQC)", "application cryptogram (ARQC)"),
        0x9F27 => ("密文信息数据", "cryptogram information data"),
        0x9F33 => ("终端性能", "terminal capabilities"),
        0x9F34 => ("持卡人验证方法结果", "CVM results"),
        0x9F35 => ("终端类型", "terminal type"),
        0x9F36 => (
            "应用交易计数器 (ATC)",
            "application transaction counter (ATC)",
        ),
        0x9F37 => ("不可预知数", "unpredictable number"),
        0x9F41 => ("交易序列计数器", "transaction sequence counter"),
        0x9F5D => ("可用脱机消费金额", "available offline spending amount"),
        0x9F63 => ("卡产品标识信息", "card product identification"),
        0x9F66 => ("终端交易属性", "terminal transaction qualifiers"),
        0x9F6B => ("二磁道数据", "track 2 data"),
        0x9F6C => ("卡片交易属性", "card transaction qualifiers"),
        0x9F74 => ("电子现金发卡行授权码", "EC issuer authorisation code"),
        0xDF31 => ("发卡行脚本结果", "issuer script results"),
        _ => return None,
    };
    Some(Text::fixed(zh, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_field_55() {
        let mut data = encode(0x9F26, &[1, 2, 3, 4, 5, 6, 7, 8]);
        data.extend(encode(0x9F27, &[0x80]));
        data.extend(encode(0x95, &[0, 0, 0, 0, 0]));
        let (items, err) = parse(&data);
        assert_eq!(err, None);
        let tags: Vec<String> = items.iter().map(TlvItem::tag_hex).collect();
        assert_eq!(tags, ["9F26", "9F27", "95"]);
        assert_eq!(items.first().map(|i| i.value.clone()), Some(3..11));
        assert_eq!(
            tag_name(0x9F26).map(|t| t.en),
            Some("application cryptogram (ARQC)".into())
        );
    }

    #[test]
    fn long_lengths_and_constructed() {
        let inner = encode(0x86, &[0xAA; 200]);
        let data = encode(0x72, &inner);
        assert_eq!(data.get(..3), Some(&[0x72, 0x81, 0xCB][..]));
        let (items, err) = parse(&data);
        assert_eq!(err, None);
        assert_eq!(items.first().map(|i| i.children.len()), Some(1));
    }

    #[test]
    fn errors_have_offsets() {
        let (_, err) = parse(&[0x9F, 0x26, 0x08, 1, 2]);
        assert_eq!(
            err,
            Some(TlvError::Truncated {
                offset: 3,
                needed: 8,
                available: 2
            })
        );
        let (_, err) = parse(&[0x9F, 0xFF, 0xFF, 0xFF]);
        assert_eq!(err, Some(TlvError::TagTooLong { offset: 0 }));
        let (_, err) = parse(&[0x95, 0x80]);
        assert_eq!(err, Some(TlvError::BadLength { offset: 1 }));
        let mut deep = vec![0x01];
        for _ in 0..10 {
            deep = encode(0xE1, &deep);
        }
        assert!(matches!(parse(&deep).1, Some(TlvError::TooDeep { .. })));
    }
}
