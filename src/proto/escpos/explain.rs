//! `posdiag decode escpos HEX`: explains printer status bytes as a tree with bilingual labels.
//!
//! With a query, the bytes are read as that query's reply (XON/XOFF and unsolicited ASB
//! separated as on a live link); a reply failing its fixed bits is an error naming the offset.
//! Without one, ASB packets and GS I text blocks are recognised by their framing, and every
//! other byte is read against each plausible one-byte query: whether it passes the fixed bits
//! and what it would mean.

use serde::Serialize;

use super::bits::{ReplyLayout, ASB_FIRST};
use super::commands::{parse_requests, Request};
use super::condition::PrinterCondition;
use super::error::EscPosDecodeError;
use super::identity::{FontLanguage, IdReply, ModelId};
use super::problem::Problem;
use super::query::{EotQuery, GsRQuery, IdQuery, Query};
use super::reply::{byte_layout, Reply};
use super::stream::{FlowControl, ReplyReader, StreamItem, XON};
use crate::i18n::{Lang, Text};
use crate::tr;

/// One line of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainNode {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// The bytes this node covers, hex ("" for bit fields).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub raw: String,
    /// "bit 3" / "bits 2+3" for bit fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bits: Option<String>,
    pub label: Text,
    pub value: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ExplainNode>,
}

impl ExplainNode {
    fn new(label: Text, value: Text) -> Self {
        ExplainNode {
            offset: None,
            raw: String::new(),
            bits: None,
            label,
            value,
            children: Vec::new(),
        }
    }

    fn at(mut self, offset: usize, raw: &[u8]) -> Self {
        self.offset = Some(offset);
        self.raw = hex_spaced(raw);
        self
    }
}

/// The explanation of some bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    #[serde(with = "crate::event::hex_bytes")]
    pub input: Vec<u8>,
    pub query: Option<Query>,
    /// Set when the whole input also reads as host → printer requests (a TX capture).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<Request>,
    pub condition: PrinterCondition,
    pub problems: Vec<Problem>,
    pub summary: Text,
    pub nodes: Vec<ExplainNode>,
}

/// One-byte queries a byte is read against when no query is given (the ink/peeler and GS r 4
/// forms are only read when asked for: receipt printers do not answer them).
const PLAUSIBLE: [Query; 9] = [
    Query::RealTime(EotQuery::PrinterStatus),
    Query::RealTime(EotQuery::OfflineCause),
    Query::RealTime(EotQuery::ErrorCause),
    Query::RealTime(EotQuery::PaperSensor),
    Query::TransmitStatus(GsRQuery::Paper),
    Query::TransmitStatus(GsRQuery::Drawer),
    Query::PrinterId(IdQuery::ModelId),
    Query::PrinterId(IdQuery::TypeId),
    Query::PrinterId(IdQuery::FirmwareId),
];

/// Explains `bytes`, read as the reply to `query` if given.
pub fn explain(bytes: &[u8], query: Option<Query>) -> Result<Explanation, EscPosDecodeError> {
    if bytes.is_empty() {
        return Err(EscPosDecodeError::Empty);
    }
    let mut reader = ReplyReader::new(FlowControl::XonXoff);
    if let Some(q) = query {
        reader.expect(q);
    }
    reader.push(bytes);
    let items = reader.flush();
    for item in &items {
        match item {
            StreamItem::InvalidReply { error, .. } => return Err(error.clone()),
            StreamItem::NoReply { query } => {
                return Err(EscPosDecodeError::NoReply {
                    query: *query,
                    len: bytes.len(),
                })
            }
            _ => {}
        }
    }
    let replies: Vec<Reply> = items
        .iter()
        .filter_map(|item| match item {
            StreamItem::Reply { reply, .. } => Some(reply.clone()),
            StreamItem::UnsolicitedAsb { status, .. } => Some(Reply::Asb(*status)),
            _ => None,
        })
        .collect();
    let condition = PrinterCondition::from_replies(&replies);
    let nodes: Vec<ExplainNode> = items.iter().map(|i| item_node(i, query)).collect();
    let requests = if query.is_none() {
        parse_requests(bytes).unwrap_or_default()
    } else {
        Vec::new()
    };
    let summary = summarise(&items, &replies, &condition, query);
    Ok(Explanation {
        input: bytes.to_vec(),
        query,
        requests,
        problems: condition.problems(),
        condition,
        summary,
        nodes,
    })
}

/// [`explain`] on hex text (`10 00 03 00`, `0x12,0x16`, `12:16`).
pub fn explain_hex(hex: &str, query: Option<Query>) -> Result<Explanation, EscPosDecodeError> {
    explain(&parse_hex(hex)?, query)
}

/// Reads hex bytes; groups may be separated by spaces, `,`, `:` or `-` and start with `0x`.
/// Positions in errors are 0-based character offsets.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, EscPosDecodeError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut high: Option<(usize, u32)> = None;
    let mut i = 0usize;
    let odd = |position| EscPosDecodeError::InvalidHex {
        position,
        reason: "odd number of hex digits in a group".to_owned(),
    };
    while let Some(&c) = chars.get(i) {
        let group_start = i == 0
            || chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| is_separator(*p));
        if is_separator(c) {
            if let Some((pos, _)) = high {
                return Err(odd(pos));
            }
        } else if c == '0' && group_start && matches!(chars.get(i + 1), Some('x' | 'X')) {
            i = i.saturating_add(1);
        } else if let Some(d) = c.to_digit(16) {
            match high.take() {
                Some((_, h)) => out.push(((h << 4) | d) as u8),
                None => high = Some((i, d)),
            }
        } else {
            return Err(EscPosDecodeError::InvalidHex {
                position: i,
                reason: format!("'{c}' is not a hex digit"),
            });
        }
        i = i.saturating_add(1);
    }
    if let Some((pos, _)) = high {
        return Err(odd(pos));
    }
    Ok(out)
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ':' | '-' | ';')
}

fn hex_spaced(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn summarise(
    items: &[StreamItem],
    replies: &[Reply],
    condition: &PrinterCondition,
    query: Option<Query>,
) -> Text {
    let mut parts: Vec<Text> = Vec::new();
    if replies.iter().any(|r| r.as_id().is_none()) {
        parts.push(condition.summary());
    }
    for id in replies.iter().filter_map(Reply::as_id) {
        if let IdReply::Text { query, value } = id {
            let name = Query::PrinterId(*query).name();
            let text = &value.text;
            parts.push(Text::new(
                format!("{}：{text}", name.zh),
                format!("{}: {text}", name.en),
            ));
        }
    }
    let stale = items
        .iter()
        .filter(|i| {
            matches!(
                i,
                StreamItem::Stale { .. } | StreamItem::UnsolicitedId { .. }
            )
        })
        .count();
    if stale > 0 {
        parts.push(match query {
            None => tr!(
                "{stale} 个字节未指定查询，已按每种可能的查询解读",
                "{stale} byte(s) without a query, read against each plausible query"
            ),
            Some(q) => {
                let name = q.name();
                let (zh, en) = (name.zh, name.en);
                tr!(
                    "{stale} 个字节不属于 {zh} 的应答（旧数据或其他应答）",
                    "{stale} byte(s) not part of the {en} reply (stale or another reply)"
                )
            }
        });
    }
    if parts.is_empty() {
        return Text::fixed("只有流控字节", "flow control bytes only");
    }
    let zh: Vec<String> = parts.iter().map(|p| p.zh.to_string()).collect();
    let en: Vec<String> = parts.iter().map(|p| p.en.to_string()).collect();
    Text::new(zh.join("；"), en.join("; "))
}

fn item_node(item: &StreamItem, query: Option<Query>) -> ExplainNode {
    match item {
        StreamItem::Reply {
            offset,
            query,
            reply,
        } => reply_node(query.name(), reply).at(*offset, &reply.raw()),
        StreamItem::UnsolicitedAsb { offset, status } => {
            let reply = Reply::Asb(*status);
            let label = Text::fixed(
                "自动状态返回 ASB（未请求）",
                "Automatic Status Back (unsolicited)",
            );
            reply_node(label, &reply).at(*offset, &reply.raw())
        }
        StreamItem::UnsolicitedId { offset, text } => {
            let mut raw = vec![super::identity::ID_HEADER];
            raw.extend_from_slice(&text.raw);
            raw.push(super::identity::ID_TERMINATOR);
            ExplainNode::new(
                Text::fixed("GS I 文本应答（未请求）", "GS I text reply (unsolicited)"),
                Text::same(format!("\"{}\"", text.text)),
            )
            .at(*offset, &raw)
        }
        StreamItem::FlowControl { offset, byte } => {
            let value = if *byte == XON {
                Text::fixed(
                    "XON 串口流控（继续发送），已跳过",
                    "XON serial flow control (resume), skipped",
                )
            } else {
                Text::fixed(
                    "XOFF 串口流控（暂停发送），已跳过",
                    "XOFF serial flow control (pause), skipped",
                )
            };
            ExplainNode::new(Text::fixed("流控", "flow control"), value).at(*offset, &[*byte])
        }
        StreamItem::Stale { offset, byte } => byte_readings(*byte, query).at(*offset, &[*byte]),
        StreamItem::InvalidReply {
            offset,
            bytes,
            error,
            ..
        } => ExplainNode::new(Text::fixed("无效应答", "invalid reply"), error.text())
            .at(*offset, bytes),
        StreamItem::NoReply { query } => {
            ExplainNode::new(query.name(), Text::fixed("无应答", "no reply"))
        }
    }
}

/// Nodes for each status byte's fields.
fn field_nodes(byte: u8, layout: &ReplyLayout) -> Vec<ExplainNode> {
    layout
        .fields
        .iter()
        .map(|f| {
            let mut n = ExplainNode::new(f.name.clone(), f.meaning(byte));
            n.bits = Some(f.bits_label());
            n
        })
        .collect()
}

/// "name: meaning" of the set fields, or "nothing set".
fn set_summary(byte: u8, layout: &ReplyLayout) -> Text {
    let set: Vec<_> = layout
        .fields
        .iter()
        .filter(|f| f.state(byte).any())
        .collect();
    if set.is_empty() {
        return if layout.fields.is_empty() {
            tr!("值 0x{byte:02X}", "value 0x{byte:02X}")
        } else {
            Text::fixed("无置位（全部正常）", "nothing set (all clear)")
        };
    }
    let zh: Vec<String> = set
        .iter()
        .map(|f| format!("{}：{}", f.name.zh, f.meaning(byte).zh))
        .collect();
    let en: Vec<String> = set
        .iter()
        .map(|f| format!("{}: {}", f.name.en, f.meaning(byte).en))
        .collect();
    Text::new(zh.join("，"), en.join(", "))
}

fn reply_node(label: Text, reply: &Reply) -> ExplainNode {
    match reply {
        Reply::Asb(_) => {
            let children = reply
                .status_bytes()
                .into_iter()
                .enumerate()
                .map(|(i, (byte, layout))| {
                    let n = i.saturating_add(1);
                    let mut node =
                        ExplainNode::new(tr!("第 {n} 字节", "byte {n}"), set_summary(byte, layout));
                    node.raw = hex_spaced(&[byte]);
                    node.children = field_nodes(byte, layout);
                    node
                })
                .collect();
            let mut node =
                ExplainNode::new(label, PrinterCondition::from_replies([reply]).summary());
            node.children = children;
            node
        }
        Reply::Id(IdReply::Text { query, value }) => {
            let mut node = ExplainNode::new(label, Text::same(format!("\"{}\"", value.text)));
            if *query == IdQuery::FontLanguage {
                node.children.push(ExplainNode::new(
                    Text::fixed("中文打印", "Chinese printing"),
                    FontLanguage::from_reply(&value.text).advice(),
                ));
            }
            node
        }
        _ => {
            let mut node = ExplainNode::new(label, Text::default());
            for (byte, layout) in reply.status_bytes() {
                node.value = set_summary(byte, layout);
                node.children = field_nodes(byte, layout);
                let fixed = layout.fixed.pattern();
                node.children.insert(
                    0,
                    ExplainNode::new(
                        Text::fixed("固定位", "fixed bits"),
                        tr!("符合 {fixed}", "match {fixed}"),
                    ),
                );
            }
            if let Reply::Id(IdReply::Model { value }) = reply {
                node.children.push(model_node(*value));
            }
            node
        }
    }
}

fn model_node(model: ModelId) -> ExplainNode {
    let value = match model.known_model() {
        Some(name) => Text::same(name),
        None => Text::fixed("不在参考表中", "not in the reference table"),
    };
    ExplainNode::new(Text::fixed("型号", "model"), value)
}

/// A byte read against every plausible query.
fn byte_readings(byte: u8, query: Option<Query>) -> ExplainNode {
    let mut children = Vec::new();
    let mut fits = Vec::new();
    for q in PLAUSIBLE {
        let Some(layout) = byte_layout(q) else {
            continue;
        };
        let pattern = layout.fixed.pattern();
        let mut node = if layout.fixed.matches(byte) {
            fits.push(q.code());
            let mut n = ExplainNode::new(q.name(), set_summary(byte, layout));
            n.children = field_nodes(byte, layout);
            n
        } else {
            ExplainNode::new(
                q.name(),
                tr!("不符合固定位 {pattern}", "fails fixed bits {pattern}"),
            )
        };
        if let (true, Query::PrinterId(IdQuery::ModelId)) = (layout.fixed.matches(byte), q) {
            if let Ok(model) = ModelId::decode(byte) {
                node.children.push(model_node(model));
            }
        }
        children.push(node);
    }
    if ASB_FIRST.matches(byte) {
        let pattern = ASB_FIRST.pattern();
        children.push(ExplainNode::new(
            Text::fixed("ASB 第 1 字节", "ASB byte 1"),
            tr!(
                "符合 {pattern}，但后面没有完整的 4 字节 ASB 包",
                "matches {pattern}, but no complete 4-byte ASB packet follows"
            ),
        ));
        fits.push("asb".to_owned());
    }
    let label = match query {
        None => Text::fixed("字节", "byte"),
        Some(_) => Text::fixed(
            "多余字节（不属于该应答）",
            "extra byte (not part of the reply)",
        ),
    };
    let value = if fits.is_empty() {
        Text::fixed(
            "不符合任何 ESC/POS 应答格式：波特率不对或其他指令集（Star、Seiko）",
            "fits no ESC/POS reply pattern: wrong baud rate or another dialect (Star, Seiko)",
        )
    } else {
        let list = fits.join(", ");
        tr!("可能是：{list}", "fits: {list}")
    };
    let mut node = ExplainNode::new(label, value);
    node.children = children;
    node
}

impl Explanation {
    /// The tree as indented text lines in `lang`.
    pub fn to_lines(&self, lang: Lang) -> Vec<String> {
        let mut lines = vec![self.summary.get(lang).to_owned()];
        if !self.requests.is_empty() {
            let names: Vec<String> = self
                .requests
                .iter()
                .map(|r| r.name().get(lang).to_owned())
                .collect();
            let note = match lang {
                Lang::Zh => format!(
                    "注意：这些字节也可读作主机→打印机命令：{}",
                    names.join("，")
                ),
                Lang::En => format!(
                    "note: these bytes also read as host → printer command(s): {}",
                    names.join(", ")
                ),
            };
            lines.push(note);
        }
        for node in &self.nodes {
            push_node(&mut lines, node, 0, lang);
        }
        for p in &self.problems {
            let fix = match lang {
                Lang::Zh => "处理",
                Lang::En => "fix",
            };
            lines.push(format!(
                "{}: {} {fix}: {}",
                p.cause_id(),
                p.name().get(lang),
                p.fix().get(lang)
            ));
        }
        lines
    }
}

fn push_node(lines: &mut Vec<String>, node: &ExplainNode, depth: usize, lang: Lang) {
    let mut line = "  ".repeat(depth);
    if let Some(offset) = node.offset {
        line.push_str(&format!("@{offset:<3} "));
    }
    if !node.raw.is_empty() {
        line.push_str(&node.raw);
        line.push_str("  ");
    }
    if let Some(bits) = &node.bits {
        line.push_str(&format!("{bits:<9} "));
    }
    line.push_str(node.label.get(lang));
    let value = node.value.get(lang);
    if !value.is_empty() {
        line.push_str(": ");
        line.push_str(value);
    }
    lines.push(line);
    for child in &node.children {
        push_node(lines, child, depth.saturating_add(1), lang);
    }
}
