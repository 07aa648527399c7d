//! Evidence from a capture: check records, the frames (for codes on the wire), transaction
//! outcomes and the fix attempts the Guide tab recorded.
//!
//! A capture holds the same events a live session folds into the Guide tab's evidence, and
//! transaction records written by the same tracker; reading them here gives the same
//! [`Observations`], so `posdiag guide`, the report and the Guide tab rank alike.

use std::path::{Path, PathBuf};

use super::{read_capture, CaptureError, CaptureRecord};
use crate::guide::{attempt_in_notice, Observations};

/// What was read from one capture.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureSource {
    pub path: PathBuf,
    pub records: usize,
    pub checks: usize,
    pub transactions: usize,
    /// Where reading stopped early (1-based line, reason); everything before it was used.
    pub damage: Option<(usize, String)>,
}

/// Adds everything `path` holds to `obs`.
pub fn observations_from_capture(
    path: &Path,
    obs: &mut Observations,
) -> Result<CaptureSource, CaptureError> {
    let contents = read_capture(path)?;
    let (checks, transactions) = observations_from_records(&contents.records, obs);
    Ok(CaptureSource {
        path: path.to_owned(),
        records: contents.records.len(),
        checks,
        transactions,
        damage: contents.damage,
    })
}

/// Folds capture records into `obs` in their order; returns how many check results and how
/// many distinct transactions they held.
pub fn observations_from_records(
    records: &[CaptureRecord],
    obs: &mut Observations,
) -> (usize, usize) {
    let mut checks = 0;
    let mut ids = std::collections::BTreeSet::new();
    for record in records {
        match record {
            CaptureRecord::Check { result, .. } => {
                obs.add_check(result);
                checks += 1;
            }
            CaptureRecord::Frame(f) => obs.add_frame(f),
            CaptureRecord::Transaction { transaction, .. } => {
                ids.insert(transaction.id);
                obs.add_transaction(transaction.evidence());
            }
            CaptureRecord::Notice { text, .. } => {
                if let Some((cause, worked)) = attempt_in_notice(text) {
                    obs.add_fix_attempt(&cause, worked);
                }
            }
            CaptureRecord::Link { .. }
            | CaptureRecord::RunFinished { .. }
            | CaptureRecord::End { .. } => {}
        }
    }
    (checks, ids.len())
}
