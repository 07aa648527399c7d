//! The explanation tree, built node by node from the bytes as it is written: a long input
//! (a whole serial log) never has its items, nodes or lines held at once, and a run of one
//! repeated stray byte is one node.

use serde::{Serialize, Serializer};

use super::{nodes, ExplainNode};
use crate::escpos::query::Query;
use crate::escpos::stream::{FlowControl, ReplyReader, StreamItem};

/// The reader `decode escpos` reads with: XON/XOFF separated as on a serial link, `query`
/// (if any) outstanding, every byte of `bytes` pushed.
pub(super) fn reader(bytes: &[u8], query: Option<Query>) -> ReplyReader {
    let mut reader = ReplyReader::new(FlowControl::XonXoff);
    if let Some(q) = query {
        reader.expect(q);
    }
    reader.push(bytes);
    reader
}

/// What the tree is built from: the input and the query it answers.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Nodes {
    input: Vec<u8>,
    query: Option<Query>,
}

impl Nodes {
    pub(super) fn new(input: &[u8], query: Option<Query>) -> Self {
        Nodes {
            input: input.to_vec(),
            query,
        }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = ExplainNode> + '_ {
        let query = self.query;
        Folded {
            reader: reader(&self.input, query),
            peeked: None,
        }
        .map(move |item| match item {
            Item::Stream(i) => nodes::item_node(&i, query),
            Item::Run {
                offset,
                byte,
                count,
            } => nodes::run_node(offset, byte, count, query),
        })
    }
}

impl Serialize for Nodes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

enum Item {
    Stream(StreamItem),
    /// `count` (≥ 2) stray copies of `byte` from `offset` on.
    Run {
        offset: usize,
        byte: u8,
        count: usize,
    },
}

/// The reader's items with runs of one stray byte folded.
struct Folded {
    reader: ReplyReader,
    peeked: Option<StreamItem>,
}

impl Iterator for Folded {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let first = self.peeked.take().or_else(|| self.reader.next_settled())?;
        let StreamItem::Stale { offset, byte } = first else {
            return Some(Item::Stream(first));
        };
        let mut count = 1usize;
        loop {
            match self.reader.next_settled() {
                Some(StreamItem::Stale { byte: b, .. }) if b == byte => {
                    count = count.saturating_add(1);
                }
                other => {
                    self.peeked = other;
                    break;
                }
            }
        }
        Some(if count == 1 {
            Item::Stream(StreamItem::Stale { offset, byte })
        } else {
            Item::Run {
                offset,
                byte,
                count,
            }
        })
    }
}
