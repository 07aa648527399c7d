//! BMPs ("bitmaps"): the tagged fields of a ZVT data block (PA00P015 ch.8, docs/protocols/zvt.md
//! §3.1).
//!
//! A BMP is one tag byte followed by a value whose length comes from the tag: fixed, LLVAR
//! (`Fx Fy`), LLLVAR (`Fx Fy Fz`) or a BER length (the TLV container `06`). Because the length
//! is implied by the tag, an unknown BMP cannot be skipped: parsing stops with an error naming
//! the tag and its offset.

use serde::Serialize;

use super::error::{DecodeReason, ZvtDecodeError, ZvtEncodeError};
use super::reader::Reader;
use super::tlv::{encode_ber_length, read_ber_length};
use super::values::{
    bcd_string, decode_amount, decode_cp437, decode_cp437_nul, decode_currency, decode_pan_masked,
    decode_var_len, encode_var_len, format_expiry, ZvtDate, ZvtTime,
};
use crate::i18n::Text;
use crate::redact::SensitiveKind;

/// How a BMP's value length is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LengthRule {
    Fixed(usize),
    /// `Fx Fy`: 0–99 bytes.
    Llvar,
    /// `Fx Fy Fz`: 0–999 bytes.
    Lllvar,
    /// BER length (`06` only).
    Tlv,
}

/// How a BMP's value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BmpFormat {
    Binary,
    Bcd,
    Amount,
    Currency,
    Time,
    DateMmdd,
    DateYymmdd,
    Expiry,
    Pan,
    Ascii,
    Text,
    /// CP437 text ending in NUL (card name).
    TextNul,
    Tlv,
    /// Never shown (track data, chip data, CVV, PIN data).
    Secret,
}

/// One row of the BMP table.
#[derive(Debug, Clone)]
pub struct BmpSpec {
    pub tag: u8,
    pub name: Text,
    pub rule: LengthRule,
    pub format: BmpFormat,
    pub sensitive: Option<SensitiveKind>,
}

const fn row(
    tag: u8,
    zh: &'static str,
    en: &'static str,
    rule: LengthRule,
    format: BmpFormat,
) -> BmpSpec {
    BmpSpec {
        tag,
        name: Text::fixed(zh, en),
        rule,
        format,
        sensitive: None,
    }
}

const fn secret(
    tag: u8,
    zh: &'static str,
    en: &'static str,
    rule: LengthRule,
    kind: SensitiveKind,
) -> BmpSpec {
    BmpSpec {
        tag,
        name: Text::fixed(zh, en),
        rule,
        format: BmpFormat::Secret,
        sensitive: Some(kind),
    }
}

use BmpFormat as F;
use LengthRule::{Fixed, Lllvar, Llvar};

#[rustfmt::skip]
static BMP_TABLE: &[BmpSpec] = &[
    row(0x01, "超时（秒）", "timeout (s)", Fixed(1), F::Binary),
    row(0x02, "最大状态信息数", "max. status-infos", Fixed(1), F::Binary),
    row(0x03, "服务字节", "service byte", Fixed(1), F::Binary),
    row(0x04, "金额", "amount", Fixed(6), F::Amount),
    row(0x05, "油枪号", "pump number", Fixed(1), F::Binary),
    row(0x06, "TLV 容器", "TLV container", LengthRule::Tlv, F::Tlv),
    row(0x0B, "流水号", "trace number", Fixed(3), F::Bcd),
    row(0x0C, "时间", "time", Fixed(3), F::Time),
    row(0x0D, "日期（月日）", "date (MMDD)", Fixed(2), F::DateMmdd),
    row(0x0E, "有效期", "expiry date", Fixed(2), F::Expiry),
    row(0x17, "卡序列号", "card sequence number", Fixed(2), F::Bcd),
    row(0x19, "状态字节/支付类型/卡类型", "status byte / payment type / card type", Fixed(1), F::Binary),
    BmpSpec {
        tag: 0x22,
        name: Text::fixed("卡号 (PAN)", "PAN / EF_ID"),
        rule: Llvar,
        format: F::Pan,
        sensitive: Some(SensitiveKind::Pan),
    },
    secret(0x23, "二磁道数据", "track 2 data", Llvar, SensitiveKind::Track),
    secret(0x24, "三磁道数据", "track 3 data", Lllvar, SensitiveKind::Track),
    row(0x27, "结果码", "result code", Fixed(1), F::Binary),
    row(0x29, "终端号 (TID)", "terminal ID (TID)", Fixed(4), F::Bcd),
    row(0x2A, "商户号 (VU)", "VU number (merchant)", Fixed(15), F::Ascii),
    secret(0x2D, "一磁道数据", "track 1 data", Llvar, SensitiveKind::Track),
    secret(0x2E, "同步芯片数据", "synchronous chip data", Lllvar, SensitiveKind::Track),
    row(0x37, "原流水号", "original trace number", Fixed(3), F::Bcd),
    secret(0x3A, "CVV/CVC", "CVV / CVC", Fixed(2), SensitiveKind::Cvv),
    row(0x3B, "AID/授权属性", "AID / authorisation attribute", Fixed(8), F::Ascii),
    row(0x3C, "附加数据/文本", "additional data / text", Lllvar, F::Text),
    row(0x3D, "密码", "password", Fixed(3), F::Bcd),
    row(0x49, "货币代码", "currency code", Fixed(2), F::Currency),
    // Length not in ecrterm's table; LLVAR as in kotlin-zvt-library (unverified).
    row(0x4C, "禁用商品组", "blocked goods groups", Llvar, F::Binary),
    row(0x60, "分项总额（日结后）", "individual totals (after end-of-day)", Lllvar, F::Binary),
    row(0x87, "凭条号", "receipt number", Fixed(2), F::Bcd),
    row(0x88, "营业额记录号", "turnover record number", Fixed(3), F::Bcd),
    row(0x8A, "ZVT 卡类型", "ZVT card-type ID", Fixed(1), F::Binary),
    row(0x8B, "卡名称", "card name", Llvar, F::TextNul),
    row(0x8C, "网络运营商卡类型", "network-operator card-type ID", Fixed(1), F::Binary),
    row(0x92, "ec-Cash 芯片离线附加数据", "additional data ec-Cash chip offline", Lllvar, F::Binary),
    row(0x9A, "Geldkarte 记录", "Geldkarte record", Lllvar, F::Binary),
    row(0xA0, "授权系统结果码", "result-code-AS", Fixed(1), F::Binary),
    secret(0xA7, "芯片数据 EF_ID", "chip data EF_ID", Llvar, SensitiveKind::Track),
    row(0xAA, "日期（年月日）", "date (YYMMDD)", Fixed(3), F::DateYymmdd),
    row(0xAF, "EF_Info", "EF_Info", Lllvar, F::Binary),
    row(0xBA, "AID 参数", "AID parameter", Fixed(5), F::Binary),
    row(0xD0, "算法密钥", "algorithm key", Fixed(1), F::Binary),
    secret(0xD1, "卡偏移/PIN 数据", "card offset / PIN data", Llvar, SensitiveKind::PinBlock),
    row(0xD2, "出卡方向", "card output direction", Fixed(1), F::Binary),
    row(0xD3, "密钥位置", "key position", Fixed(1), F::Binary),
    row(0xE0, "最小输入长度", "min. input length", Fixed(1), F::Binary),
    row(0xE1, "文本2 第1行", "text-2 line 1", Llvar, F::Text),
    row(0xE2, "文本2 第2行", "text-2 line 2", Llvar, F::Text),
    row(0xE3, "文本2 第3行", "text-2 line 3", Llvar, F::Text),
    row(0xE4, "文本2 第4行", "text-2 line 4", Llvar, F::Text),
    row(0xE5, "文本2 第5行", "text-2 line 5", Llvar, F::Text),
    row(0xE6, "文本2 第6行", "text-2 line 6", Llvar, F::Text),
    row(0xE7, "文本2 第7行", "text-2 line 7", Llvar, F::Text),
    row(0xE8, "文本2 第8行", "text-2 line 8", Llvar, F::Text),
    row(0xE9, "最大输入长度", "max. input length", Fixed(1), F::Binary),
    row(0xEA, "回显输入", "echo input", Fixed(1), F::Binary),
    row(0xEB, "文本1/2 的 MAC", "MAC over text 1 and 2", Fixed(8), F::Binary),
    row(0xF0, "显示时长", "display duration", Fixed(1), F::Binary),
    row(0xF1, "文本1 第1行", "text-1 line 1", Llvar, F::Text),
    row(0xF2, "文本1 第2行", "text-1 line 2", Llvar, F::Text),
    row(0xF3, "文本1 第3行", "text-1 line 3", Llvar, F::Text),
    row(0xF4, "文本1 第4行", "text-1 line 4", Llvar, F::Text),
    row(0xF5, "文本1 第5行", "text-1 line 5", Llvar, F::Text),
    row(0xF6, "文本1 第6行", "text-1 line 6", Llvar, F::Text),
    row(0xF7, "文本1 第7行", "text-1 line 7", Llvar, F::Text),
    row(0xF8, "文本1 第8行", "text-1 line 8", Llvar, F::Text),
    row(0xF9, "蜂鸣次数", "number of beeps", Fixed(1), F::Binary),
    row(0xFA, "状态/读卡器激活", "status / card-reader activation", Fixed(1), F::Binary),
    row(0xFB, "需按 OK 确认", "confirmation with OK required", Fixed(1), F::Binary),
    row(0xFC, "对话控制", "dialog control", Fixed(1), F::Binary),
];

/// The table row of `tag`, if ZVT defines it.
pub fn bmp_spec(tag: u8) -> Option<&'static BmpSpec> {
    BMP_TABLE.iter().find(|s| s.tag == tag)
}

/// One BMP of a data block. `value` is the value without its length prefix. Equality ignores
/// the offsets; `Debug` and `Serialize` mask sensitive values.
#[derive(Clone)]
pub struct Bmp {
    pub tag: u8,
    pub value: Vec<u8>,
    /// Offset of the tag byte in the decoded message (0 for built BMPs).
    pub offset: usize,
    /// Offset of the first value byte in the decoded message.
    pub value_offset: usize,
}

impl PartialEq for Bmp {
    fn eq(&self, other: &Self) -> bool {
        self.tag == other.tag && self.value == other.value
    }
}

impl Eq for Bmp {}

impl std::fmt::Debug for Bmp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bmp({:02X}: {})", self.tag, self.display_value())
    }
}

impl Serialize for Bmp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Bmp", 2)?;
        st.serialize_field("tag", &format!("{:02X}", self.tag))?;
        st.serialize_field("value", &self.display_value())?;
        st.end()
    }
}

impl Bmp {
    pub fn new(tag: u8, value: impl Into<Vec<u8>>) -> Bmp {
        Bmp {
            tag,
            value: value.into(),
            offset: 0,
            value_offset: 0,
        }
    }

    pub fn spec(&self) -> Option<&'static BmpSpec> {
        bmp_spec(self.tag)
    }

    /// Tag, length prefix (if any) and value; checks the value against the tag's length rule.
    pub fn encode(&self) -> Result<Vec<u8>, ZvtEncodeError> {
        encode_bmp(self.tag, &self.value)
    }

    /// The value for display, masked where sensitive: `25.00`, `978 (EUR)`, `559883******8074`.
    pub fn display_value(&self) -> String {
        let v = &self.value;
        let Some(spec) = self.spec() else {
            return hex::encode_upper(v);
        };
        let shown = match spec.format {
            F::Binary if v.len() == 1 => v.first().map(|b| format!("0x{b:02X} ({b})")),
            F::Binary => Some(hex::encode_upper(v)),
            F::Bcd => Some(bcd_string(v)),
            F::Amount => decode_amount(v).map(|m| format!("{}.{:02}", m / 100, m % 100)),
            F::Currency => decode_currency(v).map(|c| match super::values::currency_alpha(c) {
                Some(a) => format!("{c:03} ({a})"),
                None => format!("{c:03}"),
            }),
            F::Time => ZvtTime::decode(v).map(|t| t.to_string()),
            F::DateMmdd => ZvtDate::decode_mmdd(v).map(|d| format!("{:02}-{:02}", d.month, d.day)),
            F::DateYymmdd => ZvtDate::decode_yymmdd(v).map(|d| d.to_string()),
            F::Expiry => format_expiry(v),
            F::Pan => Some(decode_pan_masked(v)),
            F::Ascii | F::Text => Some(format!("\"{}\"", decode_cp437(v))),
            F::TextNul => Some(format!("\"{}\"", decode_cp437_nul(v))),
            F::Tlv => Some(format!("{} bytes TLV", v.len())),
            F::Secret => Some(format!("[{} bytes masked]", v.len())),
        };
        // A value that does not fit its format is shown as hex, unless it is secret.
        shown.unwrap_or_else(|| hex::encode_upper(v))
    }
}

fn var_len(r: &mut Reader<'_>, tag: u8, digits: usize) -> Result<usize, ZvtDecodeError> {
    let kind = if digits == 2 { "LLVAR" } else { "LLLVAR" };
    let at = r.offset();
    let prefix = r.take(
        digits,
        Text::new(
            format!("BMP 0x{tag:02X} 的 {kind} 长度"),
            format!("BMP 0x{tag:02X} {kind} length"),
        ),
    )?;
    decode_var_len(prefix).ok_or_else(|| {
        let (index, byte) = prefix
            .iter()
            .enumerate()
            .find(|(_, &b)| b >> 4 != 0xF || b & 0x0F > 9)
            .map(|(i, &b)| (i, b))
            .unwrap_or((0, 0));
        ZvtDecodeError::new(
            at.saturating_add(index),
            DecodeReason::BadVarLength { tag, kind, byte },
        )
    })
}

/// Parses a data block made only of BMPs; `base` is the offset of `data[0]` in the message.
pub fn parse_bmps(data: &[u8], base: usize) -> Result<Vec<Bmp>, ZvtDecodeError> {
    let mut r = Reader::new(data, base);
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(read_bmp(&mut r)?);
    }
    Ok(out)
}

/// Reads one BMP at the reader's position.
pub(crate) fn read_bmp(r: &mut Reader<'_>) -> Result<Bmp, ZvtDecodeError> {
    let offset = r.offset();
    let tag = r.u8(Text::fixed("BMP 标签", "BMP tag"))?;
    let Some(spec) = bmp_spec(tag) else {
        return Err(ZvtDecodeError::new(
            offset,
            DecodeReason::UnknownBmp { tag },
        ));
    };
    let len = match spec.rule {
        Fixed(n) => n,
        Llvar => var_len(r, tag, 2)?,
        Lllvar => var_len(r, tag, 3)?,
        LengthRule::Tlv => read_ber_length(r)?,
    };
    let value_offset = r.offset();
    let value = r.take(
        len,
        Text::new(
            format!("BMP 0x{tag:02X}（{}）的值", spec.name.zh),
            format!("BMP 0x{tag:02X} ({}) value", spec.name.en),
        ),
    )?;
    Ok(Bmp {
        tag,
        value: value.to_vec(),
        offset,
        value_offset,
    })
}

/// Encodes one BMP, checking the value length against the tag's rule.
pub fn encode_bmp(tag: u8, value: &[u8]) -> Result<Vec<u8>, ZvtEncodeError> {
    let spec = bmp_spec(tag).ok_or(ZvtEncodeError::UnknownBmp { tag })?;
    let too_long = |max| ZvtEncodeError::FieldTooLong {
        field: format!("BMP 0x{tag:02X} ({})", spec.name.en),
        len: value.len(),
        max,
    };
    let mut out = vec![tag];
    match spec.rule {
        Fixed(n) if value.len() == n => {}
        Fixed(n) => {
            return Err(ZvtEncodeError::InvalidValue {
                field: format!("BMP 0x{tag:02X} ({})", spec.name.en),
                expected: "exactly the fixed length of this BMP",
                value: format!("{} bytes, need {n}", value.len()),
            })
        }
        Llvar => out.extend(encode_var_len(value.len(), 2).ok_or_else(|| too_long(99))?),
        Lllvar => out.extend(encode_var_len(value.len(), 3).ok_or_else(|| too_long(999))?),
        LengthRule::Tlv => out.extend(encode_ber_length(value.len())?),
    }
    out.extend_from_slice(value);
    Ok(out)
}

/// Concatenated encodings of `bmps`.
pub fn encode_bmps(bmps: &[Bmp]) -> Result<Vec<u8>, ZvtEncodeError> {
    let mut out = Vec::new();
    for b in bmps {
        out.extend(b.encode()?);
    }
    Ok(out)
}

/// The first BMP with `tag`.
pub fn find_bmp(bmps: &[Bmp], tag: u8) -> Option<&Bmp> {
    bmps.iter().find(|b| b.tag == tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_information_block() {
        let data = hex::decode("270004000000002500490978").unwrap();
        let bmps = parse_bmps(&data, 3).unwrap();
        assert_eq!(bmps.len(), 3);
        assert_eq!(bmps[1].display_value(), "25.00");
        assert_eq!(bmps[1].value_offset, 6);
        assert_eq!(bmps[2].display_value(), "978 (EUR)");
    }

    #[test]
    fn bad_llvar_names_tag_and_offset() {
        let e = parse_bmps(&[0x27, 0x00, 0x22, 0x3A, 0xF1], 2).unwrap_err();
        assert_eq!(
            e.to_string(),
            "offset 5: BMP 0x22 LLVAR length byte 0x3A is not Fx"
        );
    }

    #[test]
    fn unknown_bmp_is_an_error() {
        let e = parse_bmps(&[0x27, 0x00, 0x50, 0x01], 0).unwrap_err();
        assert_eq!(e.offset, 2);
        assert_eq!(e.reason, DecodeReason::UnknownBmp { tag: 0x50 });
    }

    #[test]
    fn secrets_never_displayed() {
        let b = Bmp::new(0x23, vec![0x55, 0x98, 0x83, 0x12]);
        assert_eq!(b.display_value(), "[4 bytes masked]");
        assert!(!format!("{b:?}").contains("5598"));
        let card = Bmp::new(0x8B, b"MasterCard\0".to_vec());
        assert_eq!(card.encode().unwrap()[..3], [0x8B, 0xF1, 0xF1]);
        assert_eq!(card.display_value(), "\"MasterCard\"");
    }

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(BMP_TABLE.windows(2).all(|w| w[0].tag < w[1].tag));
        assert!(BMP_TABLE.iter().all(|s| !s.name.is_incomplete()));
    }
}
