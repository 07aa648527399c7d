//! `posdiag decode zvt HEX`: detects a serial frame (and checks its CRC), an ACK/NAK byte or a
//! bare APDU, and explains it as a tree of fields: fixed-position fields, each BMP and each TLV
//! element with its tag, bilingual name, raw hex and decoded value. Everything shown comes
//! from the redacted bytes, so card data and passwords are masked.
//!
//! Who sent an APDU is taken from its code where only one side sends it; the acknowledgements
//! (`80 00`, `84 xx`) and undefined codes are "sender unknown" unless the caller says
//! (`--from ecr|pt`). A broken input is explained as far as it can be read and marked
//! `valid: false`.

use serde::Serialize;

use super::apdu::{parse_apdu_header, Apdu, ApduHeader};
use super::error::{DecodeReason, ZvtDecodeError};
use super::explain_feig;
use super::explain_tree::{decode, Builder};
use super::frame::{inspect_serial_frame, ACK, DLE, NAK, STX};
use super::message::{command_name, is_pt_message, sender_of, Sender};
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

/// How the sender was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderSource {
    /// The command code is one only that side sends.
    Code,
    /// The user said so (`--from ecr|pt`).
    Given,
    /// Neither: both sides send this code (`80 00`, `84 xx`) or ZVT does not define it.
    Unknown,
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
    /// Who sent it (`None`: cannot be told; see `sender_source`).
    pub sender: Option<Sender>,
    pub sender_source: SenderSource,
    /// `PT → ECR`, `ECR → PT`, or why the sender is unknown.
    pub direction: Option<Text>,
    pub fields: Vec<ExplainNode>,
    pub notes: Vec<Text>,
    /// False when the input is broken: wrong CRC, bytes after the frame or APDU, a field that
    /// does not decode. What could be read is still explained.
    pub valid: bool,
    /// Where and why decoding stopped, when it did.
    pub error: Option<ZvtDecodeError>,
}

/// Explains `bytes`: a serial frame (`10 02 …`), a single ACK/NAK, or a bare APDU, with the
/// sender taken from the code. A field that does not decode is an error (see [`explain_from`]
/// for the partial explanation); a wrong CRC is not: check `valid`.
pub fn explain(bytes: &[u8]) -> Result<Explanation, ZvtDecodeError> {
    let ex = explain_from(bytes, None)?;
    match ex.error {
        Some(e) => Err(e),
        None => Ok(ex),
    }
}

/// Explains `bytes`; `from` says who sent them when the caller knows (it overrides the code).
/// Errors only when not even the command code can be read (no bytes, a broken frame, fewer
/// than 3 APDU bytes); any later problem is in `error`/`valid` with the fields read so far.
pub fn explain_from(bytes: &[u8], from: Option<Sender>) -> Result<Explanation, ZvtDecodeError> {
    let mut ex = Explanation {
        transport: Transport::Apdu,
        crc: None,
        code: None,
        name: None,
        sender: None,
        sender_source: SenderSource::Unknown,
        direction: None,
        fields: Vec::new(),
        notes: Vec::new(),
        valid: true,
        error: None,
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
    let mut apdu_bytes = if bytes.starts_with(&[DLE, STX]) {
        let parts = inspect_serial_frame(bytes)?;
        ex.transport = Transport::SerialFrame;
        ex.crc = Some(CrcCheck {
            expected: parts.crc_expected,
            got: parts.crc_got,
            ok: parts.crc_ok(),
        });
        if !parts.crc_ok() {
            ex.valid = false;
            ex.notes.push(tr!(
                "CRC 不符：计算值 0x{:04X}，帧中为 0x{:04X}；接收方应回 NAK",
                "CRC mismatch: expected 0x{:04X}, got 0x{:04X}; the receiver should answer NAK",
                parts.crc_expected,
                parts.crc_got
            ));
        }
        let extra = bytes.len().saturating_sub(parts.frame_len);
        if extra > 0 {
            ex.valid = false;
            ex.notes.push(tr!(
                "帧后还有 {extra} 字节未解释",
                "{extra} bytes after the frame were not explained"
            ));
        }
        parts.apdu
    } else {
        bytes.to_vec()
    };
    let header = match parse_apdu_header(&apdu_bytes)? {
        Some(h) => h,
        None => {
            // Fewer than 3 bytes: only the two-byte acknowledgements `80 00` / `84 00` decode.
            let apdu = Apdu::decode(&apdu_bytes)?;
            ApduHeader {
                class: apdu.class,
                instr: apdu.instr,
                data_len: 0,
                header_len: 2,
            }
        }
    };
    let (class, instr) = (header.class, header.instr);
    set_sender(&mut ex, class, instr, from);
    ex.code = Some(format!("{class:02X} {instr:02X}"));
    ex.name = Some(command_name(class, instr));
    let apdu = match Apdu::decode(&apdu_bytes) {
        Ok(apdu) => apdu,
        Err(e) => match Apdu::decode_prefix(&apdu_bytes) {
            // Trailing bytes: explain the APDU, report the rest.
            Ok(Some((apdu, used))) => {
                ex.valid = false;
                ex.notes.push(e.text());
                ex.error = Some(e);
                apdu_bytes.truncate(used);
                apdu
            }
            _ => {
                ex.valid = false;
                ex.notes.push(e.text());
                ex.error = Some(e);
                return Ok(ex);
            }
        },
    };
    let pt = match ex.sender {
        Some(s) => s == Sender::Pt,
        None => is_pt_message(class, instr),
    };
    let header_len = header.header_len;
    let red_bytes = redact_apdu(&apdu_bytes);
    let red = Apdu::decode(&red_bytes).unwrap_or_else(|_| apdu.clone());
    let b = Builder {
        raw: &red_bytes,
        original: &apdu_bytes,
        code: apdu.code(),
    };
    ex.fields.push(b.node(
        2,
        header_len.saturating_sub(2),
        "LEN",
        Text::fixed("长度", "length"),
        len_value(red.data.len(), header_len),
    ));
    if explain_feig::body(&b, &red, header_len, pt, &mut ex) {
        return Ok(ex);
    }
    // Validate on the original bytes: errors name the real offset.
    match decode(&apdu, header_len, pt) {
        Ok(original) => {
            let decoded = decode(&red, header_len, pt).unwrap_or(original);
            b.body(&decoded, header_len, &red.data, &mut ex);
        }
        Err(e) => {
            ex.valid = false;
            ex.notes.push(e.text());
            ex.fields.push(b.node(
                header_len,
                red.data.len(),
                "DATA",
                Text::fixed("数据（未能解码）", "data (not decoded)"),
                Text::new(
                    format!("{} 字节", red.data.len()),
                    format!("{} bytes", red.data.len()),
                ),
            ));
            ex.error = Some(e);
        }
    }
    Ok(ex)
}

fn len_value(data_len: usize, header_len: usize) -> Text {
    let (zh, en) = if header_len == 5 {
        ("（扩展长度）", " (extended length)")
    } else {
        ("", "")
    };
    Text::new(
        format!("{data_len} 字节数据{zh}"),
        format!("{data_len} data bytes{en}"),
    )
}

/// Decides who sent the APDU: `--from` when given (with a note if the code says otherwise),
/// else the code, else unknown with the reason.
fn set_sender(ex: &mut Explanation, class: u8, instr: u8, from: Option<Sender>) {
    let by_code = sender_of(class, instr);
    let (sender, source) = match (from, by_code) {
        (Some(given), _) => (Some(given), SenderSource::Given),
        (None, Some(s)) => (Some(s), SenderSource::Code),
        (None, None) => (None, SenderSource::Unknown),
    };
    ex.sender = sender;
    ex.sender_source = source;
    if let (Some(given), Some(code)) = (from, by_code) {
        if given != code {
            let side = sender_text(code);
            ex.notes.push(Text::new(
                format!(
                    "{class:02X} {instr:02X} 通常由{}发送；按 --from 的指定解读",
                    side.zh
                ),
                format!(
                    "{class:02X} {instr:02X} is normally sent by the {}; read as --from says",
                    side.en
                ),
            ));
        }
    }
    ex.direction = Some(match (sender, source) {
        (Some(Sender::Pt), SenderSource::Given) => {
            Text::fixed("终端 → 收银机，按 --from", "PT → ECR, as given by --from")
        }
        (Some(Sender::Ecr), SenderSource::Given) => {
            Text::fixed("收银机 → 终端，按 --from", "ECR → PT, as given by --from")
        }
        (Some(Sender::Pt), _) => Text::fixed("终端 → 收银机", "PT → ECR"),
        (Some(Sender::Ecr), _) => Text::fixed("收银机 → 终端", "ECR → PT"),
        (None, _) if class == 0x80 || class == 0x84 => Text::fixed(
            "发送方未知：收银机和终端都发送确认；可用 --from ecr|pt 指定",
            "sender unknown: ECR and PT both send acknowledgements; give --from ecr|pt",
        ),
        (None, _) => Text::fixed(
            "发送方未知：ZVT 未定义此命令码；可用 --from ecr|pt 指定",
            "sender unknown: ZVT does not define this code; give --from ecr|pt",
        ),
    });
}

fn sender_text(s: Sender) -> Text {
    match s {
        Sender::Ecr => Text::fixed("收银机", "ECR"),
        Sender::Pt => Text::fixed("终端", "PT"),
    }
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
