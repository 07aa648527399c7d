//! `posdiag decode escpos`: the explanation with and without a query, its text (held and
//! streamed, which must agree) and its JSON; and the hex reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag_proto::i18n::Lang;
use posdiag_proto::escpos::{explain, parse_hex, Query};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let all = Query::all();
    let query = match usize::from(pick) {
        0 => None,
        n => all.get(n % all.len().max(1)).copied(),
    };
    if let Ok(e) = explain(bytes, query) {
        let lines = e.to_lines(Lang::En);
        let mut streamed = Vec::new();
        e.write_lines(Lang::En, &mut streamed)
            .expect("writing to a Vec");
        let mut held = lines.join("\n");
        held.push('\n');
        assert_eq!(String::from_utf8_lossy(&streamed), held);
        let _ = e.to_lines(Lang::Zh);
        let _ = serde_json::to_string(&e);
    }
    let _ = parse_hex(&String::from_utf8_lossy(bytes));
});
