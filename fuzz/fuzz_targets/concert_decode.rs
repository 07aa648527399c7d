//! Ingenico Concert: the deframer fed in pieces, one-shot frame decoding, the request and
//! answer readers, the explanation and the capture redaction — none may panic, and redaction
//! keeps the length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag_proto::i18n::Lang;
use posdiag_proto::concert::{
    decode_frame, explain, mask_repport, redact_stream, Answer, Deframer, Request,
};

fuzz_target!(|data: &[u8]| {
    // The first byte says where to cut the input, as reads from a port arrive in pieces.
    let (cut, bytes) = match data.split_first() {
        Some((c, rest)) => (usize::from(*c).max(1), rest),
        None => return,
    };
    let mut deframer = Deframer::new();
    for chunk in bytes.chunks(cut) {
        let _ = deframer.push(chunk);
        let _ = deframer.is_idle();
    }
    let _ = deframer.finish();
    let _ = decode_frame(bytes);
    let _ = Request::decode_body(bytes);
    let _ = Answer::decode_body(bytes);
    let _ = mask_repport(&String::from_utf8_lossy(bytes));
    let _ = explain(bytes).to_lines(Lang::En);
    assert_eq!(redact_stream(bytes).len(), bytes.len());
});
