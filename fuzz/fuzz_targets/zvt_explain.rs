//! `posdiag decode zvt`: the explanation tree, its text in both languages and its JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posdiag_proto::i18n::Lang;
use posdiag_proto::zvt::explain;

fuzz_target!(|data: &[u8]| {
    if let Ok(e) = explain(data) {
        let _ = e.to_lines(Lang::Zh);
        let _ = e.to_lines(Lang::En);
        let _ = serde_json::to_string(&e);
    }
});
