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

/// The test "is `o` the payment `void` names", seen from `side`; `None` when the void names
/// no payment on that side.
fn names(void: &Transaction, side: VoidOf) -> Option<Box<dyn Fn(&Transaction) -> bool>> {
    match side {
        VoidOf::Host => {
            let h = void.host.as_ref()?;
            let (orig, tid) = (h.original_stan.clone()?, h.tid.clone());
            Some(Box::new(move |o: &Transaction| {
                o.host.as_ref().is_some_and(|oh| {
                    oh.stan.as_deref() == Some(orig.as_str())
                        && same(oh.tid.as_deref(), tid.as_deref())
                })
            }))
        }
        VoidOf::Terminal => {
            let z = void.terminal.as_ref()?;
            let (trace, receipt) = (z.original_trace.clone(), z.void_of_receipt.clone());
            Some(Box::new(move |o: &Transaction| {
                o.terminal.as_ref().is_some_and(|oz| {
                    (trace.is_some() && oz.trace == trace)
                        || (receipt.is_some() && oz.receipt_no == receipt)
                })
            }))
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
        let is_original = names(t, side)?;
        let original = self
            .txns
            .iter()
            .rev()
            .find(|o| {
                o.id != id && o.kind == TxnKind::Payment && o.voided_by.is_none() && is_original(o)
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
