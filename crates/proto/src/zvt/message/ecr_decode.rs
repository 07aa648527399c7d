//! Decoding of ECR → PT APDUs into [`EcrMessage`] (the encoders live with the types in `ecr`).

use super::super::apdu::Apdu;
use super::super::bmp::{find_bmp, parse_bmps, Bmp};
use super::super::error::{DecodeReason, ZvtDecodeError};
use super::super::reader::Reader;
use super::super::tlv::find_tlv;
use super::super::values::{bcd_to_u64, decode_amount, decode_currency, ZvtDate, ZvtTime};
use super::ecr::{
    AbortCommand, Authorisation, Diagnosis, DiagnosisKind, EcrMessage, EndOfDay, ReadCard,
    Registration, RepeatReceipt, Reversal, SetDateTimeInPt, StatusEnquiry,
};
use super::fields::{
    expect_empty, only_tlv, read_password, rest_bmps, set_or_keep, set_tlv, tlv_of, unexpected_bmp,
};
use crate::i18n::Text;

/// Decodes an ECR → PT APDU. Unknown codes give `EcrMessage::Other`; a known code with a
/// malformed data block is an error naming the offset.
pub fn decode_ecr_message(apdu: &Apdu) -> Result<EcrMessage, ZvtDecodeError> {
    decode_ecr_at(apdu, super::data_offset(apdu))
}

pub(crate) fn decode_ecr_at(apdu: &Apdu, base: usize) -> Result<EcrMessage, ZvtDecodeError> {
    use EcrMessage as M;
    let data = apdu.data.as_slice();
    let mut r = Reader::new(data, base);
    let name = super::names::command_name(apdu.class, apdu.instr);
    let msg = match apdu.code() {
        [0x05, 0x01] => M::StatusEnquiry(decode_status_enquiry(data, base)?),
        [0x06, 0x00] => M::Registration(decode_registration(&mut r)?),
        [0x06, 0x70] => {
            let tlv = only_tlv(&rest_bmps(&mut r)?, "Diagnosis")?.unwrap_or_default();
            let kind = find_tlv(&tlv, 0x1B)
                .and_then(|t| t.value.first())
                .map(|&b| DiagnosisKind::from_byte(b))
                .unwrap_or_default();
            M::Diagnosis(Diagnosis { kind })
        }
        [0x06, 0xC0] => {
            let mut m = ReadCard::default();
            if !r.is_empty() {
                m.timeout_s = Some(r.u8(Text::fixed("超时", "timeout"))?);
            }
            for b in rest_bmps(&mut r)? {
                match b.tag {
                    0x19 if m.card_type.is_none() => m.card_type = b.value.first().copied(),
                    0xFC if m.dialog_control.is_none() => {
                        m.dialog_control = b.value.first().copied()
                    }
                    0x06 if m.tlv.is_none() => m.tlv = Some(tlv_of(&b)?),
                    _ => return Err(unexpected_bmp(&b, "Read Card")),
                }
            }
            M::ReadCard(m)
        }
        [0x06, 0xB0] => {
            let mut m = AbortCommand::default();
            for b in rest_bmps(&mut r)? {
                match b.tag {
                    0xD2 if m.card_output_direction.is_none() => {
                        m.card_output_direction = b.value.first().copied()
                    }
                    0xFA if m.card_reader_activation.is_none() => {
                        m.card_reader_activation = b.value.first().copied()
                    }
                    _ => return Err(unexpected_bmp(&b, "Abort")),
                }
            }
            M::Abort(m)
        }
        [0x06, 0x01] => M::Authorisation(decode_authorisation(&mut r)?),
        [0x06, 0x50] => {
            let password = read_password(&mut r)?;
            let tlv = only_tlv(&rest_bmps(&mut r)?, "End-of-Day")?;
            M::EndOfDay(EndOfDay { password, tlv })
        }
        [0x06, 0x20] => {
            let password = read_password(&mut r)?;
            let bmps = rest_bmps(&mut r)?;
            let mut m = RepeatReceipt {
                password,
                ..Default::default()
            };
            for b in &bmps {
                match b.tag {
                    0x03 if m.service_byte.is_none() => m.service_byte = b.value.first().copied(),
                    0x06 if m.tlv.is_none() => m.tlv = Some(tlv_of(b)?),
                    _ => return Err(unexpected_bmp(b, "Repeat Receipt")),
                }
            }
            M::RepeatReceipt(m)
        }
        [0x06, 0x30] => {
            let password = read_password(&mut r)?;
            let mut m = Reversal {
                password,
                ..Default::default()
            };
            for b in rest_bmps(&mut r)? {
                match b.tag {
                    0x87 => {
                        let no = bcd_to_u64(&b.value).and_then(|v| u16::try_from(v).ok());
                        set_or_keep(&mut m.receipt_no, no, &b, &mut m.other_bmps);
                    }
                    0x06 => set_tlv(&mut m.tlv, &b, &mut m.other_bmps)?,
                    _ => m.other_bmps.push(b),
                }
            }
            M::Reversal(m)
        }
        [0x06, 0x93] | [0x06, 0x10] => {
            let password = read_password(&mut r)?;
            expect_empty(r.rest(), r.offset(), name)?;
            if apdu.instr == 0x93 {
                M::Initialisation { password }
            } else {
                M::SendTurnoverTotals { password }
            }
        }
        [0x06, 0x91] => {
            let password = read_password(&mut r)?;
            let bmps = rest_bmps(&mut r)?;
            let date = find_bmp(&bmps, 0xAA).and_then(|b| ZvtDate::decode_yymmdd(&b.value));
            let time = find_bmp(&bmps, 0x0C).and_then(|b| ZvtTime::decode(&b.value));
            let (Some(date), Some(time)) = (date, time) else {
                return Err(ZvtDecodeError::new(
                    base,
                    DecodeReason::Invalid {
                        detail: Text::fixed(
                            "设置日期时间缺少有效的 BMP AA（日期）或 0C（时间）",
                            "Set Date/Time lacks a valid BMP AA (date) or 0C (time)",
                        ),
                    },
                ));
            };
            M::SetDateTimeInPt(SetDateTimeInPt {
                password,
                date,
                time,
            })
        }
        [0x06, 0x1A] | [0x06, 0x02] | [0x06, 0x79] => {
            expect_empty(data, base, name)?;
            match apdu.instr {
                0x1A => M::PrintSystemConfiguration,
                0x02 => M::LogOff,
                _ => M::Selftest,
            }
        }
        [0x80, 0x00] | [0x84, 0x00] => M::Ack,
        [0x84, code] => M::NegativeAck { result_code: code },
        _ => M::Other(apdu.clone()),
    };
    Ok(msg)
}

/// The password is optional and has no tag: try "password + BMPs" first, then "BMPs only".
fn decode_status_enquiry(data: &[u8], base: usize) -> Result<StatusEnquiry, ZvtDecodeError> {
    let from_bmps = |bmps: Vec<Bmp>, password| -> Result<StatusEnquiry, ZvtDecodeError> {
        let mut m = StatusEnquiry {
            password,
            ..Default::default()
        };
        for b in &bmps {
            match b.tag {
                0x03 if m.service_byte.is_none() => m.service_byte = b.value.first().copied(),
                0x06 if m.tlv.is_none() => m.tlv = Some(tlv_of(b)?),
                _ => return Err(unexpected_bmp(b, "Status-Enquiry")),
            }
        }
        Ok(m)
    };
    let mut with_pw_error = None;
    if data.len() >= 3 {
        let mut r = Reader::new(data, base);
        let pw = read_password(&mut r)?;
        match rest_bmps(&mut r).and_then(|bmps| from_bmps(bmps, Some(pw))) {
            Ok(m) => return Ok(m),
            Err(e) => with_pw_error = Some(e),
        }
    }
    let without = parse_bmps(data, base).and_then(|b| from_bmps(b, None));
    match (without, with_pw_error) {
        (Ok(m), _) => Ok(m),
        (Err(_), Some(e)) | (Err(e), None) => Err(e),
    }
}

fn decode_registration(r: &mut Reader<'_>) -> Result<Registration, ZvtDecodeError> {
    let password = read_password(r)?;
    let config_byte = r.u8(Text::fixed("配置字节", "config byte"))?;
    let mut m = Registration {
        password,
        config_byte,
        ..Default::default()
    };
    if r.remaining() >= 2 {
        let cc = r.rest().get(..2).and_then(decode_currency);
        if cc.is_some() {
            r.take(2, Text::fixed("货币代码", "currency code"))?;
            m.currency = cc;
        }
    }
    for b in rest_bmps(r)? {
        match b.tag {
            0x03 if m.service_byte.is_none() => m.service_byte = b.value.first().copied(),
            0x06 if m.tlv.is_none() => m.tlv = Some(tlv_of(&b)?),
            _ => return Err(unexpected_bmp(&b, "Registration")),
        }
    }
    Ok(m)
}

fn decode_authorisation(r: &mut Reader<'_>) -> Result<Authorisation, ZvtDecodeError> {
    let mut m = Authorisation::default();
    for b in rest_bmps(r)? {
        let first = b.value.first().copied();
        match b.tag {
            0x04 => set_or_keep(
                &mut m.amount_minor,
                decode_amount(&b.value),
                &b,
                &mut m.other_bmps,
            ),
            0x49 => set_or_keep(
                &mut m.currency,
                decode_currency(&b.value),
                &b,
                &mut m.other_bmps,
            ),
            0x19 => set_or_keep(&mut m.payment_type, first, &b, &mut m.other_bmps),
            0x01 => set_or_keep(&mut m.timeout_s, first, &b, &mut m.other_bmps),
            0x02 => set_or_keep(&mut m.max_status_infos, first, &b, &mut m.other_bmps),
            0x8A => set_or_keep(&mut m.card_type, first, &b, &mut m.other_bmps),
            0x06 => set_tlv(&mut m.tlv, &b, &mut m.other_bmps)?,
            _ => m.other_bmps.push(b),
        }
    }
    Ok(m)
}
