//! Meanings of single values for the decode explanation: result codes, status and payment-type
//! bytes, the config byte, card types, print attributes, lock bits and other TLV values.

use super::bmp::Bmp;
use super::codes::{result_code, TerminalStatus};
use super::device::{DeviceState, TerminalLocks};
use super::feig::{self, file_name, HostConfig};
use super::message::{command_name, DiagnosisKind};
use super::tags::{display_tlv_value, tlv_uint};
use super::tlv::Tlv;
use super::values::{bcd_to_u64, format_amount};
use crate::i18n::Text;

/// `value — meaning` in both languages.
pub(crate) fn with_meaning(value: &str, meaning: &Text) -> Text {
    Text::new(
        format!("{value} — {}", meaning.zh),
        format!("{value} — {}", meaning.en),
    )
}

/// `[N bytes masked]` in both languages.
pub(crate) fn masked(len: usize) -> Text {
    Text::new(
        format!("[{len} 字节，已屏蔽]"),
        format!("[{len} bytes masked]"),
    )
}

/// A result code with its meaning.
pub(crate) fn result_value(rc: u8) -> Text {
    let info = result_code(rc);
    with_meaning(&format!("{rc:02X}"), &info.text)
}

/// A terminal status with its meaning and recovery action.
pub(crate) fn terminal_status_value(status: TerminalStatus) -> Text {
    let (m, r) = (status.meaning(), status.recovery());
    let code = status.to_byte();
    Text::new(
        format!("{code:02X} — {}；处理：{}", m.zh, r.zh),
        format!("{code:02X} — {}; recovery: {}", m.en, r.en),
    )
}

/// Set bits of `byte` named by `bits`, joined.
fn bit_list(byte: u8, bits: &[(u8, &'static str, &'static str)]) -> Text {
    let set: Vec<_> = bits.iter().filter(|(mask, ..)| byte & mask != 0).collect();
    if set.is_empty() {
        return Text::fixed("无", "none");
    }
    let zh: Vec<&str> = set.iter().map(|b| b.1).collect();
    let en: Vec<&str> = set.iter().map(|b| b.2).collect();
    Text::new(zh.join("，"), en.join(", "))
}

/// Registration config byte bits (p.27).
pub(crate) fn config_byte_value(b: u8) -> Text {
    let bits = bit_list(
        b,
        &[
            (0x02, "收银机打印支付凭条", "ECR prints payment receipts"),
            (
                0x04,
                "收银机打印管理凭条",
                "ECR prints administration receipts",
            ),
            (
                0x08,
                "需要中间状态 (04 FF)",
                "intermediate status (04 FF) wanted",
            ),
            (0x10, "终端不可输入金额", "no amount entry on PT"),
            (
                0x20,
                "终端不可启动管理功能",
                "no administration functions on PT",
            ),
            (
                0x80,
                "凭条经 06 D1/06 D3 发给收银机",
                "receipts via 06 D1/06 D3",
            ),
        ],
    );
    with_meaning(&format!("0x{b:02X}"), &bits)
}

fn status_byte_value(b: u8) -> Text {
    let bits = bit_list(
        b,
        &[
            (0x01, "需要初始化", "initialisation necessary"),
            (0x02, "需要诊断", "diagnosis necessary"),
            (0x04, "需要 OPT 操作", "OPT action necessary"),
            (0x08, "加油站模式", "filling-station mode"),
            (0x10, "自动售货机模式", "vending-machine mode"),
        ],
    );
    with_meaning(&format!("0x{b:02X}"), &bits)
}

fn payment_type_used(b: u8) -> Text {
    let meaning = match b {
        0x40 => Text::fixed("离线", "offline"),
        0x50 => Text::fixed("已验卡，未授权", "card checked, no authorisation"),
        0x60 => Text::fixed("联机", "online"),
        0x70 => Text::fixed("PIN", "PIN"),
        _ => Text::fixed("未知支付类型", "unknown payment type"),
    };
    with_meaning(&format!("0x{b:02X}"), &meaning)
}

fn payment_type_requested(b: u8) -> Text {
    let kind = match b & 0xF0 {
        0x00 => Text::fixed("ELV/离线", "ELV / offline"),
        0x10 => Text::fixed("Geldkarte", "Geldkarte"),
        0x20 => Text::fixed("联机无 PIN", "online without PIN"),
        0x30 => Text::fixed("基于 PIN", "PIN-based"),
        0x40 => Text::fixed(
            "由终端决定（不含 Geldkarte）",
            "PT decides (excluding Geldkarte)",
        ),
        0x50 => Text::fixed(
            "由终端决定（含 Geldkarte）",
            "PT decides (including Geldkarte)",
        ),
        _ => Text::fixed("未知", "unknown"),
    };
    with_meaning(&format!("0x{b:02X}"), &kind)
}

/// A ZVT card-type ID: one byte in BMP 8A, any number of bytes in TLV 41 (IDs above 255).
fn card_type_value(b: u64) -> Text {
    let name = match b {
        2 => "ec-card",
        5 => "girocard",
        6 => "Mastercard",
        8 => "American Express",
        10 => "Visa",
        11 => "VISA Electron",
        12 => "Diners",
        13 => "V PAY",
        14 => "JCB",
        30 => "Geldkarte",
        46 => "Maestro",
        0xFF => "see TLV 41",
        _ => return Text::same(format!("{b}")),
    };
    Text::same(format!("{b} — {name}"))
}

fn service_byte_value(b: u8) -> Text {
    let bits = bit_list(
        b,
        &[
            (0x01, "锁定服务菜单", "service menu locked"),
            (0x02, "不发送软件版本", "do not send SW version"),
            (0x04, "完成报文中发送 TLV", "send TLV in completion"),
        ],
    );
    with_meaning(&format!("0x{b:02X}"), &bits)
}

/// A print-line attribute: `0x40` centred, `0x80`+ last line, `FF` line feed.
pub(crate) fn print_attribute_value(a: u8) -> Text {
    let meaning = match a {
        0xFF => Text::fixed("换行", "line feed"),
        0x80 => Text::fixed("普通", "normal"),
        a if a & 0x80 != 0 => Text::fixed("最后一行/切换凭条", "last line / receipt switch"),
        a => {
            let mut zh = vec![];
            let mut en = vec![];
            if a & 0x40 != 0 {
                zh.push("居中".to_string());
                en.push("centred".to_string());
            } else {
                zh.push(format!("缩进 {}", a & 0x0F));
                en.push(format!("indent {}", a & 0x0F));
            }
            if a & 0x20 != 0 {
                zh.push("倍宽".into());
                en.push("double width".into());
            }
            if a & 0x10 != 0 {
                zh.push("倍高".into());
                en.push("double height".into());
            }
            Text::new(zh.join("，"), en.join(", "))
        }
    };
    with_meaning(&format!("0x{a:02X}"), &meaning)
}

/// The value of a BMP in the message with code `[class, instr]`.
pub(crate) fn bmp_value(b: &Bmp, code: [u8; 2]) -> Text {
    let first = b.value.first().copied().unwrap_or_default();
    match (b.tag, code) {
        (0x27, _) if b.value.len() == 1 => result_value(first),
        (0xA0, _) if b.value.len() == 1 => result_value(first),
        (0x19, [0x04, 0x0F]) => payment_type_used(first),
        (0x19, [0x06, 0x0F]) => status_byte_value(first),
        (0x19, [0x06, _]) => payment_type_requested(first),
        (0x03, [0x05, 0x01]) => service_byte_value(first),
        (0x8A, _) => card_type_value(u64::from(first)),
        (0x60, _) => {
            individual_totals_value(&b.value).unwrap_or_else(|| Text::same(b.display_value()))
        }
        (0x3D, _) => Text::same("******"),
        _ if b
            .spec()
            .is_some_and(|s| s.sensitive.is_some() && s.tag != 0x22) =>
        {
            masked(b.value.len())
        }
        (0x06, _) => Text::new(
            format!("{} 字节 TLV", b.value.len()),
            format!("{} bytes TLV", b.value.len()),
        ),
        _ => Text::same(b.display_value()),
    }
}

/// BMP 60 after End-of-Day: receipt numbers from–to (2 B BCD each), then count (1 B) and total
/// (6 B BCD) for girocard, JCB, Eurocard, Amex, VISA, Diners and others. Card types with no
/// transaction are left out. `None` when the value has another layout.
fn individual_totals_value(v: &[u8]) -> Option<Text> {
    const CARDS: [&str; 7] = [
        "girocard", "JCB", "Eurocard", "Amex", "VISA", "Diners", "others",
    ];
    if v.len() != 4 + 7 * 7 {
        return None;
    }
    let from = bcd_to_u64(v.get(0..2)?)?;
    let to = bcd_to_u64(v.get(2..4)?)?;
    let mut parts = Vec::new();
    for (i, card) in CARDS.iter().enumerate() {
        let at = 4 + i * 7;
        let count = *v.get(at)?;
        let total = bcd_to_u64(v.get(at + 1..at + 7)?)?;
        if count != 0 || total != 0 {
            parts.push(format!("{card} {count} × {}", format_amount(total, None)));
        }
    }
    let list = if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    };
    Some(Text::new(
        format!("凭条 {from:04}–{to:04}；{list}"),
        format!("receipts {from:04}–{to:04}; {list}"),
    ))
}

/// The value of a TLV element, with meanings for the tags that have coded values.
pub(crate) fn tlv_value(t: &Tlv) -> Text {
    let first = t.value.first().copied().unwrap_or_default();
    let raw = match t.value.as_slice() {
        [b] => format!("{b:02X}"),
        _ => display_tlv_value(t),
    };
    match t.tag {
        tag if super::tlv::tlv_tag_is_sensitive(tag) => masked(t.value.len()),
        // A tag posdiag does not know may hold anything: its value was hidden (redact.rs).
        tag if !super::tags::tlv_tag_known(tag) && t.children.is_empty() => Text::new(
            format!("[{} 字节，未知标签，已隐藏]", t.value.len()),
            format!("[{} bytes hidden: tag not known]", t.value.len()),
        ),
        0x1F55 => {
            let locks = TerminalLocks::decode(&t.value);
            let zh: Vec<String> = locks
                .active
                .iter()
                .map(|l| l.text().zh.into_owned())
                .collect();
            let en: Vec<String> = locks
                .active
                .iter()
                .map(|l| l.text().en.into_owned())
                .collect();
            let hex = hex::encode_upper(&t.value);
            if locks.is_clear() {
                Text::new(format!("{hex} — 无锁定"), format!("{hex} — no lock"))
            } else {
                Text::new(
                    format!("{hex} — {}", zh.join("，")),
                    format!("{hex} — {}", en.join(", ")),
                )
            }
        }
        0x1F43 => with_meaning(&raw, &DeviceState::from_byte(first).text()),
        0x1B => {
            let meaning = match DiagnosisKind::from_byte(first) {
                DiagnosisKind::Line => Text::fixed("线路诊断", "line"),
                DiagnosisKind::Extended => Text::fixed("扩展诊断", "extended"),
                DiagnosisKind::Configuration => Text::fixed("配置诊断", "configuration"),
                DiagnosisKind::EmvConfiguration => Text::fixed("EMV 配置诊断", "EMV configuration"),
                DiagnosisKind::Ep2Configuration => Text::fixed("EP2 配置诊断", "EP2 configuration"),
                DiagnosisKind::Other(_) => Text::fixed("未知类型", "unknown type"),
            };
            with_meaning(&raw, &meaning)
        }
        0x14 => {
            let meaning = match first {
                0x00 => Text::fixed("ASCII", "ASCII"),
                0x01..=0x10 => Text::new(format!("ISO-8859-{first}"), format!("ISO-8859-{first}")),
                0xFE => Text::fixed("UTF-8", "UTF-8"),
                0xFF => Text::fixed("CP437", "CP437"),
                _ => Text::fixed("未知字符集", "unknown character set"),
            };
            with_meaning(&raw, &meaning)
        }
        0x1F07 => {
            let meaning = match first {
                1 => Text::fixed("商户联", "merchant receipt"),
                2 => Text::fixed("客户联", "customer receipt"),
                3 => Text::fixed("管理凭条", "administration receipt"),
                _ => Text::fixed("未知凭条类型", "unknown receipt type"),
            };
            with_meaning(&raw, &meaning)
        }
        0x0A => match t.value.as_slice() {
            [class, instr] => with_meaning(
                &format!("{class:02X} {instr:02X}"),
                &command_name(*class, *instr),
            ),
            _ => Text::same(raw),
        },
        0x09 if t.value.len() == 1 => print_attribute_value(first),
        0x41 => match tlv_uint(&t.value) {
            Some(id) => card_type_value(id),
            None => Text::same(raw),
        },
        0x1D if t.value.len() == 1 => match file_name(first) {
            Some(name) => with_meaning(&format!("0x{first:02X}"), &name),
            None => Text::same(format!("0x{first:02X}")),
        },
        feig::TAG_HOST_CONFIG => match HostConfig::decode(&t.value) {
            Some(h) => h.text(),
            None => Text::same(raw),
        },
        _ => Text::same(raw),
    }
}
