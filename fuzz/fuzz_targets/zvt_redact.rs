//! ZVT redaction, the capture's guard: never panics; an APDU keeps its length, and a second
//! pass over the redacted APDU only hides more (every byte it changes becomes a fill or mask
//! value). Not strict idempotence: when a message's layout is ambiguous, redaction follows the
//! reading that parses furthest, and the filled bytes can make another reading parse further.
//! Serial bytes are re-framed, so their length may change by DLE stuffing (documented on
//! `redact_serial_frame`): only "never panics" there.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag_proto::zvt::redact::sensitive_spans;
use posdiag_proto::zvt::{redact_apdu, redact_serial_frame};

/// What redaction writes: 00 (unparsed), EE (secret), `*` (masked text), an E nibble (masked
/// PAN digit).
fn is_hidden(b: u8) -> bool {
    b == 0x00 || b == 0xEE || b == b'*' || b & 0x0F == 0x0E || b >> 4 == 0x0E
}

fuzz_target!(|data: &[u8]| {
    let once = redact_apdu(data);
    assert_eq!(once.len(), data.len(), "redaction keeps the length");
    let twice = redact_apdu(&once);
    assert_eq!(twice.len(), once.len(), "redaction keeps the length");
    for (a, b) in once.iter().zip(&twice) {
        assert!(a == b || is_hidden(*b), "a second pass only hides more");
    }
    let _ = redact_serial_frame(data);
    let _ = sensitive_spans(data);
});
