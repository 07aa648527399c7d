//! Where captures go when `--capture` is not given (the platform's data directory), and why a
//! path given cannot hold a file.

use std::path::{Path, PathBuf};

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

/// The part of `path`'s folder that exists and is not a folder (`afile` in `afile/c.jsonl`):
/// creating the folder would fail with a bare "File exists", which names neither.
pub fn file_in_the_way(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| a.exists())
        .filter(|a| !a.is_dir())
        .map(Path::to_owned)
}

#[cfg(test)]
mod tests {
    use super::file_in_the_way;

    #[test]
    fn a_file_where_a_folder_should_be_is_named() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("afile");
        std::fs::write(&file, "x").expect("write");
        assert_eq!(file_in_the_way(&file.join("c.jsonl")), Some(file.clone()));
        assert_eq!(file_in_the_way(&file.join("a/b/c.jsonl")), Some(file));
        assert_eq!(file_in_the_way(&dir.path().join("new/c.jsonl")), None);
        assert_eq!(file_in_the_way(std::path::Path::new("c.jsonl")), None);
    }
}
