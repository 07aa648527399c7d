//! Exit codes of the CLI (docs/cli-contract.md): 0 ok, 1 a check failed, 2 usage or profile error,
//! 3 could not connect.

use std::process::ExitCode;

/// An error at the edge, with the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub error: anyhow::Error,
}

impl CliError {
    pub fn usage(error: impl Into<anyhow::Error>) -> Self {
        CliError {
            code: 2,
            error: error.into(),
        }
    }

    pub fn failure(error: impl Into<anyhow::Error>) -> Self {
        CliError {
            code: 1,
            error: error.into(),
        }
    }
}

impl From<anyhow::Error> for CliError {
    fn from(error: anyhow::Error) -> Self {
        CliError { code: 1, error }
    }
}

pub const OK: ExitCode = ExitCode::SUCCESS;

pub fn code(c: u8) -> ExitCode {
    ExitCode::from(c)
}
