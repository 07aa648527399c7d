//! Names and value formats of the TLV tags posdiag meets in ZVT containers (PA00P015 ch.9,
//! and the Feig cVEND tags; docs/protocols/zvt.md), for the decode explanation.

use super::feig::HostConfig;
use super::tlv::{tlv_tag_is_sensitive, Tlv};
use super::values::{bcd_string, decode_cp437, ZvtDate, ZvtTime};
use crate::i18n::Text;

/// How a TLV value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlvFormat {
    Binary,
    Bcd,
    Text,
    DateYyyymmdd,
    Time,
    Constructed,
    Secret,
    /// An unsigned big-endian integer of any length up to 8 bytes (`41 02 00 2E` = 46).
    Uint,
    /// Feig `FF41`: IPv4 address, port, flag byte.
    HostConfig,
    /// Bulk data (a file part): shown by its length only.
    Data,
}

use TlvFormat as F;

#[rustfmt::skip]
static TAGS: &[(u32, &str, &str, TlvFormat)] = &[
    (0x07, "文本行", "text line", F::Text),
    (0x09, "打印属性", "print attribute", F::Binary),
    (0x0A, "允许的命令", "permitted command", F::Binary),
    (0x10, "显示行数", "display lines", F::Uint),
    (0x11, "显示列数", "display columns", F::Uint),
    (0x12, "打印机宽度", "printer width", F::Bcd),
    (0x13, "附加结果码", "extra result code", F::Text),
    (0x14, "字符集", "character set", F::Binary),
    (0x15, "语言", "language", F::Text),
    (0x1A, "最大 APDU 长度", "max. APDU length", F::Uint),
    (0x1B, "诊断类型", "diagnosis type", F::Binary),
    (0x1C, "文件数据", "file data", F::Data),
    (0x1D, "文件号", "file ID", F::Binary),
    (0x1E, "文件偏移", "file offset", F::Uint),
    (0x24, "显示文本", "display texts", F::Constructed),
    (0x25, "打印文本", "print texts", F::Constructed),
    (0x26, "允许的 ZVT 命令列表", "permitted ZVT commands", F::Constructed),
    (0x27, "支持的字符集", "supported character sets", F::Constructed),
    (0x28, "语言列表", "languages", F::Constructed),
    (0x2D, "文件", "file", F::Constructed),
    (0x2F, "支付类型", "payment type", F::Constructed),
    (0x34, "终端日期时间", "terminal date/time", F::Constructed),
    (0x35, "24 小时重启时间", "24 h reboot time", F::Constructed),
    (0x41, "ZVT 卡类型", "ZVT card-type ID", F::Uint),
    (0x43, "AID", "AID", F::Binary),
    (0x4C, "卡片 UID（非接）", "card UID (contactless)", F::Binary),
    (0x56, "一磁道等效数据", "track 1 equivalent data", F::Secret),
    (0x57, "二磁道等效数据", "track 2 equivalent data", F::Secret),
    (0x5A, "卡号 (PAN)", "PAN", F::Secret),
    (0xE4, "设备信息", "device information", F::Constructed),
    (0xE7, "商户 SAM", "merchant SAM", F::Constructed),
    (0xE9, "BMP 60 数据（预授权）", "BMP 60 data (pre-authorisation)", F::Constructed),
    (0x1F00, "文件大小", "file size", F::Uint),
    (0x1F04, "注册选项", "registration option", F::Binary),
    (0x1F05, "注册选项", "registration option", F::Binary),
    (0x1F07, "凭条类型", "receipt type", F::Binary),
    (0x1F0E, "日期", "date", F::DateYyyymmdd),
    (0x1F0F, "时间", "time", F::Time),
    (0x1F10, "持卡人验证方式", "cardholder authentication", F::Binary),
    (0x1F12, "卡片技术", "card technology", F::Binary),
    (0x1F15, "读卡控制", "card reading control", F::Binary),
    (0x1F16, "厂商错误码", "extended error code", F::Binary),
    (0x1F17, "厂商错误文本", "extended error text", F::Text),
    (0x1F1F, "凭条号同步", "receipt-number sync", F::Bcd),
    (0x1F2B, "流水号（超过 6 位）", "trace number (> 6 digits)", F::Bcd),
    (0x1F40, "设备名称", "device name", F::Text),
    (0x1F41, "软件版本", "software version", F::Text),
    (0x1F42, "序列号", "serial number", F::Bcd),
    (0x1F43, "设备状态", "device state", F::Binary),
    (0x1F44, "终端号 (TID)", "terminal ID (TID)", F::Bcd),
    (0x1F45, "ATS", "ATS", F::Binary),
    (0x1F4C, "卡片类型（芯片）", "card type (chip)", F::Binary),
    (0x1F4D, "卡片子类型", "card sub-type", F::Binary),
    (0x1F4F, "ATQA", "ATQA", F::Binary),
    (0x1F50, "SAK", "SAK", F::Binary),
    (0x1F54, "密钥代数", "key generation", F::Binary),
    (0x1F55, "终端锁定位", "terminal locks", F::Binary),
    (0x1F57, "商户 SAM 号", "merchant SAM number", F::Binary),
    (0x1F58, "商户 SAM 有效期", "merchant SAM expiry", F::Binary),
    (0x1F59, "支付应用", "payment applications", F::Binary),
    (0x1F60, "要读取的卡片类型", "card type to read", F::Binary),
    (0x1F62, "BMP 60 前缀", "BMP 60 prefix", F::Text),
    (0x1F63, "BMP 60 内容", "BMP 60 content", F::Text),
    (0x1F71, "可识别的标签", "tags recognised", F::Binary),
    (0x9F1F, "一磁道自定义数据", "track 1 discretionary data", F::Secret),
    (0x9F20, "二磁道自定义数据", "track 2 discretionary data", F::Secret),
    (0x9F6B, "二磁道数据（非接）", "track 2 data (contactless)", F::Secret),
    (0xFF40, "密码 (Feig)", "password (Feig)", F::Secret),
    (0xFF41, "主机配置 (Feig)", "host configuration (Feig)", F::HostConfig),
];

/// Name and format of a tag; unknown tags are "TLV tag" shown as hex (or by the constructed
/// bit as a container).
pub fn tlv_tag_info(tag: u32) -> (Text, TlvFormat) {
    match TAGS.iter().find(|r| r.0 == tag) {
        Some(&(_, zh, en, format)) => (Text::fixed(zh, en), format),
        None if tlv_tag_is_sensitive(tag) => (Text::fixed("卡片数据", "card data"), F::Secret),
        None if super::tlv::tag_holds_tlv(tag) => {
            (Text::fixed("TLV 容器", "TLV container"), F::Constructed)
        }
        None => (Text::fixed("TLV 标签", "TLV tag"), F::Binary),
    }
}

/// True for a tag posdiag knows the meaning of (its value may be shown, masked where secret).
pub fn tlv_tag_known(tag: u32) -> bool {
    TAGS.iter().any(|r| r.0 == tag)
}

/// The value of `t` for display, masked where sensitive.
pub fn display_tlv_value(t: &Tlv) -> String {
    let (_, format) = tlv_tag_info(t.tag);
    let v = &t.value;
    let shown = match format {
        F::Secret => Some(format!("[{} bytes masked]", v.len())),
        F::Text => Some(format!("\"{}\"", decode_cp437(v).trim_end_matches('\0'))),
        F::Bcd => Some(bcd_string(v)),
        F::DateYyyymmdd => ZvtDate::decode_yyyymmdd(v).map(|d| d.to_string()),
        F::Time => ZvtTime::decode(v).map(|t| t.to_string()),
        F::Constructed if !t.children.is_empty() => Some(String::new()),
        F::Binary if v.len() == 1 => v.first().map(|b| format!("0x{b:02X} ({b})")),
        F::Uint => tlv_uint(v).map(|n| n.to_string()),
        F::HostConfig => HostConfig::decode(v).map(|h| h.text().en.into_owned()),
        F::Data => Some(format!("[{} bytes]", v.len())),
        F::Binary | F::Constructed => None,
    };
    shown.unwrap_or_else(|| hex::encode_upper(v))
}

/// The value as an unsigned big-endian integer: all of it, whatever its length (1 to 8 bytes).
pub fn tlv_uint(value: &[u8]) -> Option<u64> {
    if value.is_empty() || value.len() > 8 {
        return None;
    }
    Some(value.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_sorted_by_tag_and_secrets_masked() {
        assert!(TAGS.windows(2).all(|w| w[0].0 < w[1].0 || w[0].0 > 0xFF));
        let pan = Tlv::new(0x5A, vec![0x55, 0x98, 0x83, 0x12, 0x34, 0x56, 0x80, 0x74]);
        assert_eq!(display_tlv_value(&pan), "[8 bytes masked]");
        assert_eq!(
            display_tlv_value(&Tlv::new(0x1F0F, vec![0x22, 0x56, 0x55])),
            "22:56:55"
        );
        assert_eq!(
            display_tlv_value(&Tlv::new(0xFF40, vec![0x12, 0x34, 0x56])),
            "[3 bytes masked]"
        );
    }

    #[test]
    fn integers_decode_whole() {
        assert_eq!(display_tlv_value(&Tlv::new(0x41, vec![0x00, 0x05])), "5");
        assert_eq!(display_tlv_value(&Tlv::new(0x41, vec![0x00, 0x2E])), "46");
        assert_eq!(display_tlv_value(&Tlv::new(0x41, vec![0x01, 0x02])), "258");
        assert_eq!(
            display_tlv_value(&Tlv::new(0x1E, vec![0, 0, 0xFD, 0xE8])),
            "65000"
        );
        assert_eq!(tlv_uint(&[0; 9]), None);
        assert_eq!(tlv_uint(&[]), None);
    }
}
