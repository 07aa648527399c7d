//! The terminal commands a technician may send by hand, each with its safety class
//! (docs/protocols/zvt.md §5.3), a bilingual statement of exactly what it does, and the ECR message
//! it is.

use crate::i18n::Text;
use crate::proto::zvt::message::{
    AbortCommand, Diagnosis, DiagnosisKind, EcrMessage, EndOfDay, ReadCard, Registration,
    StatusEnquiry,
};
use crate::proto::zvt::values::Password;

/// How long Read Card lets the cardholder present a card.
pub const READ_CARD_TIMEOUT_S: u8 = 30;

/// Status-Enquiry service byte: send the TLV (1F55 locks, E4 device state) in the completion.
const SERVICE_BYTE_SEND_TLV: u8 = 0x04;

/// What a command may do to a live terminal (docs/protocols/zvt.md §5.3), mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SafetyClass {
    /// No side effect; may run without asking.
    ReadOnly,
    /// Prints on paper or shows something on the terminal.
    PhysicalOutput,
    /// Goes online to the host; no money moves.
    GoesOnline,
    /// Changes the terminal's state or settings, or prompts the cardholder.
    StateChanging,
    /// Moves or settles money.
    Financial,
}

impl SafetyClass {
    pub fn label(self) -> Text {
        match self {
            SafetyClass::ReadOnly => Text::fixed("只读", "read-only"),
            SafetyClass::PhysicalOutput => Text::fixed("打印/显示", "physical output"),
            SafetyClass::GoesOnline => Text::fixed("联网", "goes online"),
            SafetyClass::StateChanging => Text::fixed("更改状态", "state-changing"),
            SafetyClass::Financial => Text::fixed("财务", "financial"),
        }
    }

    /// Everything but a read-only command asks the user first.
    pub fn needs_confirmation(self) -> bool {
        self != SafetyClass::ReadOnly
    }
}

/// A command from the TUI's terminal command menu. Payments and reversals are not here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TerminalCommand {
    StatusEnquiry,
    /// Diagnosis `06 70` type 01.
    DiagnosisLine,
    /// Diagnosis `06 70` type 02.
    DiagnosisExtended,
    ReadCard,
    PrintSystemConfiguration,
    Registration,
    Abort,
    LogOff,
    Initialisation,
    EndOfDay,
}

use TerminalCommand as C;

impl TerminalCommand {
    /// Menu order: read-only first, financial last.
    pub const ALL: [TerminalCommand; 10] = [
        C::StatusEnquiry,
        C::DiagnosisLine,
        C::DiagnosisExtended,
        C::ReadCard,
        C::PrintSystemConfiguration,
        C::Registration,
        C::Abort,
        C::LogOff,
        C::Initialisation,
        C::EndOfDay,
    ];

    /// CLASS and INSTR.
    pub fn code(self) -> [u8; 2] {
        match self {
            C::StatusEnquiry => [0x05, 0x01],
            C::DiagnosisLine | C::DiagnosisExtended => [0x06, 0x70],
            C::ReadCard => [0x06, 0xC0],
            C::PrintSystemConfiguration => [0x06, 0x1A],
            C::Registration => [0x06, 0x00],
            C::Abort => [0x06, 0xB0],
            C::LogOff => [0x06, 0x02],
            C::Initialisation => [0x06, 0x93],
            C::EndOfDay => [0x06, 0x50],
        }
    }

    /// "06 70".
    pub fn code_text(self) -> String {
        let [class, instr] = self.code();
        format!("{class:02X} {instr:02X}")
    }

    pub fn name(self) -> Text {
        match self {
            C::StatusEnquiry => Text::fixed("状态查询", "Status-Enquiry"),
            C::DiagnosisLine => Text::fixed("诊断：线路", "Diagnosis: line"),
            C::DiagnosisExtended => Text::fixed("诊断：扩展", "Diagnosis: extended"),
            C::ReadCard => Text::fixed("读卡", "Read Card"),
            C::PrintSystemConfiguration => {
                Text::fixed("打印系统配置", "Print System Configuration")
            }
            C::Registration => Text::fixed("登记", "Registration"),
            C::Abort => Text::fixed("中止", "Abort"),
            C::LogOff => Text::fixed("注销", "Log-Off"),
            C::Initialisation => Text::fixed("初始化", "Initialisation"),
            C::EndOfDay => Text::fixed("日结", "End-of-Day"),
        }
    }

    /// "Diagnosis: line (06 70)".
    pub fn title(self) -> Text {
        let name = self.name();
        let code = self.code_text();
        Text::new(
            format!("{}（{code}）", name.zh),
            format!("{} ({code})", name.en),
        )
    }

    pub fn safety(self) -> SafetyClass {
        match self {
            C::StatusEnquiry => SafetyClass::ReadOnly,
            C::PrintSystemConfiguration => SafetyClass::PhysicalOutput,
            C::DiagnosisLine | C::DiagnosisExtended => SafetyClass::GoesOnline,
            C::ReadCard | C::Registration | C::Abort | C::LogOff | C::Initialisation => {
                SafetyClass::StateChanging
            }
            C::EndOfDay => SafetyClass::Financial,
        }
    }

    pub fn needs_confirmation(self) -> bool {
        self.safety().needs_confirmation()
    }

    /// The short phrase shown next to the command in the menu.
    pub fn tag(self) -> Text {
        match self {
            C::StatusEnquiry => Text::fixed("只读，无副作用", "read-only, no side effect"),
            C::DiagnosisLine | C::DiagnosisExtended => Text::fixed("联系主机", "contacts the host"),
            C::ReadCard => Text::fixed(
                "在终端上请持卡人刷卡；卡号已脱敏",
                "asks for a card; card data is masked",
            ),
            C::PrintSystemConfiguration => Text::fixed("打印纸质凭条", "prints on paper"),
            C::Registration => {
                Text::fixed("更改终端的 ECR 设置", "changes the terminal's ECR settings")
            }
            C::Abort => Text::fixed("中止终端当前的操作", "stops what the terminal is doing"),
            C::LogOff => Text::fixed("取消收银机的登记", "ends the cash register's registration"),
            C::Initialisation => Text::fixed(
                "联网并重新下载参数",
                "goes online and reloads its parameters",
            ),
            C::EndOfDay => Text::fixed("财务操作：结算并关闭批次", "financial: closes the batch"),
        }
    }

    /// Exactly what will happen, for the confirmation.
    pub fn effect(self) -> Text {
        match self {
            C::StatusEnquiry => Text::fixed(
                "posdiag 发送状态查询（05 01）。只读：终端报告其状态，不会改变任何东西。",
                "posdiag sends Status-Enquiry (05 01). Read-only: the terminal reports its status and nothing changes.",
            ),
            C::DiagnosisLine => Text::fixed(
                "posdiag 向终端发送诊断命令（06 70，类型 01 线路）。终端会联网并联系其主机以测试线路，可能从主机同步日期时间并打印凭条。不会产生支付。",
                "posdiag sends Diagnosis (06 70, type 01 line). The terminal goes online and contacts its host to test the line; it may take its date and time from the host and print a receipt. No payment is made.",
            ),
            C::DiagnosisExtended => Text::fixed(
                "posdiag 向终端发送诊断命令（06 70，类型 02 扩展）。终端会联网并与主机做扩展检查，可能从主机同步日期时间并打印凭条。不会产生支付。",
                "posdiag sends Diagnosis (06 70, type 02 extended). The terminal goes online and runs its extended check with the host; it may take its date and time from the host and print a receipt. No payment is made.",
            ),
            C::ReadCard => Text::fixed(
                "posdiag 发送读卡命令（06 C0，30 秒）。终端会请持卡人刷卡或插卡，最多等待 30 秒。只显示和记录脱敏卡号（前 6 位和后 4 位），磁道数据不会显示或保存。不会产生支付。",
                "posdiag sends Read Card (06 C0, 30 s). The terminal asks the cardholder for a card and waits up to 30 s. Only the masked card number (first 6 and last 4 digits) is shown and recorded, never track data. No payment is made.",
            ),
            C::PrintSystemConfiguration => Text::fixed(
                "posdiag 发送打印系统配置命令（06 1A）。终端会在纸上打印其配置（若 posdiag 登记为打印端，则各行发送到这里，显示在日志中）。不会更改任何设置。",
                "posdiag sends Print System Configuration (06 1A). The terminal prints its configuration on paper (or sends the lines here when posdiag is its registered printer; they then show in the Log). Nothing is changed.",
            ),
            C::Registration => Text::fixed(
                "posdiag 用配置文件中的密码和配置字节（terminal.config_byte）发送登记命令（06 00）。这会更改终端的 ECR 设置：由谁打印凭条、是否发送中间状态、TLV 模式。之后商户的收银机可能需要重新登记。",
                "posdiag sends Registration (06 00) with the profile's password and config byte (terminal.config_byte). This changes the terminal's ECR settings: who prints receipts, intermediate status, TLV mode. The shop's cash register may have to register again afterwards.",
            ),
            C::Abort => Text::fixed(
                "posdiag 发送中止命令（06 B0）。终端会停止当前操作并退出插着的卡（状态 DC）。正在进行的支付可能被取消，终端也可能拒绝中止。",
                "posdiag sends Abort (06 B0). The terminal stops what it is doing and ejects an inserted card (status DC). A payment in progress may be cancelled, or the terminal may refuse to abort it.",
            ),
            C::LogOff => Text::fixed(
                "posdiag 发送注销命令（06 02）。终端会取消收银机的登记：配置字节恢复为 86，TLV 关闭。商户的收银机在下一笔支付前必须重新登记。",
                "posdiag sends Log-Off (06 02). The terminal drops the cash register's registration: its config byte goes back to 86 and TLV is switched off. The shop's cash register must register again before its next payment.",
            ),
            C::Initialisation => Text::fixed(
                "posdiag 用配置文件中的密码发送初始化命令（06 93）。终端会联网并从主机下载参数，替换当前参数；完成之前无法收款（可能需要几分钟）。",
                "posdiag sends Initialisation (06 93) with the profile's password. The terminal goes online and downloads its parameters from the host, replacing the current ones; it takes no payments until that has finished (this can take minutes).",
            ),
            C::EndOfDay => Text::fixed(
                "posdiag 用配置文件中的密码发送日结命令（06 50）。终端将关闭今天的批次：与主机结算当天的交易，打印总额并开始新批次。这是财务操作，无法撤销；只在商户同意时执行。",
                "posdiag sends End-of-Day (06 50) with the profile's password. The terminal CLOSES TODAY'S BATCH: it settles the day's payments with the host, prints the totals and starts a new batch. This is a financial operation and cannot be undone; run it only when the shop agrees.",
            ),
        }
    }

    /// The message on the wire, with the profile's password and config byte.
    pub fn message(self, password: Password, config_byte: u8) -> EcrMessage {
        match self {
            C::StatusEnquiry => EcrMessage::StatusEnquiry(StatusEnquiry {
                password: Some(password),
                service_byte: Some(SERVICE_BYTE_SEND_TLV),
                tlv: None,
            }),
            C::DiagnosisLine => EcrMessage::Diagnosis(Diagnosis {
                kind: DiagnosisKind::Line,
            }),
            C::DiagnosisExtended => EcrMessage::Diagnosis(Diagnosis {
                kind: DiagnosisKind::Extended,
            }),
            C::ReadCard => EcrMessage::ReadCard(ReadCard {
                timeout_s: Some(READ_CARD_TIMEOUT_S),
                ..ReadCard::default()
            }),
            C::PrintSystemConfiguration => EcrMessage::PrintSystemConfiguration,
            C::Registration => EcrMessage::Registration(Registration {
                password,
                config_byte,
                ..Registration::default()
            }),
            C::Abort => EcrMessage::Abort(AbortCommand::default()),
            C::LogOff => EcrMessage::LogOff,
            C::Initialisation => EcrMessage::Initialisation { password },
            C::EndOfDay => EcrMessage::EndOfDay(EndOfDay {
                password,
                tlv: None,
            }),
        }
    }

    /// The spec's recovery action for a check's cause (docs/protocols/zvt.md §9), to suggest —
    /// never to run by itself.
    pub fn recovery_for(cause: &str) -> Option<TerminalCommand> {
        Some(match cause {
            "terminal.needs_init" => C::Initialisation,
            "terminal.diagnosis_required" | "clock.wrong" => C::DiagnosisExtended,
            "terminal.eod_required" => C::EndOfDay,
            "reader.card_inserted" => C::Abort,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::zvt::message::decode_ecr_message;

    #[test]
    fn every_command_is_bilingual_and_encodes_to_its_code() {
        let pw = Password::from_digits("123456").expect("password");
        for c in TerminalCommand::ALL {
            for t in [c.name(), c.title(), c.tag(), c.effect(), c.safety().label()] {
                assert!(!t.is_incomplete(), "{c:?}: {t:?}");
            }
            let apdu = c.message(pw, 0xDE).to_apdu().expect("encodes");
            assert_eq!([apdu.class, apdu.instr], c.code(), "{c:?}");
            // What we send is what the decoder reads back.
            assert_eq!(decode_ecr_message(&apdu).ok(), Some(c.message(pw, 0xDE)));
        }
    }

    #[test]
    fn only_status_enquiry_runs_without_asking() {
        let unasked: Vec<_> = TerminalCommand::ALL
            .into_iter()
            .filter(|c| !c.needs_confirmation())
            .collect();
        assert_eq!(unasked, vec![C::StatusEnquiry]);
        assert_eq!(C::EndOfDay.safety(), SafetyClass::Financial);
        assert!(C::EndOfDay.effect().en.contains("CLOSES TODAY'S BATCH"));
        assert_eq!(C::DiagnosisLine.safety(), SafetyClass::GoesOnline);
    }

    #[test]
    fn registration_carries_the_profile_password_and_config_byte() {
        let pw = Password::from_digits("123456").expect("password");
        let bytes = C::Registration.message(pw, 0xBE).encode().expect("encodes");
        assert_eq!(bytes, vec![0x06, 0x00, 0x04, 0x12, 0x34, 0x56, 0xBE]);
        let diag = C::DiagnosisLine.message(pw, 0).encode().expect("encodes");
        assert_eq!(diag, vec![0x06, 0x70, 0x05, 0x06, 0x03, 0x1B, 0x01, 0x01]);
    }

    #[test]
    fn recovery_suggestions_follow_the_spec_table() {
        assert_eq!(
            TerminalCommand::recovery_for("terminal.diagnosis_required"),
            Some(C::DiagnosisExtended)
        );
        assert_eq!(
            TerminalCommand::recovery_for("terminal.needs_init"),
            Some(C::Initialisation)
        );
        assert_eq!(
            TerminalCommand::recovery_for("terminal.eod_required"),
            Some(C::EndOfDay)
        );
        assert_eq!(TerminalCommand::recovery_for("reader.not_answering"), None);
    }
}
