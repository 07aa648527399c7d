//! `posdiag decode escpos HEX`: explains printer status bytes as a tree with bilingual labels.
//!
//! With a query, the bytes are read as that query's reply (XON/XOFF and unsolicited ASB
//! separated as on a live link); a reply failing its fixed bits is an error naming the offset.
//! Without one, ASB packets and GS I text blocks are recognised by their framing, and every
//! other byte is read against each plausible one-byte query: whether it passes the fixed bits
//! and what it would mean (built in `nodes.rs`).
//!
//! Inputs can be megabytes (a whole serial log): the tree is built node by node as it is
//! printed or serialised, never held whole, and a run of one repeated stray byte is one node.

mod lazy;
mod nodes;

use serde::Serialize;

use super::commands::{parse_requests, Request};
use super::condition::PrinterCondition;
use super::error::EscPosDecodeError;
use super::hex::{hex_spaced, parse_hex};
use super::identity::IdReply;
use super::problem::Problem;
use super::query::Query;
use super::reply::Reply;
use super::stream::StreamItem;
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

/// The input as echoed back: a run of digits long enough to be a card number (ASCII or BCD
/// nibbles) is masked, as in every other output, even though no printer should send one.
fn echo(bytes: &[u8]) -> Vec<u8> {
    let mut copy = bytes.to_vec();
    crate::proto::redact::mask_text_digit_runs(&mut copy);
    crate::proto::redact::mask_bcd_digit_runs(&mut copy, 0xF);
    copy
}

/// The explanation of some bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    #[serde(with = "crate::proto::hex_bytes")]
    pub input: Vec<u8>,
    pub query: Option<Query>,
    /// Set when the whole input also reads as host → printer requests (a TX capture).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<Request>,
    pub condition: PrinterCondition,
    pub problems: Vec<Problem>,
    pub summary: Text,
    /// The tree's top-level nodes, built as they are serialised (see [`Explanation::nodes`]).
    nodes: lazy::Nodes,
}

/// Explains `bytes`, read as the reply to `query` if given.
pub fn explain(bytes: &[u8], query: Option<Query>) -> Result<Explanation, EscPosDecodeError> {
    if bytes.is_empty() {
        return Err(EscPosDecodeError::Empty);
    }
    // Read once for what the summary needs; the tree reads the bytes again as it is written.
    let mut reader = lazy::reader(bytes, query);
    let mut replies: Vec<Reply> = Vec::new();
    let mut stale = 0usize;
    while let Some(item) = reader.next_settled() {
        match item {
            StreamItem::InvalidReply { error, .. } => return Err(error),
            StreamItem::NoReply { query } => {
                return Err(EscPosDecodeError::NoReply {
                    query,
                    len: bytes.len(),
                })
            }
            StreamItem::Reply { reply, .. } => replies.push(reply),
            StreamItem::UnsolicitedAsb { status, .. } => replies.push(Reply::Asb(status)),
            StreamItem::Stale { .. } | StreamItem::UnsolicitedId { .. } => {
                stale = stale.saturating_add(1);
            }
            StreamItem::FlowControl { .. } => {}
        }
    }
    let condition = PrinterCondition::from_replies(&replies);
    let requests = if query.is_none() {
        parse_requests(bytes).unwrap_or_default()
    } else {
        Vec::new()
    };
    let summary = summarise(stale, &replies, &condition, query);
    Ok(Explanation {
        input: echo(bytes),
        query,
        requests,
        problems: condition.problems(),
        condition,
        summary,
        nodes: lazy::Nodes::new(bytes, query),
    })
}

/// [`explain`] on hex text (`10 00 03 00`, `0x12,0x16`, `12:16`).
pub fn explain_hex(hex: &str, query: Option<Query>) -> Result<Explanation, EscPosDecodeError> {
    explain(&parse_hex(hex)?, query)
}

fn summarise(
    stale: usize,
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

impl Explanation {
    /// The tree's top-level nodes, built one by one.
    pub fn nodes(&self) -> impl Iterator<Item = ExplainNode> + '_ {
        self.nodes.iter()
    }

    /// The tree as indented text lines in `lang`, held whole: for short inputs (tests, the
    /// TUI). [`Explanation::write_lines`] streams them.
    pub fn to_lines(&self, lang: Lang) -> Vec<String> {
        let mut lines = Vec::new();
        self.for_each_line(lang, |line| {
            lines.push(line.to_owned());
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap_or_else(|never| match never {});
        lines
    }

    /// Writes the tree as indented text lines in `lang`, one node at a time.
    pub fn write_lines(&self, lang: Lang, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.for_each_line(lang, |line| {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")
        })
    }

    fn for_each_line<E>(
        &self,
        lang: Lang,
        mut emit: impl FnMut(&str) -> Result<(), E>,
    ) -> Result<(), E> {
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
        for line in lines.drain(..) {
            emit(&line)?;
        }
        for node in self.nodes() {
            push_node(&mut lines, &node, 0, lang);
            for line in lines.drain(..) {
                emit(&line)?;
            }
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
        for line in lines.drain(..) {
            emit(&line)?;
        }
        Ok(())
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
        // "bits 2+3" is the JSON form; Chinese reads "位 2+3".
        let shown = match lang {
            Lang::Zh => format!(
                "位 {}",
                bits.trim_start_matches("bits ").trim_start_matches("bit ")
            ),
            Lang::En => bits.clone(),
        };
        line.push_str(&format!("{shown:<9} "));
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
