//! The card reader's state: terminal status E2 / DC / E1 … and the TLV 1F55 reader bits.

use super::status::{cause_of_status, status_text, Snapshot, STATUS_LABEL};
use crate::drivers::terminal::{AreaFact, FactState};
use crate::i18n::Text;
use crate::proto::zvt::device::LockBit;
use crate::{cause, tr};

pub(super) fn status(s: &Snapshot<'_>) -> AreaFact {
    let terminal_status = s.status();
    let from_status =
        cause_of_status(terminal_status).filter(|c| c.as_str().starts_with("reader."));
    let locks = s.diagnostics.locks.as_ref();
    let from_locks = locks.and_then(|l| {
        if l.is_set(LockBit::CardReaderNotFound) {
            Some(cause!("reader.not_answering"))
        } else if l.is_set(LockBit::CardStillInserted) {
            Some(cause!("reader.card_inserted"))
        } else {
            None
        }
    });
    let fact = match from_status.or(from_locks).map(|c| (c.as_str(), c)) {
        Some(("reader.not_answering", _)) => AreaFact::new(
            FactState::Fault,
            tr!(
                "读卡器无应答或故障：重启终端；仍不行则送修",
                "the card reader does not answer or is defective: restart the terminal; if it persists, send it for repair"
            ),
        )
        .with_cause(cause!("reader.not_answering")),
        Some(("reader.card_inserted", _)) => AreaFact::new(
            FactState::Fault,
            tr!(
                "读卡器中仍有卡：请顾客取出卡片后再交易",
                "a card is still in the reader: have the customer remove it before the next payment"
            ),
        )
        .with_cause(cause!("reader.card_inserted")),
        Some((_, other)) => AreaFact::new(
            FactState::Fault,
            tr!("读卡器报告故障", "the card reader reports a fault"),
        )
        .with_cause(other),
        None => AreaFact::new(
            FactState::Ok,
            tr!("读卡器未报告问题", "the card reader reports no problem"),
        ),
    };
    let mut fact = fact.with_evidence_text(STATUS_LABEL, &status_text(terminal_status));
    if let Some(l) = locks {
        fact = fact.with_evidence(
            Text::fixed("TLV 1F55 锁定位", "TLV 1F55 lock bits"),
            hex::encode_upper(&l.raw),
        );
    }
    fact
}
