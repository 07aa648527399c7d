//! One masked line per APDU for the Log tab: `05 01 Status-Enquiry svc=04`,
//! `06 0F Completion: status 00 PT ready, SW 2.14.15`.
//!
//! The APDU is redacted before it is decoded, so no line can carry card data.

use super::apdu::Apdu;
use super::codes::{intermediate_status, result_code};
use super::feig::SystemInformation;
use super::message::{
    command_name, decode_ecr_message, decode_pt_message, is_pt_message, CommandCode, EcrMessage,
    PtMessage,
};
use super::redact::redact_apdu;
use super::values::format_amount;
use crate::i18n::Text;
use crate::tr;

/// The summary in English (the Log tab's protocol language); see [`summarize_text`] for both.
pub fn summarize(apdu: &Apdu, context: Option<CommandCode>) -> String {
    summarize_text(apdu, context).en.into_owned()
}

/// The summary in zh and en. `context` is the command sent last (it decides how a `06 0F` is
/// read).
pub fn summarize_text(apdu: &Apdu, context: Option<CommandCode>) -> Text {
    let code = format!("{:02X} {:02X}", apdu.class, apdu.instr);
    let name = command_name(apdu.class, apdu.instr);
    let safe = match apdu
        .encode()
        .map(|b| redact_apdu(&b))
        .map(|b| Apdu::decode(&b))
    {
        Ok(Ok(a)) => a,
        _ => Apdu::new(apdu.class, apdu.instr, Vec::new()),
    };
    let details = if is_pt_message(apdu.class, apdu.instr) {
        decode_pt_message(&safe, context).map(|m| pt_details(&m))
    } else {
        decode_ecr_message(&safe).map(|m| ecr_details(&m))
    };
    let details = match details {
        Ok(d) => d,
        // Feig's system information answers 0F A1 with ASCII fields instead of BMPs.
        Err(_)
            if safe.code() == [0x06, 0x0F] && SystemInformation::decode(&safe.data).is_some() =>
        {
            feig_system_information(&safe.data)
        }
        Err(e) => {
            let t = e.text();
            vec![Text::new(
                format!("解码错误：{}", t.zh),
                format!("decode error: {}", t.en),
            )]
        }
    };
    let (zh, en) = if details.is_empty() {
        (format!("{code} {}", name.zh), format!("{code} {}", name.en))
    } else {
        let zh: Vec<&str> = details.iter().map(|t| t.zh.as_ref()).collect();
        let en: Vec<&str> = details.iter().map(|t| t.en.as_ref()).collect();
        (
            format!("{code} {}：{}", name.zh, zh.join("，")),
            format!("{code} {}: {}", name.en, en.join(", ")),
        )
    };
    Text::new(zh, en)
}

/// `Feig system information: device 17FD1E3C, SW GER-APP-v2.0.9, TID 52523535, 24.4 °C`.
fn feig_system_information(data: &[u8]) -> Vec<Text> {
    let Some(i) = SystemInformation::decode(data) else {
        return Vec::new();
    };
    vec![tr!(
        "Feig 系统信息：设备 {}，软件 {}，终端号 {}，{} °C",
        "Feig system information: device {}, SW {}, TID {}, {} °C",
        i.device_id,
        i.sw_version.trim_end(),
        i.terminal_id,
        i.temperature
    )]
}

fn same(s: String) -> Text {
    Text::same(s)
}

fn ecr_details(m: &EcrMessage) -> Vec<Text> {
    use EcrMessage as M;
    let mut d = Vec::new();
    match m {
        M::StatusEnquiry(s) => {
            if let Some(svc) = s.service_byte {
                d.push(same(format!("svc={svc:02X}")));
            }
            if s.tlv.is_some() {
                d.push(same("TLV".into()));
            }
        }
        M::Registration(r) => {
            d.push(same(format!("config={:02X}", r.config_byte)));
            if let Some(cc) = r.currency {
                d.push(same(format!("CC {cc:03}")));
            }
            if let Some(svc) = r.service_byte {
                d.push(same(format!("svc={svc:02X}")));
            }
            if r.tlv.is_some() {
                d.push(same("TLV".into()));
            }
        }
        M::Diagnosis(g) => d.push(tr!("类型 {:02X}", "type {:02X}", g.kind.to_byte())),
        M::ReadCard(r) => {
            if let Some(t) = r.timeout_s {
                d.push(tr!("超时 {t} 秒", "timeout {t} s"));
            }
        }
        M::Authorisation(a) => {
            if let Some(amount) = a.amount_minor {
                d.push(same(format_amount(amount, a.currency)));
            }
            if let Some(pt) = a.payment_type {
                d.push(tr!("支付类型 {pt:02X}", "payment type {pt:02X}"));
            }
        }
        M::Reversal(r) => {
            if let Some(no) = r.receipt_no {
                d.push(tr!("凭条 {no:04}", "receipt {no:04}"));
            }
        }
        M::RepeatReceipt(r) => {
            if let Some(svc) = r.service_byte {
                d.push(same(format!("svc={svc:02X}")));
            }
        }
        M::SetDateTimeInPt(s) => d.push(same(format!("{} {}", s.date, s.time))),
        M::NegativeAck { result_code: rc } => d.push(result_text(*rc)),
        M::Other(a) => d.push(tr!("{} 字节数据", "{} data bytes", a.data.len())),
        _ => {}
    }
    d
}

fn result_text(rc: u8) -> Text {
    let info = result_code(rc);
    Text::new(
        format!("结果 {rc:02X} {}", info.text.zh),
        format!("rc {rc:02X} {}", info.text.en),
    )
}

fn pt_details(m: &PtMessage) -> Vec<Text> {
    use PtMessage as M;
    let mut d = Vec::new();
    match m {
        M::Ack => {}
        // `84 1E 03 6F <CC>`: a Registration refused for its currency.
        M::NegativeAck {
            result_code: 0x1E,
            data,
        } if matches!(data.as_slice(), [0x6F, _, _]) => {
            d.push(result_text(0x6F));
            if let Some(cc) = data.get(1..).and_then(crate::zvt::values::decode_currency) {
                d.push(same(crate::zvt::values::currency_alpha(cc).map_or_else(
                    || format!("CC {cc:03}"),
                    |a| format!("CC {cc:03} {a}"),
                )));
            }
        }
        M::NegativeAck {
            result_code: rc, ..
        } => d.push(result_text(*rc)),
        M::Completion(c) => {
            if let Some(rc) = c.result_code {
                d.push(result_text(rc));
            }
            if let Some(sb) = c.status_byte {
                d.push(tr!("状态字节 {sb:02X}", "status byte {sb:02X}"));
            }
            if let Some(tid) = &c.tid {
                d.push(same(format!("TID {tid}")));
            }
        }
        M::StatusEnquiryCompletion(s) => {
            let st = s.terminal_status;
            let code = st.to_byte();
            d.push(Text::new(
                format!("状态 {code:02X} {}", st.meaning().zh),
                format!("status {code:02X} {}", st.meaning().en),
            ));
            if let Some(sw) = &s.sw_version {
                d.push(tr!("软件 {sw}", "SW {sw}"));
            }
            if s.tlv.is_some() {
                d.push(same("TLV".into()));
            }
        }
        M::Abort(a) => {
            d.push(result_text(a.result_code));
            let (code, text) = a.vendor_error();
            if let Some(code) = code {
                d.push(tr!("厂商错误 {code}", "vendor error {code}"));
            }
            if let Some(text) = text {
                d.push(same(format!("\"{text}\"")));
            }
        }
        M::StatusInformation(s) => {
            if let Some(rc) = s.result_code {
                d.push(result_text(rc));
            }
            if let Some(a) = s.amount_text() {
                d.push(same(a));
            }
            if let Some(pan) = &s.pan_masked {
                d.push(same(format!("PAN {pan}")));
            }
            if let Some(name) = &s.card_name {
                d.push(same(name.clone()));
            }
            if let Some(no) = &s.receipt_no {
                d.push(tr!("凭条 {no}", "receipt {no}"));
            }
            if s.has_card_data() {
                d.push(Text::fixed("含卡数据（已屏蔽）", "card data (masked)"));
            }
        }
        M::IntermediateStatus(i) => {
            let info = intermediate_status(i.code);
            d.push(Text::new(
                format!("{:02X} {}", i.code, info.text.zh),
                format!("{:02X} {}", i.code, info.text.en),
            ));
            if let Some(t) = i.timeout_min {
                d.push(tr!("超时 {t} 分钟", "timeout {t} min"));
            }
        }
        M::PrintLine(p) => d.push(same(format!("\"{}\"", p.text.trim_end()))),
        M::PrintTextBlock(p) => {
            let kind = match p.receipt_type() {
                Some(1) => Text::fixed("商户联", "merchant receipt"),
                Some(2) => Text::fixed("客户联", "customer receipt"),
                Some(3) => Text::fixed("管理凭条", "administration receipt"),
                _ => Text::fixed("凭条", "receipt"),
            };
            let n = p.lines().len();
            d.push(Text::new(
                format!("{}，{n} 行", kind.zh),
                format!("{}, {n} lines", kind.en),
            ));
        }
        M::SetDateTimeInEcr(s) => d.push(same(format!("{} {}", s.date, s.time))),
        M::Other(a) => d.push(tr!("{} 字节数据", "{} data bytes", a.data.len())),
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let se = Apdu::new(0x05, 0x01, vec![0x12, 0x34, 0x56, 0x03, 0x04]);
        assert_eq!(summarize(&se, None), "05 01 Status-Enquiry: svc=04");
        let done = Apdu::decode(&hex::decode("060F0BF0F0F7322E31342E313500").unwrap()).unwrap();
        assert_eq!(
            summarize(&done, Some(CommandCode::StatusEnquiry)),
            "06 0F Completion: status 00 PT ready, SW 2.14.15"
        );
        assert_eq!(
            summarize(&Apdu::new(0x80, 0, vec![]), None),
            "80 00 Positive acknowledgement"
        );
        let zh = summarize_text(&Apdu::new(0x04, 0xFF, vec![0x17]), None);
        assert_eq!(zh.zh, "04 FF 中间状态信息：17 请稍候");
    }
}
