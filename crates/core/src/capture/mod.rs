//! Captures: every frame, link state and check result of a session as JSON lines, and the
//! transactions read from the frames (their outcome each time it changes).
//!
//! The first line is a versioned [`CaptureHeader`]; each following line is one
//! [`CaptureRecord`]. Frames arrive already redacted (drivers redact at the source) and the
//! writer redacts them once more per channel before writing, so a capture never holds a full
//! PAN, track data, a PIN block or a key. Each line is flushed when written: a crash loses
//! nothing already seen.

mod format;
mod guide_input;
mod path;
mod reader;
mod redact;
mod task;
mod writer;

pub use format::{CaptureHeader, CaptureRecord, FORMAT_NAME, FORMAT_VERSION};
pub use guide_input::{observations_from_capture, observations_from_records, CaptureSource};
pub use path::{default_capture_path, file_in_the_way};
pub use reader::{parse_capture, read_capture, CaptureContents, CaptureError};
pub use redact::redact_frame;
pub use task::spawn_capture_writer;
pub use writer::{CaptureWriter, CaptureWriterError};
