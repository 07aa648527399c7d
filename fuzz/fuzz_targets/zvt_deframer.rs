//! ZVT serial framing: the incremental deframer fed in pieces, and one-shot frame decoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag_proto::zvt::frame::inspect_serial_frame;
use posdiag_proto::zvt::{decode_serial_frame, SerialDeframer};

fuzz_target!(|data: &[u8]| {
    // The first byte says where to cut the input, as reads from a port arrive in pieces.
    let (cut, bytes) = match data.split_first() {
        Some((c, rest)) => (usize::from(*c).max(1), rest),
        None => return,
    };
    let mut deframer = SerialDeframer::new();
    let mut events = Vec::new();
    for chunk in bytes.chunks(cut) {
        events.extend(deframer.push(chunk));
        let _ = deframer.pending_len();
        let _ = deframer.is_idle();
    }
    events.extend(deframer.flush());
    let _ = decode_serial_frame(bytes);
    let _ = inspect_serial_frame(bytes);
});
