//! ISO 8583 in the CUP dialect and the generic framings a profile can set: full and partial
//! decoding, the explanation (text in both languages, JSON) and the summaries.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use posdiag_proto::i18n::Lang;
use posdiag_proto::iso8583::{decode, decode_partial, explain, summarize, summary_line};

fuzz_target!(|data: &[u8]| {
    let (dialect, bytes) = common::split(data);
    if let Ok(m) = decode(&dialect, bytes) {
        let _ = summary_line(&m);
        let _ = m.response_code();
        let _ = m.transaction();
        let _ = m.mac_block(bytes);
        // What decodes encodes again.
        let _ = m.to_message().encode(&dialect);
    }
    let _ = decode_partial(&dialect, bytes);
    let e = explain(&dialect, bytes);
    let _ = e.to_lines(Lang::Zh);
    let _ = e.to_lines(Lang::En);
    let _ = serde_json::to_string(&e);
    let _ = summarize(&dialect, bytes);
});
