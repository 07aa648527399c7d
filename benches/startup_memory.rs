//! Start-up memory of the optimised binary, the one users run: the peak RSS of each
//! `posdiag decode` form against `posdiag --version` (median of five runs each). Issue 16's
//! bound is 2 MB; the bench fails (exit 1) above it.
//!
//! Run with `cargo bench --bench startup_memory` (Linux: `wait4`'s rusage). The debug build
//! `cargo test` measures touches about twice the executable's code for the same work, so
//! tests/startup_memory.rs holds that build to the bound for `decode zvt` and to the
//! allocated (anonymous) memory for the rest.

#[cfg(target_os = "linux")]
#[path = "../tests/support/peak_rss.rs"]
mod peak_rss;

#[cfg(target_os = "linux")]
fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let frame = dir.path().join("frame.bin");
    std::fs::write(&frame, peak_rss::STATUS_ENQUIRY).expect("frame");
    let frame = frame.to_str().expect("utf-8 path").to_owned();
    let version = peak_rss::median_peak_kb(&["--version"], dir.path());
    println!("peak RSS of the optimised binary, median of 5 runs");
    println!("  {:<32} {version:>6} kB", "posdiag --version");
    let mut over = false;
    for (name, args) in peak_rss::decode_commands(&frame) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let kb = peak_rss::median_peak_kb(&args, dir.path());
        let above = kb - version;
        over |= above > 2048;
        println!("  {name:<32} {kb:>6} kB   {above:>+6} kB above --version (bound +2048)");
    }
    if over {
        println!("a decode peaks more than 2 MB above --version");
        std::process::exit(1);
    }
}

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("skipped: the start-up memory bench reads wait4's rusage, Linux only");
}
