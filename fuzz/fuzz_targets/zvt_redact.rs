//! ZVT redaction, the capture's guard: never panics; an APDU keeps its length and redacting
//! it twice changes nothing more. Serial bytes are re-framed, so their length may change by
//! DLE stuffing (documented on `redact_serial_frame`), and a second pass may read the filled
//! bytes of a broken frame as a longer broken frame and hide more: no length or idempotence
//! check there.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag::proto::zvt::redact::sensitive_spans;
use posdiag::proto::zvt::{redact_apdu, redact_serial_frame};

fuzz_target!(|data: &[u8]| {
    let apdu = redact_apdu(data);
    assert_eq!(apdu.len(), data.len(), "redaction keeps the length");
    assert_eq!(redact_apdu(&apdu), apdu, "redaction is idempotent");
    let _ = redact_serial_frame(data);
    let _ = sensitive_spans(data);
});
