//! The one void/reversal linker: a void that went through cancels the payment it names, on
//! whichever side it was seen — at the host by the original STAN (61.2) and TID, at the
//! terminal by the original trace number or the receipt number the void asked for. A payment
//! already voided is not voided again (a second void of the same receipt names nothing).

use std::time::SystemTime;

use super::model::{StepKind, Transaction, TxnKind};
use super::tracker::TxnTracker;

/// Where the void was seen, and so by which numbers it names its payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VoidOf {
    /// The host's answer approved it: original STAN and TID.
    Host,
    /// The terminal completed it: original trace, or the receipt number asked for.
    Terminal,
}

/// Same value, or either side does not say.
pub(super) fn same(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.trim() == b.trim(),
        _ => true,
    }
}

/// The numbers by which a void names its payment.
enum Names {
    Host {
        stan: String,
        tid: Option<String>,
    },
    Terminal {
        trace: Option<String>,
        receipt: Option<String>,
    },
}

impl Names {
    /// What `void` names, seen from `side`; `None` when it names no payment there.
    fn of(void: &Transaction, side: VoidOf) -> Option<Names> {
        match side {
            VoidOf::Host => {
                let h = void.host.as_ref()?;
                Some(Names::Host {
                    stan: h.original_stan.clone()?,
                    tid: h.tid.clone(),
                })
            }
            VoidOf::Terminal => {
                let z = void.terminal.as_ref()?;
                Some(Names::Terminal {
                    trace: z.original_trace.clone(),
                    receipt: z.void_of_receipt.clone(),
                })
            }
        }
    }

    /// True when `o` is the payment named.
    fn matches(&self, o: &Transaction) -> bool {
        match self {
            Names::Host { stan, tid } => o.host.as_ref().is_some_and(|oh| {
                oh.stan.as_deref() == Some(stan.as_str()) && same(oh.tid.as_deref(), tid.as_deref())
            }),
            Names::Terminal { trace, receipt } => o.terminal.as_ref().is_some_and(|oz| {
                (trace.is_some() && oz.trace == *trace)
                    || (receipt.is_some() && oz.receipt_no == *receipt)
            }),
        }
    }
}

impl TxnTracker {
    /// Void `id` went through (seen from `side`): marks the payment it cancels; returns its id.
    pub(super) fn link_void(&mut self, id: u64, side: VoidOf, time: SystemTime) -> Option<u64> {
        let t = self.get(id)?;
        if t.kind != TxnKind::Void {
            return None;
        }
        let names = Names::of(t, side)?;
        let original = self
            .txns
            .iter()
            .rev()
            .find(|o| {
                o.id != id
                    && o.kind == TxnKind::Payment
                    && o.voided_by.is_none()
                    && names.matches(o)
            })
            .map(|o| o.id)?;
        if let Some(o) = self.get_mut(original) {
            o.voided_by = Some(id);
        }
        let text = crate::tr!("已被第 {id} 笔撤销", "voided by #{id}");
        self.step(original, StepKind::Reversed, time, text, None);
        Some(original)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use crate::frame::{Channel, Direction, FrameRecord};
    use crate::proto::iso8583::{redact_message, Dialect, FieldValue, Message, Mti};
    use crate::txn::TxnTracker;

    /// Host frames only (a tap on the acquirer line): no terminal protocol involved.
    struct Host {
        tracker: TxnTracker,
        now: SystemTime,
    }

    impl Host {
        fn send(&mut self, direction: Direction, m: Message) {
            let d = Dialect::cup();
            self.now += Duration::from_millis(100);
            let raw = redact_message(&d, &m.encode(&d).expect("encodes"));
            self.tracker.feed(&FrameRecord {
                time: self.now,
                channel: Channel::Host,
                direction,
                raw,
                summary: "test".into(),
                error: false,
                summary_zh: None,
            });
        }

        fn request(&mut self, stan: &str, void_of: Option<&str>) {
            let code = if void_of.is_some() {
                "200000"
            } else {
                "000000"
            };
            let m = Message::new(Mti::new("0200").expect("mti"))
                .with(3, FieldValue::digits(code))
                .with(4, FieldValue::digits("000000001234"))
                .with(11, FieldValue::digits(stan))
                .with(41, FieldValue::text("29001006"));
            let m = match void_of {
                None => m.with(60, FieldValue::digits("22000001")),
                Some(orig) => m
                    .with(60, FieldValue::digits("23000001"))
                    .with(61, FieldValue::digits(format!("000001{orig}"))),
            };
            self.send(Direction::Tx, m);
            let answer = Message::new(Mti::new("0210").expect("mti"))
                .with(11, FieldValue::digits(stan))
                .with(41, FieldValue::text("29001006"))
                .with(39, FieldValue::text("00"))
                .with(
                    60,
                    FieldValue::digits(if void_of.is_some() {
                        "23000001"
                    } else {
                        "22000001"
                    }),
                );
            self.send(Direction::Rx, answer);
        }
    }

    #[test]
    fn a_payment_already_voided_is_not_voided_again_at_the_host() {
        let mut h = Host {
            tracker: TxnTracker::new(Dialect::cup()),
            now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
        };
        h.request("000070", None);
        h.request("000071", Some("000070"));
        h.request("000072", Some("000070"));
        let payment = h.tracker.get(1).expect("payment");
        assert_eq!(payment.voided_by, Some(2), "{payment:#?}");
        let reversed = payment
            .steps
            .iter()
            .filter(|s| s.kind == crate::txn::StepKind::Reversed)
            .count();
        assert_eq!(reversed, 1);
    }
}
