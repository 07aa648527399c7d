//! The host side of the tracker: ISO 8583 requests, responses and reversals, paired by
//! TID + STAN + batch and the MTI class (docs/protocols/iso8583-cup.md §8.2).

use crate::frame::FrameRecord;
use crate::i18n::Text;
use crate::proto::iso8583::codes::is_success;
use crate::proto::iso8583::transaction::TransactionKind;

use super::feed::{read_iso, IsoSeen};
use super::link::{same, VoidOf};
use super::model::{HostLeg, ReversalLeg, StepKind, Transaction, TxnKind};
use super::tracker::TxnTracker;
use super::verdict::{response_meaning, reversal_reason_text};

/// The model's kind for a host transaction.
fn kind_of(k: TransactionKind) -> TxnKind {
    match k {
        TransactionKind::Sale => TxnKind::Payment,
        TransactionKind::SaleVoid => TxnKind::Void,
        TransactionKind::Settlement => TxnKind::EndOfDay,
        _ => TxnKind::Other,
    }
}

/// "0210" → "0200".
fn request_mti(mti: &str) -> String {
    let mut d: Vec<u8> = mti.bytes().collect();
    if let Some(third) = d.get_mut(2) {
        if third.is_ascii_digit() && (*third - b'0') % 2 == 1 {
            *third -= 1;
        }
    }
    String::from_utf8_lossy(&d).into_owned()
}

/// The request `host` pairs with `iso` (response or reversal) by TID, STAN and batch.
fn pairs(host: &HostLeg, iso: &IsoSeen) -> bool {
    host.stan.is_some()
        && host.stan == iso.stan
        && same(host.tid.as_deref(), iso.tid.as_deref())
        && same(host.batch.as_deref(), iso.batch.as_deref())
}

impl TxnTracker {
    pub(super) fn feed_iso(&mut self, frame: &FrameRecord) -> Vec<u64> {
        let Some(iso) = read_iso(&self.dialect, frame) else {
            return Vec::new();
        };
        let Some(kind) = iso.kind else {
            return Vec::new();
        };
        use TransactionKind as K;
        match (kind, iso.response) {
            (K::SignOn | K::SignOff | K::Management | K::BatchUpload | K::Unknown, _) => Vec::new(),
            (K::Reversal, false) => self.reversal_request(iso, frame),
            (K::Reversal, true) => self.reversal_response(iso, frame),
            (_, false) => self.host_request(kind, iso, frame),
            (_, true) => self.host_response(iso, frame),
        }
    }

    fn host_request(
        &mut self,
        kind: TransactionKind,
        iso: IsoSeen,
        frame: &FrameRecord,
    ) -> Vec<u64> {
        let time = frame.time;
        let mapped = kind_of(kind);
        let terminal_txn = self.terminal_open.filter(|id| {
            self.get(*id).is_some_and(|t| {
                t.host.is_none()
                    && t.terminal.as_ref().is_some_and(|z| !z.ended)
                    && (t.kind == mapped
                        || (t.kind == TxnKind::Payment && mapped == TxnKind::Other))
            })
        });
        let resent = self
            .txns
            .iter()
            .rev()
            .find(|t| {
                t.host
                    .as_ref()
                    .is_some_and(|h| h.mti == iso.mti && pairs(h, &iso))
            })
            .map(|t| t.id);
        if let Some(id) = resent.filter(|_| terminal_txn.is_none()) {
            let at = self.attach(id, frame);
            self.step(
                id,
                StepKind::Note,
                time,
                Text::fixed("同一请求再次发送", "the same request sent again"),
                at,
            );
            return vec![id];
        }
        let id = match terminal_txn {
            Some(id) => id,
            None => {
                let id = self.open(mapped, time);
                let text = crate::tr!("主机侧看到 {}", "{} seen at the host", iso.mti);
                self.step(id, StepKind::Started, time, text, None);
                id
            }
        };
        let at = self.attach(id, frame);
        let stan = iso.stan.clone().unwrap_or_default();
        if let Some(t) = self.get_mut(id) {
            t.host = Some(HostLeg {
                mti: iso.mti.clone(),
                tid: iso.tid.clone(),
                stan: iso.stan.clone(),
                batch: iso.batch.clone(),
                sent: Some(time),
                original_stan: iso.original_stan.clone(),
                ..HostLeg::default()
            });
            if t.amount_minor.is_none() {
                t.amount_minor = iso.amount;
            }
            if t.card.is_none() {
                t.card = iso.card.clone();
            }
        }
        if iso.card.is_some() {
            self.card_read(id, time);
        }
        let name = kind.name();
        let text = Text::new(
            format!("{} {} 已发主机（流水 {stan}）", iso.mti, name.zh),
            format!("{} {} sent to the host (STAN {stan})", iso.mti, name.en),
        );
        self.step(id, StepKind::SentToHost, time, text, at);
        self.check_duplicate(id, time);
        vec![id]
    }

    fn host_response(&mut self, iso: IsoSeen, frame: &FrameRecord) -> Vec<u64> {
        let time = frame.time;
        let request = request_mti(&iso.mti);
        let found = self.txns.iter().rev().find(|t| {
            t.host
                .as_ref()
                .is_some_and(|h| h.mti == request && h.response_code.is_none() && pairs(h, &iso))
        });
        let Some(id) = found.map(|t| t.id) else {
            return Vec::new();
        };
        let at = self.attach(id, frame);
        let code = iso.code.clone().unwrap_or_default();
        let mut late = false;
        let mut no_terminal = false;
        if let Some(t) = self.get_mut(id) {
            late = t.timed_out || t.reversal.is_some();
            no_terminal = t.terminal.is_none();
            if let Some(h) = t.host.as_mut() {
                h.response_code = iso.code.clone();
                h.answered = Some(time);
                h.rrn = iso.rrn.clone();
                h.auth_code = iso.auth_code.clone();
                h.date = iso.date.clone();
                h.wants_sign_on = iso.wants_sign_on;
                h.settlement_flag = iso.settlement_flag;
                h.late = late;
            }
        }
        let m = response_meaning(&code);
        let text = Text::new(
            format!("主机应答 {} ：{code} {}", iso.mti, m.zh),
            format!("host answered {}: {code} {}", iso.mti, m.en),
        );
        self.step(id, StepKind::HostAnswered, time, text, at);
        if late {
            let text = Text::fixed(
                "应答来得太晚：终端已放弃并冲正（R5）",
                "the answer came late: the terminal had already given up and reversed (R5)",
            );
            self.step(id, StepKind::Note, time, text, at);
        } else if !is_success(&code) && no_terminal {
            let text = Text::new(
                format!("主机拒绝：{code} {}", m.zh),
                format!("declined by the host: {code} {}", m.en),
            );
            self.step(id, StepKind::Declined, time, text, at);
        }
        let mut changed = vec![id];
        if is_success(&code) && !late {
            changed.extend(self.link_void(id, VoidOf::Host, time));
        }
        changed
    }

    fn reversal_request(&mut self, iso: IsoSeen, frame: &FrameRecord) -> Vec<u64> {
        let time = frame.time;
        let original = self
            .txns
            .iter()
            .rev()
            .find(|t| {
                t.host
                    .as_ref()
                    .is_some_and(|h| h.mti != "0400" && pairs(h, &iso))
            })
            .map(|t| t.id);
        let id = match original {
            Some(id) => id,
            None => {
                let id = self.open(TxnKind::Payment, time);
                let text = Text::fixed(
                    "主机侧看到冲正（原交易未见）",
                    "reversal seen at the host (original not seen)",
                );
                self.step(id, StepKind::Started, time, text, None);
                id
            }
        };
        let at = self.attach(id, frame);
        let reason = iso.code.clone().unwrap_or_else(|| "06".to_owned());
        let mut attempt = 1;
        if let Some(t) = self.get_mut(id) {
            let leg = t.reversal.get_or_insert_with(ReversalLeg::default);
            leg.attempts = leg.attempts.saturating_add(1);
            attempt = leg.attempts;
            leg.tid = iso.tid.clone();
            leg.stan = iso.stan.clone();
            leg.reason = Some(reason.clone());
            leg.sent.get_or_insert(time);
            leg.response_code = None;
            if t.amount_minor.is_none() {
                t.amount_minor = iso.amount;
            }
            if t.card.is_none() {
                t.card = iso.card.clone();
            }
        }
        let why = reversal_reason_text(&reason);
        let text = if attempt > 1 {
            Text::new(
                format!("再次发送冲正（第 {attempt} 次），原因 {reason} {}", why.zh),
                format!(
                    "reversal sent again (attempt {attempt}), reason {reason} {}",
                    why.en
                ),
            )
        } else {
            Text::new(
                format!("0400 冲正已发，原因 {reason} {}", why.zh),
                format!("0400 reversal sent, reason {reason} {}", why.en),
            )
        };
        self.step(id, StepKind::ReversalSent, time, text, at);
        vec![id]
    }

    fn reversal_response(&mut self, iso: IsoSeen, frame: &FrameRecord) -> Vec<u64> {
        let time = frame.time;
        let found = self.txns.iter().rev().find(|t| {
            t.reversal.as_ref().is_some_and(|r| {
                r.response_code.is_none()
                    && r.stan.is_some()
                    && r.stan == iso.stan
                    && same(r.tid.as_deref(), iso.tid.as_deref())
            })
        });
        let Some(id) = found.map(|t| t.id) else {
            return Vec::new();
        };
        let at = self.attach(id, frame);
        let code = iso.code.clone().unwrap_or_default();
        let mut done = false;
        if let Some(leg) = self.get_mut(id).and_then(|t| t.reversal.as_mut()) {
            leg.response_code = iso.code.clone();
            leg.answered = Some(time);
            done = leg.done();
        }
        let m = response_meaning(&code);
        let (kind, text) = if done {
            (
                StepKind::Reversed,
                crate::tr!(
                    "冲正已确认（{} {code}）",
                    "reversal confirmed ({} {code})",
                    iso.mti
                ),
            )
        } else {
            (
                StepKind::Note,
                Text::new(
                    format!("冲正被拒：{code} {}，终端会重试", m.zh),
                    format!("reversal refused: {code} {}; the terminal will retry", m.en),
                ),
            )
        };
        self.step(id, kind, time, text, at);
        vec![id]
    }
}

/// True when `t` is waiting for its host answer (for views: a spinner).
pub fn awaiting_host(t: &Transaction) -> bool {
    t.host.as_ref().is_some_and(|h| h.response_code.is_none()) && !t.timed_out
}
