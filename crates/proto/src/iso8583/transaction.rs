//! Which transaction a message belongs to, from (MTI, field 3, field 25, 60.1) and 60.3 for
//! management messages (docs/protocols/iso8583-cup.md §2).

use serde::Serialize;

use super::mti::Mti;
use crate::i18n::Text;

/// A CUP POS transaction type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransactionKind {
    BalanceInquiry,
    PreAuth,
    PreAuthVoid,
    PreAuthCompletion,
    PreAuthCompletionVoid,
    Sale,
    SaleVoid,
    Refund,
    OfflineSettlement,
    SettlementAdjustment,
    AdjustmentTip,
    PreAuthCompletionAdvice,
    SignOn,
    SignOff,
    Settlement,
    BatchUpload,
    Reversal,
    /// Other network management (parameter or key downloads).
    Management,
    Unknown,
}

impl TransactionKind {
    pub fn name(self) -> Text {
        use TransactionKind::*;
        match self {
            BalanceInquiry => Text::fixed("查询", "balance inquiry"),
            PreAuth => Text::fixed("预授权", "pre-authorisation"),
            PreAuthVoid => Text::fixed("预授权撤消", "pre-auth void"),
            PreAuthCompletion => Text::fixed("预授权完成", "pre-auth completion"),
            PreAuthCompletionVoid => Text::fixed("预授权完成撤消", "pre-auth completion void"),
            Sale => Text::fixed("消费", "sale"),
            SaleVoid => Text::fixed("消费撤消", "void"),
            Refund => Text::fixed("退货", "refund"),
            OfflineSettlement => Text::fixed("离线结算", "offline settlement"),
            SettlementAdjustment => Text::fixed("结算调整", "settlement adjustment"),
            AdjustmentTip => Text::fixed("结算调整 (追加小费)", "adjustment (tip)"),
            PreAuthCompletionAdvice => Text::fixed("预授权完成通知", "pre-auth completion advice"),
            SignOn => Text::fixed("签到", "sign-on"),
            SignOff => Text::fixed("签退", "sign-off"),
            Settlement => Text::fixed("批结算", "settlement"),
            BatchUpload => Text::fixed("批上送", "batch upload"),
            Reversal => Text::fixed("冲正", "reversal"),
            Management => Text::fixed("网络管理", "network management"),
            Unknown => Text::fixed("未知交易", "unknown transaction"),
        }
    }

    /// True for transactions that the terminal reverses when the answer is missing or unusable.
    pub fn triggers_reversal(self) -> bool {
        use TransactionKind::*;
        matches!(
            self,
            PreAuth | PreAuthVoid | PreAuthCompletion | PreAuthCompletionVoid | Sale | SaleVoid
        )
    }
}

/// 60.1 (transaction type code), the first two digits of field 60.
pub fn type_code(field60: Option<&str>) -> Option<&str> {
    field60.and_then(|f| f.get(0..2))
}

/// 60.3 (network management information code), digits 9–11 of field 60.
pub fn network_code(field60: Option<&str>) -> Option<&str> {
    field60.and_then(|f| f.get(8..11))
}

/// Classifies a message; `processing_code` is field 3, `field60` field 60's digits.
pub fn classify(mti: Mti, processing_code: Option<&str>, field60: Option<&str>) -> TransactionKind {
    use TransactionKind::*;
    let code = type_code(field60);
    let request = mti.request();
    match request.as_str() {
        "0100" => match (code, processing_code) {
            (Some("10"), _) | (None, Some("030000")) => PreAuth,
            (Some("11"), _) | (None, Some("200000")) => PreAuthVoid,
            _ => Unknown,
        },
        "0200" => match (code, processing_code) {
            (Some("01"), _) | (None, Some("310000")) => BalanceInquiry,
            (Some("20"), _) => PreAuthCompletion,
            (Some("21"), _) => PreAuthCompletionVoid,
            (Some("22"), _) | (None, Some("000000")) => Sale,
            (Some("23"), _) | (None, Some("200000")) => SaleVoid,
            _ => Unknown,
        },
        "0220" => match (code, processing_code) {
            (Some("24"), _) => PreAuthCompletionAdvice,
            (Some("25"), _) | (None, Some("200000")) => Refund,
            (Some("30"), _) => OfflineSettlement,
            (Some("32"), _) => SettlementAdjustment,
            (Some("34"), _) => AdjustmentTip,
            _ => Unknown,
        },
        "0320" => BatchUpload,
        "0400" | "0420" => Reversal,
        "0500" => Settlement,
        "0800" => match network_code(field60) {
            Some("001" | "003" | "004" | "011") => SignOn,
            _ => Management,
        },
        "0820" => match network_code(field60) {
            Some("002") => SignOff,
            _ => Management,
        },
        _ => Unknown,
    }
}

/// Meaning of 60.1.
pub fn type_code_text(code: &str) -> Option<Text> {
    let (zh, en) = match code {
        "00" => ("管理类交易", "management"),
        "01" => ("查询", "balance inquiry"),
        "10" => ("预授权", "pre-authorisation"),
        "11" => ("预授权撤消", "pre-auth void"),
        "20" => ("预授权完成(请求)", "pre-auth completion"),
        "21" => ("预授权完成撤消", "pre-auth completion void"),
        "22" => ("消费", "sale"),
        "23" => ("消费撤消", "sale void"),
        "24" => (
            "预授权完成通知 (未证实)",
            "pre-auth completion advice (unverified)",
        ),
        "25" => ("退货", "refund"),
        "30" => ("离线结算", "offline settlement"),
        "32" => ("结算调整", "settlement adjustment"),
        "34" => ("结算调整 (追加小费)", "adjustment (add tip)"),
        _ => return None,
    };
    Some(Text::fixed(zh, en))
}

/// Meaning of 60.3.
pub fn network_code_text(code: &str) -> Option<Text> {
    let (zh, en) = match code {
        "000" => ("金融交易", "financial transaction"),
        "001" => ("签到 (单倍长密钥)", "sign-on, single-length keys"),
        "002" => ("签退 (未证实)", "sign-off (unverified)"),
        "003" => ("签到 (双倍长密钥)", "sign-on, double-length keys (3DES)"),
        "004" => (
            "签到 (双倍长密钥含磁道密钥)",
            "sign-on, double-length keys + TDK",
        ),
        "011" => ("签到 (收单机构自定义)", "sign-on, acquirer-specific keys"),
        "201" => ("批结算 / 批上送明细", "settlement / batch upload detail"),
        "202" => ("磁条卡通知上送 / 结束", "magstripe notices / end"),
        "206" => ("IC卡通知上送", "IC card notices"),
        "207" => ("批上送结束", "batch upload end"),
        "301" => ("回响测试 (未证实)", "echo test (unverified)"),
        "382" => ("IC卡参数查询", "IC parameter query"),
        _ => return None,
    };
    Some(Text::fixed(zh, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Mti {
        Mti::new(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn table_of_section_2() {
        assert_eq!(
            classify(m("0200"), Some("000000"), Some("22000024")),
            TransactionKind::Sale
        );
        assert_eq!(
            classify(m("0210"), Some("000000"), Some("22000024")),
            TransactionKind::Sale
        );
        assert_eq!(
            classify(m("0200"), Some("200000"), Some("23000024")),
            TransactionKind::SaleVoid
        );
        assert_eq!(
            classify(m("0200"), Some("310000"), Some("01000024")),
            TransactionKind::BalanceInquiry
        );
        assert_eq!(
            classify(m("0200"), Some("000000"), Some("20000024")),
            TransactionKind::PreAuthCompletion
        );
        assert_eq!(
            classify(m("0100"), Some("030000"), Some("10000024")),
            TransactionKind::PreAuth
        );
        assert_eq!(
            classify(m("0220"), Some("200000"), Some("25000024")),
            TransactionKind::Refund
        );
        assert_eq!(
            classify(m("0800"), None, Some("00000024003")),
            TransactionKind::SignOn
        );
        assert_eq!(
            classify(m("0800"), None, Some("00000024382")),
            TransactionKind::Management
        );
        assert_eq!(
            classify(m("0830"), None, Some("00000024002")),
            TransactionKind::SignOff
        );
        assert_eq!(classify(m("0410"), None, None), TransactionKind::Reversal);
        assert_eq!(classify(m("0510"), None, None), TransactionKind::Settlement);
        assert_eq!(
            classify(m("0330"), None, None),
            TransactionKind::BatchUpload
        );
        assert_eq!(
            classify(m("0200"), Some("000000"), None),
            TransactionKind::Sale
        );
        assert_eq!(classify(m("0600"), None, None), TransactionKind::Unknown);
        assert!(TransactionKind::Sale.triggers_reversal());
        assert!(!TransactionKind::BalanceInquiry.triggers_reversal());
    }
}
