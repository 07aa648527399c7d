//! Reading replies out of the byte stream from a printer (escpos.md §1, §9), without I/O.
//!
//! The client tells the reader which queries it sent ([`ReplyReader::expect`]) and pushes
//! bytes as they arrive (TCP may deliver one byte per read). The reader separates:
//! XON/XOFF (serial flow control, skipped), unsolicited ASB packets (first byte `0xx1xx00`
//! plus three `0xx0xxxx` bytes, an XOFF may sit in between), GS I text blocks (`5F … 00`), and
//! single reply bytes. A single byte goes to the oldest outstanding one-byte query whose fixed
//! bits it passes (real-time DLE EOT replies overtake GS r replies waiting behind print data);
//! a byte passing none is that oldest query's invalid reply, so one garbled reply does not
//! shift the others. Bytes with nothing outstanding are stale (drain before querying).
//! At the timeout, [`ReplyReader::flush`] settles what is left and names each query that got
//! no reply — "no reply" is its own state, never OK.

use std::collections::VecDeque;

use serde::Serialize;

use super::asb::{AsbStatus, ASB_LEN};
use super::bits::{ASB_FIRST, ASB_REST};
use super::error::EscPosDecodeError;
use super::identity::{
    is_id_text_byte, IdReply, IdText, ID_HEADER, ID_TERMINATOR, MAX_ID_REPLY_LEN,
};
use super::query::{Query, ReplyShape};
use super::reply::{decode_byte, Reply};

pub const XON: u8 = 0x11;
pub const XOFF: u8 = 0x13;

/// Whether the link uses XON/XOFF; without it, `11`/`13` are ordinary (invalid) bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowControl {
    #[default]
    XonXoff,
    None,
}

/// One thing found in the stream, with its offset counted from the first byte pushed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum StreamItem {
    /// The reply to an outstanding query.
    Reply {
        offset: usize,
        query: Query,
        reply: Reply,
    },
    /// Bytes where the reply to `query` was due, failing its format.
    InvalidReply {
        offset: usize,
        query: Query,
        #[serde(with = "crate::proto::hex_bytes")]
        bytes: Vec<u8>,
        error: EscPosDecodeError,
    },
    /// An ASB packet nobody asked for (ASB enabled by DIP switch or earlier `GS a`).
    UnsolicitedAsb { offset: usize, status: AsbStatus },
    /// A GS I text block nobody asked for (a late reply to an earlier request).
    UnsolicitedId { offset: usize, text: IdText },
    /// XON (`11`) or XOFF (`13`).
    FlowControl { offset: usize, byte: u8 },
    /// A byte while nothing was outstanding: stale reply or noise.
    Stale { offset: usize, byte: u8 },
    /// `flush` ran before this query was answered.
    NoReply { query: Query },
}

/// Sans-I/O reply reader; see the module documentation.
#[derive(Debug, Clone, Default)]
pub struct ReplyReader {
    /// Received bytes; `received[head..]` are not settled yet. Settled bytes are dropped
    /// when more arrive, not one by one: removing each byte from the front of a `Vec` made
    /// reading a megabyte quadratic.
    received: Vec<u8>,
    head: usize,
    /// Stream offset of `received[head]`.
    base: usize,
    outstanding: VecDeque<Query>,
    flow: FlowControl,
    ready: VecDeque<StreamItem>,
}

enum AsbScan {
    Complete { len: usize, status: AsbStatus },
    NeedMore,
    NotAsb,
}

enum BlockScan {
    /// Text bytes and the block's length including header and NUL.
    Complete {
        text: Vec<u8>,
        len: usize,
    },
    NeedMore,
    /// A control byte at `at` (buffer index) that cannot be in a text block.
    Invalid {
        at: usize,
        byte: u8,
    },
    TooLong,
}

impl ReplyReader {
    pub fn new(flow: FlowControl) -> Self {
        ReplyReader {
            flow,
            ..Default::default()
        }
    }

    /// Registers a query just sent; its reply will be picked out of the stream.
    pub fn expect(&mut self, query: Query) {
        self.outstanding.push_back(query);
    }

    /// Queries still waiting for their reply, oldest first.
    pub fn outstanding(&self) -> impl Iterator<Item = &Query> {
        self.outstanding.iter()
    }

    /// Bytes held back because they may start an ASB packet or text block.
    pub fn pending_bytes(&self) -> usize {
        self.buf().len()
    }

    /// The bytes not settled yet.
    fn buf(&self) -> &[u8] {
        self.received.get(self.head..).unwrap_or_default()
    }

    /// Adds received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.received.drain(..self.head.min(self.received.len()));
        self.head = 0;
        self.received.extend_from_slice(bytes);
    }

    /// The next complete item, or `None` until more bytes arrive.
    pub fn next_item(&mut self) -> Option<StreamItem> {
        while self.ready.is_empty() && self.step(false) {}
        self.ready.pop_front()
    }

    /// All items complete so far.
    pub fn items(&mut self) -> Vec<StreamItem> {
        std::iter::from_fn(|| self.next_item()).collect()
    }

    /// [`ReplyReader::flush`] one item at a time: the next item settling buffered bytes
    /// without waiting for more, then each outstanding query as [`StreamItem::NoReply`];
    /// `None` when nothing is left. For reading a long input without holding its items.
    pub fn next_settled(&mut self) -> Option<StreamItem> {
        while self.ready.is_empty() && self.step(true) {}
        if let Some(item) = self.ready.pop_front() {
            return Some(item);
        }
        self.outstanding
            .pop_front()
            .map(|query| StreamItem::NoReply { query })
    }

    /// At a timeout (or to drain before querying): settles every buffered byte without waiting
    /// for more, then reports each outstanding query as [`StreamItem::NoReply`]. The reader is
    /// empty afterwards; offsets keep counting.
    pub fn flush(&mut self) -> Vec<StreamItem> {
        while self.step(true) {}
        let mut out: Vec<StreamItem> = self.ready.drain(..).collect();
        out.extend(
            self.outstanding
                .drain(..)
                .map(|query| StreamItem::NoReply { query }),
        );
        out
    }

    fn is_flow(&self, byte: u8) -> bool {
        self.flow == FlowControl::XonXoff && (byte == XON || byte == XOFF)
    }

    fn offset(&self, index: usize) -> usize {
        self.base.saturating_add(index)
    }

    /// Removes `len` bytes from the front of the buffer.
    fn consume(&mut self, len: usize) {
        let len = len.min(self.buf().len());
        self.head = self.head.saturating_add(len);
        self.base = self.base.saturating_add(len);
    }

    /// Emits flow-control items for the XON/XOFF bytes in `buf[from..to]`.
    fn emit_flow_within(&mut self, from: usize, to: usize) {
        let flows: Vec<StreamItem> = self
            .buf()
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter(|(_, b)| self.is_flow(**b))
            .map(|(i, b)| StreamItem::FlowControl {
                offset: self.offset(from.saturating_add(i)),
                byte: *b,
            })
            .collect();
        self.ready.extend(flows);
    }

    /// Takes the first outstanding query satisfying `pred`.
    fn take_outstanding(&mut self, pred: impl Fn(&Query) -> bool) -> Option<Query> {
        let index = self.outstanding.iter().position(pred)?;
        self.outstanding.remove(index)
    }

    /// Processes the front of the buffer. Returns false when nothing could be done (empty, or
    /// waiting for more bytes when `final_` is false).
    fn step(&mut self, final_: bool) -> bool {
        let Some(&first) = self.buf().first() else {
            return false;
        };
        let offset = self.base;
        if self.is_flow(first) {
            self.ready.push_back(StreamItem::FlowControl {
                offset,
                byte: first,
            });
            self.consume(1);
            return true;
        }
        if ASB_FIRST.matches(first) {
            match self.scan_asb() {
                AsbScan::Complete { len, status } => {
                    self.emit_asb(offset, status, len);
                    return true;
                }
                AsbScan::NeedMore if !final_ => return false,
                // Incomplete at the end, or not ASB: an ordinary byte.
                AsbScan::NeedMore | AsbScan::NotAsb => {}
            }
        }
        if first == ID_HEADER {
            if let Some(done) = self.step_block(final_) {
                return done;
            }
        }
        self.step_single(first);
        true
    }

    /// Looks for an ASB packet at the front: the first byte already matched `0xx1xx00`.
    fn scan_asb(&self) -> AsbScan {
        let mut data = [0u8; ASB_LEN];
        let mut filled = 0usize;
        let mut flow = 0usize;
        for (i, &b) in self.buf().iter().enumerate() {
            if i > 0 && self.is_flow(b) {
                // One XOFF may sit between packet bytes; more is not an ASB packet.
                flow = flow.saturating_add(1);
                if flow >= ASB_LEN {
                    return AsbScan::NotAsb;
                }
                continue;
            }
            if let Some(slot) = data.get_mut(filled) {
                *slot = b;
            }
            filled = filled.saturating_add(1);
            if filled == ASB_LEN {
                // Checks bytes 2-4 (0xx0xxxx) once more and builds the packet.
                return match AsbStatus::decode(&data) {
                    Ok(status) => AsbScan::Complete {
                        len: i.saturating_add(1),
                        status,
                    },
                    Err(_) => AsbScan::NotAsb,
                };
            }
            if i > 0 && !ASB_REST.matches(b) {
                return AsbScan::NotAsb;
            }
        }
        AsbScan::NeedMore
    }

    fn emit_asb(&mut self, offset: usize, status: AsbStatus, len: usize) {
        let item = match self.take_outstanding(|q| matches!(q, Query::AutoStatusBack(_))) {
            Some(query) => StreamItem::Reply {
                offset,
                query,
                reply: Reply::Asb(status),
            },
            None => StreamItem::UnsolicitedAsb { offset, status },
        };
        self.ready.push_back(item);
        self.emit_flow_within(1, len);
        self.consume(len);
    }

    fn scan_block(&self) -> BlockScan {
        let mut text = Vec::new();
        for (i, &b) in self.buf().iter().enumerate().skip(1) {
            if i >= MAX_ID_REPLY_LEN {
                return BlockScan::TooLong;
            }
            if b == ID_TERMINATOR {
                return BlockScan::Complete {
                    text,
                    len: i.saturating_add(1),
                };
            }
            if self.is_flow(b) {
                continue;
            }
            if !is_id_text_byte(b) {
                return BlockScan::Invalid { at: i, byte: b };
            }
            text.push(b);
        }
        BlockScan::NeedMore
    }

    /// Handles a buffer starting with `5F`. `Some(result)` when it was handled as a block (or
    /// must wait), `None` to treat the `5F` as an ordinary byte.
    fn step_block(&mut self, final_: bool) -> Option<bool> {
        let offset = self.base;
        let expected = self
            .outstanding
            .iter()
            .position(|q| q.shape() == ReplyShape::TextBlock);
        match self.scan_block() {
            BlockScan::Complete { text, len } => {
                let text = IdText::from_raw(text);
                let item = match expected.and_then(|i| self.outstanding.remove(i)) {
                    Some(query @ Query::PrinterId(id)) => StreamItem::Reply {
                        offset,
                        query,
                        reply: Reply::Id(IdReply::Text {
                            query: id,
                            value: text,
                        }),
                    },
                    _ => StreamItem::UnsolicitedId { offset, text },
                };
                self.ready.push_back(item);
                self.emit_flow_within(1, len);
                self.consume(len);
                Some(true)
            }
            BlockScan::NeedMore if !final_ => Some(false),
            scan => {
                let query = expected.and_then(|i| self.outstanding.remove(i))?;
                let (len, error) = match scan {
                    BlockScan::Invalid { at, byte } => (
                        at,
                        EscPosDecodeError::InvalidIdByte {
                            offset: self.offset(at),
                            byte,
                            query,
                        },
                    ),
                    BlockScan::TooLong => (
                        MAX_ID_REPLY_LEN,
                        EscPosDecodeError::IdTooLong {
                            offset,
                            limit: MAX_ID_REPLY_LEN,
                            query,
                        },
                    ),
                    _ => (
                        self.buf().len(),
                        EscPosDecodeError::UnterminatedId { offset, query },
                    ),
                };
                let bytes = self.buf().get(..len).unwrap_or_default().to_vec();
                self.ready.push_back(StreamItem::InvalidReply {
                    offset,
                    query,
                    bytes,
                    error,
                });
                self.consume(len);
                Some(true)
            }
        }
    }

    /// One byte: the reply to an outstanding one-byte query, or stale.
    fn step_single(&mut self, byte: u8) {
        let offset = self.base;
        let single = |q: &Query| matches!(q.shape(), ReplyShape::Byte(_));
        let fitting =
            self.take_outstanding(|q| matches!(q.shape(), ReplyShape::Byte(f) if f.matches(byte)));
        let query = fitting.or_else(|| self.take_outstanding(single));
        let item = match query {
            Some(query) => match decode_byte(query, byte) {
                Ok(reply) => StreamItem::Reply {
                    offset,
                    query,
                    reply,
                },
                Err(error) => StreamItem::InvalidReply {
                    offset,
                    query,
                    bytes: vec![byte],
                    error: error.shifted(offset),
                },
            },
            None => StreamItem::Stale { offset, byte },
        };
        self.ready.push_back(item);
        self.consume(1);
    }
}
