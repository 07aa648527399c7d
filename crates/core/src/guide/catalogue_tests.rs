//! The catalogue of causes (`catalogue/causes.rs`, generated from `kb/` at build time) agrees
//! with the knowledge base the guide loads: the same causes, titles, and causes per code.

use crate::catalogue::causes::{for_iso39, for_zvt_result, CauseId, CAUSES};

#[test]
fn every_cause_of_the_knowledge_base_is_in_the_catalogue_with_its_title() {
    let kb = crate::guide::builtin().expect("kb");
    assert_eq!(kb.causes.len(), CAUSES.len());
    for c in &kb.causes {
        let id = CauseId::parse(&c.id).expect("in the catalogue");
        assert_eq!(id.title(), c.title, "{}", c.id);
    }
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    for code in CAUSES.iter().flat_map(|c| c.iso39) {
        let here = for_iso39(code).into_iter().map(String::from).collect();
        assert_eq!(
            sorted(here),
            sorted(kb.causes_for_code(Some(code), None)),
            "{code}"
        );
    }
    for code in CAUSES.iter().flat_map(|c| c.zvt_result) {
        let zvt = crate::drivers::terminal::codes::TerminalCode::new(
            crate::drivers::terminal::TerminalProtocol::Zvt,
            code,
        );
        let here = for_zvt_result(code).into_iter().map(String::from).collect();
        assert_eq!(
            sorted(here),
            sorted(kb.causes_for_code(None, Some(&zvt))),
            "{code}"
        );
    }
}
