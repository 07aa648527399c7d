//! ZVT redaction, the capture's guard: never panics, never changes the length, and redacting
//! twice changes nothing more.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag::proto::zvt::redact::sensitive_spans;
use posdiag::proto::zvt::{redact_apdu, redact_serial_frame};

fuzz_target!(|data: &[u8]| {
    let apdu = redact_apdu(data);
    assert_eq!(apdu.len(), data.len(), "redaction keeps the length");
    assert_eq!(redact_apdu(&apdu), apdu, "redaction is idempotent");
    let frame = redact_serial_frame(data);
    assert_eq!(frame.len(), data.len(), "redaction keeps the length");
    let _ = sensitive_spans(data);
});
