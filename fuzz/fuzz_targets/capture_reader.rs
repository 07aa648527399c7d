//! A capture file as a user hands it over: the reader, then what `report` and `replay` do with
//! the records (events, pcap).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use posdiag::capture::parse_capture;
use posdiag::report::write_pcap;

fuzz_target!(|data: &[u8]| {
    let Ok(contents) = parse_capture(data, Path::new("fuzz.jsonl")) else {
        return;
    };
    for record in &contents.records {
        let _ = record.time();
        let _ = record.to_event();
    }
    let _ = posdiag::localtime::local(contents.header.created);
    let _ = write_pcap(&contents.records, std::io::sink());
});
