//! Building the explanation tree: reply nodes bit by bit, and a byte read against every
//! plausible query when no query was given.

use super::ExplainNode;
use crate::escpos::bits::{ReplyLayout, ASB_FIRST};
use crate::escpos::condition::PrinterCondition;
use crate::escpos::hex::hex_spaced;
use crate::escpos::identity::{FontLanguage, IdReply, ModelId, ID_HEADER, ID_TERMINATOR};
use crate::escpos::query::{EotQuery, GsRQuery, IdQuery, Query};
use crate::escpos::reply::{byte_layout, Reply};
use crate::escpos::stream::{StreamItem, XON};
use crate::i18n::Text;
use crate::tr;

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

pub(super) fn item_node(item: &StreamItem, query: Option<Query>) -> ExplainNode {
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
            let mut raw = vec![ID_HEADER];
            raw.extend_from_slice(&text.raw);
            raw.push(ID_TERMINATOR);
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

/// `count` stray copies of `byte` from `offset` on, read once: a line per byte would make a
/// megabyte of padding tens of millions of lines.
pub(super) fn run_node(offset: usize, byte: u8, count: usize, query: Option<Query>) -> ExplainNode {
    let mut node = byte_readings(byte, query).at(offset, &[byte]);
    let last = offset.saturating_add(count.saturating_sub(1));
    let (zh, en) = (node.label.zh.to_string(), node.label.en.to_string());
    node.label = tr!(
        "{zh} ×{count}（偏移 {offset}–{last}，同一字节重复）",
        "{en} ×{count} (offsets {offset}–{last}, the same byte repeated)"
    );
    node
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
