//! What one status read or identity read found: every item seen on the wire, and what the
//! checks need from it (the replies, what went unanswered, what failed its fixed bits, the
//! combined printer condition).

use std::time::Duration;

use crate::proto::escpos::{
    AsbStatus, EotQuery, EscPosDecodeError, IdReply, PrinterCondition, PrinterIdentity, Problem,
    Query, Reply, StreamItem,
};

/// One batch of DLE EOT requests and what came back.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRead {
    /// The requests sent, in order.
    pub queries: Vec<Query>,
    /// What was pending before the requests were sent (unsolicited ASB, stale bytes).
    pub drained: Vec<StreamItem>,
    /// What was read after sending, `NoReply` items included.
    pub items: Vec<StreamItem>,
    /// From sending the requests to the last reply (or the timeout).
    pub round_trip: Duration,
}

impl StatusRead {
    /// The reply to `query`, when it came and passed its fixed bits.
    pub fn reply(&self, query: EotQuery) -> Option<&Reply> {
        self.items.iter().find_map(|item| match item {
            StreamItem::Reply {
                query: q, reply, ..
            } if *q == Query::RealTime(query) => Some(reply),
            _ => None,
        })
    }

    /// The raw reply byte to `query`, when one came (valid or not).
    pub fn reply_byte(&self, query: EotQuery) -> Option<u8> {
        let wanted = Query::RealTime(query);
        self.items.iter().find_map(|item| match item {
            StreamItem::Reply {
                query: q, reply, ..
            } if *q == wanted => reply.raw().first().copied(),
            StreamItem::InvalidReply {
                query: q, bytes, ..
            } if *q == wanted => bytes.first().copied(),
            _ => None,
        })
    }

    /// Requests with no reply at all within the timeout.
    pub fn unanswered(&self) -> Vec<Query> {
        self.items
            .iter()
            .filter_map(|item| match item {
                StreamItem::NoReply { query } => Some(*query),
                _ => None,
            })
            .collect()
    }

    /// Replies that failed their fixed bits (wrong baud rate, another dialect).
    pub fn invalid(&self) -> Vec<(Query, &[u8], &EscPosDecodeError)> {
        self.items
            .iter()
            .filter_map(|item| match item {
                StreamItem::InvalidReply {
                    query,
                    bytes,
                    error,
                    ..
                } => Some((*query, bytes.as_slice(), error)),
                _ => None,
            })
            .collect()
    }

    /// ASB packets the printer sent unasked (ASB enabled by DIP switch or an earlier `GS a`).
    pub fn unsolicited_asb(&self) -> Vec<AsbStatus> {
        self.drained
            .iter()
            .chain(&self.items)
            .filter_map(|item| match item {
                StreamItem::UnsolicitedAsb { status, .. } => Some(*status),
                _ => None,
            })
            .collect()
    }

    /// Bytes that were neither a reply nor flow control nor ASB.
    pub fn stale_bytes(&self) -> Vec<u8> {
        self.drained
            .iter()
            .chain(&self.items)
            .filter_map(|item| match item {
                StreamItem::Stale { byte, .. } => Some(*byte),
                _ => None,
            })
            .collect()
    }

    /// True when not one byte answered any request.
    pub fn silent(&self) -> bool {
        !self.items.iter().any(|item| {
            matches!(
                item,
                StreamItem::Reply { .. }
                    | StreamItem::InvalidReply { .. }
                    | StreamItem::UnsolicitedAsb { .. }
                    | StreamItem::UnsolicitedId { .. }
                    | StreamItem::Stale { .. }
            )
        })
    }

    /// Every request answered with a valid reply.
    pub fn complete(&self) -> bool {
        self.queries
            .iter()
            .all(|q| matches!(q, Query::RealTime(e) if self.reply(*e).is_some()))
    }

    /// What the replies (and any unsolicited ASB) say; items no reply spoke about stay unknown.
    pub fn condition(&self) -> PrinterCondition {
        let asb: Vec<Reply> = self.unsolicited_asb().into_iter().map(Reply::Asb).collect();
        let replies = self
            .items
            .iter()
            .filter_map(|item| match item {
                StreamItem::Reply { reply, .. } => Some(reply),
                _ => None,
            })
            .chain(asb.iter());
        PrinterCondition::from_replies(replies)
    }

    /// The condition's problems, plus no reply and unreadable replies.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = self.condition().problems();
        if !self.invalid().is_empty() {
            problems.insert(0, Problem::Garbage);
        }
        if !self.unanswered().is_empty() {
            problems.insert(0, Problem::NoReply);
        }
        problems
    }

    /// "EOT1 12, EOT2 12, EOT3 12, EOT4 1E" with "—" for a missing reply: the status bytes as
    /// evidence.
    pub fn status_bytes(&self) -> String {
        self.queries
            .iter()
            .filter_map(|q| match q {
                Query::RealTime(e) => Some(*e),
                _ => None,
            })
            .map(|e| {
                let byte = self
                    .reply_byte(e)
                    .map_or_else(|| "—".to_owned(), |b| format!("{b:02X}"));
                format!("EOT{} {byte}", e.n())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The GS I requests asked and what came back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IdentityRead {
    pub asked: Vec<Query>,
    pub items: Vec<StreamItem>,
}

impl IdentityRead {
    pub fn replies(&self) -> Vec<&IdReply> {
        self.items
            .iter()
            .filter_map(|item| match item {
                StreamItem::Reply { reply, .. } => reply.as_id(),
                _ => None,
            })
            .collect()
    }

    pub fn identity(&self) -> PrinterIdentity {
        PrinterIdentity::from_replies(self.replies())
    }

    /// Requests asked and not answered with a valid reply.
    pub fn unanswered(&self) -> Vec<Query> {
        self.asked
            .iter()
            .copied()
            .filter(|q| {
                !self
                    .items
                    .iter()
                    .any(|item| matches!(item, StreamItem::Reply { query, .. } if query == q))
            })
            .collect()
    }
}
