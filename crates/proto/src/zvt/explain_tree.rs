//! The field tree of the decode explanation: fixed-position fields by message, then each BMP
//! and each TLV element, built from the redacted bytes.

use super::apdu::Apdu;
use super::bmp::{parse_bmps, Bmp};
use super::codes::{intermediate_status, TerminalStatus};
use super::error::ZvtDecodeError;
use super::explain::{ExplainNode, Explanation};
use super::explain_values::{
    bmp_value, config_byte_value, print_attribute_value, result_value, terminal_status_value,
    tlv_value, with_meaning,
};
use super::message::{decode_ecr_at, decode_pt_at, EcrMessage, PtMessage};
use super::redact::starts_with_password;
use super::tags::tlv_tag_info;
use super::tlv::{tag_hex, Tlv};
use super::values::{currency_alpha, decode_cp437};
use crate::i18n::Text;
use crate::tr;

pub(crate) enum Decoded {
    Pt(PtMessage),
    Ecr(EcrMessage),
}

pub(crate) fn decode(apdu: &Apdu, base: usize, pt: bool) -> Result<Decoded, ZvtDecodeError> {
    if pt {
        decode_pt_at(apdu, None, base).map(Decoded::Pt)
    } else {
        decode_ecr_at(apdu, base).map(Decoded::Ecr)
    }
}

pub(crate) struct Builder<'a> {
    /// The redacted APDU: everything shown comes from here.
    pub(crate) raw: &'a [u8],
    /// The APDU as received (same length), only to check what the redaction may have wiped.
    pub(crate) original: &'a [u8],
    pub(crate) code: [u8; 2],
}

impl Builder<'_> {
    /// The bytes as hex. Any hex is also BCD: a run of 12 or more decimal digits in it is
    /// masked like a card number (the value column still shows what the field means).
    fn hex(&self, offset: usize, len: usize) -> String {
        let end = offset.saturating_add(len).min(self.raw.len());
        let hex = hex::encode_upper(self.raw.get(offset.min(end)..end).unwrap_or(&[]));
        crate::redact::mask_text_digits_str(&hex)
    }

    pub(crate) fn node(
        &self,
        offset: usize,
        len: usize,
        tag: &str,
        name: Text,
        value: Text,
    ) -> ExplainNode {
        ExplainNode {
            offset,
            tag: tag.to_string(),
            name,
            raw: self.hex(offset, len),
            value,
            children: Vec::new(),
        }
    }

    pub(crate) fn password(&self, offset: usize) -> ExplainNode {
        let mut n = self.node(
            offset,
            3,
            "PW",
            Text::fixed("密码", "password"),
            Text::same("******"),
        );
        n.raw = "******".into();
        n
    }

    fn byte(&self, offset: usize) -> u8 {
        self.raw.get(offset).copied().unwrap_or_default()
    }

    /// Fixed fields by message, then the BMPs from where they start.
    pub(crate) fn body(&self, decoded: &Decoded, start: usize, data: &[u8], ex: &mut Explanation) {
        let mut fixed: Vec<ExplainNode> = Vec::new();
        let mut at = start;
        match decoded {
            Decoded::Ecr(m) => match m {
                EcrMessage::StatusEnquiry(s) if s.password.is_some() => {
                    fixed.push(self.password(at));
                    at += 3;
                }
                EcrMessage::Registration(r) => {
                    fixed.push(self.password(at));
                    fixed.push(self.node(
                        at + 3,
                        1,
                        "CFG",
                        Text::fixed("配置字节", "config byte"),
                        config_byte_value(r.config_byte),
                    ));
                    at += 4;
                    if let Some(cc) = r.currency {
                        fixed.push(self.node(
                            at,
                            2,
                            "CC",
                            Text::fixed("货币代码", "currency code"),
                            currency_value(cc),
                        ));
                        at += 2;
                    }
                }
                EcrMessage::ReadCard(r) if r.timeout_s.is_some() => {
                    let t = self.byte(at);
                    fixed.push(self.node(
                        at,
                        1,
                        "TIMEOUT",
                        Text::fixed("超时", "timeout"),
                        tr!("{t} 秒", "{t} s"),
                    ));
                    at += 1;
                }
                EcrMessage::EndOfDay(_)
                | EcrMessage::RepeatReceipt(_)
                | EcrMessage::Reversal(_)
                | EcrMessage::Initialisation { .. }
                | EcrMessage::SendTurnoverTotals { .. }
                | EcrMessage::SetDateTimeInPt(_) => {
                    fixed.push(self.password(at));
                    at += 3;
                }
                EcrMessage::NegativeAck { result_code } => {
                    ex.notes
                        .push(with_meaning("84", &result_value(*result_code)));
                }
                // Commands posdiag has no type for that still start with the password.
                EcrMessage::Other(a) if starts_with_password(a.class, a.instr) => {
                    fixed.push(self.password(at));
                    at += 3;
                }
                _ => {}
            },
            Decoded::Pt(m) => match m {
                PtMessage::StatusEnquiryCompletion(s) => {
                    ex.notes.push(Text::fixed(
                        "按状态查询完成报文的格式解读",
                        "read as a Status-Enquiry completion",
                    ));
                    if let Some(sw) = &s.sw_version {
                        let len = data
                            .get(..3)
                            .and_then(super::values::decode_var_len)
                            .map_or(0, |l| l + 3);
                        fixed.push(self.node(
                            at,
                            len,
                            "SW",
                            Text::fixed("软件版本", "SW version"),
                            Text::same(format!("\"{sw}\"")),
                        ));
                        at += len;
                    }
                    fixed.push(self.node(
                        at,
                        1,
                        "STATUS",
                        Text::fixed("终端状态", "terminal status"),
                        terminal_status_value(s.terminal_status),
                    ));
                    at += 1;
                    if s.terminal_status != TerminalStatus::Ready {
                        ex.notes.push(s.terminal_status.recovery());
                    }
                }
                PtMessage::Abort(a) => {
                    fixed.push(self.node(
                        at,
                        1,
                        "RC",
                        Text::fixed("结果码", "result code"),
                        result_value(a.result_code),
                    ));
                    at += 1;
                    if let Some(cc) = a.currency {
                        fixed.push(self.node(
                            at,
                            2,
                            "CC",
                            Text::fixed("货币代码", "currency code"),
                            currency_value(cc),
                        ));
                        at += 2;
                    }
                }
                PtMessage::IntermediateStatus(i) => {
                    let info = intermediate_status(i.code);
                    fixed.push(self.node(
                        at,
                        1,
                        "STATUS",
                        Text::fixed("中间状态", "intermediate status"),
                        with_meaning(&format!("{:02X}", i.code), &info.text),
                    ));
                    at += 1;
                    if let Some(t) = i.timeout_min {
                        fixed.push(self.node(
                            at,
                            1,
                            "TIMEOUT",
                            Text::fixed("超时", "timeout"),
                            tr!("{t} 分钟", "{t} min"),
                        ));
                        at += 1;
                    }
                }
                PtMessage::PrintLine(p) => {
                    fixed.push(self.node(
                        at,
                        1,
                        "ATTR",
                        Text::fixed("打印属性", "print attribute"),
                        print_attribute_value(p.attribute),
                    ));
                    let text = decode_cp437(data.get(1..).unwrap_or(&[]));
                    fixed.push(self.node(
                        at + 1,
                        data.len().saturating_sub(1),
                        "TEXT",
                        Text::fixed("文本", "text"),
                        Text::same(format!("\"{text}\"")),
                    ));
                    ex.fields.extend(fixed);
                    return;
                }
                PtMessage::NegativeAck { result_code, data } => {
                    // `84 1E 03 6F <CC>`: a Registration refused for its currency
                    // (docs/protocols/zvt.md §2.1, p.29): result 6F and the terminal's own
                    // currency.
                    if let (0x1E, [0x6F, hi, lo]) = (*result_code, data.as_slice()) {
                        ex.notes.push(Text::fixed(
                            "登记被拒：币种不符，终端只受理其自身币种",
                            "registration refused: wrong currency, the terminal takes only its own",
                        ));
                        fixed.push(self.node(
                            at,
                            1,
                            "RC",
                            Text::fixed("结果码", "result code"),
                            result_value(0x6F),
                        ));
                        if let Some(cc) = crate::zvt::values::decode_currency(&[*hi, *lo]) {
                            fixed.push(self.node(
                                at + 1,
                                2,
                                "CC",
                                Text::fixed("货币代码", "currency code"),
                                currency_value(cc),
                            ));
                        }
                        ex.fields.extend(fixed);
                        return;
                    }
                    ex.notes
                        .push(with_meaning("84", &result_value(*result_code)));
                }
                _ => {}
            },
        }
        ex.fields.extend(fixed);
        let rest = data.get(at.saturating_sub(start)..).unwrap_or(&[]);
        if rest.is_empty() {
            return;
        }
        match parse_bmps(rest, at) {
            Ok(bmps) => {
                for b in &bmps {
                    let (node, error) = self.bmp_node(b);
                    ex.fields.push(node);
                    if let Some(e) = error {
                        ex.valid = false;
                        ex.notes.push(e.text());
                    }
                }
            }
            Err(_) => {
                ex.fields.push(self.node(
                    at,
                    rest.len(),
                    "DATA",
                    Text::fixed("数据（格式未知）", "data (layout unknown)"),
                    Text::new(
                        format!("{} 字节", rest.len()),
                        format!("{} bytes", rest.len()),
                    ),
                ));
            }
        }
    }

    /// The node of one BMP, and the error of a TLV container that does not parse (its raw
    /// bytes are hidden then: the redaction wiped them).
    fn bmp_node(&self, b: &Bmp) -> (ExplainNode, Option<ZvtDecodeError>) {
        let name = b
            .spec()
            .map(|s| s.name.clone())
            .unwrap_or_else(|| Text::fixed("未知 BMP", "unknown BMP"));
        let len = b
            .value_offset
            .saturating_sub(b.offset)
            .saturating_add(b.value.len());
        let mut n = self.node(
            b.offset,
            len,
            &format!("BMP {:02X}", b.tag),
            name,
            bmp_value(b, self.code),
        );
        if b.tag == 0x3D {
            n.raw = "******".into();
        }
        let mut error = None;
        if b.tag == 0x06 {
            // A container that does not parse was wiped by the redaction: check the original.
            let end = b.value_offset.saturating_add(b.value.len());
            let original = self.original.get(b.value_offset..end).unwrap_or(&[]);
            match super::tlv::parse_tlv_list(original, b.value_offset) {
                Ok(_) => {
                    if let Ok(list) = super::tlv::parse_tlv_list(&b.value, b.value_offset) {
                        n.children = list.iter().map(|t| self.tlv_node(t)).collect();
                    }
                }
                Err(e) => error = Some(e),
            }
        }
        (n, error)
    }

    fn tlv_node(&self, t: &Tlv) -> ExplainNode {
        let (name, _) = tlv_tag_info(t.tag);
        let len = t
            .value_offset
            .saturating_sub(t.offset)
            .saturating_add(t.value.len());
        let mut n = self.node(
            t.offset,
            len,
            &format!("TLV {}", tag_hex(t.tag)),
            name,
            tlv_value(t),
        );
        n.children = t.children.iter().map(|c| self.tlv_node(c)).collect();
        n
    }
}

fn currency_value(cc: u16) -> Text {
    Text::same(match currency_alpha(cc) {
        Some(a) => format!("{cc:03} ({a})"),
        None => format!("{cc:03}"),
    })
}
