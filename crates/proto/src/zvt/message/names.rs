//! Command codes (CLASS, INSTR) and their names, PA00P015 ch.14 (docs/protocols/zvt.md §5.2).

use serde::Serialize;

use crate::i18n::Text;

/// The ECR → PT commands by name; the command that was sent is the context for decoding the
/// PT's replies (a Status-Enquiry completion has its own layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CommandCode {
    StatusEnquiry,
    Registration,
    Authorisation,
    LogOff,
    AccountBalanceRequest,
    PrepaidTopUp,
    TaxFree,
    Tip,
    SendTurnoverTotals,
    PrintTurnoverReceipts,
    ResetTerminal,
    PrintSystemConfiguration,
    SetTerminalId,
    RepeatReceipt,
    TelephonicAuthorisation,
    PreAuthorisation,
    PartialReversalOfPreAuthorisation,
    BookTotal,
    PreAuthorisationReversal,
    Reversal,
    Refund,
    EndOfDay,
    SendOfflineTransactions,
    Diagnosis,
    Selftest,
    SetDateTimeInPt,
    Initialisation,
    ChangePassword,
    Abort,
    ReadCard,
    CloseCard,
    DisplayText,
    DisplayTextWithFunctionKeyInput,
    DisplayTextWithNumericalInput,
    PinVerificationForCustomerCard,
    ActivateServiceMode,
    SwitchProtocol,
    SoftwareUpdate,
    ReadFile,
    DeleteFile,
    ChangeConfiguration,
    WriteFile,
    SelectLanguage,
    ChangeBaudrate,
    ActivateCardReader,
    /// Any other code, including proprietary `0F xx`.
    Other {
        class: u8,
        instr: u8,
    },
}

use CommandCode as C;

#[rustfmt::skip]
static COMMAND_CODES: &[(CommandCode, u8, u8)] = &[
    (C::StatusEnquiry, 0x05, 0x01),
    (C::Registration, 0x06, 0x00),
    (C::Authorisation, 0x06, 0x01),
    (C::LogOff, 0x06, 0x02),
    (C::AccountBalanceRequest, 0x06, 0x03),
    (C::PrepaidTopUp, 0x06, 0x09),
    (C::TaxFree, 0x06, 0x0A),
    (C::Tip, 0x06, 0x0C),
    (C::SendTurnoverTotals, 0x06, 0x10),
    (C::PrintTurnoverReceipts, 0x06, 0x12),
    (C::ResetTerminal, 0x06, 0x18),
    (C::PrintSystemConfiguration, 0x06, 0x1A),
    (C::SetTerminalId, 0x06, 0x1B),
    (C::RepeatReceipt, 0x06, 0x20),
    (C::TelephonicAuthorisation, 0x06, 0x21),
    (C::PreAuthorisation, 0x06, 0x22),
    (C::PartialReversalOfPreAuthorisation, 0x06, 0x23),
    (C::BookTotal, 0x06, 0x24),
    (C::PreAuthorisationReversal, 0x06, 0x25),
    (C::Reversal, 0x06, 0x30),
    (C::Refund, 0x06, 0x31),
    (C::EndOfDay, 0x06, 0x50),
    (C::SendOfflineTransactions, 0x06, 0x51),
    (C::Diagnosis, 0x06, 0x70),
    (C::Selftest, 0x06, 0x79),
    (C::SetDateTimeInPt, 0x06, 0x91),
    (C::Initialisation, 0x06, 0x93),
    (C::ChangePassword, 0x06, 0x95),
    (C::Abort, 0x06, 0xB0),
    (C::ReadCard, 0x06, 0xC0),
    (C::CloseCard, 0x06, 0xC5),
    (C::DisplayText, 0x06, 0xE0),
    (C::DisplayTextWithFunctionKeyInput, 0x06, 0xE1),
    (C::DisplayTextWithNumericalInput, 0x06, 0xE2),
    (C::PinVerificationForCustomerCard, 0x06, 0xE3),
    (C::ActivateServiceMode, 0x08, 0x01),
    (C::SwitchProtocol, 0x08, 0x02),
    (C::SoftwareUpdate, 0x08, 0x10),
    (C::ReadFile, 0x08, 0x11),
    (C::DeleteFile, 0x08, 0x12),
    (C::ChangeConfiguration, 0x08, 0x13),
    (C::WriteFile, 0x08, 0x14),
    (C::SelectLanguage, 0x08, 0x30),
    (C::ChangeBaudrate, 0x08, 0x40),
    (C::ActivateCardReader, 0x08, 0x50),
];

impl CommandCode {
    pub fn from_bytes(class: u8, instr: u8) -> CommandCode {
        COMMAND_CODES
            .iter()
            .find(|r| r.1 == class && r.2 == instr)
            .map(|r| r.0)
            .unwrap_or(C::Other { class, instr })
    }

    /// `[CLASS, INSTR]`.
    pub fn bytes(self) -> [u8; 2] {
        match self {
            C::Other { class, instr } => [class, instr],
            known => COMMAND_CODES
                .iter()
                .find(|r| r.0 == known)
                .map(|r| [r.1, r.2])
                .unwrap_or_default(),
        }
    }

    /// The spec name, e.g. "Status-Enquiry".
    pub fn name(self) -> Text {
        let [class, instr] = self.bytes();
        command_name(class, instr)
    }
}

/// (class, instr, zh, en) for every code of the command map.
#[rustfmt::skip]
static NAMES: &[(u8, u8, &str, &str)] = &[
    (0x04, 0x01, "设置收银机日期时间", "Set Date and Time in ECR"),
    (0x04, 0x0C, "请求数据（Feig 文件传输）", "Request for Data (Feig file transfer)"),
    (0x04, 0x0E, "菜单请求", "Menu-Request"),
    (0x04, 0x0F, "状态信息", "Status-Information"),
    (0x04, 0xFF, "中间状态信息", "Intermediate Status-Information"),
    (0x05, 0x01, "状态查询", "Status-Enquiry"),
    (0x06, 0x00, "注册", "Registration"),
    (0x06, 0x01, "授权（支付）", "Authorisation"),
    (0x06, 0x02, "注销", "Log-Off"),
    (0x06, 0x03, "余额查询", "Account Balance Request"),
    (0x06, 0x09, "预付充值", "Prepaid Top-Up"),
    (0x06, 0x0A, "退税", "Tax Free"),
    (0x06, 0x0C, "小费", "TIP"),
    (0x06, 0x0F, "完成", "Completion"),
    (0x06, 0x10, "发送营业额汇总", "Send Turnover Totals"),
    (0x06, 0x12, "打印营业额凭条", "Print Turnover Receipts"),
    (0x06, 0x18, "复位终端", "Reset Terminal"),
    (0x06, 0x1A, "打印系统配置", "Print System Configuration"),
    (0x06, 0x1B, "设置/重置终端号", "Set/Reset Terminal-ID"),
    (0x06, 0x1E, "中止（终端→收银机）", "Abort"),
    (0x06, 0x20, "重打凭条", "Repeat Receipt"),
    (0x06, 0x21, "电话授权", "Telephonic Authorisation"),
    (0x06, 0x22, "预授权/预留", "Pre-Authorisation / Reservation"),
    (0x06, 0x23, "预授权部分撤销/预留入账", "Partial-Reversal of Pre-Auth / Booking of Reservation"),
    (0x06, 0x24, "总额入账", "Book Total"),
    (0x06, 0x25, "预授权撤销", "Pre-Authorisation Reversal"),
    (0x06, 0x30, "冲正（撤销）", "Reversal"),
    (0x06, 0x31, "退款", "Refund"),
    (0x06, 0x50, "日结", "End-of-Day"),
    (0x06, 0x51, "发送离线交易", "Send Offline Transactions"),
    (0x06, 0x70, "诊断", "Diagnosis"),
    (0x06, 0x79, "自检", "Selftest"),
    (0x06, 0x82, "保留", "RFU"),
    (0x06, 0x85, "旧版显示/PIN 命令", "legacy display/PIN command (use 06 E0)"),
    (0x06, 0x86, "旧版显示/PIN 命令", "legacy display/PIN command (use 06 E2)"),
    (0x06, 0x87, "旧版显示/PIN 命令", "legacy display/PIN command (use 06 E3)"),
    (0x06, 0x88, "旧版显示/PIN 命令", "legacy display/PIN command (use 06 E1)"),
    (0x06, 0x91, "设置终端日期时间", "Set Date and Time in PT"),
    (0x06, 0x93, "初始化", "Initialisation"),
    (0x06, 0x95, "修改密码", "Change Password"),
    (0x06, 0xB0, "中止（收银机发起）", "Abort (ECR)"),
    (0x06, 0xC0, "读卡", "Read Card"),
    (0x06, 0xC5, "关闭卡片", "Close Card"),
    (0x06, 0xD1, "打印行", "Print Line"),
    (0x06, 0xD3, "打印文本块", "Print Text-Block"),
    (0x06, 0xD8, "拨号", "Dial-Up"),
    (0x06, 0xD9, "发送数据", "Transmit Data"),
    (0x06, 0xDA, "接收数据", "Receive Data"),
    (0x06, 0xDB, "挂断", "Hang-Up"),
    (0x06, 0xDD, "透明模式", "Transparent-Mode"),
    (0x06, 0xE0, "显示文本", "Display Text"),
    (0x06, 0xE1, "显示文本并等待功能键", "Display Text with Function-Key Input"),
    (0x06, 0xE2, "显示文本并等待数字输入", "Display Text with Numerical Input"),
    (0x06, 0xE3, "客户卡 PIN 验证", "PIN-Verification for Customer-Card"),
    (0x06, 0xE4, "向收银机查询黑名单", "Blocked-List Query to ECR"),
    (0x08, 0x01, "启动服务模式", "Activate Service-Mode"),
    (0x08, 0x02, "切换协议", "Switch Protocol"),
    (0x08, 0x10, "软件更新", "Software-Update"),
    (0x08, 0x11, "读取文件", "Read File"),
    (0x08, 0x12, "删除文件", "Delete File"),
    (0x08, 0x13, "修改配置", "Change Configuration"),
    (0x08, 0x14, "写入文件", "Write File"),
    (0x08, 0x20, "OPT 操作：启动", "OPT action: start"),
    (0x08, 0x21, "OPT 操作：时间点", "OPT action: point-in-time"),
    (0x08, 0x22, "OPT 操作：预初始化", "OPT action: pre-initialisation"),
    (0x08, 0x23, "OPT 操作：输出数据", "OPT action: output data"),
    (0x08, 0x24, "OPT 操作：停用", "OPT action: out-of-order"),
    (0x08, 0x30, "选择语言", "Select Language"),
    (0x08, 0x40, "修改波特率", "Change Baudrate"),
    (0x08, 0x50, "启用读卡器", "Activate Card-Reader"),
    (0x0F, 0xA1, "cVEND 功能 (Feig)", "cVEND functions (Feig)"),
    (0x80, 0x00, "肯定确认", "Positive acknowledgement"),
    (0x84, 0x00, "肯定确认", "Positive acknowledgement"),
    (0x84, 0x9C, "请 2 秒后重发状态信息", "Repeat Status-Information"),
];

/// True for a code of the command map (the reference's commands and the Feig ones posdiag
/// decodes): its layout is known.
pub fn is_known_code(class: u8, instr: u8) -> bool {
    NAMES.iter().any(|r| r.0 == class && r.1 == instr)
}

/// The name of a code, e.g. `05 01` → "Status-Enquiry". `84 xx` is a negative
/// acknowledgement, `0F xx` a proprietary command; anything else is "unknown command".
pub fn command_name(class: u8, instr: u8) -> Text {
    if let Some(&(_, _, zh, en)) = NAMES.iter().find(|r| r.0 == class && r.1 == instr) {
        return Text::fixed(zh, en);
    }
    match class {
        0x84 => Text::fixed("否定确认", "Negative acknowledgement"),
        0x0F => Text::fixed("厂商专有命令", "proprietary command"),
        _ => Text::fixed("未知命令", "unknown command"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_have_names() {
        for &(code, class, instr) in COMMAND_CODES {
            assert_eq!(CommandCode::from_bytes(class, instr), code);
            assert_eq!(code.bytes(), [class, instr]);
            assert_ne!(code.name().en, "unknown command", "{code:?}");
        }
        assert_eq!(command_name(0x05, 0x01).en, "Status-Enquiry");
        assert_eq!(command_name(0x84, 0x6B).en, "Negative acknowledgement");
        assert!(NAMES.iter().all(|r| !r.2.is_empty() && !r.3.is_empty()));
    }
}
