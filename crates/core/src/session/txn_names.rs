//! A transaction command's name and effect as the user's terminal speaks it: ZVT's command
//! codes ("Payment (06 01)"), nexo's message names ("Payment (PaymentRequest)").

use super::txn::TxnRequest;
use crate::drivers::terminal::TerminalProtocol;
use crate::i18n::Text;
use crate::txn::amount_string;

impl TxnRequest {
    /// The command's name on a terminal speaking `protocol`.
    pub fn name_on(self, protocol: TerminalProtocol) -> Text {
        match (protocol, self) {
            (TerminalProtocol::Zvt, r) => r.name(),
            (TerminalProtocol::Nexo, TxnRequest::Pay { .. }) => {
                Text::fixed("消费（PaymentRequest）", "Payment (PaymentRequest)")
            }
            (TerminalProtocol::Nexo, TxnRequest::Reverse { .. }) => {
                Text::fixed("撤销（ReversalRequest）", "Reversal (ReversalRequest)")
            }
            (TerminalProtocol::Nexo, TxnRequest::Abort) => {
                Text::fixed("中止（AbortRequest）", "Abort (AbortRequest)")
            }
            // Concert's only request is the payment (its transaction type says debit, credit
            // or refund); the other commands are named without a protocol message.
            (TerminalProtocol::Concert, TxnRequest::Pay { .. }) => Text::fixed(
                "消费（Concert 借记请求）",
                "Payment (Concert debit request)",
            ),
            (TerminalProtocol::Concert, TxnRequest::Reverse { .. }) => {
                Text::fixed("撤销", "Reversal")
            }
            (TerminalProtocol::Concert, TxnRequest::Abort) => Text::fixed("中止", "Abort"),
            (TerminalProtocol::Nexo | TerminalProtocol::Concert, TxnRequest::EndOfDay) => {
                Text::fixed("日结", "End-of-Day")
            }
            (TerminalProtocol::Nexo | TerminalProtocol::Concert, TxnRequest::RepeatReceipt) => {
                Text::fixed("重打小票", "Repeat Receipt")
            }
        }
    }

    /// Exactly what will happen on a terminal speaking `protocol`, for the confirmation.
    pub fn effect_on(self, protocol: TerminalProtocol) -> Text {
        match (protocol, self) {
            (TerminalProtocol::Nexo, TxnRequest::Pay { amount_minor }) => {
                let a = amount_string(amount_minor, None);
                crate::tr!(
                    "posdiag 向终端发起一笔 {a} 的消费（PaymentRequest，配置中的货币）。这是真实的财务交易：持卡人会被扣款。只在测试终端或商户同意时执行。",
                    "posdiag starts a PAYMENT of {a} (PaymentRequest, in the profile's currency). This is a real financial transaction: the cardholder is charged. Run it on a test terminal, or only when the shop agrees."
                )
            }
            (_, r) => r.effect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nexo_names_its_messages_and_zvt_its_codes() {
        let pay = TxnRequest::Pay { amount_minor: 1234 };
        assert!(pay.name_on(TerminalProtocol::Zvt).en.contains("06 01"));
        assert!(pay
            .name_on(TerminalProtocol::Nexo)
            .en
            .contains("PaymentRequest"));
        assert!(!pay.effect_on(TerminalProtocol::Nexo).en.contains("06 01"));
        assert!(pay.effect_on(TerminalProtocol::Nexo).zh.contains("12.34"));
    }
}
