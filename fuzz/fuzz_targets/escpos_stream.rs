//! ESC/POS replies as they arrive: the reply reader with queries outstanding, fed in pieces,
//! and the one-shot reply decoders.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag_proto::escpos::commands::parse_requests;
use posdiag_proto::escpos::{
    decode_byte, decode_reply, AsbStatus, FlowControl, Query, ReplyReader,
};

fuzz_target!(|data: &[u8]| {
    // First byte: flow control and how many queries are outstanding; the next bytes pick them.
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let all = Query::all();
    let queries = usize::from(control & 0x07).min(rest.len());
    let (picks, bytes) = rest.split_at(queries);
    let flow = if control & 0x08 != 0 {
        FlowControl::XonXoff
    } else {
        FlowControl::default()
    };
    let mut reader = ReplyReader::new(flow);
    for p in picks {
        if let Some(q) = all.get(usize::from(*p) % all.len().max(1)) {
            reader.expect(*q);
            let _ = decode_reply(*q, bytes);
            if let Some(b) = bytes.first() {
                let _ = decode_byte(*q, *b);
            }
        }
    }
    let cut = usize::from(control >> 4).max(1);
    for chunk in bytes.chunks(cut) {
        reader.push(chunk);
        while reader.next_item().is_some() {}
    }
    let _ = reader.flush();
    assert_eq!(reader.pending_bytes(), 0, "flush settles every byte");
    let _ = AsbStatus::decode(bytes);
    let _ = parse_requests(bytes);
});
