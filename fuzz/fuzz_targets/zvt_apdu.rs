//! ZVT APDUs: header and prefix decoding, the TCP assembler, message decoding both ways and
//! the one-line summaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag_proto::zvt::apdu::parse_apdu_header;
use posdiag_proto::zvt::{
    decode_ecr_message, decode_pt_message, fingerprint, summarize, Apdu, ApduAssembler, CommandCode,
};

fuzz_target!(|data: &[u8]| {
    let _ = parse_apdu_header(data);
    let _ = Apdu::decode_prefix(data);
    if let Ok(apdu) = Apdu::decode(data) {
        let _ = decode_ecr_message(&apdu);
        let context = data.get(3..5).map(|c| CommandCode::from_bytes(c[0], c[1]));
        let _ = decode_pt_message(&apdu, None);
        let _ = decode_pt_message(&apdu, context);
        let _ = summarize(&apdu, context);
        // What decodes encodes again.
        let _ = apdu.encode();
    }
    let mut assembler = ApduAssembler::with_limit(4096);
    for chunk in data.chunks(7) {
        assembler.push(chunk);
        let _ = assembler.pop_short_ack();
        while let Ok(Some(_)) = assembler.pop_with_raw() {}
    }
    let _ = assembler.take_buffered();
    let _ = fingerprint(data);
});
