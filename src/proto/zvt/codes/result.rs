//! Result codes (PA00P015 ch.10, reference §7): BMP 27, the Abort `06 1E` code and the APRC of a
//! negative acknowledgement `84 xx`. `00` is success; `01`–`63` are passed through from the
//! authorisation host and mean different things per provider.

use serde::Serialize;

use super::unknown_code;
use crate::i18n::Text;
use crate::proto::area::Area;

/// What a result code means and where to look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultCodeInfo {
    pub code: u8,
    pub text: Text,
    /// The diagnostic area the code points to; `None` for success and unknown codes.
    pub area: Option<Area>,
    /// What to do about it (the project's triage, not spec text).
    pub action: Text,
    /// False for codes not in the table.
    pub known: bool,
}

impl ResultCodeInfo {
    pub fn is_success(&self) -> bool {
        self.code == 0
    }
}

/// Triage groups of the "diagnostic area" column.
#[derive(Clone, Copy)]
enum Triage {
    CardOrReader,
    Reader,
    Config,
    RunEod,
    Register,
    OperatorOrTimeout,
    Card,
    Keys,
    KeysInit,
    Security,
    Host,
    Network,
    NetworkOrHost,
    ReaderHardware,
    PinPad,
    Protocol,
    Retry,
    NoAction,
    Power,
    MerchantCard,
    RunDiagnosis,
    SwUpdate,
    Printer,
    RemoveCard,
    WaitOrTechnician,
    Technician,
    Opt,
    SerialSetup,
    Vendor,
    ReadDeleteFile,
}

impl Triage {
    fn area(self) -> Area {
        use Triage::*;
        match self {
            CardOrReader | Reader | Card | ReaderHardware | RemoveCard => Area::Reader,
            Keys | KeysInit | PinPad | Security => Area::Keys,
            Host => Area::Host,
            Network | NetworkOrHost => Area::Network,
            Protocol | SerialSetup => Area::Link,
            Power => Area::Power,
            Printer => Area::Printer,
            _ => Area::Terminal,
        }
    }

    fn action(self) -> Text {
        use Triage::*;
        match self {
            CardOrReader => Text::fixed(
                "换一张卡重试；仍失败则检查读卡器",
                "try another card; if it still fails, check the card reader",
            ),
            Reader => Text::fixed(
                "检查读卡器（含机械部分）",
                "check the card reader (including its mechanics)",
            ),
            Config => Text::fixed(
                "检查终端配置/受理的卡种",
                "check the terminal configuration / accepted card types",
            ),
            RunEod => Text::fixed("执行日结 (06 50)", "run End-of-Day (06 50)"),
            Register => Text::fixed("发送注册 (06 00)", "send Registration (06 00)"),
            OperatorOrTimeout => Text::fixed(
                "被操作员取消或超时；检查 T4 超时设置",
                "aborted by the operator or a timeout; check the T4 timeout",
            ),
            Card => Text::fixed("卡片问题：换一张卡", "card problem: try another card"),
            Keys => Text::fixed(
                "密钥问题：联系收单机构/技术员",
                "key problem: contact the acquirer / technician",
            ),
            KeysInit => Text::fixed(
                "缺少密钥：执行初始化 (06 93)",
                "key missing: run Initialisation (06 93)",
            ),
            Security => Text::fixed(
                "安全规则禁止：检查终端安全配置",
                "forbidden by a security rule: check the terminal security setup",
            ),
            Host => Text::fixed(
                "主机/收单机构问题：稍后重试或联系收单机构",
                "host / acquirer problem: retry later or contact the acquirer",
            ),
            Network => Text::fixed(
                "检查终端网络连接",
                "check the terminal's network connection",
            ),
            NetworkOrHost => Text::fixed(
                "检查网络和主机是否可达",
                "check the network and whether the host is reachable",
            ),
            ReaderHardware => Text::fixed(
                "读卡器硬件故障：联系技术员",
                "card reader hardware fault: call a technician",
            ),
            PinPad => Text::fixed(
                "密码键盘故障：联系技术员",
                "PIN pad fault: call a technician",
            ),
            Protocol => Text::fixed(
                "ZVT 协议错误：检查收银机/posdiag 发送的报文",
                "ZVT protocol error: check the message the ECR / posdiag sent",
            ),
            Retry => Text::fixed("稍候重试", "wait and retry"),
            NoAction => Text::fixed("无需诊断操作", "no diagnostic action"),
            Power => Text::fixed(
                "检查外部电源/电源适配器",
                "check the external power supply / adapter",
            ),
            MerchantCard => Text::fixed(
                "设置日期时间或执行诊断；重新登记商户卡",
                "set date/time or run Diagnosis; re-register the merchant card",
            ),
            RunDiagnosis => Text::fixed("执行诊断 (06 70)", "run Diagnosis (06 70)"),
            SwUpdate => Text::fixed(
                "软件更新 (08 10) 或联系技术员",
                "Software-Update (08 10) or call a technician",
            ),
            Printer => Text::fixed("检查打印纸和打印机", "check the paper and the printer"),
            RemoveCard => Text::fixed("取出卡片", "remove the card"),
            WaitOrTechnician => Text::fixed(
                "等待远程维护结束或联系技术员",
                "wait for remote maintenance to end or call a technician",
            ),
            Technician => Text::fixed("联系技术员", "call a technician"),
            Opt => Text::fixed("OPT 个性化/OPT 操作", "OPT personalisation / OPT action"),
            SerialSetup => Text::fixed(
                "改用终端支持的波特率",
                "use a baud rate the terminal supports",
            ),
            Vendor => Text::fixed(
                "查看 TLV 1F16（错误码）/1F17（错误文本）",
                "read TLV 1F16 (error code) / 1F17 (error text)",
            ),
            ReadDeleteFile => Text::fixed(
                "读取和/或删除文件 (08 11 / 08 12)",
                "Read File and/or Delete File (08 11 / 08 12)",
            ),
        }
    }
}

use Triage as T;

#[rustfmt::skip]
static RESULT_CODES: &[(u8, &str, &str, Triage)] = &[
    (0x64, "卡片无法读取（LRC/奇偶校验错误）", "card not readable (LRC/parity error)", T::CardOrReader),
    (0x65, "卡片数据不存在（无磁道数据、无芯片）", "card data not present (no track data, no chip)", T::CardOrReader),
    (0x66, "处理错误（也可能是读卡器机械故障）", "processing error (also card-reader mechanics)", T::Reader),
    (0x67, "该功能不允许用于 ec/Maestro 卡", "function not permitted for ec/Maestro cards", T::Config),
    (0x68, "该功能不允许用于信用卡/加油卡", "function not permitted for credit/tank cards", T::Config),
    (0x6A, "交易文件已满", "turnover file full", T::RunEod),
    (0x6B, "功能未启用（终端未注册）", "function deactivated (PT not registered)", T::Register),
    (0x6C, "因超时或取消键中止", "abort via timeout or abort key", T::OperatorOrTimeout),
    (0x6E, "卡片在黑名单中", "card in blocked list", T::Card),
    (0x6F, "货币错误", "wrong currency", T::Config),
    (0x71, "余额不足（芯片卡）", "credit not sufficient (chip card)", T::Card),
    (0x72, "芯片错误", "chip error", T::CardOrReader),
    (0x73, "卡片数据错误（如国家代码或校验和）", "card data incorrect (e.g. country key or checksum)", T::Card),
    (0x74, "DUKPT 引擎耗尽", "DUKPT engine exhausted", T::Keys),
    (0x75, "文本未经认证", "text not authentic", T::Security),
    (0x76, "卡号不在白名单中", "PAN not in white list", T::Config),
    (0x77, "无法进行日结批处理", "end-of-day batch not possible", T::Host),
    (0x78, "卡片已过期", "card expired", T::Card),
    (0x79, "卡片尚未生效", "card not yet valid", T::Card),
    (0x7A, "未知卡片", "card unknown", T::Card),
    (0x7B, "不允许磁条降级（girocard）", "no mag-stripe fallback (girocard)", T::Card),
    (0x7C, "不允许降级（非 girocard）", "no fallback (non-girocard)", T::Card),
    (0x7D, "通讯错误（通讯模块无应答或不存在）", "communication error (comm module not answering / absent)", T::Network),
    (0x7E, "不允许降级，可做借记通知", "no fallback, debit advice possible", T::Card),
    (0x83, "功能无法执行", "function not possible", T::Config),
    (0x85, "缺少密钥", "key missing", T::KeysInit),
    (0x89, "密码键盘故障", "PIN pad defective", T::PinPad),
    (0x9A, "ZVT 协议错误（解析错误、缺少必需元素）", "ZVT protocol error (parse error, mandatory element missing)", T::Protocol),
    (0x9B, "拨号/通讯故障", "dial-up / communication fault", T::Network),
    (0x9C, "请稍候", "please wait", T::Retry),
    (0xA0, "接收方未就绪", "receiver not ready", T::NetworkOrHost),
    (0xA1, "远端无应答", "remote station does not respond", T::NetworkOrHost),
    (0xA3, "无连接", "no connection", T::Network),
    (0xA4, "无法提交 Geldkarte", "Geldkarte submission not possible", T::Host),
    (0xA5, "不允许（PCI-DSS/P2PE 规则）", "not allowed (PCI-DSS / P2PE rule)", T::Security),
    (0xB1, "存储已满", "memory full", T::RunEod),
    (0xB2, "商户流水已满", "merchant journal full", T::ReadDeleteFile),
    (0xB4, "已冲正", "already reversed", T::NoAction),
    (0xB5, "无法冲正", "reversal not possible", T::NoAction),
    (0xB7, "预授权错误/金额错误", "pre-authorisation incorrect / amount wrong", T::NoAction),
    (0xB8, "预授权出错", "error pre-authorisation", T::NoAction),
    (0xBF, "供电电压过低（外部电源）", "supply voltage too low (external power)", T::Power),
    (0xC0, "卡锁定机构故障", "card locking mechanism defective", T::ReaderHardware),
    (0xC1, "商户卡已锁定", "merchant card locked", T::MerchantCard),
    (0xC2, "需要诊断", "diagnosis required", T::RunDiagnosis),
    (0xC3, "超过最大金额", "maximum amount exceeded", T::Config),
    (0xC4, "卡配置文件无效（需加载新配置）", "card profile invalid (load new profiles)", T::SwUpdate),
    (0xC5, "不支持该支付方式", "payment method not supported", T::Config),
    (0xC6, "货币不适用", "currency not applicable", T::Config),
    (0xC8, "金额太小", "amount too small", T::NoAction),
    (0xC9, "最大交易金额太小", "max. transaction amount too small", T::Config),
    (0xCB, "只允许欧元", "only allowed in EUR", T::Config),
    (0xCC, "打印机未就绪", "printer not ready", T::Printer),
    (0xCD, "无法返现", "cashback not possible", T::NoAction),
    (0xD2, "不允许用于服务卡/银行客户卡", "not permitted for service / bank-customer cards", T::Card),
    (0xDC, "卡片已插入", "card inserted", T::RemoveCard),
    (0xDD, "出卡错误（电动读卡器）", "card-eject error (motor reader)", T::ReaderHardware),
    (0xDE, "插卡错误（电动读卡器）", "card-insertion error (motor reader)", T::ReaderHardware),
    (0xE0, "远程维护已激活", "remote maintenance activated", T::WaitOrTechnician),
    (0xE2, "读卡器无应答/故障", "card reader does not answer / defective", T::ReaderHardware),
    (0xE3, "挡板已关闭", "shutter closed", T::ReaderHardware),
    (0xE4, "需要激活终端", "terminal activation required", T::Technician),
    (0xE7, "未找到商品组", "goods group not found", T::Config),
    (0xE8, "未加载商品组表", "no goods-groups table loaded", T::Config),
    (0xE9, "限制代码不允许", "restriction code not permitted", T::Config),
    (0xEA, "卡代码不允许（未通过诊断激活）", "card code not permitted (not activated via Diagnosis)", T::RunDiagnosis),
    (0xEB, "PIN 算法未知", "PIN algorithm unknown", T::Keys),
    (0xEC, "无法处理 PIN", "PIN processing not possible", T::Keys),
    (0xED, "密码键盘故障", "PIN pad defective", T::PinPad),
    (0xF0, "存在未结的日结批次", "open end-of-day batch present", T::RunEod),
    (0xF1, "ec-cash/Maestro 离线错误", "ec-cash/Maestro offline error", T::Host),
    (0xF5, "OPT 错误", "OPT error", T::Opt),
    (0xF6, "OPT 数据不可用（需要 OPT 个性化）", "OPT data not available (OPT personalisation required)", T::Opt),
    (0xFA, "传输离线交易出错（清算）", "error transmitting offline transactions (clearing)", T::Host),
    (0xFB, "交易数据记录损坏", "turnover data set defective", T::Technician),
    (0xFC, "必需设备不存在或故障", "necessary device not present or defective", T::ReaderHardware),
    (0xFD, "不支持该波特率", "baud rate not supported", T::SerialSetup),
    (0xFE, "寄存器未知", "register unknown", T::NoAction),
    (0xFF, "系统错误：见 TLV 1F16（代码）/1F17（文本）", "system error: read TLV 1F16 (code) / 1F17 (text)", T::Vendor),
];

/// The meaning of a result code. Never fails: unknown codes give an "unknown code" entry.
pub fn result_code(code: u8) -> ResultCodeInfo {
    if code == 0 {
        return ResultCodeInfo {
            code,
            text: Text::fixed("无错误", "no error"),
            area: None,
            action: Triage::NoAction.action(),
            known: true,
        };
    }
    if (0x01..=0x63).contains(&code) {
        return host_code(code);
    }
    match RESULT_CODES.iter().find(|(c, ..)| *c == code) {
        Some(&(_, zh, en, triage)) => ResultCodeInfo {
            code,
            text: Text::fixed(zh, en),
            area: Some(triage.area()),
            action: triage.action(),
            known: true,
        },
        None => ResultCodeInfo {
            code,
            text: unknown_code(code),
            area: None,
            action: Text::fixed(
                "查阅终端厂商文档",
                "look the code up in the vendor documentation",
            ),
            known: false,
        },
    }
}

/// Codes 0x01–0x63 are host return codes 1–99 passed through (0x37 = host code 55); their
/// meaning depends on the acquirer. The spec itself treats 55 as "PIN incorrect", 54 "expired".
fn host_code(code: u8) -> ResultCodeInfo {
    let decimal = format!("{code} (0x{code:02X})");
    let known = match code {
        0x37 => Some(Text::fixed("PIN 错误", "PIN incorrect")),
        0x36 => Some(Text::fixed("卡片已过期", "card expired")),
        _ => None,
    };
    let text = match known {
        Some(t) => Text::new(
            format!("主机返回码 {decimal}：{}", t.zh),
            format!("host code {decimal}: {}", t.en),
        ),
        None => Text::new(
            format!("主机返回码 {decimal}（含义因收单机构而异）"),
            format!("host code {decimal} (meaning depends on the acquirer)"),
        ),
    };
    ResultCodeInfo {
        code,
        text,
        area: Some(Area::Host),
        action: Triage::Host.action(),
        known: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_sorted_and_bilingual() {
        assert!(RESULT_CODES.windows(2).all(|w| w[0].0 < w[1].0));
        for code in 0..=255u8 {
            let info = result_code(code);
            assert!(!info.text.is_incomplete() && !info.action.is_incomplete());
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(result_code(0x6C).text.en, "abort via timeout or abort key");
        assert_eq!(result_code(0xCC).area, Some(Area::Printer));
        assert_eq!(result_code(0xBF).area, Some(Area::Power));
        assert_eq!(result_code(0x37).area, Some(Area::Host));
        assert_eq!(
            result_code(0x37).text.en,
            "host code 55 (0x37): PIN incorrect"
        );
        let unknown = result_code(0x69);
        assert!(!unknown.known);
        assert_eq!(unknown.text.en, "unknown code 0x69");
    }
}
