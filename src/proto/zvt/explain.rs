//! `posdiag decode zvt HEX`: detects a serial frame (and checks its CRC), an ACK/NAK byte or a
//! bare APDU, and explains it as a tree of fields: fixed-position fields, each BMP and each TLV
//! element with its tag, bilingual name, raw hex and decoded value. Everything shown comes
//! from the redacted bytes, so card data is masked.

use serde::Serialize;

use super::apdu::{parse_apdu_header, Apdu};
use super::error::{DecodeReason, ZvtDecodeError};
use super::explain_tree::{decode, Builder};
use super::frame::{inspect_serial_frame, ACK, DLE, NAK, STX};
use super::message::{command_name, is_pt_message};
use super::redact::redact_apdu;
use crate::i18n::{Lang, Text};
use crate::tr;

/// How the input arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Transport {
    SerialFrame,
    Ack,
    Nak,
    Apdu,
}

/// The CRC check of a serial frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrcCheck {
    /// Computed over the APDU and ETX.
    pub expected: u16,
    /// Carried by the frame.
    pub got: u16,
    pub ok: bool,
}

/// One field of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainNode {
    /// Offset in the APDU.
    pub offset: usize,
    /// `BMP 04`, `TLV 1F55`, or the fixed field's short name.
    pub tag: String,
    pub name: Text,
    /// Hex of the field as on the wire, masked.
    pub raw: String,
    pub value: Text,
    pub children: Vec<ExplainNode>,
}

/// The explanation of one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub transport: Transport,
    pub crc: Option<CrcCheck>,
    /// `06 0F`, when an APDU was found.
    pub code: Option<String>,
    pub name: Option<Text>,
    /// Sender, as far as the code tells: `PT → ECR` or `ECR → PT`.
    pub direction: Option<Text>,
    pub fields: Vec<ExplainNode>,
    pub notes: Vec<Text>,
}

/// Explains `bytes`: a serial frame (`10 02 …`), a single ACK/NAK, or a bare APDU.
pub fn explain(bytes: &[u8]) -> Result<Explanation, ZvtDecodeError> {
    let mut ex = Explanation {
        transport: Transport::Apdu,
        crc: None,
        code: None,
        name: None,
        direction: None,
        fields: Vec::new(),
        notes: Vec::new(),
    };
    match bytes {
        [] => return Err(ZvtDecodeError::new(0, DecodeReason::Empty)),
        [ACK] => {
            ex.transport = Transport::Ack;
            ex.name = Some(Text::fixed("ACK：数据块已接收", "ACK: block accepted"));
            return Ok(ex);
        }
        [NAK] => {
            ex.transport = Transport::Nak;
            ex.name = Some(Text::fixed(
                "NAK：数据块被拒收，发送方应重发",
                "NAK: block rejected, the sender repeats it",
            ));
            return Ok(ex);
        }
        _ => {}
    }
    let apdu_bytes = if bytes.starts_with(&[DLE, STX]) {
        let parts = inspect_serial_frame(bytes)?;
        ex.transport = Transport::SerialFrame;
        ex.crc = Some(CrcCheck {
            expected: parts.crc_expected,
            got: parts.crc_got,
            ok: parts.crc_ok(),
        });
        if !parts.crc_ok() {
            ex.notes.push(tr!(
                "CRC 不符：计算值 0x{:04X}，帧中为 0x{:04X}；接收方应回 NAK",
                "CRC mismatch: expected 0x{:04X}, got 0x{:04X}; the receiver should answer NAK",
                parts.crc_expected,
                parts.crc_got
            ));
        }
        let extra = bytes.len().saturating_sub(parts.frame_len);
        if extra > 0 {
            ex.notes.push(tr!(
                "帧后还有 {extra} 字节未解释",
                "{extra} bytes after the frame were not explained"
            ));
        }
        parts.apdu
    } else {
        bytes.to_vec()
    };
    let apdu = Apdu::decode(&apdu_bytes)?;
    let header_len = parse_apdu_header(&apdu_bytes)?.map_or(2, |h| h.header_len);
    let pt = is_pt_message(apdu.class, apdu.instr);
    // Validate on the original bytes: errors name the real offset.
    let original = decode(&apdu, header_len, pt)?;
    let red_bytes = redact_apdu(&apdu_bytes);
    let red = Apdu::decode(&red_bytes).unwrap_or_else(|_| apdu.clone());
    let decoded = decode(&red, header_len, pt).unwrap_or(original);
    ex.code = Some(format!("{:02X} {:02X}", apdu.class, apdu.instr));
    ex.name = Some(command_name(apdu.class, apdu.instr));
    ex.direction = Some(if pt {
        Text::fixed("终端 → 收银机", "PT → ECR")
    } else {
        Text::fixed("收银机 → 终端", "ECR → PT")
    });
    let b = Builder {
        raw: &red_bytes,
        code: apdu.code(),
    };
    let len_value = Text::new(
        format!(
            "{} 字节数据{}",
            red.data.len(),
            if header_len == 5 {
                "（扩展长度）"
            } else {
                ""
            }
        ),
        format!(
            "{} data bytes{}",
            red.data.len(),
            if header_len == 5 {
                " (extended length)"
            } else {
                ""
            }
        ),
    );
    ex.fields.push(b.node(
        2,
        header_len.saturating_sub(2),
        "LEN",
        Text::fixed("长度", "length"),
        len_value,
    ));
    b.body(&decoded, header_len, &red.data, &mut ex);
    Ok(ex)
}

impl Explanation {
    /// The explanation as text lines in `lang`.
    pub fn to_lines(&self, lang: Lang) -> Vec<String> {
        let mut lines = Vec::new();
        let t = |x: &Text| x.get(lang).to_string();
        match (self.transport, &self.crc) {
            (Transport::SerialFrame, Some(c)) if c.ok => lines.push(match lang {
                Lang::Zh => format!("串口帧，CRC 0x{:04X} 正确", c.got),
                Lang::En => format!("serial frame, CRC 0x{:04X} ok", c.got),
            }),
            (Transport::SerialFrame, Some(c)) => lines.push(match lang {
                Lang::Zh => format!(
                    "串口帧，CRC 错误：计算值 0x{:04X}，帧中为 0x{:04X}",
                    c.expected, c.got
                ),
                Lang::En => format!(
                    "serial frame, CRC mismatch: expected 0x{:04X}, got 0x{:04X}",
                    c.expected, c.got
                ),
            }),
            _ => {}
        }
        let head = match (&self.code, &self.name, &self.direction) {
            (Some(code), Some(name), Some(dir)) => format!("{code} {} ({})", t(name), t(dir)),
            (_, Some(name), _) => t(name),
            _ => String::new(),
        };
        if !head.is_empty() {
            lines.push(head);
        }
        for n in &self.fields {
            node_lines(n, 1, lang, &mut lines);
        }
        for note in &self.notes {
            lines.push(format!("! {}", t(note)));
        }
        lines
    }
}

fn node_lines(n: &ExplainNode, depth: usize, lang: Lang, out: &mut Vec<String>) {
    let indent = "  ".repeat(depth);
    let raw = if n.raw.len() > 48 {
        format!("{}…", n.raw.get(..48).unwrap_or(&n.raw))
    } else {
        n.raw.clone()
    };
    let value = n.value.get(lang);
    let line = if value.is_empty() {
        format!(
            "{indent}{:>4}  {} {}  [{raw}]",
            n.offset,
            n.tag,
            n.name.get(lang)
        )
    } else {
        format!(
            "{indent}{:>4}  {} {}: {value}  [{raw}]",
            n.offset,
            n.tag,
            n.name.get(lang)
        )
    };
    out.push(line);
    for c in &n.children {
        node_lines(c, depth + 1, lang, out);
    }
}
