//! Where the shared key's passphrase comes from: a file named in the profile (or given to the
//! command) or the environment variable `POSDIAG_NEXO_PASSPHRASE` — never a command-line value,
//! which would end up in shell history and process lists. It is never written anywhere.

use std::path::Path;

use super::error::NexoClientError;
use crate::proto::nexo::SecurityKey;

/// The environment variable holding the passphrase.
pub const PASSPHRASE_ENV: &str = "POSDIAG_NEXO_PASSPHRASE";

/// Reads the passphrase: from `file` when given (one line; the line end is not part of it),
/// else from [`PASSPHRASE_ENV`].
pub fn read_passphrase(file: Option<&Path>) -> Result<String, NexoClientError> {
    let passphrase = match file {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| NexoClientError::Passphrase {
                reason: format!("'{}': {e}", path.display()),
            })?;
            text.trim_end_matches(['\r', '\n']).to_owned()
        }
        None => std::env::var(PASSPHRASE_ENV).unwrap_or_default(),
    };
    if passphrase.is_empty() {
        return Err(NexoClientError::Passphrase {
            reason: match file {
                Some(path) => format!("'{}' is empty", path.display()),
                None => format!(
                    "set it in the environment variable {PASSPHRASE_ENV} or name a passphrase file in the profile"
                ),
            },
        });
    }
    Ok(passphrase)
}

/// The shared key: identifier and version from the profile, passphrase as above.
pub fn security_key(
    key_identifier: &str,
    key_version: u32,
    passphrase_file: Option<&Path>,
) -> Result<SecurityKey, NexoClientError> {
    Ok(SecurityKey::new(
        read_passphrase(passphrase_file)?,
        key_identifier,
        key_version,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_gives_one_line_and_an_empty_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pass");
        std::fs::write(&path, "s3cret phrase\n").unwrap();
        assert_eq!(read_passphrase(Some(&path)).unwrap(), "s3cret phrase");
        std::fs::write(&path, "\n").unwrap();
        let e = read_passphrase(Some(&path)).unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
        let missing = dir.path().join("none");
        assert!(read_passphrase(Some(&missing)).is_err());
        let key = security_key("Id", 2, Some(&dir.path().join("none")));
        assert!(key.is_err());
    }
}
