//! The local UTC offset, read once at start-up.
//!
//! The `time` crate refuses to read the local offset once other threads exist (on Unix the
//! environment could change under it), so the CLI reads it first thing and everything else
//! asks here.

use std::sync::OnceLock;

use time::UtcOffset;

static OFFSET: OnceLock<UtcOffset> = OnceLock::new();

/// Reads the local offset; call before starting any thread. Later calls change nothing.
pub fn init() {
    let offset = UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC);
    let _ = OFFSET.set(offset);
}

/// The local offset (UTC when unknown or not initialised).
pub fn offset() -> UtcOffset {
    OFFSET.get().copied().unwrap_or(UtcOffset::UTC)
}
