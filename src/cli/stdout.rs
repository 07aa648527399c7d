//! Everything the CLI prints on stdout goes through here, so a closed pipe
//! (`posdiag decode … | head -1`) ends the program quietly with exit 0 instead of the panic
//! `println!` raises ("failed printing to stdout: Broken pipe").

use std::io::{BufWriter, Write};

use super::exit::CliError;

/// The reader of our stdout went away: nothing more to say, and nothing went wrong.
#[derive(Debug, thiserror::Error)]
#[error("stdout was closed")]
pub struct ClosedStdout;

/// Maps a write error: a closed pipe to [`ClosedStdout`], anything else to a failure.
pub fn write_error(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        CliError::failure(ClosedStdout)
    } else {
        CliError::failure(anyhow::anyhow!("cannot write to stdout: {e}"))
    }
}

/// True for the error [`write_error`] makes of a closed pipe.
pub fn is_closed_stdout(error: &anyhow::Error) -> bool {
    error.downcast_ref::<ClosedStdout>().is_some()
}

/// Prints `text` as it is (no newline added) and flushes it.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).map_err(write_error)?;
    out.flush().map_err(write_error)
}

/// Prints `line` and a newline.
pub fn println(line: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(line.as_bytes()).map_err(write_error)?;
    out.write_all(b"\n").map_err(write_error)?;
    out.flush().map_err(write_error)
}

/// A buffered stdout for long outputs written piece by piece; map its errors with
/// [`write_error`] and call `flush` at the end.
pub fn buffered() -> BufWriter<std::io::StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
}
