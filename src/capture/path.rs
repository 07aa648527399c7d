//! Where captures go when `--capture` is not given: the platform's data directory.

use std::path::PathBuf;

/// `<data dir>/posdiag/captures/posdiag-YYYYMMDD-HHMMSS.jsonl` (local time when known).
pub fn default_capture_path() -> PathBuf {
    let dir = directories::ProjectDirs::from("", "", "posdiag")
        .map(|d| d.data_dir().join("captures"))
        .unwrap_or_else(|| std::env::temp_dir().join("posdiag-captures"));
    let now = time::OffsetDateTime::now_utc().to_offset(crate::localtime::offset());
    let stamp = now
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_else(|_| "session".to_owned());
    dir.join(format!("posdiag-{stamp}.jsonl"))
}
