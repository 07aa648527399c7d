//! Sub-fields of the composite CUP fields (44, 48, 53, 60, 61, 62 key blocks, 63) and the
//! TLV view of field 55, with meanings; every value here is already masked.

use serde::Serialize;

use super::codec::FieldValue;
use super::mti::Mti;
use super::redact::{is_structured_field, mask_icc_data, mask_tlv_value, tlv_is_sensitive};
use super::tlv::{self, TlvError, TlvItem};
use super::transaction::{network_code, network_code_text, type_code_text};
use crate::i18n::Text;
use crate::redact::mask_text_digits_str;

/// One sub-field: id like "60.1", name, value as carried (masked where sensitive), meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubField {
    pub id: String,
    pub name: Text,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meaning: Option<Text>,
}

/// One TLV of field 55 for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlvEntry {
    pub tag: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    pub length: usize,
    /// Hex value; PAN (5A) shown as BIN + last 4, track data (57 …) as its length only.
    pub value: String,
    pub sensitive: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<TlvEntry>,
}

/// Field 55 as TLVs, and why parsing stopped if it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlvView {
    pub items: Vec<TlvEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<TlvError>,
}

/// What more there is to say about a field than its value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FieldDetail {
    #[default]
    None,
    SubFields(Vec<SubField>),
    Tlv(TlvView),
}

/// What the sub-field split needs besides the field itself.
pub struct Context<'a> {
    pub mti: Mti,
    /// Field 60's digits (60.3 decides the field 62 key layout).
    pub field60: Option<&'a str>,
}

/// The detail of field `number`.
pub fn detail(number: u8, value: &FieldValue, ctx: &Context<'_>) -> FieldDetail {
    let subs = match (number, value) {
        (44, FieldValue::Text(s)) => split(
            44,
            s,
            &[
                (11, "发卡行标识码", "issuer ID"),
                (11, "收单机构标识码", "acquirer ID"),
            ],
        ),
        (48, FieldValue::Digits(s)) => field48(ctx.mti, s),
        (53, FieldValue::Digits(s)) => field53(s),
        (55, FieldValue::Binary(b)) => return FieldDetail::Tlv(tlv_view(b)),
        (60, FieldValue::Digits(s)) => field60(s),
        (61, FieldValue::Digits(s)) => split(
            61,
            s,
            &[
                (6, "原批次号", "original batch number"),
                (6, "原POS流水号", "original STAN"),
                (4, "原交易日期", "original date (MMDD)"),
                (2, "原授权方式", "original authorisation method"),
                (11, "原授权机构", "original authorising institution"),
            ],
        ),
        (62, FieldValue::Binary(b)) if is_key_response(ctx.mti) => {
            key_block(b, network_code(ctx.field60))
        }
        (63, FieldValue::Text(s)) if ctx.mti.request().as_str() == "0800" => {
            split(63, s, &[(3, "操作员代码", "operator code")])
        }
        (_, FieldValue::Binary(b)) if !matches!(number, 52 | 64) => printable_text(number, b),
        _ => Vec::new(),
    };
    if subs.is_empty() {
        FieldDetail::None
    } else if is_structured_field(ctx.mti, number) {
        FieldDetail::SubFields(subs)
    } else {
        // Free and private fields: their parts are free text as well.
        FieldDetail::SubFields(
            subs.into_iter()
                .map(|mut s| {
                    s.value = mask_text_digits_str(&s.value);
                    s
                })
                .collect(),
        )
    }
}

/// True when field 62 carries working keys (sign-on and other 08x0 responses).
pub fn is_key_response(mti: Mti) -> bool {
    mti.is_response() && mti.as_str().starts_with("08")
}

fn sub(number: u8, index: usize, name: Text, value: &str, meaning: Option<Text>) -> SubField {
    SubField {
        id: format!("{number}.{index}"),
        name,
        value: value.to_string(),
        meaning,
    }
}

/// Cuts `s` into consecutive pieces of the given character counts; stops where `s` ends.
fn split(number: u8, s: &str, parts: &[(usize, &'static str, &'static str)]) -> Vec<SubField> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut pos = 0usize;
    for (i, (len, zh, en)) in parts.iter().enumerate() {
        let end = pos.saturating_add(*len).min(chars.len());
        let Some(piece) = chars.get(pos..end) else {
            break;
        };
        if piece.is_empty() {
            break;
        }
        let value: String = piece.iter().collect();
        out.push(sub(number, i + 1, Text::fixed(zh, en), &value, None));
        pos = end;
    }
    out
}

fn field60(s: &str) -> Vec<SubField> {
    let mut subs = split(
        60,
        s,
        &[
            (2, "交易类型码", "transaction type code"),
            (6, "批次号", "batch number"),
            (3, "网络管理信息码", "network management code"),
            (1, "终端读取能力", "terminal read capability"),
            (
                1,
                "基于PBOC借/贷记标准的IC卡条件代码",
                "IC card condition code",
            ),
            (
                usize::MAX,
                "其他标志 (未证实)",
                "further flags (unverified)",
            ),
        ],
    );
    for s in &mut subs {
        s.meaning = match s.id.as_str() {
            "60.1" => type_code_text(&s.value),
            "60.3" => network_code_text(&s.value),
            "60.4" => match s.value.as_str() {
                "5" => Some(Text::fixed("接触式IC卡", "contact IC")),
                "6" => Some(Text::fixed("非接触式", "contactless")),
                _ => None,
            },
            _ => None,
        };
    }
    subs
}

fn field53(s: &str) -> Vec<SubField> {
    let mut subs = split(
        53,
        s,
        &[
            (1, "PIN格式", "PIN block format"),
            (1, "加密算法标志", "encryption algorithm"),
            (1, "磁道加密标志", "track encryption flag"),
            (usize::MAX, "保留", "reserved"),
        ],
    );
    for s in &mut subs {
        s.meaning = match (s.id.as_str(), s.value.as_str()) {
            ("53.1", "1") => Some(Text::fixed("ANSI X9.8 不带主账号", "ANSI X9.8 without PAN")),
            ("53.1", "2") => Some(Text::fixed("ANSI X9.8 带主账号", "ANSI X9.8 with PAN")),
            ("53.2", "0") => Some(Text::fixed("单倍长DES", "single DES")),
            ("53.2", "6") => Some(Text::fixed("双倍长3DES", "double-length 3DES")),
            ("53.2", "4") => Some(Text::fixed(
                "未证实 (可能为SM4)",
                "unverified (possibly SM4)",
            )),
            ("53.3", "0") => Some(Text::fixed("磁道不加密", "track data not encrypted")),
            ("53.3", "1") => Some(Text::fixed("磁道加密", "track data encrypted (TDK)")),
            _ => None,
        };
    }
    subs
}

fn field48(mti: Mti, s: &str) -> Vec<SubField> {
    match mti.request().as_str() {
        "0500" if s.chars().count() >= 31 => {
            let mut subs = split(
                48,
                s,
                &[
                    (12, "内卡借记总金额", "domestic debit total"),
                    (3, "内卡借记总笔数", "domestic debit count"),
                    (12, "内卡贷记总金额", "domestic credit total"),
                    (3, "内卡贷记总笔数", "domestic credit count"),
                    (1, "内卡对账应答代码", "domestic reconciliation result"),
                    (12, "外卡借记总金额", "foreign debit total"),
                    (3, "外卡借记总笔数", "foreign debit count"),
                    (12, "外卡贷记总金额", "foreign credit total"),
                    (3, "外卡贷记总笔数", "foreign credit count"),
                    (1, "外卡对账应答代码", "foreign reconciliation result"),
                ],
            );
            for s in &mut subs {
                if s.id == "48.5" || s.id == "48.10" {
                    s.meaning = match s.value.as_str() {
                        "1" => Some(Text::fixed("对账平", "balanced")),
                        "2" => Some(Text::fixed(
                            "对账不平 (未证实)",
                            "not balanced (unverified)",
                        )),
                        "3" => Some(Text::fixed(
                            "对账出错 (未证实)",
                            "reconciliation error (unverified)",
                        )),
                        _ => None,
                    };
                }
            }
            subs
        }
        "0320" if s.chars().count() == 4 => {
            split(48, s, &[(4, "上送笔数", "uploaded record count")])
        }
        _ => Vec::new(),
    }
}

/// Working keys in an 08x0 response: presence and check value only, never key bytes.
fn key_block(b: &[u8], network: Option<&str>) -> Vec<SubField> {
    let layout: &[(usize, &str, &str)] = match (b.len(), network) {
        (24, _) => &[
            (8, "PIN密钥 (PIK)", "PIN key (PIK)"),
            (8, "MAC密钥 (MAK)", "MAC key (MAK)"),
        ],
        (40, _) => &[
            (16, "PIN密钥 (PIK)", "PIN key (PIK)"),
            (16, "MAC密钥 (MAK)", "MAC key (MAK)"),
        ],
        (60, _) => &[
            (16, "PIN密钥 (PIK)", "PIN key (PIK)"),
            (16, "MAC密钥 (MAK)", "MAC key (MAK)"),
            (16, "磁道密钥 (TDK)", "track key (TDK)"),
        ],
        _ => &[],
    };
    if layout.is_empty() {
        return vec![SubField {
            id: "62.keys".into(),
            name: Text::fixed("密钥数据", "key data"),
            value: format!("***({} bytes)", b.len()),
            meaning: Some(Text::fixed("布局未知，不显示", "layout unknown, not shown")),
        }];
    }
    let mut out = Vec::new();
    let mut pos = 0usize;
    for (i, (len, zh, en)) in layout.iter().enumerate() {
        let kcv_at = pos.saturating_add(*len);
        let kcv = b
            .get(kcv_at..kcv_at.saturating_add(4))
            .map(hex::encode_upper);
        out.push(SubField {
            id: format!("62.{}", i + 1),
            name: Text::fixed(zh, en),
            value: format!("***({len} bytes) KCV {}", kcv.unwrap_or_default()),
            meaning: Some(Text::fixed("分解方式未证实", "decomposition unverified")),
        });
        pos = kcv_at.saturating_add(4);
    }
    out
}

fn printable_text(number: u8, b: &[u8]) -> Vec<SubField> {
    if b.len() < 4 || !b.iter().all(|c| (0x20..0x7F).contains(c)) {
        return Vec::new();
    }
    vec![SubField {
        id: format!("{number}.text"),
        name: Text::fixed("按文本显示", "as text"),
        value: b.iter().map(|c| char::from(*c)).collect(),
        meaning: None,
    }]
}

/// Field 55 as TLV entries, sensitive values masked.
pub fn tlv_view(data: &[u8]) -> TlvView {
    let (items, error) = tlv::parse(data);
    TlvView {
        items: items.iter().map(|i| entry(data, i)).collect(),
        error,
    }
}

fn entry(data: &[u8], item: &TlvItem) -> TlvEntry {
    let value = data.get(item.value.clone()).unwrap_or_default();
    let children: Vec<TlvEntry> = item.children.iter().map(|c| entry(data, c)).collect();
    let shown = if item.is_constructed() {
        // A template's value is its children's bytes: shown with their secrets masked (the
        // whole value hidden when the children do not parse), never as it came.
        let mut copy = value.to_vec();
        mask_icc_data(&mut copy);
        hex::encode_upper(copy)
    } else {
        mask_tlv_value(item.tag, value)
    };
    TlvEntry {
        tag: item.tag_hex(),
        name: tlv::tag_name(item.tag),
        length: value.len(),
        value: shown,
        sensitive: tlv_is_sensitive(item.tag) || children.iter().any(|c| c.sensitive),
        children,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(mti: &str) -> Context<'static> {
        Context {
            mti: Mti::new(mti).unwrap_or_else(|| panic!("{mti}")),
            field60: None,
        }
    }

    fn subs(d: FieldDetail) -> Vec<(String, String)> {
        match d {
            FieldDetail::SubFields(v) => v.into_iter().map(|s| (s.id, s.value)).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn field60_example_from_reference() {
        // docs/protocols/iso8583-cup.md §4.1: `22 000024 000 6 00`
        let d = detail(60, &FieldValue::digits("22000024000600"), &ctx("0200"));
        let v = subs(d);
        assert_eq!(v.first(), Some(&("60.1".to_string(), "22".to_string())));
        assert_eq!(v.get(1), Some(&("60.2".to_string(), "000024".to_string())));
        assert_eq!(v.get(2), Some(&("60.3".to_string(), "000".to_string())));
        assert_eq!(v.get(3), Some(&("60.4".to_string(), "6".to_string())));
        assert_eq!(v.get(4), Some(&("60.5".to_string(), "0".to_string())));
        assert_eq!(v.get(5), Some(&("60.6".to_string(), "0".to_string())));
    }

    #[test]
    fn field44_example_from_reference() {
        let d = detail(
            44,
            &FieldValue::text("0309       4843       "),
            &ctx("0210"),
        );
        let v = subs(d);
        assert_eq!(v.first().map(|s| s.1.as_str()), Some("0309       "));
        assert_eq!(v.get(1).map(|s| s.1.as_str()), Some("4843       "));
    }

    #[test]
    fn key_block_shows_kcv_only() {
        let mut b = vec![0x11u8; 16];
        b.extend([0xAA, 0xBB, 0xCC, 0xDD]);
        b.extend([0x22u8; 16]);
        b.extend([0x01, 0x02, 0x03, 0x04]);
        let v = subs(detail(62, &FieldValue::binary(b), &ctx("0810")));
        assert_eq!(
            v.first().map(|s| s.1.as_str()),
            Some("***(16 bytes) KCV AABBCCDD")
        );
        assert_eq!(
            v.get(1).map(|s| s.1.as_str()),
            Some("***(16 bytes) KCV 01020304")
        );
        assert!(v.iter().all(|s| !s.1.contains("1111")));
    }

    #[test]
    fn settlement_totals() {
        let s = [
            "000000012345",
            "001",
            "000000000000",
            "000",
            "1",
            "000000000000",
            "000",
            "000000000000",
            "000",
            "1",
        ]
        .concat();
        let v = subs(detail(48, &FieldValue::digits(s), &ctx("0510")));
        assert_eq!(v.len(), 10);
        assert_eq!(v.first().map(|s| s.1.as_str()), Some("000000012345"));
        assert_eq!(v.get(4).map(|s| s.1.as_str()), Some("1"));
    }
}
