//! Evidence from a capture: check records, the frames (for codes on the wire) and
//! transaction outcomes.
//!
//! Transaction records are recognised by shape rather than by record type: any JSON object
//! in a capture line (at the top or one level down) with a `verdict` from the DESIGN.md set,
//! read with the `txn` contract's keys (`response_code`, `reversal_reason`, `causes`). The
//! transaction record type is added to the capture format by the transaction work; this way
//! the guide reads it whatever the record's `type` is called.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::observe::{Observations, TransactionEvidence, Verdict};
use crate::capture::{read_capture, CaptureError, CaptureRecord};

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
    let mut checks = 0;
    let mut frames = Vec::new();
    for record in &contents.records {
        match record {
            CaptureRecord::Check { result, .. } => {
                obs.add_check(result);
                checks += 1;
            }
            CaptureRecord::Frame(f) => frames.push(f),
            _ => {}
        }
    }
    obs.add_frames(frames);
    // The raw text again, for transaction records; lines after the damage are not trusted.
    let text = std::fs::read(path).map_err(|source| CaptureError::Io {
        path: path.to_owned(),
        source,
    })?;
    let last_line = contents.damage.as_ref().map(|(line, _)| *line);
    let mut transactions = 0;
    for (i, line) in String::from_utf8_lossy(&text).lines().enumerate().skip(1) {
        if last_line.is_some_and(|l| i + 1 >= l) {
            break;
        }
        if let Some(txn) = transaction_in_line(line) {
            obs.add_transaction(txn);
            transactions += 1;
        }
    }
    Ok(CaptureSource {
        path: path.to_owned(),
        records: contents.records.len(),
        checks,
        transactions,
        damage: contents.damage,
    })
}

/// A transaction outcome in one capture line, if the line holds one.
pub fn transaction_in_line(line: &str) -> Option<TransactionEvidence> {
    if !line.contains("\"verdict\"") {
        return None;
    }
    let value: Value = serde_json::from_str(line).ok()?;
    let obj = value.as_object()?;
    std::iter::once(obj)
        .chain(obj.values().filter_map(Value::as_object))
        .find_map(transaction_in_object)
}

fn transaction_in_object(obj: &serde_json::Map<String, Value>) -> Option<TransactionEvidence> {
    let verdict = Verdict::from_code(obj.get("verdict")?.as_str()?)?;
    let text = |key: &str| {
        obj.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let causes = obj
        .get("causes")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let zvt_result = obj
        .get("zvt_result")
        .and_then(Value::as_str)
        .and_then(|s| u8::from_str_radix(s.trim(), 16).ok());
    Some(TransactionEvidence {
        verdict: Some(verdict),
        response_code: text("response_code"),
        reversal_reason: text("reversal_reason"),
        zvt_result,
        causes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transaction_is_found_at_the_top_or_one_level_down() {
        let top = r#"{"type":"transaction","time":1,"verdict":"DECLINED","response_code":"51","causes":["host.decline"]}"#;
        let t = transaction_in_line(top).expect("top");
        assert_eq!(t.verdict, Some(Verdict::Declined));
        assert_eq!(t.response_code.as_deref(), Some("51"));
        assert_eq!(t.causes, vec!["host.decline".to_owned()]);
        let nested = r#"{"type":"txn","transaction":{"verdict":"APPROVED_THEN_REVERSED","response_code":"00","reversal_reason":"96","causes":[]}}"#;
        let t = transaction_in_line(nested).expect("nested");
        assert_eq!(t.verdict, Some(Verdict::ApprovedThenReversed));
        assert_eq!(t.reversal_reason.as_deref(), Some("96"));
    }

    #[test]
    fn other_lines_are_not_transactions() {
        assert!(
            transaction_in_line(r#"{"type":"notice","text":{"zh":"verdict","en":"x"}}"#).is_none()
        );
        assert!(transaction_in_line(r#"{"verdict":"MAYBE"}"#).is_none());
        assert!(transaction_in_line("not json \"verdict\"").is_none());
    }
}
