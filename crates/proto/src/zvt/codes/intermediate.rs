//! Intermediate status codes (`04 FF`, PA00P015 table 17, docs/protocols/zvt.md §8): what the
//! terminal is showing the cardholder while a command runs.

use serde::Serialize;

use super::unknown_code;
use crate::i18n::Text;

/// What an intermediate status code means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntermediateStatusInfo {
    pub code: u8,
    pub text: Text,
    /// False for codes not in the table.
    pub known: bool,
}

#[rustfmt::skip]
static INTERMEDIATE: &[(u8, &str, &str)] = &[
    (0x00, "等待确认金额", "waiting for amount confirmation"),
    (0x01, "请看密码键盘", "please watch PIN pad"),
    (0x02, "请看密码键盘", "please watch PIN pad"),
    (0x03, "不受理", "not accepted"),
    (0x04, "等待主机 (FEP) 应答", "waiting for FEP (host) response"),
    (0x05, "正在发送自动冲正", "sending auto-reversal"),
    (0x06, "正在发送后补交易", "sending post-bookings"),
    (0x07, "卡片不被允许", "card not admitted"),
    (0x08, "未知卡片/未定义", "card unknown / undefined"),
    (0x09, "卡片已过期", "expired card"),
    (0x0A, "请插卡", "insert card"),
    (0x0B, "请取卡", "please remove card"),
    (0x0C, "卡片无法读取", "card not readable"),
    (0x0D, "处理错误", "processing error"),
    (0x0E, "请稍候", "please wait"),
    (0x0F, "自动日结开始", "automatic end-of-day starting"),
    (0x10, "无效卡片", "invalid card"),
    (0x11, "显示余额", "balance display"),
    (0x12, "系统故障", "system malfunction"),
    (0x13, "无法支付", "payment not possible"),
    (0x14, "余额不足", "credit not sufficient"),
    (0x15, "PIN 错误", "incorrect PIN"),
    (0x16, "额度不足", "limit not sufficient"),
    (0x17, "请稍候", "please wait"),
    (0x18, "PIN 尝试次数超限", "PIN try limit exceeded"),
    (0x19, "卡片数据错误", "card data incorrect"),
    (0x1A, "服务模式", "service mode"),
    (0x1B, "已批准，请加油", "approved, please fill up"),
    (0x1C, "已批准，请取货", "approved, please take goods"),
    (0x1D, "已拒绝", "declined"),
    (0x26, "等待输入手机号", "waiting for mobile number"),
    (0x27, "等待再次输入手机号", "waiting for repeat of mobile number"),
    (0x28, "选择货币", "currency selection"),
    (0x29, "选择语言", "language selection"),
    (0x2A, "充值，请插卡", "for loading, insert card"),
    (0x2B, "紧急（离线）交易", "emergency (offline) transaction"),
    (0x2C, "选择应用（借记/贷记）", "application selection (debit/credit)"),
    (0x5E, "非接触访问结束（未核实）", "contactless access finished (unverified)"),
    (0x66, "等待输入手机号，请取卡", "waiting for mobile number, please remove card"),
    (0x67, "等待再次输入手机号，请取卡", "waiting for repeat of mobile number, please remove card"),
    (0x68, "检测到插入客户卡", "customer card insertion detected"),
    (0x69, "请选择 DCC", "please select DCC"),
    (0x6A, "已输入一位 PIN（未核实）", "PIN digit entered (unverified)"),
    (0x6B, "可以确认（未核实）", "confirmation possible (unverified)"),
    (0x6C, "更正键（未核实）", "correction key (unverified)"),
    (0x6D, "已输入 PIN（未核实）", "PIN entered (unverified)"),
    (0xC7, "等待输入里程", "waiting for mileage"),
    (0xC8, "等待收银员", "waiting for cashier"),
    (0xC9, "自动诊断开始", "automatic diagnosis starting"),
    (0xCA, "自动初始化开始", "automatic initialisation starting"),
    (0xCB, "商户流水已满", "merchant journal full"),
    (0xCC, "无法做借记通知，需要 PIN", "debit advice not possible, PIN required"),
    (0xD2, "正在拨号连接", "connecting dial-up"),
    (0xD3, "拨号连接已建立", "dial-up connection made"),
    (0xE0, "等待选择应用", "waiting for application selection"),
    (0xE1, "等待选择语言", "waiting for language selection"),
    (0xE2, "请使用清洁卡", "use cleaning card"),
    (0xF1, "离线交易", "offline transaction"),
    (0xF2, "联机交易", "online transaction"),
    (0xF3, "离线交易", "offline transaction"),
    (0xFF, "无对应代码：见显示文本 (TLV 24/07)", "no matching code: see the display text (TLV 24/07)"),
];

fn lookup(code: u8) -> Option<(&'static str, &'static str)> {
    INTERMEDIATE
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|&(_, zh, en)| (zh, en))
}

/// The meaning of an intermediate status code. Codes 41–5D are 01–1D plus "please remove
/// card" (4A is undefined). Never fails.
pub fn intermediate_status(code: u8) -> IntermediateStatusInfo {
    if let Some((zh, en)) = lookup(code) {
        return IntermediateStatusInfo {
            code,
            text: Text::fixed(zh, en),
            known: true,
        };
    }
    if (0x41..=0x5D).contains(&code) && code != 0x4A {
        if let Some((zh, en)) = lookup(code - 0x40) {
            return IntermediateStatusInfo {
                code,
                text: Text::new(format!("{zh}，请取卡"), format!("{en}, please remove card")),
                known: true,
            };
        }
    }
    IntermediateStatusInfo {
        code,
        text: unknown_code(code),
        known: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert!(INTERMEDIATE.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(intermediate_status(0x17).text.en, "please wait");
        assert_eq!(intermediate_status(0x0A).text.en, "insert card");
        assert_eq!(
            intermediate_status(0x55).text.en,
            "incorrect PIN, please remove card"
        );
        assert!(!intermediate_status(0x4A).known);
        assert_eq!(intermediate_status(0x4A).text.en, "unknown code 0x4A");
        for code in 0..=255u8 {
            assert!(!intermediate_status(code).text.is_incomplete());
        }
    }
}
