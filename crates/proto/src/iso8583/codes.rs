//! Field 39 response codes: the CUPS meaning (Q/CUP 006.6-2014 annex A.2), the POS terminal
//! table's meaning with its operator class A–E, and the success set
//! {00, 10, 11, A2, A4, A5, A6} (docs/protocols/iso8583-cup.md §6). Unknown codes decode to an
//! "unknown" entry that terminals display as 交易失败.

use serde::Serialize;

use crate::i18n::Text;

/// Operator class of the POS terminal table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PosClass {
    /// 交易成功: complete, print.
    A,
    /// 交易失败，可重试: retry (often after re-sign-on).
    B,
    /// 交易失败，不需要重试: show the reason.
    C,
    /// 交易失败，终端操作员处理: operator procedure (retain card, re-sign-on).
    D,
    /// 交易失败，系统故障，不需重试: escalate, check the result before any retry.
    E,
}

impl PosClass {
    pub fn letter(self) -> char {
        match self {
            PosClass::A => 'A',
            PosClass::B => 'B',
            PosClass::C => 'C',
            PosClass::D => 'D',
            PosClass::E => 'E',
        }
    }

    pub fn text(self) -> Text {
        match self {
            PosClass::A => Text::fixed("交易成功", "approved"),
            PosClass::B => Text::fixed("交易失败，可重试", "failed, retry allowed"),
            PosClass::C => Text::fixed("交易失败，不需要重试", "failed, do not retry"),
            PosClass::D => Text::fixed("交易失败，终端操作员处理", "failed, operator action"),
            PosClass::E => Text::fixed(
                "交易失败，系统故障，不需重试",
                "failed, system fault, do not retry",
            ),
        }
    }

    /// What the terminal does for this class.
    pub fn behaviour(self) -> Text {
        match self {
            PosClass::A => Text::fixed("完成交易并打印", "complete and print"),
            PosClass::B => {
                Text::fixed("可重试（常需先重新签到）", "retry (often after re-sign-on)")
            }
            PosClass::C => Text::fixed("显示原因", "show the reason"),
            PosClass::D => Text::fixed("按操作员流程处理", "follow the operator procedure"),
            PosClass::E => Text::fixed(
                "上报并先确认交易结果再重试",
                "escalate; check the result before any retry",
            ),
        }
    }
}

/// Codes that mean the transaction succeeded (10 partial, 11/A2/A4/A5/A6 with defect).
pub const SUCCESS_CODES: [&str; 7] = ["00", "10", "11", "A2", "A4", "A5", "A6"];

/// True when `code` is in the success set.
pub fn is_success(code: &str) -> bool {
    SUCCESS_CODES.contains(&code)
}

/// Everything known about one field 39 value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseCode {
    pub code: String,
    /// CUPS meaning (the POS table's where CUPS has none).
    pub meaning: Text,
    /// The POS terminal table's text, where it has one.
    pub pos_meaning: Option<Text>,
    pub class: Option<PosClass>,
    pub success: bool,
    /// False for codes in neither table.
    pub known: bool,
}

struct Row {
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    pos_zh: &'static str,
    pos_en: &'static str,
    class: Option<PosClass>,
}

const fn row(
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    pos_zh: &'static str,
    pos_en: &'static str,
    class: Option<PosClass>,
) -> Row {
    Row {
        code,
        zh,
        en,
        pos_zh,
        pos_en,
        class,
    }
}

use PosClass::{A, B, C, D, E};

const FRAUD_ZH: &str = "有作弊嫌疑的卡 / 受卡方与代理方联系";
const FRAUD_EN: &str = "suspected fraud / acceptor contact acquirer";
const DEFECT_ZH: &str = "有缺陷的成功 (请向资金转入/到账行确认)";
const DEFECT_EN: &str = "success with defect — confirm with receiving bank";
const FILE_ZH: &str = "文件接口错误 (非POS联机)";
const FILE_EN: &str = "file-interface error (not POS online)";

#[rustfmt::skip]
static ROWS: &[Row] = &[
    row("00", "承兑或交易成功", "approved", "承兑或交易成功", "approved", Some(A)),
    row("01", "查发卡方", "refer to card issuer", "查发卡行", "refer to card issuer", Some(C)),
    row("02", "查发卡方的特殊条件", "refer to issuer, special condition", "查发卡方的特殊条件", "refer to issuer, special condition", Some(C)),
    row("03", "无效商户", "invalid merchant", "商户需要在银行或中心登记", "merchant must register with bank or centre", Some(C)),
    row("04", "没收卡", "pick up card", "操作员没收卡", "operator retains card", Some(D)),
    row("05", "身份认证失败", "cardholder authentication failed (do not honour)", "不予承兑", "do not honour", Some(C)),
    row("06", "出错 (发卡行故障)", "error (issuer fault)", "出错 (发卡行故障)", "error (issuer fault)", Some(E)),
    row("07", "特殊条件下没收卡", "pick up card, special condition", "特殊条件下没收卡", "pick up card, special condition", Some(D)),
    row("09", "请求正在处理中", "request in progress", "请求正在处理中", "request in progress", Some(B)),
    row("10", "部分金额批准", "partial amount approved", "", "", Some(A)),
    row("11", "重要人物批准 (VIP)", "approved (VIP)", "", "", Some(A)),
    row("12", "无效的关联交易", "invalid / related transaction", "发卡行不支持的交易", "not supported by issuer", Some(C)),
    row("13", "无效金额", "invalid amount", "金额为0或太大", "amount zero or too large", Some(B)),
    row("14", "无效卡号 (无此账号)", "invalid card number / no such account", "卡种未在中心登记或读卡号有误", "card type unregistered or card number misread", Some(B)),
    row("15", "无此发卡方", "no such issuer", "此发卡行未与中心开通业务", "issuer not connected to the centre", Some(C)),
    row("16", "批准更新第三磁道 (保留)", "approved, update track 3 (reserved)", "", "", None),
    row("19", "重新送入交易", "re-enter transaction", "重新送入交易", "re-enter transaction", Some(C)),
    row("20", "无效应答", "invalid response", "无效应答", "invalid response", Some(C)),
    row("21", "卡未初始化", "card not initialised (dormant)", "不做任何处理", "no action taken", Some(C)),
    row("22", "故障怀疑，关联交易错误", "suspected malfunction / related-transaction error", "POS状态与中心不符，可重新签到", "POS state differs from centre — re-sign-on", Some(C)),
    row("23", "不可接受的交易费", "unacceptable transaction fee", "不可接受的交易费", "unacceptable transaction fee", Some(C)),
    row("25", "找不到原始交易", "original transaction not found", "发卡行未能找到有关记录", "issuer found no record", Some(C)),
    row("30", "报文格式错误", "message format error", "格式错误", "format error", Some(C)),
    row("31", "此发卡方未与中心开通业务", "issuer not connected to centre", "此发卡方未与中心开通业务", "issuer not connected to centre", Some(C)),
    row("33", "过期的卡，操作员可以没收", "expired card, may retain", "过期的卡，操作员可以没收", "expired card, operator may retain", Some(D)),
    row("34", "有作弊嫌疑", "suspected fraud (retain card)", "有作弊嫌疑的卡", "suspected fraud card", Some(D)),
    row("35", FRAUD_ZH, FRAUD_EN, FRAUD_ZH, FRAUD_EN, Some(D)),
    row("36", FRAUD_ZH, FRAUD_EN, FRAUD_ZH, FRAUD_EN, Some(D)),
    row("37", FRAUD_ZH, FRAUD_EN, FRAUD_ZH, FRAUD_EN, Some(D)),
    row("38", "超过允许的PIN试输入", "PIN tries exceeded", "密码错次数超限", "PIN tries exceeded", Some(D)),
    row("39", "无贷记账户", "no credit account", "无贷记账户", "no credit account", Some(C)),
    row("40", "请求的功能尚不支持", "requested function not supported", "发卡行不支持的交易类型", "transaction type not supported by issuer", Some(C)),
    row("41", "挂失卡", "lost card", "挂失的卡", "lost card", Some(D)),
    row("42", "发卡行找不到此账户", "no such account at issuer", "发卡行找不到此账户", "no such account at issuer", Some(B)),
    row("43", "被窃卡", "stolen card", "被窃卡", "stolen card", Some(D)),
    row("45", "不允许降级交易 (请使用芯片)", "fallback not allowed — use chip", "", "", None),
    row("51", "余额不足", "insufficient funds", "账户内余额不足", "insufficient balance", Some(C)),
    row("52", "无此支票/储蓄卡账户", "no cheque / savings account", "无此支票/储蓄卡账户", "no cheque / savings account", Some(C)),
    row("53", "无此支票/储蓄卡账户", "no cheque / savings account", "无此支票/储蓄卡账户", "no cheque / savings account", Some(C)),
    row("54", "过期的卡", "expired card", "过期的卡", "expired card", Some(C)),
    row("55", "不正确的PIN", "incorrect PIN", "密码输错", "wrong PIN entered", Some(C)),
    row("56", "发卡行找不到此账户", "no card record", "发卡行找不到此账户", "no such account at issuer", Some(C)),
    row("57", "不允许持卡人进行的交易", "not permitted to cardholder", "不允许持卡人进行的交易", "not permitted to cardholder", Some(C)),
    row("58", "不允许终端进行的交易", "not permitted to terminal", "该商户不允许进行的交易", "not permitted to merchant", Some(C)),
    row("59", "有作弊嫌疑 (CVN验证失败)", "suspected fraud — CVN check failed", "", "", Some(C)),
    row("61", "超出金额限制", "exceeds amount limit", "一次交易的金额太大", "amount of one transaction too large", Some(C)),
    row("62", "受限制的卡", "restricted card", "", "", Some(C)),
    row("63", "违反安全保密规定", "security violation", "违反安全保密规定", "security violation", Some(C)),
    row("64", "原始金额错误", "original amount incorrect", "原始金额不正确", "original amount incorrect", Some(C)),
    row("65", "超出取款/消费次数限制", "exceeds frequency limit", "超出取款次数限制", "exceeds withdrawal count limit", Some(C)),
    row("66", "受卡方呼受理方安全保密部门", "acceptor call acquirer security", "受卡方呼受理方安全保密部门", "acceptor call acquirer security", Some(C)),
    row("67", "捕捉（没收卡）", "capture card", "捕捉（没收卡）", "capture card", Some(C)),
    row("68", "发卡行响应超时", "issuer response timeout", "发卡行规定时间内没有回答", "issuer did not answer in time", Some(C)),
    row("75", "允许的输入PIN次数超限", "PIN tries exceeded", "允许的输入PIN次数超限", "PIN tries exceeded", Some(C)),
    row("77", "POS批次与网络中心不一致", "POS batch differs from network centre — re-sign-on", "POS批次与网络中心不一致", "POS batch differs from network centre — re-sign-on", Some(D)),
    row("79", "脱机数据对账不平", "offline data reconciliation mismatch — resend offline data", "脱机数据对账不平", "offline data reconciliation mismatch", Some(C)),
    row("90", "正在日终处理 (系统日切)", "day-end cut-over in progress", "日期切换正在处理", "date change in progress", Some(C)),
    row("91", "发卡方不能操作", "issuer inoperative", "电话查询发卡方或银联，可重作", "phone issuer or CUP, may retry", Some(C)),
    row("92", "金融机构或中间网络设施找不到或无法达到", "institution / network facility not found or unreachable", "", "", Some(C)),
    row("93", "交易违法、不能完成", "transaction violates law, cannot complete", "交易违法、不能完成", "transaction violates law, cannot complete", Some(C)),
    row("94", "重复交易", "duplicate transaction", "查询网络中心，可重新签到作交易", "query the network centre, re-sign-on and retry", Some(C)),
    row("95", "调节控制错", "reconciliation control error", "调节控制错", "reconciliation control error", Some(C)),
    row("96", "银联处理中心系统异常、失效", "CUP switch system malfunction", "发卡方或网络中心出现故障", "issuer or network centre fault", Some(C)),
    row("97", "ATM/POS终端号找不到", "terminal ID not found / not registered", "终端未在中心或银行登记", "terminal not registered with centre or bank", Some(D)),
    row("98", "银联处理中心收不到发卡方应答", "CUP got no issuer response", "银联收不到发卡行应答", "CUP got no issuer response", Some(E)),
    row("99", "PIN格式错 (请重新签到)", "PIN format error — re-sign-on", "可重新签到作交易", "re-sign-on and retry", Some(B)),
    row("A0", "MAC鉴别失败 (MAC校验错，请重新签到)", "MAC verification failed — re-sign-on", "可重新签到作交易", "re-sign-on and retry", Some(B)),
    row("A1", "转账货币不一致", "transfer currency mismatch", "", "", None),
    row("A2", DEFECT_ZH, DEFECT_EN, "", "", Some(A)),
    row("A3", "资金到账行无此账户", "no such account at receiving bank", "", "", None),
    row("A4", DEFECT_ZH, DEFECT_EN, "", "", Some(A)),
    row("A5", DEFECT_ZH, DEFECT_EN, "", "", Some(A)),
    row("A6", DEFECT_ZH, DEFECT_EN, "", "", Some(A)),
    row("A7", "安全处理失败 (MAC/PIN/密钥处理失败)", "security processing failed (MAC/PIN/key)", "", "", Some(C)),
    row("A8", "转入卡归属地信息缺失", "receiving-card region data missing", "", "", None),
    row("B1", "无欠费 (收据未打)", "no arrears (receipt not printed)", "", "", None),
    row("C1", "受理方状态非法 (签退/未签到)", "acquirer state illegal (signed off / not signed on)", "", "", None),
    row("N1", "未登折帐目超限", "unposted passbook entries exceeded", "", "", None),
    row("P1", "未留存手机号", "no mobile number on file", "", "", None),
    row("Y1", "脱机成功", "offline approved (file interface only)", "", "", None),
    row("Y3", "脱机成功", "offline approved (file interface only)", "", "", None),
    row("Z1", "脱机失败", "offline declined (file interface only)", "", "", None),
    row("Z3", "脱机失败", "offline declined (file interface only)", "", "", None),
];

/// File-interface error codes D1–DC and F1–F5 (never in a POS online response).
fn is_file_interface_code(code: &str) -> bool {
    matches!(code.as_bytes(), [b'D', b'1'..=b'9' | b'A'..=b'C'] | [b'F', b'1'..=b'5'])
}

/// Looks up a field 39 value (surrounding spaces ignored, letters case-insensitive).
pub fn lookup(code: &str) -> ResponseCode {
    let code = code.trim().to_ascii_uppercase();
    let success = is_success(&code);
    if let Some(r) = ROWS.iter().find(|r| r.code == code) {
        return ResponseCode {
            code,
            meaning: Text::fixed(r.zh, r.en),
            pos_meaning: (!r.pos_zh.is_empty()).then(|| Text::fixed(r.pos_zh, r.pos_en)),
            class: r.class,
            success,
            known: true,
        };
    }
    if is_file_interface_code(&code) {
        return ResponseCode {
            code,
            meaning: Text::fixed(FILE_ZH, FILE_EN),
            pos_meaning: None,
            class: None,
            success,
            known: true,
        };
    }
    ResponseCode {
        code,
        meaning: Text::fixed(
            "交易失败 (未知应答码)",
            "transaction failed (unknown response code)",
        ),
        pos_meaning: None,
        class: None,
        success,
        known: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_from_the_reference() {
        let c = lookup("51");
        assert_eq!(c.meaning.en, "insufficient funds");
        assert_eq!(c.class, Some(PosClass::C));
        assert!(!c.success);
        assert_eq!(lookup("98").class, Some(PosClass::E));
        assert_eq!(lookup("A0").class, Some(PosClass::B));
        assert_eq!(lookup("77").class, Some(PosClass::D));
        assert_eq!(lookup("04").class, Some(PosClass::D));
        assert_eq!(lookup("00").class, Some(PosClass::A));
        assert_eq!(lookup("13").class, Some(PosClass::B));
        assert_eq!(lookup("06").class, Some(PosClass::E));
    }

    #[test]
    fn success_set() {
        for code in ["00", "10", "11", "A2", "A4", "A5", "A6", "a2"] {
            assert!(lookup(code).success, "{code}");
        }
        for code in ["01", "A0", "A3", "16", "Y1", "98"] {
            assert!(!lookup(code).success, "{code}");
        }
    }

    #[test]
    fn unknown_and_file_interface() {
        let u = lookup("X9");
        assert!(!u.known);
        assert_eq!(u.meaning.zh, "交易失败 (未知应答码)");
        assert!(lookup("DB").known);
        assert!(lookup("F5").known);
        assert!(!lookup("F6").known);
    }

    #[test]
    fn table_is_unique_and_bilingual() {
        for (i, r) in ROWS.iter().enumerate() {
            assert!(
                ROWS.iter().skip(i + 1).all(|o| o.code != r.code),
                "{}",
                r.code
            );
            assert!(!r.zh.is_empty() && !r.en.is_empty(), "{}", r.code);
            assert_eq!(r.pos_zh.is_empty(), r.pos_en.is_empty(), "{}", r.code);
        }
    }
}
